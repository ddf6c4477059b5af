"""Presentation only: how a routing decision, timings and notices look in the chat.

The badge is the decision's own ``RouteDecision.label`` (mode, domain, modifier, confidence vs
threshold, forced/escalated/pre-empted/cascaded/fallback flags), the details of what Accurate
mode's tools did (escalation rung, critique scores, self-consistency agreement, few-shot examples:
:func:`tool_details`) and what the turn measured (latency, tokens/s). It is HTML with stable
classes so people, CSS and browser tests can find it.
"""

from __future__ import annotations

import html
from typing import Any

BADGE_CLASS = "modroute-badge"


def _fmt_seconds(ms: float | None) -> str:
    if ms is None:
        return ""
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def tool_details(decision: Any) -> list[str]:
    """Short badge items for what the escalation ladder and Accurate mode's tools did, e.g.
    ['rung critique', 'critique 3.1 → 7.8/10', '4/5 agree (80%)', '3 examples'], and first, when the
    domain's modifier was judged not to beat the base, why the answer is Fast."""
    if decision is None:
        return []
    out: list[str] = []
    benefit = getattr(decision, "benefit", None) or {}
    if benefit.get("applied"):  # why a question the router found hard answered Fast (runtime.benefit)
        out.append(f"{benefit.get('reason', 'its modifier shows no significant gain')} → Fast")
    if getattr(decision, "rung", ""):
        out.append(f"rung {decision.rung}")
    tools = getattr(decision, "tools", None) or {}
    c = tools.get("critique")
    if c:
        scores = c.get("scores") or []
        if scores:
            out.append("critique " + " → ".join(f"{x:.1f}" for x in scores) + "/10")
        else:
            out.append("critique with your feedback (no scorer)" if c.get("complaint") else "critique (no scorer)")
    sc = tools.get("consistency")
    if sc:
        item = f"{sc.get('agreeing', 0)}/{sc.get('n', 0)} agree ({float(sc.get('confidence', 0.0)):.0%})"
        out.append(item + (" · unreliable" if sc.get("unreliable") else ""))
    fs = tools.get("fewshot")
    if fs and fs.get("k"):
        out.append(f"{fs['k']} example{'s' if fs['k'] != 1 else ''}")
    # Which router version decided, and the canary arm while a new version is being tried (issue 9).
    version = getattr(decision, "router_version", "")
    arm = getattr(decision, "canary_arm", "")
    if version:
        out.append(f"router {version}" + (f" ({arm} arm)" if arm else ""))
    return out


def badge_text(label: str, timings: dict[str, float] | None = None, finish_reason: str = "",
               state: str = "", details: list[str] | None = None) -> str:
    """One line: '🧭 Fast · general · base model · confidence 85% >= 80% · 1.2 s · 72 tok/s'."""
    parts = [label] if label else ["routing…"]
    parts += list(details or [])
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
               state: str = "", details: list[str] | None = None) -> str:
    text = html.escape(badge_text(label, timings, finish_reason, state, details))
    return f'<span class="{BADGE_CLASS}" data-mode="{html.escape(mode or "")}">{text}</span>'


def queue_text(position: int) -> str:
    if position <= 0:
        return "⏳ Starting…"
    ahead = "1 request is" if position == 1 else f"{position} requests are"
    return f"⏳ Waiting in line: position {position} ({ahead} ahead of you)"


def notice_message(text: str) -> dict[str, Any]:
    """A collapsible block above the answer (Gradio renders ``metadata.title`` as an accordion)."""
    return {"role": "assistant", "content": text, "metadata": {"title": "ℹ️ Routing notice", "status": "done"}}


def close_fences(text: str) -> str:
    """Close a Markdown code fence left open (an answer cut at the token limit mid-code), or the badge after
    it renders as code instead of HTML."""
    fences = sum(1 for line in text.splitlines() if line.lstrip().startswith("```"))
    return text + "\n```" if fences % 2 else text


def error_text(message: str) -> str:
    return f"⚠️ {message}"


def parse_rating(value: Any) -> int | None:
    """A 1-10 rating from a form value, or None when it is not one."""
    try:
        rating = int(value)
    except (TypeError, ValueError):
        return None
    return rating if 1 <= rating <= 10 else None


def rating_caption(state: Any) -> str:
    """Which answer the rating panel rates (``state``: the chat tab's ChatState)."""
    if state is None:
        return "No answer to rate yet."
    i = state.rating_target()
    if i is None:
        return "No answer to rate yet. After an answer, pick 1-10 and save; click another answer to rate that one."
    ex = state.exchanges[i]
    head = " ".join(ex.answer.split())[:80] or "(empty answer)"
    current = f" · your rating: {ex.rating}/10" if ex.rating is not None else ""
    return f"Rating **answer #{i + 1}**{current}: _{head}_"


def rating_panel(state: Any) -> tuple[str, int | None, str, str]:
    """Caption, the rating already given to the answer being rated (if any), an empty comment box and
    an empty status line."""
    i = state.rating_target() if state is not None else None
    return rating_caption(state), (state.exchanges[i].rating if i is not None else None), "", ""


def tool_options(critique: bool | None, rounds: float | None, consistency: bool | None,
                 n_paths: float | None) -> dict[str, Any]:
    """The chat tab's tool controls as Turn fields: self-critique off = 0 rounds; self-consistency
    unticked = automatic (hard questions in Accurate mode), not never."""
    out: dict[str, Any] = {}
    if critique is not None:
        out["max_critique_rounds"] = int(rounds or 1) if critique else 0
    if consistency:
        out["self_consistency"] = True
        out["n_paths"] = int(n_paths or 5)
    return out


def conversation(exchanges: list[Any]) -> list[dict[str, str]]:
    """What the model sees: answered exchanges as user/assistant pairs (failed ones are left out)."""
    out: list[dict[str, str]] = []
    for ex in exchanges:
        if ex.answered and ex.answer:
            out += [{"role": "user", "content": ex.user}, {"role": "assistant", "content": ex.answer}]
    return out


def render(state: Any) -> tuple[list[dict[str, Any]], list[int | None]]:
    """The chat tab's ChatState as Chatbot messages, and for each message index the exchange it belongs to (None for user turns)."""
    messages: list[dict[str, Any]] = []
    owner: list[int | None] = []
    for i, ex in enumerate(state.exchanges):
        messages.append({"role": "user", "content": ex.user})
        owner.append(None)
        if ex.notices:  # one collapsible block per answer: an escalation can say several things
            text = ex.notices[0] if len(ex.notices) == 1 else "\n".join(f"- {n}" for n in ex.notices)
            messages.append(notice_message(text))
            owner.append(i)
        if ex.error:
            body = error_text(ex.error)
        else:
            text = close_fences(ex.answer or ex.status or "…")
            body = text + "\n\n" + badge_html(ex.label, ex.mode, ex.timings, ex.finish_reason,
                                               "" if ex.finish_reason else "in progress", ex.details)
        messages.append({"role": "assistant", "content": body})
        owner.append(i)
    return messages, owner
