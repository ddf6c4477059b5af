"""Shared fixtures: one real SmolLM2-135M engine per test session, real GGUF adapters."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runtime.artifacts import ArtifactEntry, sha256_file, write_manifest
from runtime.engine import Engine
from runtime.lora_gguf import random_lora_for_base
from runtime.settings import Settings, embedded_model_path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def base_path() -> Path:
    return embedded_model_path()


@pytest.fixture(scope="session")
def adapter_dir(tmp_path_factory, base_path) -> Path:
    """Two real random LoRA adapters fitting the base: ``alpha.gguf`` and ``beta.gguf``."""
    d = tmp_path_factory.mktemp("adapters")
    random_lora_for_base(base_path, d / "alpha.gguf", seed=1)
    random_lora_for_base(base_path, d / "beta.gguf", seed=2, strength=0.08)
    return d


def modifier_entry(root: Path, file: str, name: str, domain: str = "code", **kw) -> ArtifactEntry:
    p = root / file
    return ArtifactEntry(name=name, kind="modifier", domain=domain, file=file, sha256=sha256_file(p),
                         size=p.stat().st_size, **kw)


def alpha_beta_manifest(adapter_dir: Path, base_path: Path, name: str) -> Path:
    """A manifest in ``adapter_dir`` listing alpha (code) and beta (math), fingerprinted to the base."""
    from runtime.artifacts import sha256_cached

    manifest = adapter_dir / name
    base_sha = sha256_cached(base_path)
    write_manifest(manifest, [
        modifier_entry(adapter_dir, "alpha.gguf", "alpha", "code", base_sha256=base_sha),
        modifier_entry(adapter_dir, "beta.gguf", "beta", "math", base_sha256=base_sha),
    ])
    return manifest


@pytest.fixture(scope="session")
def engine(tmp_path_factory, adapter_dir, base_path):
    data = tmp_path_factory.mktemp("data")
    manifest = alpha_beta_manifest(adapter_dir, base_path, "manifest.json")
    settings = Settings(data_dir=data, n_threads=2, n_ctx=1024, manifest=str(manifest))
    with Engine(settings) as e:
        yield e


# -- the web app (tests/test_ui*.py, test_api*.py, test_admin*.py) ------------------------------------
ADMIN_TOKEN = "test-admin-token-7f3a9c1e5b"


@pytest.fixture(scope="session")
def serving_settings(tmp_path_factory, adapter_dir, base_path) -> Settings:
    """Settings for a real server: the embedded base, modifiers alpha (code) and beta (math), SQLite telemetry."""
    from telemetry.store import sqlite_url_for

    data = tmp_path_factory.mktemp("serving")
    manifest = alpha_beta_manifest(adapter_dir, base_path, "serving-manifest.json")
    return Settings(data_dir=data, n_threads=2, n_ctx=2048, manifest=str(manifest), database_url=sqlite_url_for(data),
                    admin_token=ADMIN_TOKEN, max_tokens=32,
                    n_parallel=1)  # the web tests' queue-position checks need a second request to wait


@pytest.fixture(scope="session")
def serving(serving_settings):
    """Telemetry + services (model, router) opened once for all web tests."""
    from ui.server import open_serving

    with open_serving(serving_settings) as s:
        yield s


@pytest.fixture(scope="session")
def live_server(serving):
    """The full app (API + admin + Gradio UI) served by uvicorn on a free loopback port."""
    from ui.server import ServerThread, build_app

    app = build_app(serving.services, serving.sink, serving.settings)
    with ServerThread(app) as server:
        server.app = app
        yield server


from tests.pipeline_chain import chain  # noqa: E402,F401 - the session's pipeline test chain (a fixture)
