"""A tiny registry for hand-written Python tasks: each has code and hand-computed asserts."""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeTask:
    slug: str  # stable id of the task (used in the example id)
    entry_point: str  # the last top-level def/class of the code
    difficulty: str
    instruction: str
    explanation: str
    code: str
    tests: str


def top_level_names(code: str) -> list[str]:
    tree = ast.parse(code)
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


def make_registry():
    tasks: list[CodeTask] = []

    def T(slug, difficulty, instruction, explanation, code, tests):  # noqa: N802 - reads like a table
        code = textwrap.dedent(code).strip("\n")
        names = top_level_names(code)
        if not names:
            raise ValueError(f"{slug}: no top-level function or class")
        tasks.append(CodeTask(slug, names[-1], difficulty, " ".join(instruction.split()),
                              " ".join(explanation.split()), code, textwrap.dedent(tests).strip("\n")))

    return tasks, T
