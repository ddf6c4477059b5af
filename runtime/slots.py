"""Where a new stream goes among the context's slots (one KV stream each), and the prefix rules.

llama.cpp (one KV stream per sequence, ``split_equal`` in llama-batch.cpp) puts only runs of
consecutive sequence ids into one ubatch, so a group's streams (same adapter) must sit side by side
for its decode call to be one batch. A cached prefix decides only when it is long (a conversation's
earlier turns); a short shared start such as the system prompt is instead copied from whichever slot
holds it (:func:`copy_prefix`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.sequence import Slot

LONG_PREFIX = 64  # a cached prefix this long outweighs keeping a group's slots side by side
MIN_COPY = 8  # copy another slot's cached prefix when it saves at least this many prefill tokens
_FREE = object()


def choose_slot(slots: list[Slot], key, free: list[Slot], shared: Callable[[Slot], int]) -> Slot:
    """The free slot for a stream of group ``key``: a long cached prefix (``shared(slot)`` >= LONG_PREFIX)
    wins; else a free slot next to a running stream of the same group; else, for a group that is not
    running yet, the middle of the largest free gap (room for it and for its neighbour to grow), or the
    gap's start at slot 0."""
    n = len(slots)

    def running_key(i: int):
        if 0 <= i < n and slots[i].seq is not None:
            return slots[i].seq.key
        return _FREE

    prefix = max(free, key=lambda s: (shared(s), -s.index))
    if shared(prefix) >= LONG_PREFIX:
        return prefix
    beside = [s for s in free if key in (running_key(s.index - 1), running_key(s.index + 1))]
    if beside:
        return max(beside, key=lambda s: (shared(s), -s.index))
    gaps: list[list[Slot]] = []
    for s in sorted(free, key=lambda s: s.index):
        if gaps and gaps[-1][-1].index == s.index - 1:
            gaps[-1].append(s)
        else:
            gaps.append([s])
    gap = max(gaps, key=lambda g: (len(g), -g[0].index))
    if gap[0].index == 0 or len(gap) == 1:
        return gap[0]
    return gap[len(gap) // 2]


def copy_prefix(mc: Any, slots: list[Slot], slot: Slot, shared: Callable[[Slot], int]) -> tuple[int, bool]:
    """Cells ``slot`` can start from, and whether they were copied: its own shared prefix, or a longer one
    copied from another slot's stream (free or running, same adapter: ``shared`` is 0 across adapters)
    when that saves at least ``MIN_COPY`` tokens of prefill. llama.cpp copies a whole KV stream between
    streams (``ModelContext.seq_copy``, done at the start of the next decode; ~2 ms here for 2048 cells)
    where reading the system prompt costs ~80 ms; the copied cells are the bits this slot would compute
    for those tokens, so answers do not change."""
    n = shared(slot)
    m, donor = max(((shared(s), s) for s in slots if s is not slot), key=lambda c: (c[0], -c[1].index),
                   default=(0, None))
    if donor is None or m < n + MIN_COPY:
        return n, False
    mc.seq_copy(donor.index, slot.index)
    if not mc.seq_keep(slot.index, m):  # cannot happen for a fresh copy; start clean rather than guess
        mc.seq_clear(slot.index)
        slot.kv_tokens, slot.kv_key = [], None
        return 0, False
    slot.kv_tokens, slot.kv_key = donor.kv_tokens[:m], donor.kv_key
    return m, True
