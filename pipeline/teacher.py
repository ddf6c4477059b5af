"""The teacher cascade: cheap -> mid -> frontier OpenAI-compatible endpoints, a judge, a budget.

Items the base fails go to the cheapest tier first. A tier's answer is kept when
the judge scores it >= ``min_score`` (default 8/10); otherwise the item escalates
to the next tier, so the expensive tiers only see what the cheaper ones could not
do. Every request is rate limited per tier, retried with exponential backoff on
429/5xx/connection errors (``Retry-After`` honoured), priced per tier from the
usage the server reports, and refused before it is sent when its worst-case cost
would exceed the budget cap.

The offline default tier is ``kind: local``: a GGUF model through llama-cpp-python
(the runtime engine), sampled with temperature so that best-of-n with a verifier
judge yields correct answers the greedy base missed.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.scoring import get_scorer, scorable
from pipeline.textdata import Item

log = logging.getLogger("pipeline.teacher")


class TeacherError(RuntimeError):
    pass


class BudgetExceeded(TeacherError):
    pass


@dataclass
class TierConfig:
    name: str = "cheap"
    kind: str = "openai"  # openai (any OpenAI-compatible endpoint) | local (GGUF via llama-cpp-python)
    base_url: str = ""
    model: str = ""
    api_key_env: str = "OPENAI_API_KEY"  # the *name* of the variable holding the key; keys never go in configs
    price_in_per_mtok: float = 0.0  # USD per million prompt tokens
    price_out_per_mtok: float = 0.0  # USD per million completion tokens
    max_tokens: int = 512
    temperature: float = 0.7
    samples: int = 1  # answers tried per item before escalating (best-of-n under the judge)
    requests_per_minute: float = 0.0  # 0 = no limit
    max_retries: int = 4
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    timeout_s: float = 120.0
    gguf: str = ""  # kind=local: model file (empty = the pipeline's base GGUF)
    system_prompt: str = ""


@dataclass
class JudgeConfig:
    """``verifier``: grade with the domain's scorer against the reference (tests, answer, calls).
    ``openai``: an LLM judge at an OpenAI-compatible endpoint, for items without a checkable reference."""

    kind: str = "verifier"
    base_url: str = ""
    model: str = ""
    api_key_env: str = "OPENAI_API_KEY"
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    max_retries: int = 4
    backoff_s: float = 1.0
    timeout_s: float = 120.0
    requests_per_minute: float = 0.0


@dataclass
class Reply:
    text: str
    prompt_tokens: int
    completion_tokens: int
    cost: float


@dataclass
class Budget:
    """A hard cap on money spent across tiers and the judge; costs are accounted per tier."""

    cap_usd: float = 0.0  # 0 = free tiers only (any priced request is refused)
    spent: dict[str, float] = field(default_factory=dict)
    exhausted: bool = False

    @property
    def total(self) -> float:
        return sum(self.spent.values())

    def reserve(self, tier: str, worst_case: float) -> None:
        if worst_case > 0 and self.total + worst_case > self.cap_usd + 1e-12:
            self.exhausted = True
            raise BudgetExceeded(f"budget cap ${self.cap_usd:.4f} reached (spent ${self.total:.4f}, "
                                 f"next {tier} request could cost ${worst_case:.4f})")

    def charge(self, tier: str, cost: float) -> None:
        self.spent[tier] = self.spent.get(tier, 0.0) + cost


class RateLimiter:
    def __init__(self, per_minute: float):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            time.sleep(delay)


class OpenAIEndpoint:
    """One OpenAI-compatible chat endpoint with its price, rate limit, retries and usage counters."""

    def __init__(self, name: str, base_url: str, model: str, api_key_env: str, *, price_in: float,
                 price_out: float, budget: Budget, max_retries: int, backoff_s: float, timeout_s: float,
                 requests_per_minute: float, max_backoff_s: float = 30.0):
        import openai

        if not base_url or not model:
            raise TeacherError(f"tier {name!r}: base_url and model are required for an OpenAI-compatible endpoint")
        self.name, self.model = name, model
        self.price_in, self.price_out = price_in, price_out
        self.budget = budget
        self.max_retries, self.backoff_s, self.max_backoff_s = max_retries, backoff_s, max_backoff_s
        self.limiter = RateLimiter(requests_per_minute)
        # Our own retry loop (max_retries=0 on the client) so that every attempt is counted and paced.
        self.client = openai.OpenAI(base_url=base_url, api_key=os.environ.get(api_key_env) or "not-needed",
                                    max_retries=0, timeout=timeout_s)
        self.stats = {"requests": 0, "retries": 0, "errors": 0, "prompt_tokens": 0, "completion_tokens": 0,
                      "cost_usd": 0.0}

    def _worst_case(self, messages: list[dict[str, str]], max_tokens: int) -> float:
        chars = sum(len(m["content"]) for m in messages)
        return (chars / 3.0 * self.price_in + max_tokens * self.price_out) / 1e6

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 seed: int | None = None) -> Reply:
        import openai

        self.budget.reserve(self.name, self._worst_case(messages, max_tokens))
        attempt = 0
        while True:
            self.limiter.wait()
            self.stats["requests"] += 1
            try:
                resp = self.client.chat.completions.create(model=self.model, messages=messages,
                                                           max_tokens=max_tokens, temperature=temperature,
                                                           seed=seed)
                break
            except (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError,
                    openai.APITimeoutError) as e:
                retry_after = _retry_after(e)
            except openai.APIStatusError as e:
                if e.status_code in (408, 409, 429) or e.status_code >= 500:
                    retry_after = _retry_after(e)
                else:
                    self.stats["errors"] += 1
                    raise TeacherError(f"{self.name}: HTTP {e.status_code}: {_short(e)}") from e
            if attempt >= self.max_retries:
                self.stats["errors"] += 1
                raise TeacherError(f"{self.name}: gave up after {attempt + 1} attempts")
            delay = min(self.max_backoff_s, retry_after if retry_after is not None else self.backoff_s * 2**attempt)
            attempt += 1
            self.stats["retries"] += 1
            log.info("%s: retry %d in %.2f s", self.name, attempt, delay)
            time.sleep(delay)
        text = (resp.choices[0].message.content or "") if resp.choices else ""
        pt = int(getattr(resp.usage, "prompt_tokens", 0) or 0) if resp.usage else 0
        ct = int(getattr(resp.usage, "completion_tokens", 0) or 0) if resp.usage else 0
        cost = (pt * self.price_in + ct * self.price_out) / 1e6
        self.budget.charge(self.name, cost)
        self.stats["prompt_tokens"] += pt
        self.stats["completion_tokens"] += ct
        self.stats["cost_usd"] += cost
        return Reply(text, pt, ct, cost)


def _retry_after(e: Exception) -> float | None:
    resp = getattr(e, "response", None)
    if resp is None:
        return None
    try:
        return float(resp.headers.get("retry-after"))
    except (TypeError, ValueError):
        return None


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:200]


class LocalGGUFTeacher:
    """A GGUF model through the runtime engine (llama-cpp-python); free, sampled with temperature."""

    def __init__(self, name: str, gguf: Path, *, threads: int, data_dir: Path, n_ctx: int = 2048):
        from runtime.engine import Engine
        from runtime.settings import Settings

        self.name = name
        self.engine = Engine(Settings(data_dir=data_dir, n_threads=threads, n_ctx=n_ctx, manifest=""),
                             model_path=gguf, manifest="").open()
        self.stats = {"requests": 0, "retries": 0, "errors": 0, "prompt_tokens": 0, "completion_tokens": 0,
                      "cost_usd": 0.0}

    def complete(self, messages, *, max_tokens: int, temperature: float, seed: int | None = None) -> Reply:
        from runtime.engine import ChatRequest

        self.stats["requests"] += 1
        c = self.engine.complete(ChatRequest(messages=messages, max_tokens=max_tokens, temperature=temperature,
                                             top_p=0.95, seed=seed, track_confidence=False))
        self.stats["prompt_tokens"] += c.usage["prompt_tokens"]
        self.stats["completion_tokens"] += c.usage["completion_tokens"]
        return Reply(c.text, c.usage["prompt_tokens"], c.usage["completion_tokens"], 0.0)

    def close(self) -> None:
        self.engine.close()


# -- judges ----------------------------------------------------------------------------------------
class VerifierJudge:
    """Scores 0-10 with the domain's scorer against the item's reference (tests, answer, calls)."""

    kind = "verifier"

    def __init__(self, scorers: dict[str, str]):
        self.scorers = scorers  # domain -> scorer name

    def can_grade(self, item: Item) -> bool:
        name = self.scorers.get(item.domain)
        return bool(name) and scorable(item, name) and not (name == "rubric" and item.answer in (None, ""))

    def grade(self, item: Item, answer: str) -> float:
        return 10.0 * get_scorer(self.scorers[item.domain])(item, answer, None).value


JUDGE_PROMPT = """You are grading an answer to a task. Score it from 0 to 10 for correctness and \
usefulness{rubric_clause}. Reply with the score first, as "Score: N", then one sentence.

