"""Accurate mode's tools as loaded for serving: the critique scorer and the example bank from the tools
manifest, the self-consistency module; and the thread pump that lets a synchronous tool (the vote's
``generate`` callback) report progress while it runs inside a turn's event stream.

A missing or corrupt artifact disables its tool only; ``AccurateTools.problems`` says why, and the
runner (:mod:`runtime.accurate`) repeats it in the decision's reasons and the ladder's notices.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.engine import Queued, Started

log = logging.getLogger("modroute.accurate")

_END = object()


@dataclass
class AccurateTools:
    """The loaded tools (None = unavailable; ``problems`` says why) and their defaults."""

    critic: Any = None  # runtime.critique.CritiqueScorer
    bank: Any = None  # runtime.fewshot.ExampleBank
    consistency: Any = None  # the runtime.consistency module
    feedback_prompt: Callable[..., str] | None = None
    format_examples: Callable[[list], list[dict]] | None = None
    embedder: Any = None
    max_critique_rounds: int = 1
    n_paths: int = 5
    fewshot_k: int = 3
    novelty_threshold: float | None = None  # None: the bank's own p90 novelty
    problems: dict[str, str] = field(default_factory=dict)  # tool -> why it is unavailable

    @classmethod
    def load(cls, settings: Any, embedder: Any) -> AccurateTools:
        """Everything ``settings.tools_manifest`` lists; a missing or corrupt artifact disables its tool only."""
        tools = cls(embedder=embedder, max_critique_rounds=settings.max_critique_rounds,
                    n_paths=settings.consistency_paths, fewshot_k=settings.fewshot_k,
                    novelty_threshold=settings.fewshot_novelty_threshold)
        manifest, cache = Path(settings.tools_manifest), Path(settings.cache_dir) / "tools"
        try:
            from runtime import critique

            tools.feedback_prompt = critique.feedback_prompt
            tools.critic = critique.CritiqueScorer.load(manifest, cache, embedder)
            if tools.critic is None:
                tools.problems["critique"] = f"no critique scorer in {manifest}"
        except Exception as e:  # ArtifactError, a missing module, a broken file: the tool is off
            tools.problems["critique"] = f"critique scorer not loaded: {e}"
        try:
            from runtime import fewshot

            tools.format_examples = fewshot.format_examples
            tools.bank = fewshot.ExampleBank.load(manifest, cache, embedder)
        except Exception as e:
            tools.problems["fewshot"] = f"example bank not loaded: {e}"
        try:
            from runtime import consistency

            tools.consistency = consistency
        except Exception as e:  # pragma: no cover - the module ships with the runtime
            tools.problems["consistency"] = f"self-consistency unavailable: {e}"
        for tool, why in tools.problems.items():
            log.warning("accurate-mode tool %s: %s", tool, why)
        return tools

    def unavailable(self, tool: str) -> str:
        """'' when ``tool`` can run, else why not."""
        have = {"critique": self.feedback_prompt is not None, "consistency": self.consistency is not None,
                "fewshot": self.bank is not None}
        return "" if have.get(tool) else (self.problems.get(tool) or f"{tool} is not installed")


def drain(g: Generator, put: Callable[[Any], None]):
    """Run a generation generator to its end, forwarding progress events (never tokens): its return value."""
    try:
        while True:
            ev = next(g)
            if isinstance(ev, Queued | Started):
                put(ev)
    except StopIteration as stop:
        return stop.value


def pump(work: Callable[[Callable[[Any], None]], Any], cancel: threading.Event | None):
    """Run ``work(put)`` in a thread (self_consistency calls ``generate`` synchronously) and yield what it
    puts, so the queue position and progress still reach the client; re-raise its error here."""
    q: queue.Queue = queue.Queue()
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = work(q.put)
        except BaseException as e:  # delivered to the turn's thread
            box["error"] = e
        finally:
            q.put(_END)

    t = threading.Thread(target=run, name="accurate-paths", daemon=True)
    t.start()
    finished = False
    try:
        while (item := q.get()) is not _END:
            yield item
        finished = True
    finally:
        if not finished and cancel is not None:  # the client went away: stop sampling
            cancel.set()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
