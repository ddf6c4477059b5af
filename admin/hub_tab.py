"""The admin tab's "Hub" section: what revision of ``MODROUTE_HUB_REPO`` serves, "Check the Hub now", and
loading an earlier (or later) revision — a rollback — from a picker.

The work is ``runtime.hub_sync.HubSync`` (``services.hub_sync``, started by the server when
``MODROUTE_HUB_REPO`` is set): it verifies every artifact before anything that serves changes and never
raises into a request; its ``SyncReport`` says what happened. Every handler is registered through the
console's ``AdminGuard`` (re-checked and audited on every call).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import gradio as gr

from admin.auth import AdminGuard, Principal

log = logging.getLogger("modroute.admin.hub")

NOT_CONFIGURED = ("Hub sync is off: set `MODROUTE_HUB_REPO` (a Hub model repo, e.g. `you/modroute-artifacts`) "
                  "and restart to load published artifacts from it.")
MODIFIER_HEADERS = ["modifier", "domain", "version", "sha256", "status"]


def _when(ts: float | None) -> str:
    if not ts:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(ts))


def state_markdown(state: Any) -> str:
    lines = [f"### Hub: `{state.repo}`",
             f"- following **{state.target}**; serving **{state.revision or '—'}** "
             f"(commit `{(state.commit or '—')[:12]}`), loaded {_when(state.loaded_at)}",
             f"- last check {_when(state.last_check_at)}"
             + (f", then every {state.check_interval_s:.0f} s" if state.check_interval_s else " (checks on click only)")]
    if state.router_version:
        lines.append(f"- router version `{state.router_version}`")
    lines += [f"- ⚠️ {p}" for p in state.problems]
    return "\n".join(lines)


def report_markdown(rep: Any) -> str:
    icon = "✅" if rep.ok else "❌"
    head = rep.message or (f"{rep.repo} at {rep.revision}" + (f" (commit {rep.commit[:12]})" if rep.commit else ""))
    lines = [f"{icon} {head}"]
    for label, items in (("loaded", rep.loaded), ("unchanged", rep.unchanged), ("removed", rep.removed),
                         ("router", rep.router)):
        if items:
            lines.append(f"- {label}: {', '.join(items)}")
    lines += [f"- refused **{name}**: {why}" for name, why in rep.refused.items()]
    lines += [f"- ⚠️ {p}" for p in rep.problems if p != head]
    return "\n".join(lines)


def modifier_rows(state: Any) -> list[list[Any]]:
    rows = []
    for m in state.modifiers or []:
        sha = str(m.get("sha256") or "")
        rows.append([m.get("name"), m.get("domain", ""), m.get("version", ""), sha[:12],
                     m.get("status") or ("available" if m.get("available", True) else "unavailable")])
    return rows


class HubPanel:
    def __init__(self, services: Any, guard: AdminGuard):
        self.services = services
        self.guard = guard
        self._register()

    @property
    def hub(self):
        return getattr(self.services, "hub_sync", None)

    def _state(self) -> tuple[str, list[list[Any]]]:
        hub = self.hub
        if hub is None:
            return NOT_CONFIGURED, []
        st = hub.state()
        return state_markdown(st), modifier_rows(st)

    def _register(self) -> None:
        g = self.guard

        @g.handler("admin_hub_state")
        def state(principal: Principal):
            return self._state()

        @g.handler("admin_hub_check")
        def check(principal: Principal):
            hub = self.hub
            if hub is None:
                return NOT_CONFIGURED, *self._state()
            principal.note(target=hub.repo)
            rep = hub.check()
            if not rep.ok:
                principal.note(error=(rep.problems or [rep.message or "check failed"])[0])
            principal.note(commit=rep.commit[:12] if rep.commit else None, loaded=rep.loaded, refused=list(rep.refused))
            log.info("hub check by %s: %s", principal.name, rep.message)
            return report_markdown(rep), *self._state()

        @g.handler("admin_hub_revisions")
        def revisions(principal: Principal):
            from runtime.hub_sync import HubSyncError

            hub = self.hub
            if hub is None:
                return gr.update(choices=[], value=None), NOT_CONFIGURED
            try:
                revs = hub.revisions()
            except HubSyncError as e:
                return gr.update(choices=[], value=None), f"❌ {e}"
            choices = [(f"{'● ' if r.current else ''}{r.name if r.kind == 'tag' else r.commit[:12]} · {r.kind}"
                        f"{' · ' + r.title if r.title else ''}{' · ' + r.date[:10] if r.date else ''}", r.name)
                       for r in revs]
            current = next((r.name for r in revs if r.current), None)
            return gr.update(choices=choices, value=current), f"{len(revs)} revision(s) of `{hub.repo}`."

        @g.handler("admin_hub_load")
        def load(principal: Principal, revision: str | None):
            hub = self.hub
            if hub is None:
                return NOT_CONFIGURED, *self._state()
            revision = (revision or "").strip()
            if not revision:
                return "Pick a revision to load first (press **List revisions**).", *self._state()
            principal.note(target=f"{hub.repo}@{revision}")
            rep = hub.load_revision(revision)
            if not rep.ok:
                principal.note(error=(rep.problems or [rep.message or "load failed"])[0])
            principal.note(commit=rep.commit[:12] if rep.commit else None, loaded=rep.loaded, refused=list(rep.refused))
            log.info("hub revision %s loaded by %s: %s", revision, principal.name, rep.message)
            return report_markdown(rep), *self._state()

        self.state, self.check, self.revisions, self.load = state, check, revisions, load

    def build(self, admin_session: gr.State) -> None:
        """Layout inside the admin tab (call within it)."""
        with gr.Row():
            refresh = gr.Button("Refresh", size="sm", elem_id="hub-refresh")
            check = gr.Button("Check the Hub now", variant="primary", size="sm", elem_id="hub-check")
        state = gr.Markdown(NOT_CONFIGURED if self.hub is None else "", elem_id="hub-state")
        result = gr.Markdown("", elem_id="hub-result")
        modifiers = gr.Dataframe(headers=MODIFIER_HEADERS, label="Serving modifiers", interactive=False,
                                 elem_id="hub-modifiers")
        with gr.Row():
            revision = gr.Dropdown(choices=[], value=None, allow_custom_value=True, label="Revision (tag or commit)",
                                   scale=3, elem_id="hub-revision")
            listing = gr.Button("List revisions", size="sm", scale=1, elem_id="hub-list")
            load = gr.Button("Load this revision", variant="stop", size="sm", scale=1, elem_id="hub-load")
        listed = gr.Markdown("", elem_id="hub-revisions-status")
        refresh.click(self.state, [admin_session], [state, modifiers], api_name="admin_hub_state")
        check.click(self.check, [admin_session], [result, state, modifiers], api_name="admin_hub_check")
        listing.click(self.revisions, [admin_session], [revision, listed], api_name="admin_hub_revisions")
        load.click(self.load, [admin_session, revision], [result, state, modifiers], api_name="admin_hub_load")