Task:
{task}
{reference_clause}
Answer to grade:
{answer}"""


class LLMJudge:
    """An LLM judge at an OpenAI-compatible endpoint (reads 'Score: N' from its reply)."""

    kind = "llm"

    def __init__(self, endpoint: OpenAIEndpoint, fallback: VerifierJudge | None = None):
        self.endpoint = endpoint
        self.fallback = fallback

    def can_grade(self, item: Item) -> bool:
        return True

    def grade(self, item: Item, answer: str) -> float:
        if self.fallback is not None and self.fallback.can_grade(item) and self.fallback.scorers.get(
                item.domain) != "rubric":
            return self.fallback.grade(item, answer)  # a checkable reference beats an opinion
        rub = f", following this rubric: {item.rubric}" if item.rubric else ""
        ref = f"\nReference answer:\n{item.answer if item.answer not in (None, '') else item.reference}\n" if (
            item.answer not in (None, "") or item.reference) else ""
        prompt = JUDGE_PROMPT.format(rubric_clause=rub, task=item.prompt, reference_clause=ref, answer=answer)
        reply = self.endpoint.complete([{"role": "user", "content": prompt}], max_tokens=64, temperature=0.0)
        m = re.search(r"(?i)score\s*[:=]?\s*(\d+(?:\.\d+)?)", reply.text) or re.search(r"(\d+(?:\.\d+)?)",
                                                                                        reply.text)
        return max(0.0, min(10.0, float(m.group(1)))) if m else 0.0


# -- the cascade -----------------------------------------------------------------------------------
@dataclass
class Accepted:
    item: Item
    answer: str
    tier: str
    score: float


@dataclass
class CascadeResult:
    accepted: list[Accepted]
    unresolved: list[Item]
    tiers: dict[str, dict[str, Any]]
    budget_exhausted: bool


def run_cascade(items: list[Item], tiers: list[tuple[TierConfig, Any]], judge, *, min_score: float,
                budget: Budget, seed: int = 0, progress=None, on_accept=None,
                skip: set[str] | None = None) -> CascadeResult:
    """Send ``items`` (what the base failed) through ``tiers`` in order; see the module docstring.

    ``tiers`` pairs each config with its client (``OpenAIEndpoint`` or ``LocalGGUFTeacher``).
    ``on_accept`` is called for each accepted answer as it arrives (for resumable output).
    """
    pending = [it for it in items if judge.can_grade(it)]
    ungradable = [it for it in items if not judge.can_grade(it)]
    if ungradable:
        log.info("cascade: %d items have nothing the judge can grade against; skipped", len(ungradable))
    accepted: list[Accepted] = []
    stats: dict[str, dict[str, Any]] = {}
    # Clients and the budget live across calls (one per domain): report this call's share only.
    before = {cfg.name: dict(getattr(client, "stats", {})) for cfg, client in tiers}
    spent_before = dict(budget.spent)
    for cfg, client in tiers:
        st = stats.setdefault(cfg.name, {"items": 0, "attempts": 0, "accepted": 0, "escalated": 0, "errors": 0,
                                         "judge_scores": []})
        still: list[Item] = []
        it_iter = progress(pending, f"tier {cfg.name}") if progress else pending
        for item in it_iter:
            if budget.exhausted:
                still.append(item)
                continue
            st["items"] += 1
            best: Accepted | None = None
            msgs = ([{"role": "system", "content": cfg.system_prompt}] if cfg.system_prompt else []) + [
                {"role": "user", "content": item.prompt}]
            for s in range(max(1, cfg.samples)):
                try:
                    reply = client.complete(msgs, max_tokens=cfg.max_tokens, temperature=cfg.temperature,
                                            seed=seed * 1000 + s)
                    st["attempts"] += 1
                    score = judge.grade(item, reply.text)
                except BudgetExceeded as e:
                    log.warning("cascade: %s", e)
                    break
                except TeacherError as e:
                    st["errors"] += 1
                    log.warning("cascade: %s on %s: %s", cfg.name, item.id, e)
                    break
                st["judge_scores"].append(round(score, 2))
                if score >= min_score:
                    best = Accepted(item, reply.text, cfg.name, score)
                    break
            if best is not None:
                st["accepted"] += 1
                accepted.append(best)
                if on_accept:
                    on_accept(best)
            else:
                st["escalated"] += 1
                still.append(item)
        pending = still
    for cfg, client in tiers:
        now = getattr(client, "stats", {})
        stats[cfg.name].update({k: v - before[cfg.name].get(k, 0) for k, v in now.items() if k != "cost_usd"})
        stats[cfg.name]["cost_usd"] = round(budget.spent.get(cfg.name, 0.0) - spent_before.get(cfg.name, 0.0), 6)
    return CascadeResult(accepted, pending + ungradable, stats, budget.exhausted)
