"""The writer's spool: an append-only, fsync'd JSONL file of records awaiting the database.

A record is spooled when the database cannot take it (down, or the in-memory queue is full); it is
replayed in order, oldest segment first, by this process or by the next one to open the same spool
after a crash. One process at a time owns a spool (``flock``), so replays never race.

The spool is capped (``TelemetryWriter(spool_max_bytes=...)``): once it is that large it is *full*,
and records are then spooled with their consented raw text removed (:func:`strip_raw_text`) so the
spool grows as slowly as it can. Nothing already in it is ever dropped to make room: an answer that
was acknowledged stays acknowledged.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from telemetry.events import Record

log = logging.getLogger("modroute.telemetry.writer")

# The columns that hold consented raw (scrubbed) text, per record kind.
RAW_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "interaction": ("query_text", "answer_text"),
    "feedback": ("comment",),
    "signal": ("message_text",),
    "escalation": ("failed_answer_text",),
}


def strip_raw_text(records: Sequence[Record]) -> int:
    """Blank the raw-text columns of ``records`` in place (as if consent were false for text; the
    consent flag itself stays what the user said). Returns how many records had text removed."""
    n = 0
    for rec in records:
        row = rec.get("row") or {}
        cols = [c for c in RAW_TEXT_COLUMNS.get(rec.get("kind", ""), ()) if row.get(c) is not None]
        for c in cols:
            row[c] = None
        n += bool(cols)
    return n


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SpoolBusyError(RuntimeError):
    pass


class Spool:
    """Append-only JSONL file of records awaiting the database, plus the segments being replayed.

    ``take()`` renames the live file to ``<name>.replay-<ns>`` so appends continue in a fresh file
    while the old one is replayed; a segment is deleted only after all of it is committed, and
    segments left by a crash are replayed first, oldest first.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).expanduser().resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rejected_path = self.path.with_name(self.path.name + ".rejected.jsonl")
        self._lock = threading.Lock()
        self._file = None
        self._lockfile = open(self.path.with_name(self.path.name + ".lock"), "a+")  # noqa: SIM115
        try:
            fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lockfile.close()
            raise SpoolBusyError(f"another process is writing telemetry through {self.path}") from None

    @staticmethod
    def encode(records: Sequence[Record]) -> bytes:
        return b"".join(json.dumps(r, separators=(",", ":")).encode("ascii") + b"\n" for r in records)

    def append(self, records: Sequence[Record], *, sync: bool) -> int:
        data = self.encode(records)
        with self._lock:
            if self._file is None:
                created = not self.path.exists()
                self._file = open(self.path, "ab")  # noqa: SIM115
                if created:
                    _fsync_dir(self.path.parent)
            self._file.write(data)
            self._file.flush()
            if sync:
                os.fsync(self._file.fileno())
        return len(data)

    def sync(self) -> None:
        with self._lock:
            if self._file is not None:
                os.fsync(self._file.fileno())

    def segments(self) -> list[Path]:
        return sorted(self.path.parent.glob(self.path.name + ".replay-*"))

    def has_data(self) -> bool:
        try:
            if self.path.stat().st_size > 0:
                return True
        except FileNotFoundError:
            pass
        return bool(self.segments())

    def size_bytes(self) -> int:
        total = 0
        for p in [self.path, *self.segments()]:
            try:
                total += p.stat().st_size
            except FileNotFoundError:
                pass
        return total

    def take(self) -> list[Path]:
        """Close the live file into a new segment (if it has data); return all segments, oldest first."""
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None
            try:
                live = self.path.stat().st_size > 0
            except FileNotFoundError:
                live = False
            if live:
                os.replace(self.path, self.path.with_name(f"{self.path.name}.replay-{time.time_ns():020d}"))
                _fsync_dir(self.path.parent)
        return self.segments()

    def read(self, segment: Path, chunk: int, on_bad_line: Callable[[bytes, str], None]) -> Iterator[list[Record]]:
        """Records of a segment in chunks. A torn last line (a write cut by a crash, never acknowledged)
        is skipped; any other unreadable line goes to ``on_bad_line``."""
        batch: list[Record] = []
        with open(segment, "rb") as f:
            for line in f:
                if not line.endswith(b"\n"):  # only the last line can lack its newline
                    log.warning("spool %s ends with a torn line (%d bytes, never acknowledged); skipped",
                                segment.name, len(line))
                    break
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict) or "kind" not in rec or "row" not in rec:
                        raise ValueError("not a telemetry record")
                except ValueError as e:
                    on_bad_line(line.rstrip(b"\n"), str(e))
                    continue
                batch.append(rec)
                if len(batch) >= chunk:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def remove(self, segment: Path) -> None:
        segment.unlink(missing_ok=True)
        _fsync_dir(self.path.parent)

    def reject(self, entries: Sequence[dict[str, Any]]) -> None:
        data = b"".join(json.dumps(e, separators=(",", ":"), default=str).encode("ascii") + b"\n" for e in entries)
        with self._lock, open(self.rejected_path, "ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None
        if not self._lockfile.closed:
            fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_UN)
            self._lockfile.close()
