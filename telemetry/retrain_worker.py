"""Run the retraining in its own process, so chat keeps streaming while it trains.

Measured with ``python -m ui.jobbench`` (Dec 2026, 2 cores, other work on the machine): with the job
in a thread of the serving process, streamed tokens stalled for seconds (p95 gap 33x idle). Python
threads share one GIL: labelling and fitting hold it in long pure-Python stretches, and lowering the
job thread's priority made it worse (priority inversion: the nice thread holds the GIL while the OS
keeps it off the CPU). A child process has its own interpreter and GIL, runs at nice +10 with
one BLAS thread, and the decoding threads keep the cores.

    result = retrain_in_subprocess(url, out_dir, cfg, base_version=..., current=..., progress=ctx.progress)

The parent keeps the lease and the ``scheduler_runs`` row; the child only computes and writes the
version artifact + its ``router_versions`` row (``run_retrain``). The job spec (incl. the user-key salt,
a secret) goes over stdin, never the command line; progress and the result come back as JSON lines on
stdout; stderr goes to a temporary file whose tail is quoted if the child fails. If ``progress`` raises
(the lease was lost, the app is stopping) the child is killed and the error propagates.

``python -m telemetry.retrain_worker`` is the child's entry point (not a user command).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NICE = 10


class RetrainProcessError(RuntimeError):
    pass


def retrain_in_subprocess(url: str, out_dir: str | Path, cfg: Any, *, base_version: str = "",
                          current: dict[str, Any] | None = None, progress: Callable[[str, float], None] | None = None,
                          timeout_s: float = 6 * 3600) -> dict[str, Any]:
    """``run_retrain`` in a child process; returns ``RetrainResult.to_dict()``."""
    spec = {"url": url, "out_dir": str(out_dir), "config": asdict(cfg), "base_version": base_version,
            "current": current}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "telemetry.retrain_worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=str(ROOT))
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        result: dict[str, Any] | None = None
        try:
            proc.stdin.write(json.dumps(spec))
            proc.stdin.close()
            for line in proc.stdout:
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if "progress" in msg and progress is not None:
                    progress(str(msg["progress"]), float(msg.get("fraction") or 0.0))
                elif "result" in msg:
                    result = msg["result"]
            rc = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
        if rc != 0 or result is None:
            err.seek(0)
            tail = err.read()[-2000:].strip()
            raise RetrainProcessError(f"the retraining process exited with status {rc}"
                                      + (f": {tail.splitlines()[-1]}" if tail else ""))
    return result


def _child() -> int:
    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    from telemetry.retrain import RetrainConfig, run_retrain
    from telemetry.store import TelemetryStore

    spec = json.loads(sys.stdin.read())
    known = {f.name for f in fields(RetrainConfig)}
    raw = {k: v for k, v in (spec.get("config") or {}).items() if k in known}
    if "threshold_grid" in raw:
        raw["threshold_grid"] = tuple(raw["threshold_grid"])
    cfg = RetrainConfig(**raw)

    def progress(stage: str, fraction: float) -> None:
        print(json.dumps({"progress": stage, "fraction": fraction}), flush=True)

    with TelemetryStore(spec["url"]) as store:
        res = run_retrain(store, Path(spec["out_dir"]), cfg, base_version=spec.get("base_version") or "",
                          current=spec.get("current"), progress=progress)
    print(json.dumps({"result": res.to_dict()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child())
