"""The admin tab: sign-in, status page and beta-program report.

Every handler that reads or changes admin data is registered through ``AdminGuard`` (see
``admin.auth``) and re-checks the caller on each call; the tab's visibility is only cosmetic.
Later admin features (retraining, pipeline launcher, publishing) add their handlers with
``console.guard.handler(name)`` and are covered by ``tests/test_admin*.py`` automatically.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from admin.audit import AUDIT_HEADERS, AuditTrail, audit_rows, recent
from admin.auth import AdminAuth, AdminDenied, AdminGuard, Principal
from admin.beta import TaskList, TaskListError, beta_report, load_tasks
from admin.ratelimit import client_address
from admin.status import MODIFIER_HEADERS, modifier_rows, status_markdown, status_report

log = logging.getLogger("modroute.admin")

REPORT_HEADERS = ["answers", "ratings", "avg_rating", "win_rate", "nps", "promoters", "passives", "detractors"]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def beta_markdown(rep: dict[str, Any]) -> str:
    o = rep["overall"]
    nps = "—" if o["nps"] is None else f"{o['nps']:+.0f}"
    avg = "—" if o["avg_rating"] is None else f"{o['avg_rating']:.2f}"
    return (f"### Beta program\n{o['ratings']} ratings of {o['answers']} rated answers · average **{avg}**/10 · "
            f"win rate vs reference **{_pct(o['win_rate'])}** · NPS **{nps}** · task list "
            f"{rep.get('tasks') or 0} tasks (version {rep.get('tasks_version') or '—'})")


def report_rows(rows: list[dict[str, Any]], key: str) -> list[list[Any]]:
    return [[r[key], *(r[h] for h in REPORT_HEADERS)] for r in rows]


class AdminConsole:
    def __init__(self, services: Any, sink: Any, auth: AdminAuth, tasks_path: str):
        self.services = services
        self.sink = sink
        self.auth = auth
        self.tasks_path = tasks_path
        self.guard = AdminGuard(auth)
        self.tab: gr.Tab | None = None
        self.store = getattr(sink, "store", None)
        if auth.audit_hook is None:
            auth.audit_hook = AuditTrail(self.store)
        self._register()
        from admin.analytics import AnalyticsPanel
        from admin.hub_tab import HubPanel
        from admin.learning import LearningPanel
        from admin.pipeline_tab import PipelinePanel

        self.learning = LearningPanel(services, sink, self.guard)
        self.pipeline = PipelinePanel(services, self.guard)
        self.hub = HubPanel(services, self.guard)
        store = getattr(sink, "store", None)
        data_dir = getattr(getattr(services, "settings", None), "data_dir", None)
        self.analytics = AnalyticsPanel(store, self.guard, data_dir=data_dir) if store is not None else None

    # -- handlers (all guarded) ------------------------------------------------------------------
    def _tasks(self) -> tuple[TaskList | None, str]:
        try:
            return load_tasks(self.tasks_path), ""
        except TaskListError as e:
            return None, str(e)

    def _register(self) -> None:
        g = self.guard

        @g.handler("admin_status")
        def status(principal: Principal):
            rep = status_report(self.services, self.sink)
            log.info("admin status viewed by %s", principal.name)
            return status_markdown(rep), modifier_rows(rep), rep

        @g.handler("admin_beta_report")
        def beta(principal: Principal):
            tasks, problem = self._tasks()
            store = getattr(self.sink, "store", None)
            if store is None:
                raise gr.Error("Telemetry is off on this server: there are no ratings to report.")
            rep = beta_report(store, tasks)
            md = beta_markdown(rep) + (f"\n\n⚠️ {problem}" if problem else "")
            return (md, report_rows(rep["by_domain"], "domain"), report_rows(rep["by_mode"], "mode"),
                    report_rows(rep["by_task"], "task"))

        @g.handler("admin_beta_tasks")
        def tasks(principal: Principal):
            tl, problem = self._tasks()
            if tl is None:
                raise gr.Error(problem)
            return [[t.id, t.domain, t.prompt, t.reference] for t in tl.tasks]

        @g.handler("admin_audit")
        def audit_log(principal: Principal, limit: float | None):
            if self.store is None:
                return "Telemetry is off on this server: audit entries go to the log only.", []
            n = int(limit or 200)
            rows = audit_rows(recent(self.store, max(1, min(n, 2000))))
            return f"Latest {len(rows)} audit entries (newest first).", rows

        self.status, self.beta, self.tasks, self.audit_log = status, beta, tasks, audit_log

    # -- sign-in (the gate itself: it checks the token and reveals the tab) -----------------------
    def sign_in(self, token: str, request: gr.Request):
        token = (token or "").strip()
        try:  # rate-limited per client and audited by AdminAuth
            self.auth.sign_in(token, client_address(request))
        except AdminDenied as e:
            raise gr.Error(e.message, title="Admin sign-in") from None
        return token, gr.update(visible=True), "Signed in as admin.", ""

    def sign_out(self):
        return "", gr.update(visible=False), "Signed out."

    def oauth_gate(self, request: gr.Request):
        user = self.auth.oauth_username(request)
        return gr.update(visible=self.auth.check_user(user))

    # -- layout ----------------------------------------------------------------------------------
    def build_tab(self, admin_session: gr.State) -> None:
        """The tab's content; call inside ``with gr.Tab("Admin", visible=False) as tab``."""
        with gr.Tabs(elem_id="admin-sections"):
            with gr.Tab("Status", id="admin-status-tab"):
                self._build_status(admin_session)
            if self.analytics is not None:
                with gr.Tab("Routing analytics", id="admin-analytics-tab"):
                    self.analytics.build(admin_session)
            with gr.Tab("Learning loop", id="admin-learning-tab"):
                self.learning.build(admin_session)
            with gr.Tab("Pipeline", id="admin-pipeline-tab"):
                self.pipeline.build(admin_session)
            with gr.Tab("Hub", id="admin-hub-tab"):
                self.hub.build(admin_session)
            with gr.Tab("Audit", id="admin-audit-tab"):
                self._build_audit(admin_session)

    def _build_audit(self, admin_session: gr.State) -> None:
        with gr.Row():
            limit = gr.Number(value=200, precision=0, minimum=1, maximum=2000, label="Entries",
                              elem_id="admin-audit-limit", scale=1)
            refresh = gr.Button("Refresh audit log", size="sm", elem_id="admin-audit-refresh", scale=1)
        note = gr.Markdown("", elem_id="admin-audit-status")
        table = gr.Dataframe(headers=AUDIT_HEADERS, label="Audit log: every admin action and refused attempt",
                             interactive=False, wrap=True, elem_id="admin-audit")
        refresh.click(self.audit_log, [admin_session, limit], [note, table], api_name="admin_audit")

    def _build_status(self, admin_session: gr.State) -> None:
        with gr.Row():
            refresh = gr.Button("Refresh status", elem_id="admin-refresh", size="sm")
            self.sign_out_btn = gr.Button("Sign out", elem_id="admin-signout", size="sm")
        status_md = gr.Markdown("", elem_id="admin-status")
        modifiers = gr.Dataframe(headers=MODIFIER_HEADERS, label="Modifiers", interactive=False,
                                 elem_id="admin-modifiers", wrap=True)
        with gr.Accordion("Raw status (JSON)", open=False):
            raw = gr.JSON(elem_id="admin-status-json")
        gr.Markdown("---")
        beta_btn = gr.Button("Refresh beta report", elem_id="admin-beta-refresh", size="sm")
        beta_md = gr.Markdown("", elem_id="admin-beta")
        by_domain = gr.Dataframe(headers=["domain", *REPORT_HEADERS], label="Per domain", interactive=False)
        by_mode = gr.Dataframe(headers=["mode", *REPORT_HEADERS], label="Per mode", interactive=False)
        by_task = gr.Dataframe(headers=["task", *REPORT_HEADERS], label="Per task", interactive=False)
        with gr.Accordion("Task list", open=False):
            tasks_btn = gr.Button("Show the task list", size="sm")
            tasks_df = gr.Dataframe(headers=["id", "domain", "prompt", "reference"], interactive=False, wrap=True)
        self._status_io = ([admin_session], [status_md, modifiers, raw])
        refresh.click(self.status, *self._status_io, api_name="admin_status")
        beta_btn.click(self.beta, [admin_session], [beta_md, by_domain, by_mode, by_task], api_name="admin_beta_report")
        tasks_btn.click(self.tasks, [admin_session], [tasks_df], api_name="admin_beta_tasks")

    def build_gate(self, admin_session: gr.State, tab: gr.Tab) -> None:
        """Sign-in controls (outside the tab) and the sign-out wiring."""
        self.tab = tab
        message = gr.Markdown("", elem_id="admin-signin-status")
        self.sign_out_btn.click(self.sign_out, None, [admin_session, tab, message], api_visibility="private")
        if self.auth.oauth_enabled:
            # Only on a Space: elsewhere Gradio would mock OAuth with the machine's own Hub login.
            with gr.Accordion("Admin sign-in", open=False, elem_id="admin-oauth"):
                gr.LoginButton()
        if self.auth.token_enabled:
            with gr.Accordion("Admin sign-in", open=False, elem_id="admin-signin"):
                with gr.Row():
                    token = gr.Textbox(type="password", label="Admin token", elem_id="admin-token", scale=4)
                    go = gr.Button("Sign in", elem_id="admin-signin-button", scale=1)
            signed = go.click(self.sign_in, [token], [admin_session, tab, message, token], api_visibility="private")
            signed.success(self.status, *self._status_io, api_visibility="private")
