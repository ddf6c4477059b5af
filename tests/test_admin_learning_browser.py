"""The learning loop in a real browser: an admin signs in, sees the routing analytics, runs "Retrain
now", promotes the new version and rolls it back — Playwright driving Debian's chromium against a real
server (real model, real SQLite, the real scheduler and retraining job).

The database is filled with ``telemetry.demo`` traffic first (the same command an admin runs to see the
tab working before real traffic), and ``MODROUTE_RETRAIN_MIN_LABELS`` is lowered so the job trains.
That non-admins are refused by every one of these handlers is ``tests/test_admin_access.py``'s
registry test (it enumerates every guarded handler, these included).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ADMIN_TOKEN, alpha_beta_manifest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium (run ui/ci_prepare_browser.sh)")


@pytest.fixture(scope="module")
def learning_server(tmp_path_factory, adapter_dir, base_path):
    from runtime.settings import Settings
    from telemetry.demo import generate_demo
    from telemetry.store import TelemetryStore, sqlite_url_for
    from ui.server import ServerThread, build_app, open_serving

    data = tmp_path_factory.mktemp("learning")
    url = sqlite_url_for(data)
    with TelemetryStore(url) as store:
        generate_demo(store, days=14, sessions=400, seed=3)
    saved = os.environ.get("MODROUTE_RETRAIN_MIN_LABELS")
    os.environ["MODROUTE_RETRAIN_MIN_LABELS"] = "50"
    try:
        settings = Settings(data_dir=data, n_threads=2, n_ctx=2048, database_url=url, admin_token=ADMIN_TOKEN,
                            manifest=str(alpha_beta_manifest(adapter_dir, base_path, "learning-manifest.json")),
                            max_tokens=16)
        with open_serving(settings) as serving:
            app = build_app(serving.services, serving.sink, settings)
            with ServerThread(app) as server:
                server.serving = serving
                yield server
    finally:
        if saved is None:
            os.environ.pop("MODROUTE_RETRAIN_MIN_LABELS", None)
        else:
            os.environ["MODROUTE_RETRAIN_MIN_LABELS"] = saved


def text_of(page, selector: str) -> str:
    return page.inner_text(selector)


def wait_text(page, selector: str, needle: str) -> None:
    page.wait_for_function("([s, n]) => { const e = document.querySelector(s); return e && e.innerText.includes(n); }",
                           arg=[selector, needle])


def test_admin_sees_plots_retrains_promotes_and_rolls_back(learning_server):
    from playwright.sync_api import sync_playwright

    store = learning_server.serving.sink.store
    before = {v["version"]: v["status"] for v in store.router_versions()}
    assert before == {"demo-v0": "retired", "demo-v1": "active", "demo-v2": "canary"}
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2200})
            page.set_default_timeout(180_000)  # the CPU is shared; nothing here times anything
            page.goto(learning_server.url, wait_until="load")
            page.wait_for_selector("#chat-input textarea")
            # Sign in as admin; the Admin tab appears.
            page.click("#admin-signin >> text=Admin sign-in")
            page.fill("#admin-token input", ADMIN_TOKEN)
            page.click("#admin-signin-button")
            page.get_by_role("tab", name="Admin").click()
            wait_text(page, "#admin-status", "Serving status")

            # Routing analytics: every plot filled from the demo traffic.
            page.get_by_role("tab", name="Routing analytics").click()
            page.click("#admin-analytics-refresh")
            page.wait_for_selector("#admin-plot-reliability", state="visible")
            page.wait_for_selector("#admin-plot-canary", state="visible")
            for plot in ("mix-mode", "sat-mode", "sat-domain", "thresholds", "esc-rate"):
                assert page.is_visible(f"#admin-plot-{plot}"), plot
            page.screenshot(path=str(ARTIFACTS / "admin-01-analytics.png"), full_page=True)

            # Learning loop: Retrain now -> a new version, started as the canary.
            page.get_by_role("tab", name="Learning loop").click()
            page.click("#learning-refresh")
            wait_text(page, "#learning-schedule", "retrain")
            page.click("#learning-retrain")
            wait_text(page, "#learning-progress", "finished")
            progress = text_of(page, "#learning-progress")
            after = {v["version"]: v for v in store.router_versions()}
            new = [v for v in after if v not in before]
            assert len(new) == 1, (progress, after.keys())
            version = new[0]
            assert after[version]["status"] == "canary" and after["demo-v2"]["status"] == "retired", progress
            wait_text(page, "#learning-versions", version)
            page.screenshot(path=str(ARTIFACTS / "admin-02-retrained.png"), full_page=True)

            # Promote it by hand; then roll it back: the version it replaced serves again.
            page.fill("#learning-version input, #learning-version textarea", version)
            page.fill("#learning-reason input, #learning-reason textarea", "browser test: promote")
            page.click("#learning-promote")
            wait_text(page, "#learning-action-status", "promoted to active")
            statuses = {v["version"]: v["status"] for v in store.router_versions()}
            assert statuses[version] == "active" and statuses["demo-v1"] == "retired"
            served = learning_server.serving.services.router.versions.state
            assert served.active_version == version  # this process re-read the table at once
            page.fill("#learning-reason input, #learning-reason textarea", "browser test: roll back")
            page.click("#learning-rollback")
            wait_text(page, "#learning-action-status", "rolled back")
            statuses = {v["version"]: v["status"] for v in store.router_versions()}
            assert statuses[version] == "rolled_back" and statuses["demo-v1"] == "active", statuses
            wait_text(page, "#learning-transitions", "browser test: roll back")
            page.screenshot(path=str(ARTIFACTS / "admin-03-rolled-back.png"), full_page=True)
        finally:
            browser.close()
