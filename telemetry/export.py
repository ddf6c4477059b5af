"""Export interactions, ratings and signals for a time window as CSV, JSONL or Parquet.

``export_telemetry(engine, out_dir, since=..., fmt="parquet")`` writes one file per table into
``out_dir`` — ``interactions.<ext>``, ``ratings.<ext>`` (the ``feedback`` table: ratings 1-10,
likes, preferences), ``signals.<ext>`` — plus ``manifest.json`` (window, format, row counts,
columns, these notes); ``zip_export`` packs them into one ``.zip`` (what the admin tab hands out:
one download, three tables that join on ``interactions.id``). The CLI is
``python -m telemetry export --window 7d --format parquet --out DIR [--include-text] [--zip]``.

What an export holds, and why:

- **The window** applies to the interaction's ``created_at`` for all three tables (ratings and
  signals of the exported interactions), so the files join without dangling ids.
- **No raw text by default.** Free-text columns (``query_text``, ``answer_text``; ``comment``;
  ``message_text``) are left out of the files entirely. With ``include_text=True`` they are
  present, and filled only for rows whose interaction was stored with consent *and* whose session
  still has consent (a withdrawn consent wins); other rows get an empty value. What is stored was
  already scrubbed of PII and secrets before it was written (``telemetry.privacy``) and is purged
  after the retention period, so an export never holds more than the database does.
- **User ids are kept as stored**: ``sessions.user_id`` / ``feedback.user_id`` are the
  pseudonymous ids the app assigns (a session id, or a Hub username on a Space when the user signed
  in) — not e-mail addresses; treat the export as personal data all the same.
- Formats: CSV (UTF-8, header row, empty cell = null, booleans ``true``/``false``, times ISO-8601
  UTC, the ``decision`` JSON as a JSON string); JSONL (one object per line, ``decision`` as an
  object); Parquet (typed columns: timestamps in UTC, ``decision`` as a JSON string), written in
  row groups so a large window never sits in memory at once.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Engine, Float, Integer, and_, select

from telemetry.schema import ChatSession, Feedback, Interaction, Signal

FORMATS = {"csv": "csv", "jsonl": "jsonl", "parquet": "parquet"}  # format -> file extension
TABLES = ("interactions", "ratings", "signals")
TEXT_COLUMNS = {"interactions": ("query_text", "answer_text"), "ratings": ("comment",), "signals": ("message_text",)}
BATCH_ROWS = 5_000

I = Interaction.__table__  # noqa: E741
F = Feedback.__table__
S = Signal.__table__
SESS = ChatSession.__table__


@dataclass
class ExportResult:
    directory: Path
    fmt: str
    include_text: bool
    files: dict[str, Path] = field(default_factory=dict)  # table -> file
    rows: dict[str, int] = field(default_factory=dict)
    manifest: Path | None = None


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _kind(col) -> str:
    t = col.type
    t = getattr(t, "impl", t) if not isinstance(t, JSON) else t
    if isinstance(t, JSON):
        return "json"
    if isinstance(t, DateTime):
        return "timestamp"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Float):
        return "float"
    return "string"


def _plan(table: str, include_text: bool) -> tuple[list[tuple[str, Any, str]], Any]:
    """[(output column, SQL expression, kind)] and the FROM clause, for one exported table."""
    text_ok = and_(I.c.consent.is_(True), SESS.c.consent.is_(True)).label("_text_ok")
    if table == "interactions":
        base, joins = I, I.outerjoin(SESS, SESS.c.id == I.c.session_id)
        extra = [("user_id", SESS.c.user_id, "string")]
    elif table == "ratings":
        base, joins = F, F.join(I, I.c.id == F.c.interaction_id).outerjoin(SESS, SESS.c.id == I.c.session_id)
        extra = []
    elif table == "signals":
        base, joins = S, S.join(I, I.c.id == S.c.interaction_id).outerjoin(SESS, SESS.c.id == I.c.session_id)
        extra = []
    else:
        raise ValueError(f"unknown table {table!r}; expected one of {TABLES}")
    text = TEXT_COLUMNS[table]
    cols: list[tuple[str, Any, str]] = []
    for c in base.columns:
        if c.name in text and not include_text:
            continue
        cols.append((c.name, c, _kind(c)))
        if c.name == "session_id" and extra:
            cols += extra
            extra = []
    cols += extra
    cols.append(("_text_ok", text_ok, "bool"))
    return cols, joins


def _rows(engine: Engine, table: str, since: datetime | None, until: datetime | None,
          include_text: bool) -> tuple[list[tuple[str, str]], Iterator[list[dict[str, Any]]]]:
    cols, joins = _plan(table, include_text)
    conds = []
    if since is not None:
        conds.append(I.c.created_at >= _utc(since))
    if until is not None:
        conds.append(I.c.created_at < _utc(until))
    base = {"interactions": I, "ratings": F, "signals": S}[table]
    q = (select(*[expr.label(name) for name, expr, _ in cols]).select_from(joins).where(*conds)
         .order_by(I.c.created_at, base.c.id))
    text = set(TEXT_COLUMNS[table])
    schema = [(name, kind) for name, _, kind in cols if name != "_text_ok"]

    def batches() -> Iterator[list[dict[str, Any]]]:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(q)
            for part in result.mappings().partitions(BATCH_ROWS):
                out = []
                for r in part:
                    row = {name: r[name] for name, _ in schema}
                    if include_text and not r["_text_ok"]:
                        for t in text:
                            row[t] = None
                    for name, kind in schema:
                        if kind == "timestamp":
                            row[name] = _utc(row[name])
                        elif kind == "bool" and row[name] is not None:
                            row[name] = bool(row[name])
                    out.append(row)
                yield out

    return schema, batches()


# -- writers --------------------------------------------------------------------------------------
def _csv_value(v: Any, kind: str) -> str:
    if v is None:
        return ""
    if kind == "bool":
        return "true" if v else "false"
    if kind == "timestamp":
        return v.isoformat()
    if kind == "json":
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return str(v) if not isinstance(v, float) else repr(v)


def _write_csv(path: Path, schema: list[tuple[str, str]], batches: Iterator[list[dict]]) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([name for name, _ in schema])
        for batch in batches:
            w.writerows([_csv_value(r[name], kind) for name, kind in schema] for r in batch)
            n += len(batch)
    return n


def _write_jsonl(path: Path, schema: list[tuple[str, str]], batches: Iterator[list[dict]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for batch in batches:
            for r in batch:
                obj = {name: (r[name].isoformat() if kind == "timestamp" and r[name] is not None else r[name])
                       for name, kind in schema}
                f.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += len(batch)
    return n


def _arrow_schema(schema: list[tuple[str, str]]):
    import pyarrow as pa

    types = {"string": pa.string(), "json": pa.string(), "bool": pa.bool_(), "int": pa.int64(),
             "float": pa.float64(), "timestamp": pa.timestamp("us", tz="UTC")}
    return pa.schema([pa.field(name, types[kind]) for name, kind in schema])


def _write_parquet(path: Path, schema: list[tuple[str, str]], batches: Iterator[list[dict]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = _arrow_schema(schema)
    json_cols = [name for name, kind in schema if kind == "json"]
    n = 0
    with pq.ParquetWriter(path, arrow) as w:
        for batch in batches:
            for r in batch:
                for c in json_cols:
                    if r[c] is not None:
                        r[c] = json.dumps(r[c], separators=(",", ":"), ensure_ascii=False)
            w.write_table(pa.Table.from_pylist(batch, schema=arrow))
            n += len(batch)
        if n == 0:
            w.write_table(arrow.empty_table())
    return n


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


# -- the export -----------------------------------------------------------------------------------
def export_telemetry(engine: Engine, out_dir: str | Path, *, since: datetime | None = None,
                     until: datetime | None = None, fmt: str = "csv", include_text: bool = False,
                     window_label: str | None = None) -> ExportResult:
    """Write ``interactions``, ``ratings`` and ``signals`` (+ ``manifest.json``) into ``out_dir``.

    ``include_text`` adds the free-text columns, filled only for consented rows (module docstring).
    User ids are exported as stored: pseudonymous ids, not names or addresses.
    """
    fmt = (fmt or "csv").lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(out, fmt, bool(include_text))
    columns: dict[str, list[str]] = {}
    for table in TABLES:
        schema, batches = _rows(engine, table, since, until, bool(include_text))
        path = out / f"{table}.{FORMATS[fmt]}"
        result.rows[table] = _WRITERS[fmt](path, schema, batches)
        result.files[table] = path
        columns[table] = [name for name, _ in schema]
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "window": {"label": window_label, "since": _utc(since).isoformat() if since else None,
                   "until": _utc(until).isoformat() if until else None, "applies_to": "interactions.created_at"},
        "format": fmt,
        "include_text": bool(include_text),
        "tables": {t: {"file": result.files[t].name, "rows": result.rows[t], "columns": columns[t]} for t in TABLES},
        "notes": [
            "ratings = the feedback table (rating 1-10, liked, preferred); join on interactions.id = interaction_id",
            "user_id is the pseudonymous id stored by the app, kept as stored",
            "stored text is scrubbed of PII and secrets before it is written; text columns are present only "
            "with include_text, and filled only where the interaction and its session consent",
        ],
    }
    result.manifest = out / "manifest.json"
    result.manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return result


def zip_export(result: ExportResult, zip_path: str | Path) -> Path:
    """The export's files (tables + manifest) in one zip, flat; the directory is left as it is."""
    zip_path = Path(zip_path)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in [*result.files.values(), result.manifest]:
            if p is not None:
                z.write(p, arcname=p.name)
    return zip_path


