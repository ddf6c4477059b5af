"""Presentation only: how a routing decision, timings and notices look in the chat.

The badge is the decision's own ``RouteDecision.label`` (mode, domain, modifier, confidence vs
threshold, forced/escalated/pre-empted/cascaded/fallback flags) plus what the turn measured
(latency, tokens/s). It is HTML with stable classes so people, CSS and browser tests can find it.
"""

from __future__ import annotations

import html
from typing import Any

BADGE_CLASS = "modroute-badge"


def _fmt_seconds(ms: float | None) -> str:
    if ms is None:
        return ""
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def badge_text(label: str, timings: dict[str, float] | None = None, finish_reason: str = "",
               state: str = "") -> str:
    """One line: '🧭 Fast · general · base model · confidence 85% >= 80% · 1.2 s · 72 tok/s'."""
    parts = [label] if label else ["routing…"]
    t = timings or {}
    if t.get("total_ms") is not None:
        parts.append(_fmt_seconds(t["total_ms"]))
    if t.get("tokens_per_s") is not None:
        parts.append(f"{t['tokens_per_s']:.0f} tok/s")
    if finish_reason == "length":
        parts.append("stopped at the token limit")
    elif finish_reason == "cancelled":
        parts.append("stopped")
    if state:
        parts.append(state)
    return "🧭 " + " · ".join(parts)


def badge_html(label: str, mode: str = "", timings: dict[str, float] | None = None, finish_reason: str = "",
               state: str = "") -> str:
    text = html.escape(badge_text(label, timings, finish_reason, state))
    return f'<span class="{BADGE_CLASS}" data-mode="{html.escape(mode or "")}">{text}</span>'


def queue_text(position: int) -> str:
    if position <= 0:
        return "⏳ Starting…"
    ahead = "1 request is" if position == 1 else f"{position} requests are"
    return f"⏳ Waiting in line: position {position} ({ahead} ahead of you)"


def notice_message(text: str) -> dict[str, Any]:
    """A collapsible block above the answer (Gradio renders ``metadata.title`` as an accordion)."""
    return {"role": "assistant", "content": text, "metadata": {"title": "ℹ️ Routing notice", "status": "done"}}


def error_text(message: str) -> str:
    return f"⚠️ {message}"


def parse_rating(value: Any) -> int | None:
    """A 1-10 rating from a form value, or None when it is not one."""
    try:
        rating = int(value)
    except (TypeError, ValueError):
        return None
    return rating if 1 <= rating <= 10 else None
