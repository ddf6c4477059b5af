"""The servers the load benchmark compares, as subprocesses: how each is started, when it is ready, how it stops.

- ours: ``python app.py`` (telemetry into a temporary data dir, retraining off);
- ``python -m llama_cpp.server`` through :func:`serve_llama_cpp_server` (extra weight buffers off, as our
  engine loads the model), with its [server] extras from scripts/llama_cpp_server_extras.sh;
- C++ ``llama-server`` built by scripts/build_llama_server.sh, ``--parallel 16 -c 16384``, with ``--lora``
  per modifier and ``--lora-init-without-apply`` for the modifier scenario.

Each request body forces the path under test (ours: the mode and modifier; llama-server: its ``lora`` field).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.loadclient import failure_reason, run_level_async

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LLAMA_SERVER = REPO_ROOT / ".cache" / "llama-server" / "bin" / "llama-server"
BUILD_SCRIPT = "scripts/build_llama_server.sh"
# llama_cpp.server's [server] extras, pinned and kept out of the project's venv (scripts/llama_cpp_server_extras.sh)
LLAMA_CPP_SERVER_EXTRAS = REPO_ROOT / ".cache" / "llama-cpp-server-extras"
EXTRAS_SCRIPT = "scripts/llama_cpp_server_extras.sh"
EARLY_STOP_PROMPT = "Answer yes or no: is the sky blue?"  # greedy SmolLM2-135M: "No." (2 tokens)


@dataclass
class Launch:
    """One server process for one or more scenarios."""

    argv: list[str]
    env: dict[str, str]
    port: int
    health_path: str
    scenarios: tuple[str, ...]
    cwd: Path = REPO_ROOT


@dataclass
class ServerSpec:
    name: str
    launches: list[Launch] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # scenario (or "*") -> why
    model_field: str = "default"

    def body(self, prompt: str, max_tokens: int, modifier: tuple[int, str] | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model_field, "messages": [{"role": "user", "content": prompt}], "stream": True,
            "max_tokens": max_tokens, "temperature": 0, "stream_options": {"include_usage": True},
        }
        if self.name == "ours":
            if modifier is None:
                body.update(mode="fast", cascade=False)
            else:
                body.update(mode="accurate", modifier=modifier[1], cascade=False, max_critique_rounds=0,
                            self_consistency=False, use_examples=False)
        elif self.name == "llama-server":
            body["cache_prompt"] = True  # its default; the prompts differ per level anyway
            if modifier is not None:
                body["lora"] = [{"id": modifier[0], "scale": 1.0}]
        return body


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def llama_cpp_server_env(extras: Path = LLAMA_CPP_SERVER_EXTRAS) -> dict[str, str]:
    """Environment additions for the ``python -m llama_cpp.server`` process (its extras, when installed)."""
    if not extras.is_dir():
        return {}
    return {"PYTHONPATH": os.pathsep.join(p for p in (str(extras), os.environ.get("PYTHONPATH", "")) if p)}


def llama_cpp_server_missing(env: dict[str, str]) -> str:
    """Why ``python -m llama_cpp.server`` cannot start in this environment ('' when it can)."""
    r = subprocess.run([sys.executable, "-c", "import llama_cpp.server.app"], capture_output=True, text=True,
                       timeout=120, env={**os.environ, **env})
    if r.returncode == 0:
        return ""
    last = (r.stderr.strip().splitlines() or ["unknown error"])[-1]
    return (f"python -m llama_cpp.server cannot start here ({last}): it needs llama-cpp-python's [server] "
            f"extras, which requirements.txt does not pin; run {EXTRAS_SCRIPT} (pinned, into .cache/, not the venv)")


def plan_servers(names: list[str], scenarios: list[str], model: Path, modifier_files: list[Path],
                 data_dir: Path, threads: int, llama_server: Path, lora_problem: str = "",
                 extra_buffers: bool = False, ours_dir: Path = REPO_ROOT) -> list[ServerSpec]:
    specs = []
    py = sys.executable
    if "ours" in names:
        port = free_port()
        env = {"MODROUTE_HOST": "127.0.0.1", "MODROUTE_PORT": str(port), "MODROUTE_DATA_DIR": str(data_dir / "ours"),
               "MODROUTE_MODEL": str(model), "MODROUTE_N_THREADS": str(threads), "MODROUTE_DATABASE_URL": "",
               "MODROUTE_ADMIN_TOKEN": "", "MODROUTE_HUB_REPO": "", "MODROUTE_RETRAIN_ENABLED": "false"}
        spec = ServerSpec("ours", [Launch([py, "app.py"], env, port, "/healthz", tuple(scenarios), cwd=ours_dir)],
                          model_field="modroute")
        specs.append(spec)
    if "llama_cpp.server" in names:
        spec = ServerSpec("llama_cpp.server")
        if "modifiers" in scenarios:
            spec.skipped["modifiers"] = ("llama_cpp.server loads at most one LoRA per model at start-up "
                                         "(--lora_path) and cannot switch adapters per request")
        env = llama_cpp_server_env()
        missing = llama_cpp_server_missing(env)
        if missing:
            spec.skipped["*"] = missing
        elif "base" in scenarios:
            port = free_port()
            spec.launches.append(Launch(
                [py, "-m", "runtime.loadservers", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
                 "--n_threads", str(threads), "--n_threads_batch", str(threads), "--n_ctx", "2048",
                 # Its default cuts the running stream short whenever a new request arrives; queue them instead.
                 "--interrupt_requests", "false"],
                env, port, "/v1/models", ("base",)))
        specs.append(spec)
    if "llama-server" in names:
        spec = ServerSpec("llama-server")
        if not llama_server.is_file() or not os.access(llama_server, os.X_OK):
            spec.skipped["*"] = (f"C++ llama-server not built ({llama_server} missing): run {BUILD_SCRIPT} "
                                 "(~8 min on 2 cores)")
        else:
            common = [str(llama_server), "-m", str(model), "--host", "127.0.0.1", "--parallel", "16",
                      "-c", "16384", "-t", str(threads), "-tb", str(threads), "--no-webui"]
            if not extra_buffers:
                # Weight repacking into the extra (AMX) buffers: with it this build segfaults while warming up
                # on this project's AMX CPUs (exit 139, measured Dec 2026), as llama-cpp-python does; off for
                # all three servers alike (ours: runtime/llama_load.py; MODROUTE_EXTRA_BUFFERS=true: llama.cpp's default).
                common.append("--no-repack")
            if "base" in scenarios:
                port = free_port()
                spec.launches.append(Launch(common + ["--port", str(port)], {}, port, "/health", ("base",)))
            if "modifiers" in scenarios:
                if lora_problem:
                    spec.skipped["modifiers"] = lora_problem
                else:
                    port = free_port()
                    loras = [a for f in modifier_files for a in ("--lora", str(f))]
                    spec.launches.append(Launch(common + ["--port", str(port)] + loras + ["--lora-init-without-apply"],
                                                {}, port, "/health", ("modifiers",)))
        specs.append(spec)
    return specs


@dataclass
class Served:
    url: str
    pid: int


@contextlib.contextmanager
def running(launch: Launch, log_path: Path, ready_timeout: float = 300.0) -> Iterator[Served]:
    """Start the server process (its own process group), wait for its health endpoint, stop it on exit."""
    import httpx

    env = {**os.environ, **launch.env}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(launch.argv, cwd=launch.cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{launch.port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"exited with status {proc.returncode} during start-up; log tail:\n"
                                   + _tail(log_path))
            try:
                if httpx.get(base + launch.health_path, timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {ready_timeout:.0f} s; log tail:\n" + _tail(log_path))
            time.sleep(0.5)
        yield Served(base, proc.pid)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen, grace: float = 20.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)  # the group we created for it (uvicorn workers, threads)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _tail(path: Path, n: int = 15) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    " + x for x in lines[-n:])


def check_ignore_eos(url: str, spec: ServerSpec, max_tokens: int) -> tuple[bool, str]:
    """Whether the server honours ``ignore_eos``: a prompt that stops early without it runs to max_tokens with it."""
    plain = spec.body(EARLY_STOP_PROMPT, max_tokens, None)
    asked = {**plain, "ignore_eos": True}
    without, with_ = asyncio.run(run_level_async(url, [plain, asked], 1))
    if with_.status == 400:
        return False, "refused (HTTP 400)"
    if not (without.ok and with_.ok):
        return False, f"probe failed: {failure_reason(without) if not without.ok else failure_reason(with_)}"
    if without.tokens >= max_tokens:
        return False, f"unknown (the probe prompt ran to {max_tokens} tokens without it too)"
    if with_.tokens >= max_tokens:
        return True, "honoured"
    return False, f"ignored (the probe stopped at {with_.tokens} tokens with it)"


def serve_llama_cpp_server(argv: list[str]) -> None:
    """``python -m llama_cpp.server ARGS`` with llama.cpp's extra weight buffers off, as our engine loads the
    model (runtime/llama_load.py): with them, llama-cpp-python 0.3.36 built from source segfaults in the first
    decode on this project's AMX CPUs (measured here: the server exits on its first request). Same weights
    layout for both Python servers; ``MODROUTE_EXTRA_BUFFERS=true`` leaves llama.cpp's default."""
    import llama_cpp.llama_cpp as lib
    from llama_cpp.server.__main__ import main as server_main

    from runtime.settings import Settings

    if not Settings().extra_buffers:
        original = lib.llama_model_default_params

        def without_extra_buffers():
            params = original()
            if hasattr(params, "use_extra_bufts"):
                params.use_extra_bufts = False
            return params

        lib.llama_model_default_params = without_extra_buffers  # this process serves one model: no lock needed
    sys.argv = ["python -m llama_cpp.server", *argv]
    server_main()


if __name__ == "__main__":  # the llama_cpp.server launcher (the benchmark itself: python -m runtime loadbench)
    if sys.argv[1:2] != ["llama_cpp.server"]:
        sys.exit("usage: python -m runtime.loadservers llama_cpp.server ARGS (the benchmark: python -m runtime loadbench)")
    serve_llama_cpp_server(sys.argv[2:])