def add_arguments(p) -> None:
    p.add_argument("--url", default="", help="database URL (default: from settings)")
    p.add_argument("--window", default="7d", help="24h, 7d, 30d, any interval such as 12h, or 'all'")
    p.add_argument("--format", dest="fmt", choices=list(FORMATS), default="csv")
    p.add_argument("--out", required=True, help="directory for interactions/ratings/signals + manifest.json")
    p.add_argument("--include-text", action="store_true",
                   help="add the free-text columns, filled only where the user consented")
    p.add_argument("--zip", action="store_true", help="also pack the files into <out>.zip")


def run(store, args) -> int:
    """``python -m telemetry export``: prints one JSON line with the files and row counts."""
    import sys

    from telemetry.analytics import window_bounds

    try:
        since, until = window_bounds(args.window)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    result = export_telemetry(store.engine, args.out, since=since, until=until, fmt=args.fmt,
                              include_text=args.include_text, window_label=args.window)
    out: dict[str, Any] = {"directory": str(result.directory), "format": result.fmt,
                           "include_text": result.include_text, "rows": result.rows,
                           "files": {t: str(p) for t, p in result.files.items()}}
    if args.zip:
        out["zip"] = str(zip_export(result, Path(args.out).resolve().with_suffix(".zip")))
    print(json.dumps(out))
    return 0


__all__ = ["FORMATS", "TABLES", "TEXT_COLUMNS", "ExportResult", "export_telemetry", "zip_export", "add_arguments", "run"]
