"""Build and serve the web app: one FastAPI app with the OpenAI-compatible API, the admin HTTP
endpoints and the Gradio UI mounted at ``/`` (``python app.py`` calls :func:`serve`).

Nothing heavy happens at import time; :func:`open_serving` opens telemetry, loads the model and
the router, and closes everything in reverse order.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from runtime.services import Services, create_services
from runtime.settings import Settings

log = logging.getLogger("modroute.server")

TITLE = "ModRoute"
CSS = """
.modroute-badge { display: inline-block; margin-top: .35em; padding: .1em .55em; border-radius: .7em;
  font-size: .78em; line-height: 1.5; background: var(--block-background-fill, #f3f4f6);
  border: 1px solid var(--border-color-primary, #ddd); color: var(--body-text-color-subdued, #555); }
.modroute-badge[data-mode="accurate"] { border-color: #8b5cf6; }
.modroute-badge[data-mode="fast"] { border-color: #10b981; }
"""


@dataclass
class Serving:
    settings: Settings
    services: Services
    sink: Any  # ui.telemetry_sink.TelemetrySink, or None when telemetry is off


@contextlib.contextmanager
def open_serving(settings: Settings | None = None, *, telemetry: bool = True,
                 learning: bool = True) -> Iterator[Serving]:
    """Telemetry (store + writer), the runtime services and (with telemetry) the router-version set and
    the learning-loop scheduler, wired together; closed on exit in reverse order."""
    settings = settings or Settings()
    with contextlib.ExitStack() as stack:
        sink = None
        if telemetry:
            from telemetry import open_telemetry
            from ui.telemetry_sink import TelemetrySink

            store, writer = open_telemetry(settings)
            stack.callback(store.close)
            stack.callback(writer.close)  # LIFO: the writer flushes before the store closes
            sink = TelemetrySink(writer, store)
        versions = None
        if sink is not None:
            from runtime.versions import RouterVersionSet

            # Retrained router versions (active + canary) from the versions table, re-read every 30 s
            # so a promotion or rollback by any replica or admin reaches this one.
            from telemetry import TelemetrySettings

            ts = TelemetrySettings()
            versions = RouterVersionSet(lister=sink.store.router_versions, refresh_s=30.0,
                                        personalize=ts.personalized_routing, user_salt=ts.telemetry_hash_key)
        benefit = None
        if sink is not None:
            from runtime.benefit import BenefitPolicy
            from telemetry.analytics import satisfaction_by_domain_mode

            # Users' satisfaction per domain and mode, re-read in the background (MODROUTE_BENEFIT_REFRESH_S):
            # with enough of it, it decides whether a modifier beats the base instead of the held-out figure.
            store = sink.store
            benefit = BenefitPolicy(settings,
                                    stats=lambda since: satisfaction_by_domain_mode(store.engine, since=since))
        services = create_services(settings, telemetry=sink, versions=versions, benefit=benefit)
        stack.callback(services.close)
        if benefit is not None:
            benefit.start()
            stack.callback(benefit.close)
        if sink is not None:  # the job table is in the telemetry database
            services.pipeline = start_pipeline(settings, sink.store)
            for runner in services.pipeline.runners.values():
                if hasattr(runner, "close"):
                    stack.callback(runner.close)
        if settings.hub_repo:
            from runtime.hub_sync import HubSync

            services.hub_sync = HubSync.for_services(services).start()
            stack.callback(services.hub_sync.close)
        if versions is not None:
            versions.start()
            stack.callback(versions.close)
            if learning:
                services.scheduler = start_learning(settings, sink.store, services)
                if services.scheduler is not None:
                    stack.callback(services.scheduler.shutdown)
        yield Serving(settings, services, sink)


def pipeline_root(settings: Settings):
    """Where pipeline runs work (job logs, work directories): ``MODROUTE_PIPELINE_ROOT``, else
    ``<data dir>/pipeline`` (persistent storage on a Space)."""
    import os
    from pathlib import Path

    return Path(os.environ.get("MODROUTE_PIPELINE_ROOT") or Path(settings.data_dir) / "pipeline")


def start_pipeline(settings: Settings, store: Any):
    """The admin tab's pipeline runners (this machine, Hugging Face Jobs) over the job table. Jobs that were
    running when the app stopped are re-attached in the background — a local process still going is followed
    again, a remote job polled — so an unreachable Hub cannot hold up the start."""
    from pipeline.runners import JobBook, PipelineRunners
    from pipeline.runners.hf_jobs import HFJobsRunner
    from pipeline.runners.local import LocalRunner

    book = JobBook(store)
    book.add_secret(settings.hf_token)
    root = pipeline_root(settings)
    pipeline = PipelineRunners(book, [LocalRunner(book, root),
                                      HFJobsRunner(book, token=settings.hf_token or None, work_root=root)])
    threading.Thread(target=_resume_jobs, args=(pipeline,), name="pipeline-resume", daemon=True).start()
    return pipeline


def _resume_jobs(pipeline) -> None:
    try:
        for st in pipeline.resume():
            log.info("pipeline job %s (%s on %s) re-attached: %s%s", st.job_id, st.phase, st.runner, st.status,
                     f" — {st.error}" if st.error else "")
    except Exception as e:  # the database is down at start: the tab says so when it is used
        log.error("pipeline jobs not resumed: %s", str(e).splitlines()[0][:200] if str(e) else type(e).__name__)


def start_learning(settings: Settings, store: Any, services: Services):
    """The learning loop's scheduler (retraining + canary checks), or None when it is switched off.

    Runs in every replica; the jobs' database lease makes each run happen once."""
    from telemetry import TelemetrySettings
    from telemetry.canary import make_learning_jobs
    from telemetry.scheduler import LearningScheduler

    ts = TelemetrySettings()
    if not ts.retrain_enabled:
        log.info("learning loop off (MODROUTE_RETRAIN_ENABLED=false)")
        return None
    router = services.router

    def current() -> dict[str, Any]:
        """The thresholds serving now: the active router version's, else the shipped settings'."""
        state = router.versions.state if router.versions is not None else None
        if state is not None and state.active is not None:
            return {"threshold": state.active.threshold, "domain_thresholds": state.active.domain_thresholds,
                    "version": state.active_version}
        return {"threshold": settings.threshold, "domain_thresholds": dict(settings.domain_thresholds),
                "version": router.base_version}

    jobs = make_learning_jobs(store, ts, versions_dir(settings), lambda: router.base_version, current)
    scheduler = LearningScheduler(store, ts, {k: in_background(fn) for k, fn in jobs.items()})
    try:
        return scheduler.start()
    except Exception as e:  # the database is down at start: chat must still come up; say so, retry later
        log.error("learning loop not started (%s); retrying every 60 s",
                  str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
        threading.Thread(target=_start_later, args=(scheduler,), name="learning-start", daemon=True).start()
        return scheduler


def _start_later(scheduler, every_s: float = 60.0) -> None:
    while not scheduler.running:
        time.sleep(every_s)
        if scheduler.stopping:  # the app shut down before the database came back
            return
        try:
            scheduler.start()
            log.info("learning loop started after the database came back")
        except Exception as e:
            log.warning("learning loop still not started: %s", str(e).splitlines()[0][:200] if str(e) else e)


def in_background(job):
    """Run an in-process job body with numerical libraries on one thread, so llama.cpp's decoding threads
    keep the cores. (The retraining itself runs in a child process at nice +10: a thread cannot be
    deprioritised safely, because it would hold the GIL while the OS keeps it off the CPU.)"""
    import functools

    @functools.wraps(job)
    def run(ctx):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return job(ctx)

    return run


def versions_dir(settings: Settings):
    """Where retrained router versions are written (artifacts + their manifest)."""
    from pathlib import Path

    return Path(settings.data_dir) / "router" / "versions"


def build_blocks(services: Services, sink: Any = None, settings: Settings | None = None, auth: Any = None):
    """The Gradio UI: Chat, Beta program and (for admins only) Admin tabs.

    ``auth`` (an ``AdminAuth``) is shared with the admin HTTP routes so both count wrong tokens together."""
    import gradio as gr

    from admin.auth import AdminAuth
    from admin.tab import AdminConsole
    from ui.beta import BetaTab
    from ui.chat import ChatTab

    settings = settings or services.settings
    auth = auth or AdminAuth.from_settings(settings)
    chat = ChatTab(services, sink)
    beta = BetaTab(services, sink, settings.beta_tasks)
    console = AdminConsole(services, sink, auth, settings.beta_tasks)
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown("## ModRoute\nA small model that knows when it is out of its depth: every answer shows how it "
                    "was routed — **Fast** (base model) or **Accurate** (base + a domain modifier).")
        admin_session = gr.State("")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat.build()
            with gr.Tab("Beta program", id="beta"):
                beta.build()
            with gr.Tab("Admin", id="admin", visible=False) as admin_tab:
                console.build_tab(admin_session)
        console.build_gate(admin_session, admin_tab)
        if auth.oauth_enabled:
            demo.load(console.oauth_gate, None, [admin_tab], api_visibility="private")
    demo.modroute = {"chat": chat, "beta": beta, "admin": console, "admin_tab": admin_tab}
    return demo


def build_app(services: Services, sink: Any = None, settings: Settings | None = None):
    """FastAPI app: /v1/* and /healthz, /admin/*, and the Gradio UI at /."""
    import gradio as gr
    from fastapi import FastAPI

    from admin.auth import AdminAuth
    from admin.http import admin_router
    from ui.api import install_api

    settings = settings or services.settings
    app = FastAPI(title=TITLE, docs_url="/api-docs", redoc_url=None, openapi_url="/api-openapi.json")
    apis = install_api(app, services, sink)  # also the OpenAI-style error handlers, for /admin too
    auth = AdminAuth.from_settings(settings)  # one rate limiter and audit hook for HTTP and Gradio
    admin = admin_router(services, sink, auth, settings.beta_tasks)
    app.include_router(admin)
    blocks = build_blocks(services, sink, settings, auth=auth)
    blocks.queue(default_concurrency_limit=4)
    app.state.blocks = blocks
    app.state.admin_router = admin
    app.state.chat_api = apis.chat_api
    console = blocks.modroute["admin"]
    export_root = getattr(console.analytics, "export_root", None) if console.analytics is not None else None
    return gr.mount_gradio_app(app, blocks, path="/", css=build_css(), footer_links=["api", "gradio"],
                               allowed_paths=[str(export_root)] if export_root else None)


def build_css() -> str:
    return CSS


class ServerThread:
    """uvicorn serving ``app`` from a background thread (tests, benchmarks); port 0 = any free port."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"):
        import uvicorn

        self.config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on",
                                     timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def start(self, timeout: float = 60.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server thread exited during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not start in time")
            time.sleep(0.05)
        return self

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    def stop(self, timeout: float = 15.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def listen_address(settings: Settings) -> tuple[str, int]:
    """Where ``python app.py`` listens: MODROUTE_HOST/PORT when set; else what a Hugging Face Space asks
    for (``GRADIO_SERVER_NAME``/``GRADIO_SERVER_PORT``; on a Space, all interfaces — its proxy cannot
    reach 127.0.0.1); else the settings' defaults."""
    import os

    host, port = settings.host, settings.port
    if "host" not in settings.model_fields_set:
        host = os.environ.get("GRADIO_SERVER_NAME") or ("0.0.0.0" if os.environ.get("SYSTEM") == "spaces" else host)
    if "port" not in settings.model_fields_set and os.environ.get("GRADIO_SERVER_PORT", "").isdigit():
        port = int(os.environ["GRADIO_SERVER_PORT"])
    return host, port


def serve(settings: Settings | None = None) -> None:
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings or Settings()
    host, port = listen_address(settings)
    with open_serving(settings) as serving:
        app = build_app(serving.services, serving.sink, settings)
        if not (settings.admin_token or settings.admin_users):
            log.info("admin area disabled (set MODROUTE_ADMIN_TOKEN or, on a Space, MODROUTE_ADMIN_USERS)")
        log.info("serving UI and API on http://%s:%d (OpenAI-compatible API at /v1)", host, port)
        # Behind a Space's proxy the client address is in X-Forwarded-For (see admin.auth.client_address).
        uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=10)
