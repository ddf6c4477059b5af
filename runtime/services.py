"""The services object: everything the UI and API call, built once by a factory.

No module-level model state: ``create_services(settings)`` opens the engine (and,
as they land, router, telemetry, scheduler) and ``Services.close()`` shuts all down.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from runtime.engine import Engine
from runtime.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)

    def close(self) -> None:
        self._stack.close()


def create_services(settings: Settings | None = None) -> Services:
    settings = settings or Settings()
    stack = contextlib.ExitStack()
    try:
        engine = stack.enter_context(Engine(settings))
    except BaseException:
        stack.close()
        raise
    return Services(settings=settings, engine=engine, _stack=stack)
