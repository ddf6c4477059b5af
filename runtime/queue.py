"""A fair FIFO slot: one generation per llama.cpp context at a time, first come first served.

``threading.Lock`` makes no ordering promise; under load a thread can be
starved. Here callers take a ticket and are served in ticket order, and a
waiting caller can ask for its position (shown to users while they wait).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque


class FairQueue:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[int] = deque()
        self._holder: int | None = None
        self._tickets = itertools.count(1)

    def join(self) -> int:
        """Take a ticket; the caller then waits with :meth:`wait`."""
        with self._cond:
            ticket = next(self._tickets)
            self._waiting.append(ticket)
            return ticket

    def position(self, ticket: int) -> int:
        """0 while the ticket holds the slot, 1 for next in line, ... ; -1 if unknown."""
        with self._cond:
            if self._holder == ticket:
                return 0
            try:
                return self._waiting.index(ticket) + 1
            except ValueError:
                return -1

    def wait(self, ticket: int, timeout: float | None = None) -> bool:
        """Block until ``ticket`` holds the slot (True) or ``timeout`` passes (False)."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: self._holder == ticket or (self._holder is None and self._waiting[0] == ticket),
                timeout=timeout,
            )
            if ok and self._holder is None:
                self._waiting.popleft()
                self._holder = ticket
            return ok

    def release(self, ticket: int) -> None:
        """Give up the slot, or leave the line if still waiting (e.g. a cancelled client)."""
        with self._cond:
            if self._holder == ticket:
                self._holder = None
            else:
                try:
                    self._waiting.remove(ticket)
                except ValueError:
                    pass
            self._cond.notify_all()

    def __len__(self) -> int:
        """Callers waiting, not counting the one being served."""
        with self._cond:
            return len(self._waiting)

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._holder is not None

    def hold(self) -> _Held:
        """Context manager taking the slot (for maintenance such as reloading modifiers)."""
        return _Held(self)


class _Held:
    def __init__(self, q: FairQueue) -> None:
        self.q = q
        self.ticket = 0

    def __enter__(self) -> int:
        self.ticket = self.q.join()
        self.q.wait(self.ticket)
        return self.ticket

    def __exit__(self, *exc) -> None:
        self.q.release(self.ticket)
