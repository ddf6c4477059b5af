"""Routing analytics and telemetry export in the admin tab (Gradio's native plots).

``AnalyticsPanel(store, guard)`` registers two guarded handlers — ``admin_analytics(principal,
window)`` (every plot's data and its empty-state text) and ``admin_export(principal, window, fmt,
include_raw)`` (a zip of interactions, ratings and signals) — and ``build(admin_session)`` lays out
the section inside the admin tab. The numbers come from ``telemetry.analytics`` and
``telemetry.export``; this module only shapes them into DataFrames and sentences.

Each plot has a Markdown line under it: on a fresh install (or an empty window) the plot is hidden
and the line says what will appear there and what produces it; with data it gives the numbers
behind the plot (n, ECE, …). ``python -m telemetry demo`` fills a demo database to try it.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from admin.auth import AdminGuard, Principal
from telemetry import analytics as A
from telemetry.export import FORMATS, export_telemetry, zip_export

log = logging.getLogger("modroute.admin.analytics")

DEFAULT_WINDOW = "7d"
DEFAULT_FORMAT = "csv"
EXPORT_TTL_S = 3600.0  # old export zips are deleted when the next export starts
PLOTS = ("mix_mode", "mix_modifier", "sat_mode", "sat_domain", "reliability", "thresholds", "esc_rate",
         "esc_outcomes", "canary")
TELEMETRY_OFF = "Telemetry is off on this server (no database): there is nothing to plot or export."
DEMO_HINT = ("No telemetry in the database yet. To see this tab working before real traffic, fill a demo database: "
             "`python -m telemetry demo --url sqlite:///demo.db` and start the app with "
             "`MODROUTE_DATABASE_URL=sqlite:///demo.db`.")


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def _times(s: pd.Series) -> pd.Series:
    """Bucket strings ('2026-11-03', '2026-11-03T14:00') -> UTC datetimes, so plots get a time axis."""
    return pd.to_datetime(s, utc=True, format="ISO8601")


@dataclass
class AnalyticsView:
    """Everything the section shows for one window: a DataFrame per plot (empty = no data) and a line of text."""

    window: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    def empty(self, name: str) -> bool:
        return self.frames[name].empty


def _frame(rows: list[dict[str, Any]], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame({c: [] for c in cols})


def compute_view(store: Any, window: str | None, *, now: datetime | None = None) -> AnalyticsView:
    """The section's data for ``window`` (``24h``/``7d``/``30d``/``all``), from ``telemetry.analytics``."""
    window = window if window in A.WINDOWS else DEFAULT_WINDOW
    view = AnalyticsView(window)
    where = A.WINDOWS[window].lower()
    if store is None:
        view.frames = {p: pd.DataFrame() for p in PLOTS}
        view.texts = dict.fromkeys(PLOTS, TELEMETRY_OFF)
        view.summary = TELEMETRY_OFF
        return view
    e = store.engine
    since, until = A.window_bounds(window, now=now)
    bucket = A.bucket_for(window)
    f, t = view.frames, view.texts

    # 1. routing mix
    mix = A.routing_mix_over_time(e, since=since, until=until, bucket=bucket)
    f["mix_mode"] = _frame(mix, ["bucket", "mode", "share", "count"])
    mods = A.modifier_mix_over_time(e, since=since, until=until, bucket=bucket)
    f["mix_modifier"] = _frame(mods, ["bucket", "modifier", "count", "share"])
    for name in ("mix_mode", "mix_modifier"):
        if not f[name].empty:
            f[name]["time"] = _times(f[name]["bucket"])
    n_answers = int(f["mix_mode"]["count"].sum()) if not f["mix_mode"].empty else 0
    if n_answers:
        acc = int(f["mix_mode"].loc[f["mix_mode"]["mode"] == "Accurate", "count"].sum())
        t["mix_mode"] = f"{n_answers} answers {where}: {acc / n_answers:.0%} Accurate, per {bucket} (UTC)."
        t["mix_modifier"] = "Answers per modifier (`base` = the base model alone, i.e. Fast)."
    else:
        t["mix_mode"] = (f"No answers {where}: the Fast/Accurate mix appears here once users chat "
                         "(every answer counts, rated or not).")
        t["mix_modifier"] = f"No answers {where}: answers per modifier appear here once users chat."

    # 2. satisfaction
    rows = A.labelled_interactions(e, since=since, until=until)
    no_labels = (f"No rated answers {where}: satisfaction by {{}} appears once users rate answers (1-10), "
                 "like/dislike them, or react to them (rephrase, Regenerate, \"this answer is wrong\", copy, "
                 "carry on).")
    for name, by in (("sat_mode", "mode"), ("sat_domain", "domain")):
        sat = [r for r in A.satisfaction_by(e, by, rows=rows) if r["labelled"]]
        f[name] = _frame(sat, [by, "satisfaction", "labelled", "interactions", "mean_rating", "escalation_rate"])
        if sat:
            parts = ", ".join(f"{r[by]} {_pct(r['satisfaction'])} (n={r['labelled']})" for r in sat)
            t[name] = f"Share of labelled answers the user was satisfied with, {where}: {parts}."
        else:
            t[name] = no_labels.format(by)

    # 3. reliability of the live router
    rel = A.reliability_diagram(e, rows=rows)
    version = rel["router_version"]
    pts = [{"confidence": b["mean_confidence"], "observed": b["observed"], "n": b["n"], "series": "live router"}
           for b in rel["points"]]
    if pts:
        pts += [{"confidence": (b["lo"] + b["hi"]) / 2, "observed": (b["lo"] + b["hi"]) / 2, "n": 0,
                 "series": "perfectly calibrated"} for b in rel["bins"]]
    f["reliability"] = _frame(pts, ["confidence", "observed", "n", "series"])
    if pts:
        t["reliability"] = (f"Router `{version}`, {rel['n']} labelled Fast answers {where}: predicted confidence "
                            f"vs observed satisfaction per bin ({A.ECE_BINS} bins), ECE **{rel['ece']:.3f}**. "
                            "Points below the diagonal: the router is over-confident there.")
    else:
        who = f"the live router (`{version}`)" if version else "the live router"
        t["reliability"] = (f"No labelled Fast answers from {who} {where}: the reliability diagram appears once "
                            "answers the router sent Fast are rated, liked/disliked or complained about.")

    # 4. threshold history (all versions, whatever the window)
    hist = A.threshold_history(e)
    f["thresholds"] = _frame(hist, ["at", "threshold", "domain", "version", "status"])
    if hist:
        f["thresholds"]["at"] = pd.to_datetime(f["thresholds"]["at"], utc=True)
        n_versions = f["thresholds"]["version"].nunique()
        t["thresholds"] = (f"{n_versions} router versions (all time): each point is a version's threshold for a "
                           "domain (`global` = the default), from when it started serving.")
    else:
        t["thresholds"] = ("No router versions yet: the threshold history appears after the first retraining "
                           "(\"Retrain now\" or the schedule) registers a version.")

    # 5. escalations
    esc = A.escalation_rate_over_time(e, since=since, until=until, bucket=bucket)
    f["esc_rate"] = _frame(esc, ["bucket", "rate", "escalated", "interactions"])
    outcomes = A.escalation_outcomes(e, since=since, until=until, bucket=bucket)
    f["esc_outcomes"] = _frame(outcomes, ["bucket", "outcome", "count", "share"])
    for name in ("esc_rate", "esc_outcomes"):
        if not f[name].empty:
            f[name]["time"] = _times(f[name]["bucket"])
    if esc:
        first = sum(r["interactions"] for r in esc)
        escalated = sum(r["escalated"] for r in esc)
        t["esc_rate"] = f"{escalated} of {first} first answers escalated {where} ({_pct(escalated / first)})."
    else:
        t["esc_rate"] = f"No answers {where}: the escalation rate appears here once users chat."
    if outcomes:
        totals = A.escalation_outcome_totals(e, since=since, until=until)
        t["esc_outcomes"] = "Escalations by outcome: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + "."
    else:
        t["esc_outcomes"] = (f"No escalations {where}: outcomes (resolved, failed, abandoned, pending) appear when a "
                             "user says an answer is wrong, the detector hears dissatisfaction, or a low-confidence "
                             "answer cascades to a modifier.")

    # 6. canary vs current (the whole canary period)
    cmp = A.canary_comparison(e)
    arms = [{**a, "label": f"{a['arm']} ({a['version']})"} for a in cmp["arms"]]
    f["canary"] = _frame(arms, ["label", "satisfaction", "arm", "version", "labelled", "interactions",
                                "escalation_rate", "mean_rating"])
    if cmp["canary"] is None:
        t["canary"] = ("No canary running: the comparison appears when a retrained router version is tried on a "
                       "share of sessions (after \"Retrain now\" or a scheduled run produces a better candidate).")
    elif not arms:
        t["canary"] = (f"Canary `{cmp['canary']}` started {cmp['started_at']:%Y-%m-%d %H:%M} UTC; no answers on "
                       "either arm yet.")
    else:
        parts = "; ".join(f"**{a['arm']}** `{a['version']}`: satisfaction {_pct(a['satisfaction'])} "
                          f"(n={a['labelled']} labelled of {a['interactions']}), escalation rate "
                          f"{_pct(a['escalation_rate'])}" for a in arms)
        t["canary"] = (f"Canary `{cmp['canary']}` on {_pct(cmp['share'])} of sessions since "
                       f"{cmp['started_at']:%Y-%m-%d %H:%M} UTC — {parts}.")
        if len(arms) < 2:
            t["canary"] += " Only one arm has answers so far."

    # one line over the section
    labelled = sum(r["label"] is not None for r in rows)
    if not n_answers and not hist and store_is_empty(store):
        view.summary = DEMO_HINT
    else:
        view.summary = (f"**{A.WINDOWS[window]}:** {len(rows)} answers, {labelled} labelled "
                        f"(ratings, likes, reactions) · live router `{version or '—'}`.")
    return view


