"""The beta program: an admin-defined task list, and the report of how testers rated the answers.

Task list (JSON, or YAML if the file ends in .yaml/.yml; path = ``MODROUTE_BETA_TASKS``)::

    {"version": "2026-11", "tasks": [
        {"id": "code-01", "domain": "code", "prompt": "...", "reference": "..."}, ...]}

A tester answers each task in its own chat session, ``beta:<task id>:<nonce>`` (``beta_session_id``),
so the report can tell which task — and so which admin-defined domain — an interaction belongs
to from telemetry alone. Each rating is a normal telemetry feedback row: ``rating`` (1-10),
``preferred`` (True = the tester prefers ModRoute's answer to the reference), ``comment``.

Report metrics, per task domain, per mode (Fast/Accurate, as routed) and overall:

- average rating (1-10);
- win rate: share of answers preferred to the reference, among those where the tester said;
- NPS from the 1-10 ratings: % promoters (9-10) minus % detractors (1-6), from -100 to 100.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime.decision import DOMAINS

SESSION_PREFIX = "beta:"
_TASK_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class TaskListError(ValueError):
    pass


@dataclass(frozen=True)
class BetaTask:
    id: str
    domain: str
    prompt: str
    reference: str
    title: str = ""

    @property
    def label(self) -> str:
        head = self.title or self.prompt.strip().splitlines()[0]
        if len(head) > 70:
            head = head[:67] + "…"
        return f"{self.id} · {self.domain} · {head}"


@dataclass(frozen=True)
class TaskList:
    tasks: tuple[BetaTask, ...]
    version: str = ""
    source: str = ""

    def get(self, task_id: str) -> BetaTask | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def by_label(self, label: str) -> BetaTask | None:
        return next((t for t in self.tasks if t.label == label or t.id == label), None)

    @property
    def domains(self) -> list[str]:
        return sorted({t.domain for t in self.tasks})


def parse_tasks(data: Any, source: str = "") -> TaskList:
    if isinstance(data, list):
        data = {"tasks": data}
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list) or not data["tasks"]:
        raise TaskListError(f"{source or 'task list'}: expected {{\"tasks\": [ ... ]}} with at least one task")
    tasks, seen = [], set()
    for i, t in enumerate(data["tasks"]):
        where = f"{source or 'task list'}: tasks[{i}]"
        if not isinstance(t, dict):
            raise TaskListError(f"{where} must be an object")
        tid = str(t.get("id", "")).strip()
        if not _TASK_ID.match(tid):
            raise TaskListError(f"{where}.id must be 1-32 letters, digits, '-' or '_', got {tid!r}")
        if tid in seen:
            raise TaskListError(f"{where}.id {tid!r} is used twice")
        seen.add(tid)
        domain = str(t.get("domain", "")).strip().lower()
        if domain not in DOMAINS:
            raise TaskListError(f"{where}.domain must be one of {', '.join(DOMAINS)}, got {domain!r}")
        prompt, reference = str(t.get("prompt") or "").strip(), str(t.get("reference") or "").strip()
        if not prompt or not reference:
            raise TaskListError(f"{where} needs a non-empty prompt and reference")
        tasks.append(BetaTask(tid, domain, prompt, reference, str(t.get("title") or "").strip()))
    return TaskList(tuple(tasks), str(data.get("version") or ""), source)


def load_tasks(path: str | Path) -> TaskList:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise TaskListError(f"cannot read the beta task list {p}: {e.strerror or e}") from None
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as e:
        raise TaskListError(f"{p}: not valid {'YAML' if p.suffix.lower() in ('.yaml', '.yml') else 'JSON'}: {e}") \
            from None
    return parse_tasks(data, str(p))


def beta_session_id(task_id: str) -> str:
    return f"{SESSION_PREFIX}{task_id}:{uuid.uuid4().hex[:12]}"


def task_of_session(session_id: str) -> str | None:
    if not session_id.startswith(SESSION_PREFIX):
        return None
    return session_id[len(SESSION_PREFIX):].split(":", 1)[0] or None


# -- metrics ------------------------------------------------------------------------------------
def nps(ratings: Iterable[int]) -> float | None:
    """Net promoter score from 1-10 ratings: %promoters (9-10) - %detractors (1-6)."""
    rs = [int(r) for r in ratings if r is not None]
    if not rs:
        return None
    promoters = sum(r >= 9 for r in rs)
    detractors = sum(r <= 6 for r in rs)
    return 100.0 * (promoters - detractors) / len(rs)


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rows with ``rating`` and ``preferred`` -> n, average rating, win rate, NPS."""
    ratings = [r["rating"] for r in rows if r.get("rating") is not None]
    prefs = [bool(r["preferred"]) for r in rows if r.get("preferred") is not None]
    return {
        "answers": len(rows),
        "ratings": len(ratings),
        "avg_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "win_rate": round(sum(prefs) / len(prefs), 3) if prefs else None,
        "nps": round(nps(ratings), 1) if ratings else None,
        "promoters": sum(r >= 9 for r in ratings),
        "passives": sum(7 <= r <= 8 for r in ratings),
        "detractors": sum(r <= 6 for r in ratings),
    }


def report(rows: Sequence[dict[str, Any]], tasks: TaskList | None = None) -> dict[str, Any]:
    """Per task domain, per mode and overall. Each row: session_id, mode, domain (router's), rating, preferred."""
    by_domain: dict[str, list] = defaultdict(list)
    by_mode: dict[str, list] = defaultdict(list)
    by_task: dict[str, list] = defaultdict(list)
    for r in rows:
        tid = task_of_session(r.get("session_id") or "")
        task = tasks.get(tid) if (tasks is not None and tid) else None
        domain = task.domain if task is not None else (r.get("domain") or "unknown")
        by_domain[domain].append(r)
        by_mode[r.get("mode") or "unknown"].append(r)
        if tid:
            by_task[tid].append(r)
    return {
        "overall": summarize(rows),
        "by_domain": [{"domain": d, **summarize(v)} for d, v in sorted(by_domain.items())],
        "by_mode": [{"mode": m, **summarize(v)} for m, v in sorted(by_mode.items())],
        "by_task": [{"task": t, **summarize(v)} for t, v in sorted(by_task.items())],
        "tasks": len(tasks.tasks) if tasks is not None else None,
        "tasks_version": tasks.version if tasks is not None else None,
    }


def beta_feedback_rows(store: Any) -> list[dict[str, Any]]:
    """Current beta feedback joined with its interaction (one row per tester and answer)."""
    from sqlalchemy import select

    from telemetry.schema import Feedback, Interaction

    F, I = Feedback.__table__, Interaction.__table__  # noqa: E741
    q = (select(I.c.id.label("interaction_id"), I.c.session_id, I.c.mode, I.c.domain, I.c.modifier,
                F.c.user_id, F.c.rating, F.c.preferred, F.c.comment)
         .select_from(F.join(I, I.c.id == F.c.interaction_id))
         .where(I.c.session_id.like(SESSION_PREFIX + "%"))
         .order_by(I.c.created_at))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def beta_report(store: Any, tasks: TaskList | None) -> dict[str, Any]:
    return report(beta_feedback_rows(store), tasks)
