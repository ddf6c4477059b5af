"""The chat service's own turn events (the engine's Queued / Started / Token come from runtime.engine).

Separate from :mod:`runtime.chat` so that :mod:`runtime.accurate`, which ChatService uses, can emit
them too; ``runtime.chat`` re-exports them, and clients import them from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.decision import RouteDecision


@dataclass
class Routed:
    """The decision, before any token (the badge can show at once); sent again when it changes."""

    decision: RouteDecision


@dataclass
class Notice:
    """Something the user should be told (escalation rung, cascade, fallback, tool results)."""

    text: str


@dataclass
class Restart:
    """Discard the text streamed so far: a replacement answer follows."""

    reason: str
