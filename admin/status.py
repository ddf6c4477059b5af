"""The admin status page: what is being served, and how it is doing."""

from __future__ import annotations

import time
from typing import Any


def _human_bytes(n: int | None) -> str:
    if not n:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _human_duration(s: float) -> str:
    s = int(s)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return (f"{d}d " if d else "") + f"{h:02d}:{m:02d}:{s:02d}"


def status_report(services: Any, sink: Any = None) -> dict[str, Any]:
    engine = services.engine
    st = engine.status()
    model_path = getattr(engine, "model_path", None)
    try:
        model_size = model_path.stat().st_size if model_path else None
    except OSError:
        model_size = None
    s = services.settings
    return {
        "model": st.get("model"),
        "model_path": str(model_path) if model_path else None,
        "model_sha256": st.get("model_sha256"),
        "model_size": model_size,
        "n_ctx": st.get("n_ctx"),
        "modifiers": st.get("modifiers", []),
        "router_version": getattr(services.router, "version", ""),
        "router_problems": list(getattr(services, "router_problems", []) or []),
        "queue_length": st.get("queue_length", 0),
        "busy": st.get("busy", False),
        "uptime_s": round(st.get("uptime_s", time.time() - engine.started_at), 1),
        "routing": {"threshold": s.threshold, "domain_thresholds": dict(s.domain_thresholds),
                    "domain_modes": dict(s.domain_modes), "cascade": s.cascade},
        "telemetry": sink.stats() if sink is not None else None,
    }


def modifier_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [[m.get("name"), m.get("domain"), m.get("status"), _human_bytes(m.get("size")), m.get("sha256") or "",
             m.get("version") or "", m.get("reason") or ""] for m in report.get("modifiers", [])]


MODIFIER_HEADERS = ["name", "domain", "status", "size", "sha256", "version", "problem"]


def status_markdown(report: dict[str, Any]) -> str:
    lines = [
        "### Serving status",
        f"- **Model:** `{report['model']}` ({_human_bytes(report.get('model_size'))}, context {report.get('n_ctx')})",
        f"- **Model SHA-256:** `{report.get('model_sha256') or '—'}`",
        f"- **Router version:** `{report.get('router_version') or '—'}`",
        f"- **Queue:** {report.get('queue_length', 0)} waiting · {'busy' if report.get('busy') else 'idle'}",
        f"- **Uptime:** {_human_duration(report.get('uptime_s', 0))}",
        f"- **Modifiers:** {len(report.get('modifiers', []))} "
        f"({sum(m.get('status') == 'ready' for m in report.get('modifiers', []))} ready)",
    ]
    if report.get("router_problems"):
        lines.append("- **Router problems:** " + "; ".join(report["router_problems"]))
    t = report.get("telemetry")
    if t:
        if "error" in t:
            lines.append(f"- **Telemetry:** {t['error']}")
        else:
            db = {True: "up", False: "DOWN (spooling)", None: "not contacted yet"}[t.get("db_up")]
            lines.append(f"- **Telemetry:** database {db} · {t.get('committed', 0)} committed · "
                         f"{t.get('pending', 0)} pending · spool {t.get('spool_bytes', 0)} bytes")
            if t.get("spool_full"):
                lines.append(f"- ⚠️ **Telemetry spool FULL** ({_human_bytes(t.get('spool_bytes'))} of "
                             f"{_human_bytes(t.get('spool_max_bytes'))}): the database is unreachable and new "
                             "consented raw text is not being stored. Nothing recorded is dropped; bring the "
                             "database back to drain the spool.")
    else:
        lines.append("- **Telemetry:** off")
    return "\n".join(lines)
