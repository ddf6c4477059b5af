"""The escalation ladder in a real browser (Playwright + Debian's chromium, the real server): an answer
that already used the modifier is marked wrong, and the page shows a *different* answer, with the rung
in the notice and the badge. Screenshots go to test-artifacts/ (gitignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_ui_browser import ARGS, ARTIFACTS, CHROMIUM, badges, send, wait_final_badge

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium (run ui/ci_prepare_browser.sh)")

QUESTION = "Write a Python function is_prime(n) that returns True when n is prime."

ANSWERS = """() => Array.from(document.querySelectorAll('#chatbot [data-testid="bot"]'))
    .filter(b => b.querySelector('.modroute-badge'))
    .map(b => { const c = b.cloneNode(true); c.querySelectorAll('.modroute-badge').forEach(x => x.remove());
                return c.innerText.trim(); })"""


@pytest.fixture(scope="module")
def page(live_server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 1500})
            pg.set_default_timeout(240_000)  # the CPU is shared; nothing here is timed
            pg.goto(live_server.url, wait_until="load")
            pg.wait_for_selector("#chat-input textarea")
            yield pg
        finally:
            browser.close()


def finished(page, count: int) -> str:
    """The last badge once ``count`` answers are finished; on a timeout, a screenshot and the page's text."""
    try:
        return wait_final_badge(page, count)
    except Exception as e:
        page.screenshot(path=str(ARTIFACTS / "ui-escalation-failed.png"), full_page=True)
        raise AssertionError(f"answer {count} did not finish: {page.inner_text('#chatbot')!r}") from e


def test_marking_a_modifier_answer_wrong_shows_a_different_answer(page, serving):
    # Accurate mode: the first answer already uses the code modifier (alpha).
    page.click("#chat-controls >> text=Routing controls")
    page.fill("#chat-max-tokens input[type=number]", "24")
    page.press("#chat-max-tokens input[type=number]", "Enter")
    page.locator("#chat-mode").get_by_text("Accurate", exact=True).click()
    send(page, QUESTION)
    badge = finished(page, 1)
    assert "Accurate" in badge and "modifier alpha" in badge, badge
    first = page.evaluate(ANSWERS)[-1]
    assert first and not first.startswith(("⏳", "✍️", "↻"))

    # "This answer is wrong": the ladder skips the modifier (already used) and climbs to the next rung.
    page.click("#chat-wrong")
    badge = finished(page, 2)
    assert "escalated" in badge and "rung " in badge, badge
    rung = badge.split("rung ", 1)[1].split(" ")[0]
    assert rung in ("critique", "consistency", "exhausted"), badge
    second = page.evaluate(ANSWERS)[-1]
    assert " ".join(second.split()) != " ".join(first.split())
    assert "This answer is wrong." in page.inner_text("#chatbot")
    # A notice (one of the collapsible blocks above the new answer) names the rung and why: open them in turn.
    titles = page.locator("#chatbot").get_by_text("Routing notice")
    for i in range(titles.count() - 1, -1, -1):
        if f"{rung} rung" in page.inner_text("#chatbot"):
            break
        titles.nth(i).click()
    page.wait_for_function("r => document.querySelector('#chatbot').innerText.includes(r + ' rung')", arg=rung)
    page.screenshot(path=str(ARTIFACTS / "ui-escalation-ladder.png"), full_page=True)
    assert len(badges(page)) == 2
    assert Path(ARTIFACTS / "ui-escalation-ladder.png").exists()
