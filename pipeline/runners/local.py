"""``LocalRunner``: a phase (or the whole pipeline) as a child process of this machine.

``[python, -m, pipeline, run, PHASE, --config, JOB_DIR/config.yaml]`` (an argv list, never a shell string)
in its own session and process group, niced like the retraining worker so serving keeps the cores it
needs, stdout+stderr appended to ``JOB_DIR/log.txt``. Progress comes from ``JOB_DIR/progress.json``, which
the phase writes (``pipeline.progress``) along with its exit status, so a runner re-created after an app
restart finds out how a job it did not start ended. Cancel sends SIGTERM to the whole group, then SIGKILL
after a grace period.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from pipeline import progress as progress_file
from pipeline.runners.base import (
    JOBS_DIR,
    PROJECT_ROOT,
    CostEstimate,
    Flavor,
    JobStatus,
    RunnerError,
    RunSpec,
    code_revision,
    default_work_root,
    expected_seconds,
    overall_progress,
)
from pipeline.runners.book import ACTIVE, FINISHED, LOG_TAIL_LINES, JobBook, new_job_id, redact

FLAVOR = "local"
# Never handed to a local phase: no phase needs them, and a phase's log must not be able to show them.
_DROP_ENV_SUFFIXES = ("_TOKEN",)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks since boot) from /proc, or None if there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2:].split()
    return fields[0], int(fields[19])


def process_alive(pid: int | None, start_ticks: int | None) -> bool:
    """The process ``pid`` started at ``start_ticks`` still runs (not a zombie, not a reused pid)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    st = _stat(pid)
    if st is None:
        return not Path("/proc").is_dir()  # no /proc (not Linux): os.kill is all we can tell
    state, ticks = st
    return state not in ("Z", "X") and (start_ticks is None or ticks == start_ticks)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tail_lines(path: Path, n: int) -> str:
    """The last ``n`` lines of a (possibly large, still growing) text file."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size, block, data = f.tell(), 8192, b""
            while size > 0 and data.count(b"\n") <= n:
                step = min(block, size)
                size -= step
                f.seek(size)
                data = f.read(step) + data
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-n:])


def failure_reason(rc: int | None, log_tail: str) -> str:
    lines = [ln.strip() for ln in log_tail.splitlines() if ln.strip()]
    said = next((ln for ln in reversed(lines) if ln.startswith(("pipeline error:", "pipeline stopped:"))), None)
    if said is None:
        said = next((ln for ln in reversed(lines) if ln.split(":", 1)[0].endswith(("Error", "Exception"))), None)
    if rc is None:
        head = "the process ended without recording an exit status (killed, or the machine restarted?)"
    elif rc < 0:
        head = f"killed by {signal.Signals(-rc).name}" if -rc in signal.valid_signals() else f"killed ({rc})"
    elif rc == 3:
        head = "stopped by a quality gate (exit 3)"
    else:
        head = f"exit code {rc}"
    return f"{head}: {said}" if said else f"{head}; see the log"


class LocalRunner:
    name = "local"

    def __init__(self, book: JobBook, work_root: Path | None = None, *, project_root: Path = PROJECT_ROOT,
                 python: str = sys.executable, nice: int = 10, term_grace_s: float = 10.0, max_active: int = 1,
                 poll_s: float = 1.0) -> None:
        self.book = book
        self.work_root = Path(work_root or default_work_root()).resolve()
        self.project_root = Path(project_root).resolve()
        self.python = python
        self.nice = nice
        self.term_grace_s = term_grace_s
        self.max_active = max_active
        self.poll_s = poll_s
        self._procs: dict[str, subprocess.Popen] = {}
        self._lock = threading.RLock()

    # -- launching -----------------------------------------------------------------------------------
    def _env(self, progress_path: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(_DROP_ENV_SUFFIXES)}
        env.pop(progress_file.LOG_ENV, None)
        env[progress_file.FILE_ENV] = str(progress_path)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def submit(self, spec: RunSpec, *, created_by: str | None = None) -> str:
        if spec.runner != self.name:
            raise RunnerError(f"this is the {self.name!r} runner; the spec asks for {spec.runner!r}")
        run = spec.resolve(self.work_root, self.project_root)
        with self._lock:
            for row in self.book.active(runner=self.name):
                self._refresh(row)
            active = self.book.active(runner=self.name)
            same = [r for r in active if r["outputs"].get("workdir") == str(run.workdir)]
            if same:
                raise RunnerError(f"job {same[0]['id']} ({same[0]['phase']}) is already running in {run.workdir}: "
                                  "wait for it or cancel it")
            if len(active) >= self.max_active:
                raise RunnerError(f"{len(active)} local run(s) already going ({', '.join(r['id'] for r in active)}); "
                                  f"this machine runs {self.max_active} at a time: wait or cancel")
            job_id = new_job_id()
            job_dir = self.work_root / JOBS_DIR / job_id
            job_dir.mkdir(parents=True)
            cfg = job_dir / "config.yaml"
            cfg.write_text(yaml.safe_dump(run.document, sort_keys=False), encoding="utf-8")
            argv = [self.python, "-m", "pipeline", *run.argv(cfg)]
            log_path = job_dir / "log.txt"
            progress_path = job_dir / "progress.json"
            with open(log_path, "ab") as log:
                log.write(f"$ python -m pipeline {' '.join(argv[3:])}\n".encode())
                log.flush()
                proc = subprocess.Popen(argv, cwd=self.project_root, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, env=self._env(progress_path),
                                        start_new_session=True, close_fds=True)
            try:
                if self.nice:
                    os.setpriority(os.PRIO_PROCESS, proc.pid, self.nice)
            except OSError:
                pass
            st = _stat(proc.pid)
            revision, dirty = code_revision(self.project_root)
            single = spec.phase if spec.phase != "all" else None
            try:
                self.book.create(
                    job_id=job_id, phase=spec.phase, runner=self.name, status="running",
                    config={"spec": spec.model_dump(), "document": run.document}, flavor=FLAVOR,
                    cost_estimate_usd=0.0, revision=revision, created_by=created_by, remote_id=f"pid:{proc.pid}",
                    artifact_uri=str(run.workdir / single) if single else str(run.workdir), progress=0.0,
                    outputs={"workdir": str(run.workdir), "job_dir": str(job_dir), "log": str(log_path),
                             "progress_file": str(progress_path), "pid": proc.pid, "pgid": proc.pid,
                             "start_ticks": st[1] if st else None, "phases": run.phases, "dirty_tree": dirty})
            except Exception:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
            self._procs[job_id] = proc
        threading.Thread(target=self._wait, args=(job_id, proc), name=f"pipeline-job-{job_id}", daemon=True).start()
        return job_id

    def _wait(self, job_id: str, proc: subprocess.Popen) -> None:
        rc = proc.wait()
        self._finalize(job_id, rc)

    def _watch(self, job_id: str, pid: int, ticks: int | None) -> None:
        """For a job this runner did not start (after a restart): poll until its process is gone."""
        while process_alive(pid, ticks):
            time.sleep(self.poll_s)
        self._finalize(job_id, None)

    # -- following -------------------------------------------------------------------------------------
    def _finalize(self, job_id: str, rc: int | None, reason: str | None = None) -> None:
        with self._lock:
            row = self.book.get(job_id)
            if row is None or row["status"] in FINISHED:
                return
            out = row["outputs"]
            rec = progress_file.read_file(out.get("progress_file", "")) or {}
            if rc is None:
                rc = rec.get("exit_code")
            tail = redact(tail_lines(Path(out.get("log", "")), LOG_TAIL_LINES))
            fields: dict = {"log_tail": tail, "cost_usd": 0.0}
            if out.get("cancel_requested"):
                fields.update(status="cancelled", error=f"cancelled by {out.get('cancelled_by') or 'an admin'}")
            elif rc == 0:
                fields.update(status="succeeded", progress=1.0, error=None)
            else:
                fields.update(status="failed", error=reason if (reason and rc is None) else failure_reason(rc, tail))
            self.book.update(job_id, outputs={"exit_code": rc}, **fields)
            self._procs.pop(job_id, None)

    def _refresh(self, row: dict) -> None:
        job_id, out = row["id"], row["outputs"]
        proc = self._procs.get(job_id)
        if proc is not None:
            if proc.poll() is not None:
                self._finalize(job_id, proc.returncode)
                return
        elif not process_alive(out.get("pid"), out.get("start_ticks")):
            self._finalize(job_id, None, "the process is gone and left no exit status (the app or the machine "
                                         "restarted while it ran?); see the log")
            return
        frac, desc = overall_progress(progress_file.read_file(out.get("progress_file", "")), out.get("phases") or [])
        if frac is not None and (frac != row.get("progress") or desc != out.get("progress_desc")):
            self.book.update(job_id, progress=frac, outputs={"progress_desc": desc})

    def _row(self, job_id: str) -> dict:
        row = self.book.get(job_id)
        if row is None or row["runner"] != self.name:
            raise RunnerError(f"no local pipeline job {job_id!r}")
        return row

    def status(self, job_id: str) -> JobStatus:
        row = self._row(job_id)
        if row["status"] in ACTIVE:
            self._refresh(row)
            row = self._row(job_id)
        return JobStatus.from_row(row)

    def logs(self, job_id: str, tail: int = 200) -> str:
        row = self._row(job_id)
        text = tail_lines(Path(row["outputs"].get("log", "")), max(1, int(tail)))
        return redact(text) if text else (row.get("log_tail") or "")

    def reattach(self, job_id: str) -> JobStatus:
        """After a restart: follow the job if its process still runs, else record how it ended."""
        row = self._row(job_id)
        if row["status"] not in ACTIVE:
            return JobStatus.from_row(row)
        out = row["outputs"]
        if job_id not in self._procs and process_alive(out.get("pid"), out.get("start_ticks")):
            threading.Thread(target=self._watch, args=(job_id, out["pid"], out.get("start_ticks")),
                             name=f"pipeline-job-{job_id}", daemon=True).start()
        return self.status(job_id)

    def cancel(self, job_id: str, *, by: str | None = None) -> JobStatus:
        row = self._row(job_id)
        if row["status"] not in ACTIVE:
            raise RunnerError(f"job {job_id} is {row['status']}: nothing to cancel")
        out = row["outputs"]
        self.book.update(job_id, outputs={"cancel_requested": True, "cancelled_by": by})
        proc = self._procs.get(job_id)
        pgid = out.get("pgid")
        if proc is None and not process_alive(out.get("pid"), out.get("start_ticks")):
            self._finalize(job_id, None)  # already gone: nothing to signal (its pid may belong to another now)
            return self.status(job_id)
        rc = None
        for sig, grace in ((signal.SIGTERM, self.term_grace_s), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                if proc is not None and proc.poll() is not None:
                    rc = proc.returncode
                if (proc is None or rc is not None) and not group_alive(pgid):
                    break
                time.sleep(0.1)
            else:
                continue
            break
        self._finalize(job_id, rc)
        return self.status(job_id)

    def wait(self, job_id: str, timeout: float = 600.0, poll_s: float = 0.25) -> JobStatus:
        """Block until the job has finished (for the CLI and tests)."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.status(job_id)
            if st.finished or time.monotonic() > deadline:
                return st
            time.sleep(poll_s)

    # -- hardware and cost ----------------------------------------------------------------------------
    def flavors(self) -> list[Flavor]:
        return [Flavor(name=FLAVOR, pretty_name=f"this machine ({os.cpu_count()} cores)",
                       cpu=f"{os.cpu_count()} cores", price_per_hour_usd=0.0)]

    def estimate(self, spec: RunSpec) -> CostEstimate:
        run = spec.resolve(self.work_root, self.project_root)
        secs, basis = expected_seconds(self.book, run.phases, FLAVOR)
        return CostEstimate(flavor=FLAVOR, price_per_hour_usd=0.0, expected_seconds=secs, basis=basis, cost_usd=0.0)
