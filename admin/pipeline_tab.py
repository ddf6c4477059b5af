"""The admin tab's "Pipeline" section: launch a phase (or the whole pipeline) locally or on Hugging Face Jobs,
watch it, cancel it, read its report and publish what it made.

The work lives in ``pipeline.runners`` (``PipelineRunners`` over the ``pipeline_jobs`` table, ``services.pipeline``)
and ``admin.publish``; this module is the form and the handlers. The config form is generated from each phase's
dataclass (one typed component per field, values from the chosen preset); only the fields an admin changed are
sent, and ``RunSpec`` validates them with the phase's own dataclass. Every handler is registered through the
console's ``AdminGuard`` (re-checked and audited on every call).
"""

from __future__ import annotations

import html
import logging
import time
from pathlib import Path
from typing import Any

import gradio as gr

from admin.auth import AdminGuard, Principal
from admin.pipeline_form import NO_PRESET, component, form_fields, overrides, preset_values, presets, shown

log = logging.getLogger("modroute.admin.pipeline")

JOB_HEADERS = ["job", "phase", "runner", "flavor", "status", "progress", "created", "seconds", "est. $", "$", "by",
               "artifacts", "error"]
LOG_LINES = 200
POLL_S = 1.0
MAX_WATCH_S = 1800.0


# -- what the tab shows --------------------------------------------------------------------------------------
def _time(v: Any) -> str:
    if v is None:
        return "—"
    s = v.isoformat(timespec="seconds") if hasattr(v, "isoformat") else str(v)
    return s.replace("+00:00", "Z")


