"""The chat tab in a real browser: Playwright driving Debian's chromium (headless) against the real server.

Covers: tokens stream into the page and every answer carries the routing badge; the queue position
shows while another request holds the model; a forced modifier is honoured (badge, telemetry);
"this answer is wrong" escalates; a 7/10 rating is stored in the telemetry database and a changed
rating updates it instead of adding a row. Screenshots go to test-artifacts/ (gitignored).

CI installs chromium with ``ui/ci_prepare_browser.sh``; without /usr/bin/chromium the test is skipped.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium (run ui/ci_prepare_browser.sh)")

# Records every distinct state of the latest assistant message as the page changes: its answer text
# (without the badge) and its badge.
RECORDER = """
() => {
  window.__answers = [];
  window.__badges = [];
  const grab = () => {
    const bots = document.querySelectorAll('#chatbot [data-testid="bot"]');
    if (!bots.length) return;
    const last = bots[bots.length - 1];
    const badge = last.querySelector('.modroute-badge');
    const copy = last.cloneNode(true);
    copy.querySelectorAll('.modroute-badge').forEach(b => b.remove());
    const text = copy.innerText.trim();
    const a = window.__answers;
    if (!a.length || a[a.length - 1] !== text) a.push(text);
    const b = window.__badges;
    if (badge && (!b.length || b[b.length - 1] !== badge.innerText)) b.push(badge.innerText);
  };
  new MutationObserver(grab).observe(document.querySelector('#chatbot'),
                                     {subtree: true, childList: true, characterData: true});
}
"""
STATUS_PREFIXES = ("⏳", "✍️", "↻", "…")


@pytest.fixture(scope="module")
def page(live_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 1500})
            pg.set_default_timeout(180_000)  # generous: the CPU is shared; nothing here times anything
            pg.goto(live_server.url, wait_until="load")
            pg.wait_for_selector("#chat-input textarea")
            yield pg
        finally:
            browser.close()


def badges(page) -> list[str]:
    return [b.inner_text() for b in page.query_selector_all("#chatbot .modroute-badge")]


def send(page, text: str) -> None:
    page.fill("#chat-input textarea", text)
    page.click("#chat-send")


def wait_final_badge(page, count: int) -> str:
    """Wait until there are ``count`` answers and the last one is finished (its badge has tok/s)."""
    page.wait_for_function(
        """n => { const b = document.querySelectorAll('#chatbot .modroute-badge');
                 return b.length >= n && b[b.length - 1].innerText.includes('tok/s'); }""", arg=count)
    return badges(page)[-1]


def stored(serving, fn, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        serving.sink.writer.flush(5)
        value = fn()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("not stored in time")


def test_chat_in_the_browser(page, live_server, serving):
    from telemetry.schema import Feedback, Interaction

    interactions, feedback = Interaction.__table__, Feedback.__table__
    db = serving.sink.store.engine

    # Short answers keep the test quick.
    page.click("#chat-controls >> text=Routing controls")
    page.fill("#chat-max-tokens input[type=number]", "40")
    page.press("#chat-max-tokens input[type=number]", "Enter")

    # 1. A message streams in token by token, and the answer carries the routing badge.
    page.evaluate(RECORDER)
    send(page, "Write a short poem about the sea.")
    page.wait_for_selector("#chatbot .modroute-badge")
    badge = wait_final_badge(page, 1)
    final = page.evaluate("window.__answers")[-1]
    partial = [t for t in page.evaluate("window.__answers")[:-1]
               if t and not t.startswith(STATUS_PREFIXES) and final.startswith(t[:-1]) and len(t) < len(final)]
    assert len(partial) >= 3, f"the answer did not stream: {page.evaluate('window.__answers')}"
    assert any(m in badge for m in ("Fast", "Accurate")) and "confidence" in badge and "tok/s" in badge
    # The badge was there while the text streamed (from the routing decision on), not only at the end.
    assert any("in progress" in b and "confidence" in b for b in page.evaluate("window.__badges"))
    page.screenshot(path=str(ARTIFACTS / "ui-01-streamed-answer.png"), full_page=True)

    # 2. While another request holds the model, the page shows the queue position.
    body = {"messages": [{"role": "user", "content": "Tell a long story about a lighthouse."}], "stream": True,
            "max_tokens": 100, "mode": "fast"}
    started = threading.Event()

    def hog():
        with httpx.stream("POST", live_server.url + "/v1/chat/completions", json=body, timeout=120) as r:
            for line in r.iter_lines():
                if '"content"' in line:
                    started.set()
        started.set()

    hogger = threading.Thread(target=hog)
    hogger.start()
    assert started.wait(180)
    page.evaluate(RECORDER)
    send(page, "What is the capital of France?")
    wait_final_badge(page, 2)
    hogger.join(300)
    seen = page.evaluate("window.__answers")
    assert any("Waiting in line: position" in s for s in seen), seen

    # 3. Forcing a modifier is honoured: the badge says so, and so does telemetry.
    page.click("#chat-modifier input")
    page.get_by_role("option", name="alpha").click()
    send(page, "Say hello.")
    badge = wait_final_badge(page, 3)
    assert "Accurate" in badge and "modifier alpha" in badge and "forced" in badge, badge
    page.screenshot(path=str(ARTIFACTS / "ui-02-forced-modifier.png"), full_page=True)

    def forced_alpha():
        with db.connect() as c:
            return c.execute(select(interactions.c.id).where(interactions.c.modifier == "alpha",
                                                             interactions.c.forced.is_(True))
                             .order_by(interactions.c.created_at.desc())).first()

    alpha_id = stored(serving, forced_alpha)[0]

    # 4. Rate that answer 7/10 with a comment: stored with the interaction; a change updates it.
    assert "answer #3" in page.inner_text("#rating-target")
    page.locator("#rating-value").get_by_text("7", exact=True).click()
    page.fill("#rating-comment textarea", "decent greeting")
    page.click("#rating-save")
    page.wait_for_function("() => document.querySelector('#rating-status').innerText.includes('7/10')")
    page.screenshot(path=str(ARTIFACTS / "ui-03-rated-7.png"), full_page=True)

    def rating_rows():
        with db.connect() as c:
            return c.execute(select(feedback).where(feedback.c.interaction_id == alpha_id)).mappings().all()

    rows = stored(serving, rating_rows)
    assert len(rows) == 1 and rows[0]["rating"] == 7 and rows[0]["comment"] == "decent greeting"
    page.locator("#rating-value").get_by_text("8", exact=True).click()
    page.click("#rating-save")
    page.wait_for_function("() => document.querySelector('#rating-status').innerText.includes('Changed: 8/10')")
    rows = stored(serving, lambda: [r for r in rating_rows() if r["rating"] == 8])
    assert len(rating_rows()) == 1 and rows[0]["revision"] == 2

    # 5. "This answer is wrong" escalates: the previous question is answered again with a modifier.
    page.click("#chat-modifier input")
    page.get_by_role("option", name="Auto").click()
    page.click("#chat-wrong")
    badge = wait_final_badge(page, 4)
    assert "escalated" in badge, badge
    assert "This answer is wrong." in page.inner_text("#chatbot")
    page.screenshot(path=str(ARTIFACTS / "ui-04-escalated.png"), full_page=True)

    # 6. Like the escalated answer (thumbs up under the last answer): stored as feedback too.
    page.locator('#chatbot button[aria-label="Like"]').last.click()

    def liked():
        with db.connect() as c:
            return c.execute(select(feedback.c.interaction_id).where(feedback.c.liked.is_(True))).all()

    assert stored(serving, liked)

    # 7. Stop ends a long answer early; the badge says so.
    page.fill("#chat-max-tokens input[type=number]", "1500")
    page.press("#chat-max-tokens input[type=number]", "Enter")
    page.evaluate(RECORDER)
    send(page, "Write a very long story about a dragon and a knight.")
    page.wait_for_function("""prefixes => {
        const b = document.querySelectorAll('#chatbot .modroute-badge');
        if (b.length < 5) return false;  // the new answer is on the page
        const copy = b[b.length - 1].closest('[data-testid="bot"]').cloneNode(true);
        copy.querySelectorAll('.modroute-badge').forEach(x => x.remove());
        const t = copy.innerText.trim();
        return t.length > 20 && !prefixes.some(p => t.startsWith(p)); }""", arg=list(STATUS_PREFIXES))
    page.click("#chat-stop")
    page.wait_for_function(
        """() => { const b = document.querySelectorAll('#chatbot .modroute-badge');
                   return b.length >= 5 && b[b.length - 1].innerText.includes('stopped'); }""")
    stopped = page.evaluate("window.__answers")[-1]
    assert len(stopped) > 20 and not stopped.startswith(STATUS_PREFIXES)
    page.screenshot(path=str(ARTIFACTS / "ui-05-stopped.png"), full_page=True)
    json.dumps(badges(page))  # all badges are plain text


def test_beta_tab_and_admin_tab_in_the_browser(page, serving):
    from telemetry.schema import Feedback

    # A beta tester answers one task: rating, preference and comment are stored together.
    page.get_by_role("tab", name="Beta program").click()
    page.fill("#beta-tester textarea, #beta-tester input", "browser-tester")
    page.click("#beta-task input")
    page.get_by_role("option", name="math-01 · math · What is 15% of 240?").click()
    page.wait_for_function("() => document.querySelector('#beta-prompt').innerText.includes('15% of 240')")
    page.click("#beta-ask")
    page.wait_for_function("() => { const b = document.querySelector('#beta-answer .modroute-badge');"
                           " return b && b.innerText.includes('tok/s'); }")
    page.wait_for_selector("#beta-reference", state="visible")
    page.locator("#beta-rating").get_by_text("9", exact=True).click()
    page.locator("#beta-preferred").get_by_text("ModRoute's answer").click()
    page.fill("#beta-comment textarea", "clear and correct")
    page.click("#beta-submit")
    page.wait_for_function("() => document.querySelector('#beta-status').innerText.includes('9/10')")
    page.screenshot(path=str(ARTIFACTS / "ui-06-beta-task.png"), full_page=True)
    table = Feedback.__table__
    serving.sink.writer.flush(30)
    with serving.sink.store.engine.connect() as c:
        row = c.execute(select(table).where(table.c.user_id == "beta:browser-tester")).mappings().one()
    assert row["rating"] == 9 and row["preferred"] is True and row["comment"] == "clear and correct"

    # The admin tab is not there until an admin signs in; a wrong token does not reveal it.
    assert page.get_by_role("tab", name="Admin").count() == 0
    page.click("#admin-signin >> text=Admin sign-in")
    page.fill("#admin-token input", "wrong-token")
    page.click("#admin-signin-button")
    page.get_by_text("Wrong admin token.").first.wait_for()
    assert page.get_by_role("tab", name="Admin").count() == 0
    from tests.conftest import ADMIN_TOKEN

    page.fill("#admin-token input", ADMIN_TOKEN)
    page.click("#admin-signin-button")
    page.get_by_role("tab", name="Admin").click()
    page.wait_for_function("() => document.querySelector('#admin-status').innerText.includes('Serving status')")
    assert "alpha" in page.inner_text("#admin-modifiers") and "beta" in page.inner_text("#admin-modifiers")
    page.click("#admin-beta-refresh")
    page.wait_for_function("() => document.querySelector('#admin-beta').innerText.includes('win rate')")
    page.screenshot(path=str(ARTIFACTS / "ui-07-admin.png"), full_page=True)
