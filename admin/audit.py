"""The audit trail: every admin action and refused attempt, with who, when, from where and the outcome.

Rows go to the ``audit_log`` table (migration m006). ``AdminAuth.audit_hook`` is an :class:`AuditTrail`,
so every guarded Gradio handler (action = handler name), every ``/admin/*`` HTTP route (action =
``"GET /admin/status"``) and every sign-in attempt is written without the handlers doing anything;
handlers add what they acted on with ``principal.note(target=..., key=value)``.

Nothing secret is stored: :func:`scrub` replaces values under secret-looking keys, Hub tokens
(``hf_...``), ``Bearer ...`` credentials and the values of the secret environment variables
(``HF_TOKEN``, ``MODROUTE_ADMIN_TOKEN`` ...) before a row is written or logged.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from typing import Any

log = logging.getLogger("modroute.admin.audit")

AUDIT_HEADERS = ["at", "actor", "action", "target", "outcome", "client", "detail"]
OUTCOMES = ("ok", "refused", "failed")
REDACTED = "[redacted]"
SECRET_ENV = ("HF_TOKEN", "MODROUTE_HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACE_HUB_TOKEN",
              "MODROUTE_ADMIN_TOKEN", "OPENAI_API_KEY", "MODROUTE_TEACHER_API_KEY")
_SECRET_KEY = re.compile(r"token|secret|password|passwd|authorization|api[_-]?key|cookie|credential", re.I)
_TOKEN_LIKE = [
    (re.compile(r"\bhf_[A-Za-z0-9]{8,}"), "hf_" + REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[^\s,;\"']+"), r"\1 " + REDACTED),
    (re.compile(r"\b(sk|pk|ghp|gho|ghs|github_pat|xox[abp])[-_][A-Za-z0-9_\-]{12,}"), REDACTED),
    (re.compile(r"(?i)((?:token|secret|password|api[_-]?key)\s*[=:]\s*)[^\s,;&\"']+"), r"\1" + REDACTED),
]
_LIMITS = {"actor": 128, "action": 64, "target": 256, "client": 128}
MAX_TEXT = 1000


def _known_secrets(extra: Iterable[str] = ()) -> list[str]:
    values = [os.environ.get(k, "") for k in SECRET_ENV] + [s for s in extra if s]
    # Longest first, so a secret that contains another is replaced whole; short values would
    # replace ordinary words, so they are left to the patterns.
    return sorted({v for v in values if len(v) >= 6}, key=len, reverse=True)


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    for value in _known_secrets(secrets):
        text = text.replace(value, REDACTED)
    for pattern, replacement in _TOKEN_LIKE:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any, secrets: Iterable[str] = ()) -> Any:
    """``value`` with anything token-like replaced (recursively through dicts and lists)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        out = scrub_text(value, secrets)
        return out if len(out) <= MAX_TEXT else out[:MAX_TEXT] + "…"
    if isinstance(value, dict):
        return {str(k): (REDACTED if _SECRET_KEY.search(str(k)) and v not in (None, "", False)
                         else scrub(v, secrets)) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [scrub(v, secrets) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value), secrets)


def _clip(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = scrub_text(str(value))
    return text[:_LIMITS[name]]


def audit(store: Any, actor: str, action: str, target: str | None = None, outcome: str = "ok",
          client: str | None = None, detail: dict[str, Any] | None = None) -> str | None:
    """Write one audit row (and an INFO log line); returns its id, or None when there is no store."""
    from telemetry.events import new_id
    from telemetry.schema import AuditEntry
    from telemetry.store import utcnow

    if outcome not in OUTCOMES:
        raise ValueError(f"audit outcome must be one of {OUTCOMES}, got {outcome!r}")
    row = {"id": new_id(), "at": utcnow(), "actor": _clip("actor", actor or "anonymous"),
           "action": _clip("action", action), "target": _clip("target", target), "outcome": outcome,
           "client": _clip("client", client), "detail": scrub(detail) if detail else None}
    log.info("audit: %s %s %s%s (%s)%s", row["actor"], row["action"], row["outcome"],
             f" {row['target']}" if row["target"] else "", row["client"] or "?",
             f" {row['detail']}" if row["detail"] else "")
    if store is None:
        return None
    with store.engine.begin() as conn:
        conn.execute(AuditEntry.__table__.insert().values(**row))
    return row["id"]


def recent(store: Any, limit: int = 200) -> list[dict[str, Any]]:
    """The newest audit rows first."""
    from sqlalchemy import select

    from telemetry.schema import AuditEntry

    t = AuditEntry.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(select(t).order_by(t.c.at.desc(), t.c.id).limit(max(1, int(limit)))).mappings()
        return [dict(r) for r in rows]


def _detail_text(detail: Any) -> str:
    if not detail:
        return ""
    if isinstance(detail, dict):
        return "; ".join(f"{k}={v}" for k, v in detail.items())
    return str(detail)


def audit_rows(entries: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for e in entries:
        at = e.get("at")
        at = at.isoformat(timespec="seconds").replace("+00:00", "Z") if hasattr(at, "isoformat") else str(at or "")
        rows.append([at, e.get("actor"), e.get("action"), e.get("target") or "", e.get("outcome"),
                     e.get("client") or "", scrub_text(_detail_text(e.get("detail")))])
    return rows


class AuditTrail:
    """The ``AdminAuth.audit_hook``: writes to ``store`` (or only logs when telemetry is off).

    A failed write is logged as an error and the admin action goes on: the database being down must
    not lock admins out of the console they would use to look into it.
    """

    def __init__(self, store: Any):
        self.store = store

    def __call__(self, actor: str, action: str, *, target: str | None = None, outcome: str = "ok",
                 client: str | None = None, detail: dict[str, Any] | None = None) -> None:
        try:
            audit(self.store, actor, action, target=target, outcome=outcome, client=client, detail=detail)
        except Exception as e:  # noqa: BLE001 - reported, never raised into the admin action
            first = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            log.error("audit entry for %s %s not written: %s", actor, action, scrub_text(first))