def _money(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def job_rows(jobs: list[Any]) -> list[list[Any]]:
    return [[j.job_id, j.phase, j.runner, j.flavor or "—", j.status,
             "—" if j.progress is None else f"{j.progress:.0%}", _time(j.created_at),
             "—" if j.seconds is None else f"{j.seconds:.0f}", _money(j.cost_estimate_usd), _money(j.cost_usd),
             j.created_by or "", j.artifact_uri or "", (j.error or "").splitlines()[0][:200] if j.error else ""]
            for j in jobs]


def job_choices(jobs: list[Any]) -> list[tuple[str, str]]:
    return [(f"{j.job_id} · {j.phase} · {j.status}", j.job_id) for j in jobs]


def progress_html(st: Any) -> str:
    pct = 0 if st.progress is None else round(100 * st.progress)
    if st.status == "succeeded":
        pct = 100
    stage = html.escape(st.progress_desc or st.status)
    return (f'<div class="modroute-progress" data-status="{html.escape(st.status)}">'
            f'<progress max="100" value="{pct}" style="width:100%"></progress>'
            f'<div><b>{pct}%</b> · {stage}</div></div>')


def status_markdown(st: Any) -> str:
    head = f"**Job `{st.job_id}`** ({st.phase}, {st.runner}{', ' + st.flavor if st.flavor else ''}): **{st.status}**"
    bits = []
    if st.seconds is not None:
        bits.append(f"{st.seconds:.0f} s")
    if st.cost_estimate_usd is not None:
        bits.append(f"estimated ${st.cost_estimate_usd:.2f}")
    if st.cost_usd is not None:
        bits.append(f"cost ${st.cost_usd:.2f}")
    if st.artifact_uri:
        bits.append(f"outputs `{st.artifact_uri}`")
    text = head + (" · " + " · ".join(bits) if bits else "")
    if st.error:
        text += f"\n\n⚠️ {st.error}"
    return text


class PipelinePanel:
    def __init__(self, services: Any, guard: AdminGuard):
        self.services = services
        self.guard = guard
        self.fields = form_fields()
        self._register()

    # -- helpers -------------------------------------------------------------------------------------------
    @property
    def runners(self):
        runners = getattr(self.services, "pipeline", None)
        if runners is None:
            raise gr.Error("Pipeline runs are off on this server: the job table lives in the telemetry database "
                           "(telemetry is off).", title="Pipeline")
        return runners

    def _jobs(self, limit: int = 50) -> list[Any]:
        runners = self.runners
        jobs = runners.jobs(limit=limit)
        fresh = []
        for j in jobs:  # re-read active ones from their runner (a local process may have ended)
            if not j.finished:
                try:
                    j = runners.status(j.job_id)
                except Exception as e:  # noqa: BLE001 - one job's runner being unreachable must not hide the rest
                    j.error = j.error or str(e)
            fresh.append(j)
        return fresh

    def _table(self) -> tuple[list[list[Any]], list[tuple[str, str]]]:
        jobs = self._jobs()
        return job_rows(jobs), job_choices(jobs)

    def _row(self, job_id: str | None) -> dict[str, Any]:
        row = self.runners.book.get((job_id or "").strip())
        if row is None:
            raise gr.Error(f"No pipeline job {job_id!r}: pick one from the jobs table.", title="Pipeline")
        return row

    def _spec(self, phase, preset, workdir, runner, flavor, hub_repo, force, values) -> Any:
        from pipeline.runners import RunnerError, RunSpec

        runner = runner or "local"
        work_root = getattr(self.runners.runner(runner), "work_root", None)
        try:
            config = overrides(self.fields, phase, preset, values)
        except ValueError as e:
            raise RunnerError(str(e)) from None
        return RunSpec.parse({"phase": phase, "preset": None if preset in (None, "", NO_PRESET) else preset,
                              "config": config, "workdir": (workdir or "").strip() or None, "runner": runner,
                              "flavor": (flavor or None) if runner != "local" else None,
                              "hub_repo": (hub_repo or "").strip() or None, "force": bool(force)},
                             work_root=work_root)

    # -- guarded handlers ----------------------------------------------------------------------------------
    def _register(self) -> None:
        g = self.guard

        @g.handler("admin_pipeline_pick_phase")
        def pick_phase(principal: Principal, phase: str | None):
            names = self.group_names()
            return [gr.update(visible=bool(phase) and n in ("", phase)) for n in names] + [self._phase_note(phase)]

        @g.handler("admin_pipeline_preset")
        def load_preset(principal: Principal, preset: str | None):
            try:
                base = preset_values(preset or presets()[0])
            except Exception as e:  # a broken preset file: say which and why
                raise gr.Error(str(e), title="Pipeline preset") from None
            return [gr.update(value=shown(f, base[f.phase or ""][f.name] if f.phase else base[""][f.name]))
                    for f in self.fields]

        @g.handler("admin_pipeline_flavors")
        def flavors(principal: Principal, runner: str | None, phase: str | None):
            from pipeline.runners import RunnerError

            runner = runner or "local"
            try:
                options = self.runners.flavors(runner)
            except RunnerError as e:
                return gr.update(choices=[], value=None), f"⚠️ {e}"
            choices = [(f"{f.name} — {f.pretty_name}{', ' + f.gpu if f.gpu else ''} — ${f.price_per_hour_usd:.2f}/h",
                        f.name) for f in options]
            default = self._default_flavor(runner, phase, [f.name for f in options])
            note = f"{len(options)} hardware option(s) for **{runner}**" + (
                f"; default for {phase}: `{default}`" if phase and default else "")
            return gr.update(choices=choices, value=default), note

        @g.handler("admin_pipeline_launch")
        def launch(principal: Principal, phase: str | None, preset: str | None, workdir: str | None,
                   runner: str | None, flavor: str | None, hub_repo: str | None, force: bool | None, *values):
            from pipeline.runners import RunnerError

            if not phase:
                return "Pick a phase (or `all`) first.", gr.update(), gr.update()
            try:
                spec = self._spec(phase, preset, workdir, runner, flavor, hub_repo, force, values)
                estimate = self.runners.estimate(spec)
                job_id = self.runners.submit(spec, created_by=principal.name)
            except RunnerError as e:
                raise gr.Error(f"Cannot launch {phase}: {e}", title="Pipeline") from None
            principal.note(target=job_id, phase=spec.phase, runner=spec.runner, flavor=spec.flavor or estimate.flavor,
                           overrides=sorted(spec.config))
            log.info("pipeline job %s (%s on %s) launched by %s", job_id, spec.phase, spec.runner, principal.name)
            rows, choices = self._table()
            changed = ", ".join(f"`{k}`" for k in sorted(spec.config)) or "none"
            msg = (f"Launched **{spec.phase}** as job `{job_id}` on {spec.runner} ({estimate.flavor}); "
                   f"estimated {estimate.expected_seconds / 60:.0f} min, ${estimate.cost_usd:.2f} "
                   f"({estimate.basis}). Changed fields: {changed}.")
            return msg, gr.update(choices=choices, value=job_id), rows

        @g.handler("admin_pipeline_watch")
        def watch(principal: Principal, job_id: str | None):
            yield from self._watch(principal, job_id)

        @g.handler("admin_pipeline_cancel")
        def cancel(principal: Principal, job_id: str | None):
            from pipeline.runners import RunnerError

            if not (job_id or "").strip():
                return "Pick a job to cancel first.", gr.update()
            principal.note(target=job_id)
            try:
                st = self.runners.cancel(job_id.strip(), by=principal.name)
            except RunnerError as e:
                raise gr.Error(str(e), title="Cancel") from None
            log.info("pipeline job %s cancelled by %s", job_id, principal.name)
            return f"Job `{st.job_id}` is {st.status}.", self._table()[0]

        @g.handler("admin_pipeline_jobs")
        def jobs(principal: Principal):
            rows, choices = self._table()
            return rows, gr.update(choices=choices)

        @g.handler("admin_pipeline_report")
        def report(principal: Principal, job_id: str | None):
            if not (job_id or "").strip():
                return "Pick a finished job to show its report."
            row = self._row(job_id)
            principal.note(target=row["id"])
            return self._report(row)

        @g.handler("admin_pipeline_publish")
        def publish(principal: Principal, job_id: str | None, repo_id: str | None, tag: str | None,
                    private: bool | None):
            if not (job_id or "").strip() or not (repo_id or "").strip():
                return "Pick a succeeded job and type the Hub repo id (`owner/name`) to publish to."
            return self._publish(principal, self._row(job_id), repo_id.strip(), (tag or "").strip() or None,
                                 True if private is None else bool(private))

        self.pick_phase, self.load_preset, self.flavors, self.launch = pick_phase, load_preset, flavors, launch
        self.watch, self.cancel, self.jobs, self.report, self.publish = watch, cancel, jobs, report, publish

    def group_names(self) -> list[str]:
        """The form's groups: the shared keys, then each phase that has settings of its own."""
        return list(dict.fromkeys(f.phase for f in self.fields))

    def _phase_note(self, phase: str | None) -> str:
        from pipeline.runners import list_phases

        if not phase:
            return "Pick a phase: its settings appear below, filled in from the preset."
        info = next((p for p in list_phases() if p.name == phase), None)
        if info is None:
            return f"⚠️ unknown phase {phase!r}"
        needs = f" Needs: {', '.join(info.requires)}." if info.requires else ""
        return f"**{info.name}** — {info.summary}. Wants **{info.hardware.upper()}** hardware.{needs}"

    def _default_flavor(self, runner: str, phase: str | None, names: list[str]) -> str | None:
        r = self.runners.runner(runner)
        pick = getattr(r, "default_flavor", None)
        if pick is not None and phase:
            from pipeline.runners import list_phases

            hardware = next((p.hardware for p in list_phases() if p.name == phase), "cpu")
            try:
                choice = pick(hardware)
            except Exception:  # noqa: BLE001 - a default is a convenience
                choice = None
            if choice in names:
                return choice
        return names[0] if names else None

    def _watch(self, principal: Principal, job_id: str | None):
        from pipeline.runners import RunnerError

        job_id = (job_id or "").strip()
        if not job_id:
            yield "", "Pick a job to watch (launch one, or choose it from the jobs list).", "", gr.update()
            return
        principal.note(target=job_id)
        deadline = time.monotonic() + MAX_WATCH_S
        while True:
            try:
                st = self.runners.status(job_id)
                logs = self.runners.logs(job_id, tail=LOG_LINES)
            except RunnerError as e:
                raise gr.Error(str(e), title="Pipeline job") from None
            if st.finished:
                yield progress_html(st), status_markdown(st), logs, self._table()[0]
                return
            yield progress_html(st), status_markdown(st), logs, gr.update()
            if time.monotonic() > deadline:
                yield (progress_html(st), status_markdown(st) + "\n\nStill running; press **Watch** to follow it again.",
                       logs, self._table()[0])
                return
            time.sleep(POLL_S)

    def _report(self, row: dict[str, Any]) -> str:
        from pipeline.report import render

        if row["status"] in ("queued", "running"):
            return f"Job `{row['id']}` is {row['status']}: its report comes when it has finished."
        workdir = Path((row.get("outputs") or {}).get("workdir") or "")
        if not str(workdir) or not workdir.is_dir():
            where = row.get("artifact_uri") or "its output repo"
            return f"Job `{row['id']}` ran on {row['runner']}: its files are in {where}, not on this machine."
        doc = ((row.get("config") or {}).get("document")) or {}
        return render(workdir, doc)

    def _publish(self, principal: Principal, row: dict[str, Any], repo_id: str, tag: str | None, private: bool) -> str:
        from admin.publish import PublishError, publish_run

        principal.note(target=repo_id, job=row["id"], tag=tag)
        if row["status"] != "succeeded":
            principal.note(error=f"job {row['id']} is {row['status']}")
            return f"Job `{row['id']}` is {row['status']}: only a succeeded run can be published."
        workdir = (row.get("outputs") or {}).get("workdir") or ""
        token = getattr(self.services.settings, "hf_token", "") or None
        try:
            res = publish_run(workdir, repo_id, token=token, revision_tag=tag, private=private)
        except PublishError as e:
            principal.note(error=str(e))
            return f"❌ Not published: {e}"
        principal.note(tag=res.tag, commit=res.commit_sha)
        try:
            self.runners.book.update(row["id"], outputs={"published": {"repo": res.repo_id, "tag": res.tag,
                                                                       "commit": res.commit_sha, "url": res.url}})
        except Exception as e:  # noqa: BLE001 - the publish happened; the note on the job is a convenience
            log.warning("publish of job %s not recorded on the job: %s", row["id"], type(e).__name__)
        log.info("job %s published to %s at %s by %s", row["id"], res.repo_id, res.tag, principal.name)
        return (f"✅ Published {len(res.files)} files to [{res.repo_id}]({res.repo_url}) as one commit "
                f"([`{res.commit_sha[:12]}`]({res.url})), tagged `{res.tag}`"
                f"{' (private repo)' if res.private else ''}.")

    # -- layout ----------------------------------------------------------------------------------------------
    def build(self, admin_session: gr.State) -> None:
        """Layout inside the admin tab (call within it)."""
        from pipeline import phases
        from pipeline.runners.catalog import ALL

        names = presets()
        default_preset = "tiny" if "tiny" in names else (names[0] if names else NO_PRESET)
        base = preset_values(default_preset)
        runners = getattr(self.services, "pipeline", None)
        runner_names = list(getattr(runners, "runners", {}) or ["local"])
        with gr.Row():
            phase = gr.Dropdown(choices=[*phases.ORDER, ALL], value=None, label="Phase (or all)", scale=2,
                                elem_id="pipeline-phase")
            preset = gr.Dropdown(choices=[*names, NO_PRESET], value=default_preset, label="Preset", scale=1,
                                 elem_id="pipeline-preset")
            workdir = gr.Textbox(value=default_preset if default_preset != NO_PRESET else "default", scale=2,
                                 label="Work directory (relative to the pipeline work root)", elem_id="pipeline-workdir")
        phase_note = gr.Markdown(self._phase_note(None), elem_id="pipeline-phase-note")
        groups = []
        for group in self.group_names():
            with gr.Group(visible=False) as box:
                gr.Markdown(f"**{group or 'Shared by every phase'}**")
                members = [f for f in self.fields if f.phase == group]
                # Multi-line YAML (the domains) gets the full width; the rest four to a row.
                wide = [f for f in members if f.kind == "yaml" and "\n" in str(shown(f, base[group][f.name]))]
                short = [f for f in members if f not in wide]
                for i in range(0, len(short), 4):
                    with gr.Row():
                        for f in short[i:i + 4]:
                            f.component = component(f, base[group][f.name])
                for f in wide:
                    f.component = component(f, base[group][f.name])
            groups.append(box)
        components = [f.component for f in self.fields]  # the order overrides() and load_preset() expect
        with gr.Row():
            runner = gr.Radio(choices=runner_names, value=runner_names[0], label="Runner", elem_id="pipeline-runner")
            flavor = gr.Dropdown(choices=[("local — this machine — $0.00/h", "local")], value="local",
                                 allow_custom_value=True, label="Hardware", elem_id="pipeline-flavor")
            hub_repo = gr.Textbox(value="", label="Output repo for HF Jobs (owner/name)", elem_id="pipeline-hub-repo")
            force = gr.Checkbox(value=False, label="Run even if up to date", elem_id="pipeline-force")
        hw_note = gr.Markdown("", elem_id="pipeline-hardware-note")
        launch = gr.Button("Launch", variant="primary", elem_id="pipeline-launch")
        launch_msg = gr.Markdown("", elem_id="pipeline-launch-status")
        with gr.Row():
            job = gr.Dropdown(choices=[], value=None, allow_custom_value=True, label="Job", scale=3,
                              elem_id="pipeline-job")
            watch = gr.Button("Watch", size="sm", elem_id="pipeline-watch", scale=1)
            cancel = gr.Button("Cancel", variant="stop", size="sm", elem_id="pipeline-cancel", scale=1)
            refresh = gr.Button("Refresh jobs", size="sm", elem_id="pipeline-refresh", scale=1)
        progress = gr.HTML("", elem_id="pipeline-progress")
        job_status = gr.Markdown("", elem_id="pipeline-job-status")
        logs = gr.Textbox(label="Log (tail)", lines=12, max_lines=24, autoscroll=True, interactive=False,
                          elem_id="pipeline-log")
        jobs = gr.Dataframe(headers=JOB_HEADERS, label="Pipeline jobs", interactive=False, wrap=True,
                            elem_id="pipeline-jobs")
        gr.Markdown("---")
        report = gr.Button("Show the run's report", size="sm", elem_id="pipeline-report-button")
        report_md = gr.Markdown("", elem_id="pipeline-report")
        with gr.Row():
            repo_id = gr.Textbox(value="", label="Publish to Hub repo (owner/name)", scale=3, elem_id="pipeline-publish-repo")
            tag = gr.Textbox(value="", label="Tag (default: the artifact version)", scale=2, elem_id="pipeline-publish-tag")
            private = gr.Checkbox(value=True, label="Private repo", scale=1, elem_id="pipeline-publish-private")
            publish = gr.Button("Publish", variant="primary", size="sm", scale=1, elem_id="pipeline-publish")
        publish_msg = gr.Markdown("", elem_id="pipeline-publish-status")

        watched = [progress, job_status, logs, jobs]
        picked = phase.change(self.pick_phase, [admin_session, phase], [*groups, phase_note], api_visibility="private")
        picked.then(self.flavors, [admin_session, runner, phase], [flavor, hw_note], api_visibility="private")
        preset.change(self.load_preset, [admin_session, preset], components, api_visibility="private")
        runner.change(self.flavors, [admin_session, runner, phase], [flavor, hw_note], api_name="admin_pipeline_flavors")
        launched = launch.click(self.launch, [admin_session, phase, preset, workdir, runner, flavor, hub_repo, force,
                                              *components], [launch_msg, job, jobs], api_name="admin_pipeline_launch")
        launched.success(self.watch, [admin_session, job], watched, api_visibility="private")
        watch.click(self.watch, [admin_session, job], watched, api_name="admin_pipeline_watch")
        cancel.click(self.cancel, [admin_session, job], [job_status, jobs], api_name="admin_pipeline_cancel")
        refresh.click(self.jobs, [admin_session], [jobs, job], api_name="admin_pipeline_jobs")
        report.click(self.report, [admin_session, job], [report_md], api_name="admin_pipeline_report")
        publish.click(self.publish, [admin_session, job, repo_id, tag, private], [publish_msg],
                      api_name="admin_pipeline_publish")
