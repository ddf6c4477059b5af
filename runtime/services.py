"""The services object: everything the UI and API call, built once by a factory.

No module-level model state: ``create_services(settings)`` opens the engine, loads
the router artifacts, wires the chat service (and telemetry when configured) and
``Services.close()`` shuts everything down in reverse order.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from runtime.accurate import AccurateTools
from runtime.chat import ChatService
from runtime.embedder import Embedder
from runtime.engine import ChatRequest, Engine
from runtime.memory import SessionStore
from runtime.router import DissatisfactionDetector, Router, load_router_artifacts
from runtime.settings import Settings

log = logging.getLogger("modroute.services")


@dataclass
class Services:
    settings: Settings
    engine: Engine
    embedder: Embedder
    router: Router
    detector: DissatisfactionDetector | None
    chat: ChatService
    sessions: SessionStore
    router_problems: list[str] = field(default_factory=list)
    tools: AccurateTools | None = None  # Accurate mode's tools (critique scorer, example bank, self-consistency)
    telemetry: Any = None
    scheduler: Any = None  # telemetry.scheduler.LearningScheduler when the learning loop runs in this process
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)

    def close(self) -> None:
        self._stack.close()


class ProbeSkipped(Exception):
    """The probe chose not to run; the router uses its imputed probe features (and the prompt's real
    token count when the probe could still tell it: tokenizing does not need the busy context)."""

    def __init__(self, message: str, prompt_tokens: int | None = None):
        super().__init__(message)
        self.prompt_tokens = prompt_tokens


def make_probe(engine: Engine, tokens: int):
    """The router's cheap base-model confidence probe: a few greedy tokens with their log-probabilities."""

    def probe(text: str) -> tuple[float, float, int]:
        if engine.busy or engine.queue_length:
            # Never queue for an optimisation: the user would wait twice and not see their place in line.
            try:
                n = len(engine.tokenize_chat([{"role": "user", "content": text}]))
            except Exception:  # pragma: no cover - the token count is a refinement only
                n = None
            raise ProbeSkipped("the model is busy", prompt_tokens=n)
        c = engine.complete(ChatRequest([{"role": "user", "content": text}], max_tokens=tokens))
        lp = c.logprobs or [0.0]
        return float(np.mean(lp)), float(np.min(lp)), int(c.usage["prompt_tokens"])

    return probe


def create_services(settings: Settings | None = None, telemetry: Any = None, versions: Any = None,
                    benefit: Any = None) -> Services:
    """``versions``: a ``runtime.versions.RouterVersionSet`` (retrained router versions and the canary),
    or None for the shipped router only. ``benefit``: a ``runtime.benefit.BenefitPolicy`` reading users'
    satisfaction from telemetry, or None for one that judges modifiers on their held-out metrics only."""
    settings = settings or Settings()
    stack = contextlib.ExitStack()
    try:
        engine = stack.enter_context(Engine(settings))
        embedder = Embedder()
        embedder.embed(["warm-up"])  # pay the model load here, not on the first user's question
        arts = load_router_artifacts(settings.router_manifest, settings.cache_dir, embedder)
        for p in arts.problems:
            log.error("router: %s", p)
        router = Router(settings, embedder, arts.domain, arts.quality, registry=engine.modifiers,
                        probe=make_probe(engine, settings.probe_tokens), version=arts.version, versions=versions,
                        benefit=benefit)
        tools = AccurateTools.load(settings, embedder)  # missing artifacts: that tool is off, and says why
        sessions = SessionStore()
        chat = ChatService(engine, router, arts.detector, sessions, telemetry=telemetry, cascade=settings.cascade,
                           dissatisfied_threshold=settings.dissatisfied_threshold, tools=tools)
    except BaseException:
        stack.close()
        raise
    return Services(settings=settings, engine=engine, embedder=embedder, router=router, detector=arts.detector,
                    chat=chat, sessions=sessions, router_problems=arts.problems, tools=tools, telemetry=telemetry,
                    _stack=stack)
