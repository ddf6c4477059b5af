"""``HFJobsRunner``: the same phase, with the same serialised config, on Hugging Face Jobs.

Why ``run_job`` with a Docker image rather than ``run_uv_job``: the job is a fixed program
(``pipeline/runners/hf_entry.py``, sent as ``python -c``) that fetches this project at a pinned commit and
installs its pinned ``requirements.txt`` — the one list of versions the project already maintains. A uv
script would need a second list of dependencies in its PEP 723 header, and a local script is shipped
through a Hub bucket (one more API, one more place for code to live). ``run_job`` keeps the job spec to an
image, an argv list, plain env (config, no secrets) and ``secrets={"HF_TOKEN": ...}``.

The token is read from the runner's argument or ``HF_TOKEN`` at call time, passed to the Hub client and as
a job secret, and never written anywhere (``JobBook`` redacts it too). Every Hub failure becomes a
``RunnerError`` with a sentence for the admin (401, 403, 404, 429 with its Retry-After, 5xx, timeouts,
connection errors); each call has a deadline (``request_timeout_s``) because the shared Hub HTTP client
has none.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from pipeline.runners import hf_entry
from pipeline.runners.base import (
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
from pipeline.runners.book import ACTIVE, FINISHED, LOG_TAIL_LINES, JobBook, new_job_id, redact, utcnow

log = logging.getLogger("pipeline.runners.hf_jobs")

# python:3.11 matches the interpreter the pins are tested on; the full (non-slim) Debian image has git and a
# compiler (llama-cpp-python builds from source). PyPI's torch wheels bring their own CUDA libraries, so the
# same image serves GPU flavors.
DEFAULT_IMAGE = "python:3.11-bookworm"
DEFAULT_CPU_FLAVOR = "cpu-upgrade"  # 8 vCPU / 32 GB: torch on cpu-basic's 2 vCPU is this machine's speed
DEFAULT_GPU_FLAVOR = "a10g-small"  # 24 GB, bf16 (a T4 has no bf16), the cheapest GPU that fits AWQ of a small model
SETUP_SECONDS = 600  # clone + pip install of the pinned requirements, billed like the rest
STAGES = {"SCHEDULING": "queued", "RUNNING": "running", "UPDATING": "running", "COMPLETED": "succeeded",
          "ERROR": "failed", "CANCELED": "cancelled", "DELETED": "failed"}
ENTRY_SOURCE = Path(hf_entry.__file__).read_text(encoding="utf-8")


def _retry_after(headers) -> float | None:
    raw = (headers or {}).get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(raw).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def hub_error(exc: BaseException, action: str, endpoint: str, secrets: list[str] = ()) -> RunnerError:
    """A Hub client exception -> ``RunnerError`` whose message says what happened and what to do."""
    import httpx
    from huggingface_hub.errors import HfHubHTTPError

    if isinstance(exc, RunnerError):
        return exc
    if type(exc).__name__ == "OfflineModeIsEnabled":
        return RunnerError(f"cannot reach the Hub while {action}: HF_HUB_OFFLINE is set, so this app stays offline")
    response = getattr(exc, "response", None)
    if isinstance(exc, HfHubHTTPError) and response is not None:
        code = response.status_code
        if code == 401:
            return RunnerError(f"the Hub refused the token (401) while {action}: check HF_TOKEN", status_code=code)
        if code == 403:
            return RunnerError(f"the token is not allowed to do this (403) while {action}: it needs write access "
                               "and the Jobs permission for that namespace", status_code=code)
        if code == 404:
            return RunnerError(f"not found on the Hub (404) while {action}: check the name (or the token cannot "
                               "see it)", status_code=code)
        if code == 429:
            wait = _retry_after(response.headers)
            when = f"retry in {wait:.0f} s" if wait is not None else "retry in a minute"
            return RunnerError(f"rate limited by the Hub (429) while {action}: {when}", status_code=code,
                               retry_after=wait)
        if code >= 500:
            return RunnerError(f"the Hub failed with a server error ({code}) while {action}: try again in a minute",
                               status_code=code)
        detail = redact(getattr(exc, "server_message", None) or str(exc).splitlines()[0], secrets)
        return RunnerError(f"the Hub answered {code} while {action}: {detail}", status_code=code)
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return RunnerError(f"the Hub did not answer in time while {action} (timeout): try again later")
    if isinstance(exc, httpx.HTTPError):
        return RunnerError(f"cannot reach the Hub at {endpoint} while {action} ({type(exc).__name__}): check the "
                           "network or HF_ENDPOINT")
    return RunnerError(f"{action} failed: {type(exc).__name__}: {redact(str(exc), secrets)}")


def _price_per_hour(unit_cost_usd: float, unit_label: str) -> float:
    per = {"second": 3600.0, "minute": 60.0, "hour": 1.0}.get((unit_label or "minute").lower().rstrip("s"), 60.0)
    return round(float(unit_cost_usd) * per, 6)


class HFJobsRunner:
    name = "hf_jobs"

    def __init__(self, book: JobBook, *, token: str | None = None, endpoint: str | None = None,
                 namespace: str | None = None, code_repo: str | None = None, revision: str | None = None,
                 image: str = DEFAULT_IMAGE, work_root: Path | None = None, project_root: Path = PROJECT_ROOT,
                 cpu_flavor: str = DEFAULT_CPU_FLAVOR, gpu_flavor: str = DEFAULT_GPU_FLAVOR,
                 request_timeout_s: float = 30.0, hardware_ttl_s: float = 3600.0, poll_s: float = 30.0,
                 min_poll_s: float = 5.0) -> None:
        from huggingface_hub import HfApi, constants

        self.book = book
        self.endpoint = (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
        self._token_arg = token
        self.namespace = namespace
        self.code_repo = code_repo
        self.revision = revision
        self.image = image
        self.work_root = Path(work_root or default_work_root()).resolve()
        self.project_root = Path(project_root).resolve()
        self.cpu_flavor, self.gpu_flavor = cpu_flavor, gpu_flavor
        self.request_timeout_s = request_timeout_s
        self.hardware_ttl_s = hardware_ttl_s
        self.poll_s = poll_s
        self.min_poll_s = min_poll_s  # a tab refreshing every second must not poll the Hub every second
        self.api = HfApi(endpoint=self.endpoint, library_name="modroute")
        self._hardware: tuple[float, list[Flavor]] | None = None
        self._whoami: dict[str, str] = {}
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()

    # -- the Hub, with deadlines and clear errors ----------------------------------------------------
    def _token(self) -> str:
        token = self._token_arg or os.environ.get("HF_TOKEN")
        if not token:
            raise RunnerError("no Hub token: set HF_TOKEN (write access and the Jobs permission) to run on "
                              "Hugging Face Jobs")
        self.book.add_secret(token)
        return token

    def _call(self, action: str, fn, **kwargs) -> Any:
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["value"] = fn(**kwargs)
            except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = e

        t = threading.Thread(target=target, name="hub-call", daemon=True)
        t.start()
        t.join(self.request_timeout_s)
        if t.is_alive():
            raise RunnerError(f"the Hub did not answer within {self.request_timeout_s:g} s while {action} "
                              "(timeout): try again later")
        if "error" in box:
            raise hub_error(box["error"], action, self.endpoint, [self._token_arg or "",
                                                                  os.environ.get("HF_TOKEN", "")]) from None
        return box.get("value")

    def _ns(self, token: str) -> str:
        if self.namespace:
            return self.namespace
        if token not in self._whoami:
            me = self._call("checking the token (whoami)", self.api.whoami, token=token)
            self._whoami[token] = me["name"]
        return self._whoami[token]

    # -- hardware and cost ----------------------------------------------------------------------------
    def flavors(self, refresh: bool = False) -> list[Flavor]:
        """Jobs hardware with prices (cached for ``hardware_ttl_s``; a stale list is used if the Hub fails)."""
        if self._hardware and not refresh and time.monotonic() - self._hardware[0] < self.hardware_ttl_s:
            return self._hardware[1]
        try:
            hw = self._call("listing Jobs hardware", self.api.list_jobs_hardware, token=self._token())
        except RunnerError:
            if self._hardware:
                return self._hardware[1]
            raise
        out = []
        for h in hw:
            acc = h.accelerator
            out.append(Flavor(name=h.name, pretty_name=h.pretty_name, cpu=h.cpu, ram=h.ram,
                              gpu=f"{acc.quantity}x {acc.model} ({acc.vram})" if acc else None,
                              price_per_hour_usd=_price_per_hour(h.unit_cost_usd, h.unit_label)))
        self._hardware = (time.monotonic(), out)
        return out

    def _flavor(self, name: str) -> Flavor:
        flavors = self.flavors()
        for f in flavors:
            if f.name == name:
                return f
        raise RunnerError(f"unknown Jobs flavor {name!r}; available: {', '.join(f.name for f in flavors)}")

    def default_flavor(self, hardware: str) -> str:
        return self.gpu_flavor if hardware == "gpu" else self.cpu_flavor

    def estimate(self, spec: RunSpec) -> CostEstimate:
        run = spec.resolve(self.work_root, self.project_root)
        flavor = self._flavor(spec.flavor or self.default_flavor(run.hardware))
        secs, basis = expected_seconds(self.book, run.phases, flavor.name)
        secs += SETUP_SECONDS
        return CostEstimate(flavor=flavor.name, price_per_hour_usd=flavor.price_per_hour_usd, expected_seconds=secs,
                            basis=f"{basis}, + {SETUP_SECONDS // 60} min setup (clone, pip install)",
                            cost_usd=round(flavor.price_per_hour_usd * secs / 3600.0, 4))

    # -- launching -----------------------------------------------------------------------------------
    def submit(self, spec: RunSpec, *, created_by: str | None = None) -> str:
        if spec.runner != self.name:
            raise RunnerError(f"this is the {self.name!r} runner; the spec asks for {spec.runner!r}")
        if not spec.hub_repo:
            raise RunnerError("name the Hub repo the job pushes its outputs to (hub_repo: owner/name)")
        run = spec.resolve(self.work_root, self.project_root)
        code_repo = self.code_repo or os.environ.get("MODROUTE_CODE_REPO")
        if not code_repo:
            raise RunnerError("set MODROUTE_CODE_REPO to a git URL the job can fetch this project from (e.g. "
                              "https://huggingface.co/spaces/you/modroute); the commit must be pushed there")
        revision, dirty = (self.revision, False) if self.revision else code_revision(self.project_root)
        if not revision or not re.fullmatch(r"[0-9a-f]{40}", revision):
            raise RunnerError(f"cannot pin the code revision ({revision!r}): run from a git checkout or pass "
                              "revision=<40-hex commit>")
        token = self._token()
        est = self.estimate(spec)
        ns = self._ns(token)
        job_id = new_job_id()
        remote_wd = f"var/pipeline/{run.workdir.name}"
        path_in_repo = f"pipeline/{run.workdir.name}"
        payload = {"job_id": job_id, "code_repo": code_repo, "revision": revision,
                   "hub_host": self.endpoint.split("://", 1)[-1], "argv": run.argv("@CONFIG"),
                   "document": run.portable_document(remote_wd), "workdir": remote_wd,
                   "output_repo": spec.hub_repo, "path_in_repo": path_in_repo}
        self.book.create(
            job_id=job_id, phase=spec.phase, runner=self.name, status="queued",
            config={"spec": spec.model_dump(), "document": payload["document"]}, flavor=est.flavor,
            cost_estimate_usd=est.cost_usd, revision=revision, created_by=created_by,
            artifact_uri=f"{self.endpoint}/{spec.hub_repo}/tree/main/{path_in_repo}", progress=0.0,
            outputs={"workdir": remote_wd, "phases": run.phases, "namespace": ns, "output_repo": spec.hub_repo,
                     "price_per_hour_usd": est.price_per_hour_usd, "estimate_basis": est.basis,
                     "dirty_tree": dirty, "image": self.image})
        try:
            info = self._call(
                f"starting the job on {est.flavor}", self.api.run_job, image=self.image,
                command=["python", "-c", ENTRY_SOURCE],
                env={"MODROUTE_JOB": json.dumps(payload), "PYTHONUNBUFFERED": "1"},
                secrets={"HF_TOKEN": token}, flavor=est.flavor,
                timeout=int(max(3600, 3 * est.expected_seconds)),
                name=f"modroute-{spec.phase.replace('_', '-')}-{job_id[:8]}",
                labels={"modroute_job": job_id, "modroute_phase": spec.phase}, namespace=ns, token=token)
        except RunnerError as e:
            self.book.update(job_id, status="failed", error=str(e))
            raise
        self.book.update(job_id, remote_id=info.id, **self._fields(info, est.price_per_hour_usd))
        self._ensure_polling()
        return job_id

    # -- following -----------------------------------------------------------------------------------
    @staticmethod
    def _cost(info, price_per_hour: float | None) -> float | None:
        """Price x the job's running time (HF bills running time; scheduling is free)."""
        running = info.durations.running_secs if info.durations else None
        if running is None and info.started_at and info.finished_at:
            running = info.finished_at.timestamp() - info.started_at.timestamp()
        if running is None or price_per_hour is None:
            return None
        return round(price_per_hour * running / 3600.0, 4)

    @staticmethod
    def _fields(info, price_per_hour: float | None) -> dict[str, Any]:
        stage = str(getattr(info.status.stage, "value", info.status.stage))
        status = STAGES.get(stage, "running")
        fields: dict[str, Any] = {"status": status}
        if info.started_at:
            fields["started_at"] = info.started_at
        if info.finished_at:
            fields["finished_at"] = info.finished_at
        cost = HFJobsRunner._cost(info, price_per_hour)
        if status in FINISHED and cost is not None:
            fields["cost_usd"] = cost
        if status == "failed":
            fields["error"] = f"the job ended in {stage}: {info.status.message or 'see the log'}"
        return fields

    def _row(self, job_id: str) -> dict:
        row = self.book.get(job_id)
        if row is None or row["runner"] != self.name:
            raise RunnerError(f"no Hugging Face Jobs pipeline job {job_id!r}")
        return row

    def _fetch_logs(self, row: dict, tail: int) -> list[str]:
        token = self._token()
        ns = row["outputs"].get("namespace") or self._ns(token)
        return self._call(f"fetching the log of job {row['remote_id']}",
                          lambda: list(self.api.fetch_job_logs(job_id=row["remote_id"], namespace=ns, follow=False,
                                                               tail=tail, token=token)))

    def status(self, job_id: str) -> JobStatus:
        """Polls the Hub while the job is queued or running (at most every ``min_poll_s``); raises
        ``RunnerError`` if that fails."""
        row = self._row(job_id)
        if row["status"] not in ACTIVE or not row["remote_id"]:
            return JobStatus.from_row(row)
        if row["updated_at"] and (utcnow() - row["updated_at"]).total_seconds() < self.min_poll_s:
            return JobStatus.from_row(row)
        token = self._token()
        ns = row["outputs"].get("namespace") or self._ns(token)
        info = self._call(f"checking job {row['remote_id']}", self.api.inspect_job, job_id=row["remote_id"],
                          namespace=ns, token=token)
        fields = self._fields(info, row["outputs"].get("price_per_hour_usd"))
        extra: dict[str, Any] = {}
        if fields["status"] != "queued":
            try:
                lines = self._fetch_logs(row, 200)
            except RunnerError as e:  # the status is known; the log can wait for the next poll
                log.warning("job %s: %s", job_id, e)
            else:
                text = "\n".join(lines)
                fields["log_tail"] = "\n".join(lines[-LOG_TAIL_LINES:])
                from pipeline.progress import last_in_log

                frac, desc = overall_progress(last_in_log(text), row["outputs"].get("phases") or [])
                if fields["status"] == "succeeded":
                    frac = 1.0
                if frac is not None:
                    fields["progress"] = frac
                    extra["progress_desc"] = desc
        with self._lock:
            if self._row(job_id)["status"] in FINISHED:  # cancelled meanwhile: keep that
                return JobStatus.from_row(self._row(job_id))
            return JobStatus.from_row(self.book.update(job_id, outputs=extra or None, **fields))

    def logs(self, job_id: str, tail: int = 200) -> str:
        row = self._row(job_id)
        if not row["remote_id"]:
            return row.get("log_tail") or ""
        return redact("\n".join(self._fetch_logs(row, max(1, int(tail)))), [self._token()])

    def cancel(self, job_id: str, *, by: str | None = None) -> JobStatus:
        row = self._row(job_id)
        if row["status"] not in ACTIVE:
            raise RunnerError(f"job {job_id} is {row['status']}: nothing to cancel")
        if row["remote_id"]:
            token = self._token()
            ns = row["outputs"].get("namespace") or self._ns(token)
            self._call(f"cancelling job {row['remote_id']}", self.api.cancel_job, job_id=row["remote_id"],
                       namespace=ns, token=token)
        fields: dict[str, Any] = {}
        if row["remote_id"]:
            try:  # what it ran for, so far: the final cost
                info = self._call(f"checking job {row['remote_id']}", self.api.inspect_job,
                                  job_id=row["remote_id"], namespace=ns, token=token)
                cost = self._cost(info, row["outputs"].get("price_per_hour_usd"))
                fields = {"cost_usd": cost} if cost is not None else {}
            except RunnerError as e:
                log.warning("job %s cancelled; its final cost is unknown: %s", job_id, e)
        with self._lock:
            self.book.update(job_id, status="cancelled", error=f"cancelled by {by or 'an admin'}",
                             outputs={"cancel_requested": True, "cancelled_by": by}, **fields)
        return JobStatus.from_row(self._row(job_id))

    def reattach(self, job_id: str) -> JobStatus:
        """After a restart: poll the job again (and keep polling in the background while any is active)."""
        self._ensure_polling()
        return self.status(job_id)

    # -- background polling (keeps the table current when nobody watches the tab) -------------------
    def _ensure_polling(self) -> None:
        if self.poll_s <= 0 or (self._poller and self._poller.is_alive()):
            return
        self._stop.clear()
        self._poller = threading.Thread(target=self._poll_loop, name="hf-jobs-poller", daemon=True)
        self._poller.start()

    def _poll_loop(self) -> None:
        while not self._stop.is_set():
            rows = [r for r in self.book.active(runner=self.name) if r["remote_id"]]
            if not rows:
                return
            wait = self.poll_s
            for r in rows:
                try:
                    self.status(r["id"])
                except RunnerError as e:
                    log.warning("polling job %s: %s", r["id"], e)
                    wait = max(wait, e.retry_after or 0.0)
            self._stop.wait(wait)

    def close(self) -> None:
        self._stop.set()
