"""A tiny registry for hand-written Python tasks: each has code and hand-computed asserts."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeTask:
    entry_point: str
    difficulty: str
    instruction: str
    explanation: str
    code: str
    tests: str


def make_registry():
    tasks: list[CodeTask] = []

    def T(entry_point, difficulty, instruction, explanation, code, tests):  # noqa: N802 - reads like a table
        tasks.append(CodeTask(entry_point, difficulty, " ".join(instruction.split()), " ".join(explanation.split()),
                              textwrap.dedent(code).strip("\n"), textwrap.dedent(tests).strip("\n")))

    return tasks, T
