"""Hot-loading published artifacts from the Hub (runtime/hub_sync.py) into a real engine, through the real
huggingface_hub client against a local fake Hub (tests/hubfake.FakeModelHub), published with admin/publish.py."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from admin.publish import publish_run
from runtime.artifacts import ArtifactEntry, read_manifest, sha256_cached, sha256_file, write_manifest
from runtime.engine import ChatRequest, Done, Engine, Token
from runtime.hub_sync import HubSync, HubSyncError
from runtime.settings import Settings
from tests.hubfake import FakeModelHub

TOKEN = "hf_sync_secret_5e8c2a"
ROOT = Path(__file__).resolve().parent.parent
PROMPT = [{"role": "user", "content": "Tell me a long story about a lighthouse keeper and the sea."}]
N = 40
LONG = 400  # tokens: a stream that outlasts a hot-load


@pytest.fixture(scope="module")
def hub():
    import huggingface_hub.constants as C

    with pytest.MonkeyPatch.context() as mp, FakeModelHub(token=TOKEN) as h:
        mp.setattr(C, "HF_HUB_OFFLINE", False)  # conftest keeps the rest of the suite offline
        mp.setenv("HF_ENDPOINT", h.url)
        yield h


@pytest.fixture(scope="module")
def sync_engine(tmp_path_factory):
    d = tmp_path_factory.mktemp("sync-engine")
    with Engine(Settings(data_dir=d, n_threads=1, n_ctx=512, manifest=str(d / "no-manifest.json"))) as e:
        yield e


@dataclass
class Refs:
    v1: str
    v2: str
    v1_sha: str
    v2_sha: str


def gen(engine: Engine, modifier: str | None) -> str:
    return engine.complete(ChatRequest(PROMPT, max_tokens=N, modifier=modifier)).text


@pytest.fixture(scope="module")
def refs(sync_engine, adapter_dir, base_path, tmp_path_factory) -> Refs:
    """Greedy answers of the two adapter versions, loaded locally under other names."""
    d = tmp_path_factory.mktemp("refs")
    base_sha = sha256_cached(base_path)
    entries = []
    for name, f in (("ref_v1", "alpha.gguf"), ("ref_v2", "beta.gguf")):
        shutil.copyfile(adapter_dir / f, d / f)
        entries.append(ArtifactEntry(name=name, kind="modifier", domain=name, file=f, sha256=sha256_file(d / f),
                                     base_sha256=base_sha))
    write_manifest(d / "manifest.json", entries)
    sync_engine.reload_modifiers(manifest_path=d / "manifest.json")
    r = Refs(gen(sync_engine, "ref_v1"), gen(sync_engine, "ref_v2"), sha256_file(adapter_dir / "alpha.gguf"),
             sha256_file(adapter_dir / "beta.gguf"))
    assert r.v1 != r.v2 and r.v1 != gen(sync_engine, None)
    return r


def publish(repo: str, tmp: Path, adapter: Path, tag: str, base_path: Path, *, router: bool = False) -> str:
    """Publish an artifacts directory with modifier ``code`` = ``adapter`` (and the shipped router)."""
    d = tmp / tag
    (d / "modifiers").mkdir(parents=True)
    shutil.copyfile(adapter, d / "modifiers" / "code.gguf")
    if router:
        shutil.copytree(ROOT / "artifacts" / "router", d / "router")
    f = d / "modifiers" / "code.gguf"
    write_manifest(d / "manifest.json", [ArtifactEntry(
        name="code", kind="modifier", domain="code", file="modifiers/code.gguf", sha256=sha256_file(f),
        size=f.stat().st_size, base_sha256=sha256_cached(base_path), version=tag, created=f"2026-12-02T{tag}")])
    return publish_run(d, repo, token=TOKEN, revision_tag=tag).commit_sha


def sync_settings(tmp: Path, repo: str, **kw) -> Settings:
    return Settings(data_dir=tmp / "data", hub_repo=repo, hf_token=kw.pop("token", TOKEN), **kw)


def test_new_version_serves_the_next_request_while_a_running_stream_finishes_unchanged(
        hub, sync_engine, refs, tmp_path, adapter_dir, base_path, caplog):
    from runtime.chat import ChatService
    from runtime.embedder import Embedder
    from runtime.memory import SessionStore
    from runtime.router import Router

    caplog.set_level(logging.INFO)
    repo = "acme/hot"
    s = sync_settings(tmp_path, repo)
    router = Router(s, Embedder(), None, None, registry=sync_engine.modifiers)  # the embedder loads lazily
    chat = ChatService(sync_engine, router, None, SessionStore())
    sync = HubSync(s, sync_engine, router=router, chat=chat)
    publish(repo, tmp_path, adapter_dir / "alpha.gguf", "r1", base_path, router=True)
    first = sync.check()
    assert first.ok and first.loaded == ["code"] and first.changed, first.message
    assert set(first.router) == {"domain", "quality", "detector"}
    shipped = next(e.version for e in read_manifest(ROOT / "artifacts" / "router" / "manifest.json").artifacts
                   if e.extra.get("role") == "quality")
    assert router.version == shipped and chat.detector is not None
    assert sync_engine.modifiers.names() == ["code"] and gen(sync_engine, "code") == refs.v1

    events: list = []
    started = threading.Event()
    reload_was_waiting: list[bool] = []

    def stream_old() -> None:
        # A long answer, so it is still being decoded when the hot-load queues its reload (the batch
        # scheduler runs ahead of this consumer: only decoding, not an unread queue, holds a reload back).
        for ev in sync_engine.stream(ChatRequest(PROMPT, max_tokens=LONG, modifier="code")):
            events.append(ev)
            if isinstance(ev, Token) and not started.is_set():
                started.set()
                # Hold the stream open until the hot-load has downloaded, verified and queued its reload.
                deadline = time.monotonic() + 120
                while sync_engine.queue_length < 1 and time.monotonic() < deadline:
                    time.sleep(0.01)
                reload_was_waiting.append(sync_engine.queue_length >= 1)

    t = threading.Thread(target=stream_old)
    t.start()
    assert started.wait(60)
    publish(repo, tmp_path, adapter_dir / "beta.gguf", "r2", base_path)
    second = sync.check()  # returns once the running stream has finished and the new adapter is loaded
    t.join(60)
    done = events[-1]
    assert reload_was_waiting == [True]
    assert isinstance(done, Done) and done.modifier == "code" and done.finish_reason in ("length", "stop")
    assert done.text.startswith(refs.v1)  # the running stream kept the adapter it started with (greedy prefix)
    assert second.ok and second.loaded == ["code"] and second.router == [], second.message  # router unchanged
    assert sync_engine.modifiers.get("code").sha256 == refs.v2_sha
    assert gen(sync_engine, "code") == refs.v2  # the next request: the new version, no restart
    again = sync.check()
    assert again.ok and not again.changed and "already serving" in again.message
    assert TOKEN not in caplog.text


def test_a_corrupt_or_mismatched_adapter_is_refused_and_the_old_one_keeps_serving(
        hub, sync_engine, refs, tmp_path, adapter_dir, base_path):
    repo = "acme/corrupt"
    sync = HubSync(sync_settings(tmp_path, repo), sync_engine)
    publish(repo, tmp_path, adapter_dir / "alpha.gguf", "r1", base_path)
    assert sync.check().ok
    # Another publisher pushes a revision whose code adapter was damaged in transit, plus a math modifier
    # trained for another base.
    tree = hub.tree(repo)
    bad = bytearray(tree["modifiers/code.gguf"])
    bad[len(bad) // 2] ^= 0xFF
    manifest = json.loads(tree["manifest.json"])
    beta = (adapter_dir / "beta.gguf").read_bytes()
    manifest["artifacts"].append({"name": "math", "kind": "modifier", "domain": "math", "file": "modifiers/math.gguf",
                                  "sha256": sha256_file(adapter_dir / "beta.gguf"), "size": len(beta),
                                  "base_sha256": "f" * 64})
    hub.commit_files(repo, {**tree, "modifiers/code.gguf": bytes(bad), "modifiers/math.gguf": beta,
                            "manifest.json": json.dumps(manifest).encode()}, title="damaged")
    report = sync.check()
    assert not report.ok
    assert "SHA-256 mismatch" in report.refused["code"] and "keeps serving" in report.refused["code"]
    assert "trained for another base" in report.refused["math"]
    code = sync_engine.modifiers.get("code")
    assert code.available and code.sha256 == refs.v1_sha
    assert gen(sync_engine, "code") == refs.v1
    math = sync_engine.modifiers.get("math")
    assert math is not None and not math.available and "another base" in math.reason
    problems = sync.state().problems
    assert any(p.startswith("code: ") for p in problems) and any(p.startswith("math: ") for p in problems)
    # A manifest that is not JSON at all: the whole revision is refused, nothing changes.
    hub.commit_files(repo, {**hub.tree(repo), "manifest.json": b"{not json"}, title="broken manifest")
    broken = sync.check()
    assert not broken.ok and "refused" in broken.message and "what serves is unchanged" in broken.message
    assert sync_engine.modifiers.get("code").available and gen(sync_engine, "code") == refs.v1


def test_rollback_to_an_earlier_revision_is_kept_across_checks_and_a_restart(
        hub, sync_engine, refs, tmp_path, adapter_dir, base_path):
    repo = "acme/rollback"
    s = sync_settings(tmp_path, repo)
    sync = HubSync(s, sync_engine)
    c1 = publish(repo, tmp_path, adapter_dir / "alpha.gguf", "r1", base_path)
    c2 = publish(repo, tmp_path, adapter_dir / "beta.gguf", "r2", base_path)
    assert sync.check().loaded == ["code"] and gen(sync_engine, "code") == refs.v2
    revs = sync.revisions()
    assert [(r.name, r.kind) for r in revs] == [("r2", "tag"), ("r1", "tag"), (c2, "commit"), (c1, "commit")]
    assert [r.current for r in revs] == [True, False, True, False]
    assert revs[0].title.startswith("ModRoute artifacts r2")

    back = sync.load_revision("r1")
    assert back.ok and back.loaded == ["code"] and back.commit == c1, back.message
    assert gen(sync_engine, "code") == refs.v1
    assert sync.state().target == "r1" and sync.state().commit == c1
    assert sync.check().unchanged == ["code"]  # a periodic check keeps the pinned revision, though main moved
    assert sync_engine.modifiers.get("code").sha256 == refs.v1_sha

    # Restart: the last loaded revision comes back from disk without asking the Hub.
    sync_engine.reload_modifiers(manifest_path=tmp_path / "nothing.json")
    assert sync_engine.modifiers.names() == []
    hub.fail("*", ".", 503, times=None)
    seen = len(hub.requests)
    try:
        restarted = HubSync(s, sync_engine).start()
        assert len(hub.requests) == seen
    finally:
        hub.clear_failures()
    assert sync_engine.modifiers.get("code").sha256 == refs.v1_sha
    assert restarted.state().target == "r1" and restarted.state().commit == c1
    forward = restarted.load_revision("main")
    assert forward.ok and forward.commit == c2 and gen(sync_engine, "code") == refs.v2
    assert not restarted.load_revision("").ok


def test_hub_errors_are_clear_and_what_serves_is_unchanged(hub, sync_engine, refs, tmp_path, adapter_dir,
                                                           base_path, caplog):
    repo = "acme/errors"
    publish(repo, tmp_path, adapter_dir / "alpha.gguf", "r1", base_path)
    assert HubSync(sync_settings(tmp_path, repo), sync_engine).check().ok

    def check(expect: str, *, repo_id: str = repo, revision: str | None = None, **kw) -> None:
        report = HubSync(sync_settings(tmp_path / expect[:8], repo_id, **kw), sync_engine).check(revision)
        assert not report.ok and expect in report.message, report.message
        assert TOKEN not in report.message and "hf_wrong" not in report.message
        assert sync_engine.modifiers.get("code").sha256 == refs.v1_sha

    check("401 Unauthorized", token="hf_wrong_token_42")
    check("acme/missing was not found (404)", repo_id="acme/missing")
    check("revision 'nope' does not exist in acme/errors (404)", revision="nope")
    hub.commit_files("acme/not-modroute", {"README.md": b"hello"})
    check("manifest.json is not in acme/not-modroute at main (404): is this a ModRoute artifacts repo?",
          repo_id="acme/not-modroute")
    for status, expect in ((429, "rate-limiting these requests (429"), (503, "server error (503)")):
        hub.fail("HEAD", r"/resolve/", status)
        check(expect)
    hub.fail("HEAD", r"/resolve/", "timeout", delay=2.5)
    check("did not answer within 1 s (timeout)", hub_timeout=1)
    hub.fail("GET", r"/refs$", 500)
    with pytest.raises(HubSyncError, match=r"Listing revisions of acme/errors failed: .*server error \(500\)"):
        HubSync(sync_settings(tmp_path, repo), sync_engine).revisions()
    assert not HubSync(sync_settings(tmp_path, ""), sync_engine).check().ok
    # A new revision whose adapter cannot be downloaded (listed, but gone): refused, the old version keeps serving.
    # (A 5xx here is retried by huggingface_hub for ~20 s before the same refusal.)
    publish(repo, tmp_path, adapter_dir / "beta.gguf", "r2", base_path)
    hub.fail("*", r"/resolve/[0-9a-f]{40}/modifiers/code.gguf$", 404, times=None, error_code="EntryNotFound")
    try:
        report = HubSync(sync_settings(tmp_path, repo), sync_engine).check()
    finally:
        hub.clear_failures()
    assert "modifiers/code.gguf is not in acme/errors" in report.refused["code"], report.refused
    assert "keeps serving" in report.refused["code"]
    assert sync_engine.modifiers.get("code").sha256 == refs.v1_sha
    assert gen(sync_engine, "code") == refs.v1
    assert TOKEN not in caplog.text


def test_the_periodic_check_picks_up_a_new_revision(hub, sync_engine, refs, tmp_path, adapter_dir, base_path):
    repo = "acme/periodic"
    publish(repo, tmp_path, adapter_dir / "alpha.gguf", "r1", base_path)
    assert HubSync(sync_settings(tmp_path, repo), sync_engine).start()._thread is None  # off by default
    sync = HubSync(sync_settings(tmp_path, repo, hub_check_interval=0.2), sync_engine).start()
    try:
        def wait_for(sha: str) -> bool:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                mod = sync_engine.modifiers.get("code")
                if mod is not None and mod.sha256 == sha and mod.available:
                    return True
                time.sleep(0.05)
            return False

        assert wait_for(refs.v1_sha)
        publish(repo, tmp_path, adapter_dir / "beta.gguf", "r2", base_path)
        assert wait_for(refs.v2_sha)
        assert sync.state().commit == hub.repos[repo].branches["main"]
    finally:
        sync.close()
    assert sync._thread is None


def test_registry_verify_checks_a_version_without_touching_what_serves(sync_engine, refs, adapter_dir, base_path,
                                                                        tmp_path):
    from runtime.artifacts import ArtifactError

    base_sha = sha256_cached(base_path)
    for f in ("alpha.gguf", "beta.gguf"):
        shutil.copyfile(adapter_dir / f, tmp_path / f)
    alpha = ArtifactEntry(name="code", kind="modifier", file="alpha.gguf", sha256=refs.v1_sha, base_sha256=base_sha)
    write_manifest(tmp_path / "manifest.json", [alpha])
    sync_engine.reload_modifiers(manifest_path=tmp_path / "manifest.json")
    registry = sync_engine.modifiers
    serving = registry.get("code")
    assert serving.available and serving.sha256 == refs.v1_sha
    beta = ArtifactEntry(name="code", kind="modifier", file="beta.gguf", sha256=refs.v2_sha, base_sha256=base_sha)
    assert registry.verify(beta, tmp_path) == (tmp_path / "beta.gguf").resolve()
    with pytest.raises(ArtifactError, match="SHA-256 mismatch"):
        registry.verify(ArtifactEntry(name="code", kind="modifier", file="beta.gguf", sha256=refs.v1_sha), tmp_path)
    with pytest.raises(ArtifactError, match="trained for another base"):
        registry.verify(ArtifactEntry(name="code", kind="modifier", file="beta.gguf", sha256=refs.v2_sha,
                                      base_sha256="0" * 64), tmp_path)
    with pytest.raises(ArtifactError, match="not a readable GGUF|not a LoRA adapter"):
        (tmp_path / "junk.gguf").write_bytes(b"GGUF" + b"\0" * 64)
        registry.verify(ArtifactEntry(name="code", kind="modifier", file="junk.gguf",
                                      sha256=sha256_file(tmp_path / "junk.gguf")), tmp_path)
    assert registry.get("code") is serving and serving.available and serving.handle is not None
    assert gen(sync_engine, "code") == refs.v1