def store_is_empty(store: Any) -> bool:
    try:
        return store.count("interactions") == 0 and store.count("router_versions") == 0
    except Exception:  # an unreachable database is reported by the status page, not here
        return False


class AnalyticsPanel:
    """The admin tab's analytics + export section. Handlers are registered at construction."""

    def __init__(self, store: Any, guard: AdminGuard, *, data_dir: str | Path | None = None):
        self.store = store
        self.guard = guard
        self.export_root = self._export_root(store, data_dir)
        self.components: dict[str, Any] = {}
        self.inputs: list[Any] = []
        self.outputs: list[Any] = []
        self._register()

    @staticmethod
    def _export_root(store: Any, data_dir: str | Path | None) -> Path:
        """Where exports are written: ``<data_dir>/exports``; without a data dir, next to a SQLite
        file, else the system temp dir. (Gradio serves returned files from the cwd and the temp dir;
        anywhere else must be in ``allowed_paths`` of ``launch``/``mount_gradio_app``.)"""
        if data_dir is not None:
            return Path(data_dir).expanduser().resolve() / "exports"
        db = getattr(getattr(store, "url", None), "database", None)
        if getattr(store, "backend", None) == "sqlite" and db and db != ":memory:":
            return Path(db).expanduser().resolve().parent / "exports"
        return Path(tempfile.gettempdir()) / "modroute-exports"

    # -- handlers (guarded) -----------------------------------------------------------------------
    def _register(self) -> None:
        g = self.guard

        @g.handler("admin_analytics")
        def analytics(principal: Principal, window: str | None):
            view = compute_view(self.store, window)
            log.info("admin analytics (%s) viewed by %s", view.window, principal.name)
            return self.render(view)

        @g.handler("admin_export")
        def export(principal: Principal, window: str | None, fmt: str | None, include_raw: bool | None):
            if self.store is None:
                raise gr.Error(TELEMETRY_OFF, title="Export")
            path, note = self.export(window, fmt, bool(include_raw), actor=principal.name)
            return path, note

        self.analytics, self.export_handler = analytics, export

    def render(self, view: AnalyticsView) -> tuple:
        """Handler outputs in ``self.outputs`` order: summary, then (plot update, text) per plot."""
        out: list[Any] = [view.summary]
        for name in PLOTS:
            frame = view.frames[name]
            out.append(gr.update(value=frame, visible=not frame.empty))
            out.append(view.texts[name])
        return tuple(out)

    def export(self, window: str | None, fmt: str | None, include_raw: bool, *, actor: str = "cli") -> tuple[str, str]:
        """Write a zip of the three tables for ``window``; returns (zip path, a sentence about it)."""
        window = window if window in A.WINDOWS else DEFAULT_WINDOW
        fmt = (fmt or DEFAULT_FORMAT).lower()
        if fmt not in FORMATS:
            raise gr.Error(f"Unknown export format {fmt!r}: choose CSV, JSONL or Parquet.", title="Export")
        self._prune()
        since, until = A.window_bounds(window)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"modroute-export-{stamp}-{window}-{fmt}{'-text' if include_raw else ''}-{secrets.token_hex(3)}"
        self.export_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".export-", dir=self.export_root))
        try:
            result = export_telemetry(self.store.engine, work, since=since, until=until, fmt=fmt,
                                      include_text=include_raw, window_label=window)
            path = zip_export(result, self.export_root / f"{name}.zip")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows = ", ".join(f"{n} {t}" for t, n in result.rows.items())
        log.info("telemetry export by %s: window=%s format=%s include_text=%s (%s)", actor, window, fmt,
                 include_raw, rows)
        text = ("with consented text (scrubbed; only where the user consented)" if include_raw
                else "without free text")
        return str(path), (f"Exported {A.WINDOWS[window].lower()} as {fmt.upper()}, {text}: {rows}. "
                           "One zip: interactions, ratings, signals + manifest.json; user ids are the pseudonymous "
                           "ids stored by the app.")

    def _prune(self) -> None:
        if not self.export_root.is_dir():
            return
        cutoff = time.time() - EXPORT_TTL_S
        for p in self.export_root.glob("modroute-export-*.zip"):
            try:
                if p.stat().st_mtime < cutoff:
                    p.unlink()
            except OSError:
                pass

    # -- layout ------------------------------------------------------------------------------------
    def build(self, admin_session: gr.State) -> None:
        """The section; call inside the admin tab. ``admin_session`` is the tab's session-token State."""
        c = self.components
        gr.Markdown("### Routing analytics")
        with gr.Row():
            c["window"] = gr.Dropdown(choices=[(label, key) for key, label in A.WINDOWS.items()],
                                      value=DEFAULT_WINDOW, label="Time window", elem_id="admin-analytics-window",
                                      scale=1)
            c["refresh"] = gr.Button("Refresh analytics", elem_id="admin-analytics-refresh", size="sm", scale=0)
        c["summary"] = gr.Markdown("Press **Refresh analytics** to load the plots.", elem_id="admin-analytics-summary")
        hidden = {"visible": False}
        with gr.Row():
            with gr.Column():
                c["mix_mode"] = gr.LinePlot(x="time", y="share", color="mode", title="Routing mix: Fast vs Accurate",
                                            y_title="share of answers", y_lim=[0, 1], tooltip=["time", "mode", "share",
                                                                                                "count"],
                                            elem_id="admin-plot-mix-mode", **hidden)
                c["mix_mode_text"] = gr.Markdown(elem_id="admin-plot-mix-mode-text")
            with gr.Column():
                c["mix_modifier"] = gr.BarPlot(x="bucket", y="count", color="modifier", title="Answers per modifier",
                                               y_title="answers", elem_id="admin-plot-mix-modifier", **hidden)
                c["mix_modifier_text"] = gr.Markdown(elem_id="admin-plot-mix-modifier-text")
        with gr.Row():
            with gr.Column():
                c["sat_mode"] = gr.BarPlot(x="mode", y="satisfaction", color="mode", title="Satisfaction by mode",
                                           y_lim=[0, 1], tooltip=["mode", "satisfaction", "labelled", "mean_rating"],
                                           elem_id="admin-plot-sat-mode", **hidden)
                c["sat_mode_text"] = gr.Markdown(elem_id="admin-plot-sat-mode-text")
            with gr.Column():
                c["sat_domain"] = gr.BarPlot(x="domain", y="satisfaction", title="Satisfaction by domain", y_lim=[0, 1],
                                             tooltip=["domain", "satisfaction", "labelled", "mean_rating"],
                                             elem_id="admin-plot-sat-domain", **hidden)
                c["sat_domain_text"] = gr.Markdown(elem_id="admin-plot-sat-domain-text")
        with gr.Row():
            with gr.Column():
                c["reliability"] = gr.ScatterPlot(x="confidence", y="observed", color="series",
                                                  title="Reliability of the live router", x_title="predicted confidence",
                                                  y_title="observed satisfaction", x_lim=[0, 1], y_lim=[0, 1],
                                                  tooltip=["series", "confidence", "observed", "n"],
                                                  elem_id="admin-plot-reliability", **hidden)
                c["reliability_text"] = gr.Markdown(elem_id="admin-plot-reliability-text")
            with gr.Column():
                c["thresholds"] = gr.LinePlot(x="at", y="threshold", color="domain", title="Threshold history",
                                              y_lim=[0, 1], tooltip=["at", "domain", "threshold", "version", "status"],
                                              elem_id="admin-plot-thresholds", **hidden)
                c["thresholds_text"] = gr.Markdown(elem_id="admin-plot-thresholds-text")
        with gr.Row():
            with gr.Column():
                c["esc_rate"] = gr.LinePlot(x="time", y="rate", title="Escalation rate (first answers)",
                                            y_title="escalated share", tooltip=["time", "rate", "escalated",
                                                                                "interactions"],
                                            elem_id="admin-plot-esc-rate", **hidden)
                c["esc_rate_text"] = gr.Markdown(elem_id="admin-plot-esc-rate-text")
            with gr.Column():
                c["esc_outcomes"] = gr.BarPlot(x="bucket", y="count", color="outcome", title="Escalation outcomes",
                                               y_title="escalations", elem_id="admin-plot-esc-outcomes", **hidden)
                c["esc_outcomes_text"] = gr.Markdown(elem_id="admin-plot-esc-outcomes-text")
        c["canary"] = gr.BarPlot(x="label", y="satisfaction", color="arm", title="Canary vs current: satisfaction",
                                 y_lim=[0, 1], tooltip=["label", "satisfaction", "labelled", "escalation_rate"],
                                 elem_id="admin-plot-canary", **hidden)
        c["canary_text"] = gr.Markdown(elem_id="admin-plot-canary-text")

        gr.Markdown("### Export")
        with gr.Row():
            c["export_window"] = gr.Dropdown(choices=[(label, key) for key, label in A.WINDOWS.items()],
                                             value=DEFAULT_WINDOW, label="Time window", elem_id="admin-export-window")
            c["export_format"] = gr.Radio(choices=[("CSV", "csv"), ("JSONL", "jsonl"), ("Parquet", "parquet")],
                                          value=DEFAULT_FORMAT, label="Format", elem_id="admin-export-format")
            c["export_text"] = gr.Checkbox(value=False, label="Include consented text",
                                           info="Scrubbed query/answer/comment text, only for users who consented",
                                           elem_id="admin-export-include-text")
        c["export_button"] = gr.Button("Export interactions, ratings and signals", elem_id="admin-export-button",
                                       size="sm")
        c["export_file"] = gr.File(label="Export (zip)", interactive=False, elem_id="admin-export-file")
        c["export_status"] = gr.Markdown(elem_id="admin-export-status")

        self.inputs = [admin_session, c["window"]]
        self.outputs = [c["summary"]]
        for name in PLOTS:
            self.outputs += [c[name], c[f"{name}_text"]]
        c["refresh"].click(self.analytics, self.inputs, self.outputs, api_name="admin_analytics")
        c["window"].change(self.analytics, self.inputs, self.outputs, api_visibility="private")
        c["export_button"].click(self.export_handler,
                                 [admin_session, c["export_window"], c["export_format"], c["export_text"]],
                                 [c["export_file"], c["export_status"]], api_name="admin_export")
