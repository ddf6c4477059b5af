"""The admin tab's learning-loop panel: scheduler, "Retrain now", schedule editor, router versions.

Every handler is registered through the console's ``AdminGuard`` (re-checked on every call, see
``admin.auth``). The work itself lives in ``telemetry/``: the scheduler (``telemetry.scheduler``) runs
jobs off the request path under a database lease, ``telemetry.canary`` owns the version lifecycle.
After a promotion or rollback this process's router re-reads the versions table at once; other
replicas pick the change up within their refresh period (30 s).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import gradio as gr

from admin.auth import AdminGuard, Principal

log = logging.getLogger("modroute.admin.learning")

VERSION_HEADERS = ["version", "status", "created", "share", "threshold", "domain thresholds", "labels",
                   "held-out AUC before → after", "ECE before → after", "accuracy before → after", "window"]
TRANSITION_HEADERS = ["at", "version", "from", "to", "by", "reason"]
RUN_HEADERS = ["job", "status", "started", "finished", "trigger", "summary"]
POLL_S = 0.5
MAX_WATCH_S = 600.0


def _fmt_time(v: Any) -> str:
    if v is None:
        return "—"
    s = v.isoformat(timespec="seconds") if hasattr(v, "isoformat") else str(v)
    return s.replace("+00:00", "Z")


def _pair(metrics: dict | None, key: str) -> str:
    m = metrics or {}
    before, after = (m.get("before") or {}).get(key), (m.get("after") or {}).get(key)
    if before is None and after is None:
        return "—"
    def f(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    return f"{f(before)} → {f(after)}"


def version_rows(versions: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for v in sorted(versions, key=lambda r: str(r.get("created_at") or ""), reverse=True):
        m = v.get("metrics") or {}
        dt = v.get("domain_thresholds") or {}
        rows.append([
            v.get("version"), v.get("status"), _fmt_time(v.get("created_at")),
            "—" if v.get("status") != "canary" or v.get("canary_share") is None else f"{v['canary_share']:.0%}",
            "—" if v.get("threshold") is None else f"{v['threshold']:.2f}",
            ", ".join(f"{k} {t:.2f}" for k, t in sorted(dt.items())) or "—",
            m.get("n_labels", "—"), _pair(m, "auc"), _pair(m, "ece"), _pair(m, "accuracy"),
            f"{_fmt_time(v.get('window_start'))} – {_fmt_time(v.get('window_end'))}"
            if v.get("window_start") else "—",
        ])
    return rows


def transition_rows(transitions: list[dict[str, Any]]) -> list[list[Any]]:
    return [[_fmt_time(t.get("at")), t.get("version"), t.get("from_status") or "—", t.get("to_status"),
             t.get("actor"), t.get("reason") or ""]
            for t in sorted(transitions, key=lambda r: str(r.get("at") or ""), reverse=True)]


def _run_summary(run: dict[str, Any]) -> str:
    d = run.get("detail") or {}
    nums = d.get("numbers") or {}
    if run.get("error"):
        return str(run["error"]).splitlines()[0][:200]
    if run.get("status") == "running":
        return f"{d.get('stage') or 'running'} ({float(d.get('fraction') or 0):.0%})"
    if nums.get("status") == "skipped" or run.get("status") == "skipped":
        return str(nums.get("reason") or d.get("reason") or "skipped")
    if nums.get("version"):
        return f"{nums.get('status', '')} {nums['version']}".strip()
    if nums.get("action"):
        return f"{nums['action']}: {nums.get('reason', '')}".strip()
    return ", ".join(f"{k}={v}" for k, v in list(nums.items())[:4])


def run_rows(status: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for job in status.get("jobs", []):
        for r in job.get("last_runs", []):
            rows.append([r.get("job"), r.get("status"), _fmt_time(r.get("started_at")),
                         _fmt_time(r.get("finished_at")), (r.get("detail") or {}).get("trigger", ""), _run_summary(r)])
    rows.sort(key=lambda r: r[2], reverse=True)
    return rows


def schedule_markdown(status: dict[str, Any]) -> str:
    lines = ["### Learning loop"]
    for j in status.get("jobs", []):
        who = f" (set by {j['interval_set_by']})" if j.get("interval_source") == "admin" else " (default)"
        state = f"running now on {j['holder']}" if j.get("running") else f"next run {_fmt_time(j.get('next_run_time'))}"
        lines.append(f"- **{j['id']}** every `{j['interval']}`{who} · {state}")
    return "\n".join(lines)


class LearningPanel:
    def __init__(self, services: Any, sink: Any, guard: AdminGuard):
        self.services = services
        self.sink = sink
        self.guard = guard
        self._register()

    # -- helpers -------------------------------------------------------------------------------
    @property
    def store(self):
        store = getattr(self.sink, "store", None)
        if store is None:
            raise gr.Error("Telemetry is off on this server: there is nothing to learn from.")
        return store

    @property
    def scheduler(self):
        sched = getattr(self.services, "scheduler", None)
        if sched is None:
            raise gr.Error("The learning loop is not running in this process (telemetry off, or "
                           "MODROUTE_RETRAIN_ENABLED=false).")
        return sched

    def _overview(self) -> tuple[list, list]:
        from telemetry.canary import versions_overview

        ov = versions_overview(self.store)
        return version_rows(ov.get("versions", [])), transition_rows(ov.get("transitions", []))

    def _refresh_router(self) -> None:
        versions = getattr(self.services.router, "versions", None)
        if versions is not None:
            versions.refresh()

    def _watch(self, run_id: str, label: str):
        """Yield progress lines for a run until it ends (or stop watching; it keeps running)."""
        deadline = time.monotonic() + MAX_WATCH_S
        while True:
            run = self.scheduler.run_status(run_id) or {"status": "queued"}
            status = run.get("status")
            if status in ("succeeded", "failed", "skipped"):
                yield run, True
                return
            yield run, False
            if time.monotonic() > deadline:
                return
            time.sleep(POLL_S)

    # -- guarded handlers ------------------------------------------------------------------------
    def _register(self) -> None:
        g = self.guard

        @g.handler("admin_learning_status")
        def status(principal: Principal):
            st = self.scheduler.status()
            versions, transitions = self._overview()
            return schedule_markdown(st), run_rows(st), versions, transitions

        @g.handler("admin_retrain_now")
        def retrain_now(principal: Principal):
            yield from self._run_job("retrain", "Retraining", principal)

        @g.handler("admin_canary_check_now")
        def canary_check_now(principal: Principal):
            yield from self._run_job("canary_check", "Canary check", principal)

        @g.handler("admin_set_interval")
        def set_interval(principal: Principal, interval: str):
            if not (interval or "").strip():
                return ("Type an interval first, e.g. `12h`, `7d` or `1w`.",
                        schedule_markdown(self.scheduler.status()))
            try:
                res = self.scheduler.set_interval((interval or "").strip(), f"admin:{principal.name}")
            except ValueError as e:
                raise gr.Error(str(e), title="Schedule") from None
            log.info("retrain interval set to %s by %s", res["interval"], principal.name)
            return (f"Retraining now runs every `{res['interval']}`; next run {_fmt_time(res.get('next_run_time'))}.",
                    schedule_markdown(self.scheduler.status()))

        @g.handler("admin_promote_version")
        def promote(principal: Principal, version: str, reason: str):
            return self._transition("promote", version, reason, principal)

        @g.handler("admin_rollback_version")
        def rollback(principal: Principal, version: str, reason: str):
            return self._transition("rollback", version, reason, principal)

        self.status, self.retrain_now, self.canary_check_now = status, retrain_now, canary_check_now
        self.set_interval, self.promote, self.rollback = set_interval, promote, rollback

    def _run_job(self, job: str, label: str, principal: Principal):
        try:
            run_id = self.scheduler.run_now(job, f"admin:{principal.name}")
        except (ValueError, RuntimeError) as e:
            raise gr.Error(str(e), title=label) from None
        log.info("%s started by %s (run %s)", label, principal.name, run_id)
        text = f"{label} started (run `{run_id[:8]}`)…"
        for run, finished in self._watch(run_id, label):
            if not finished:
                d = run.get("detail") or {}
                text = (f"{label}: {d.get('stage') or run.get('status')} "
                        f"({float(d.get('fraction') or 0):.0%}) · run `{run_id[:8]}`")
                yield text, gr.update(), gr.update(), gr.update()
                continue
            nums = (run.get("detail") or {}).get("numbers") or {}
            if run["status"] == "succeeded":
                text = f"{label} finished: {_run_summary(run) or 'done'}."
                if nums.get("reason") and nums.get("status") == "skipped":
                    text = f"{label} finished without a new version: {nums['reason']}"
            elif run["status"] == "skipped":
                text = f"{label} skipped: {_run_summary(run)}"
            else:
                text = f"{label} failed: {_run_summary(run)}"
            self._refresh_router()
            versions, transitions = self._overview()
            yield text, versions, transitions, run_rows(self.scheduler.status())
            return
        yield (f"{label} is still running in the background (run `{run_id[:8]}`); refresh to follow it.",
               gr.update(), gr.update(), gr.update())

    def _transition(self, action: str, version: str, reason: str, principal: Principal):
        from telemetry import canary

        version = (version or "").strip()
        if not version:
            versions, transitions = self._overview()
            return "Type the version to change first (from the table above).", versions, transitions
        why = (reason or "").strip() or f"{action} by an admin"
        fn = canary.promote if action == "promote" else canary.rollback
        try:
            fn(self.store, version, f"admin:{principal.name}", why)
        except (KeyError, ValueError) as e:
            raise gr.Error(str(e).strip("'\""), title="Router versions") from None
        log.info("router version %s: %s by %s", version, action, principal.name)
        self._refresh_router()
        versions, transitions = self._overview()
        done = "promoted to active" if action == "promote" else "rolled back"
        return f"Router version `{version}` {done}.", versions, transitions

    # -- layout ----------------------------------------------------------------------------------
    def build(self, admin_session: gr.State) -> None:
        """Layout inside the admin tab (call within it)."""
        with gr.Row():
            refresh = gr.Button("Refresh learning loop", size="sm", elem_id="learning-refresh")
            retrain = gr.Button("Retrain now", variant="primary", size="sm", elem_id="learning-retrain")
            check = gr.Button("Check canary now", size="sm", elem_id="learning-canary-check")
        progress = gr.Markdown("", elem_id="learning-progress")
        schedule = gr.Markdown("", elem_id="learning-schedule")
        with gr.Row():
            interval = gr.Textbox(label="Retrain interval (e.g. 12h, 7d, 1w)", elem_id="learning-interval", scale=3)
            save = gr.Button("Save interval", size="sm", elem_id="learning-interval-save", scale=1)
        interval_msg = gr.Markdown("", elem_id="learning-interval-status")
        versions = gr.Dataframe(headers=VERSION_HEADERS, label="Router versions", interactive=False, wrap=True,
                                elem_id="learning-versions")
        with gr.Row():
            version = gr.Textbox(label="Version", elem_id="learning-version", scale=2)
            reason = gr.Textbox(label="Reason (recorded)", elem_id="learning-reason", scale=3)
            promote = gr.Button("Promote", size="sm", elem_id="learning-promote", scale=1)
            rollback = gr.Button("Roll back", variant="stop", size="sm", elem_id="learning-rollback", scale=1)
        action_msg = gr.Markdown("", elem_id="learning-action-status")
        transitions = gr.Dataframe(headers=TRANSITION_HEADERS, label="Version transitions", interactive=False,
                                   wrap=True, elem_id="learning-transitions")
        runs = gr.Dataframe(headers=RUN_HEADERS, label="Scheduler runs", interactive=False, wrap=True,
                            elem_id="learning-runs")
        self.status_io = ([admin_session], [schedule, runs, versions, transitions])
        refresh.click(self.status, *self.status_io, api_name="admin_learning_status")
        retrain.click(self.retrain_now, [admin_session], [progress, versions, transitions, runs],
                      api_name="admin_retrain_now")
        check.click(self.canary_check_now, [admin_session], [progress, versions, transitions, runs],
                    api_name="admin_canary_check_now")
        save.click(self.set_interval, [admin_session, interval], [interval_msg, schedule],
                   api_name="admin_set_interval")
        promote.click(self.promote, [admin_session, version, reason], [action_msg, versions, transitions],
                      api_name="admin_promote_version")
        rollback.click(self.rollback, [admin_session, version, reason], [action_msg, versions, transitions],
                       api_name="admin_rollback_version")
