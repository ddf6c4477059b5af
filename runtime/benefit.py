"""Is a domain's modifier expected to answer better than the base alone? Accurate mode only where it is.

The quality model answers "is the base good enough?" (``runtime.router``); this module answers the
other half of sending a question to a modifier: "would the modifier do better?". On 164 HumanEval
problems the base passed 8 and base + code modifier 6, yet the router sent nearly every code question
to the modifier. A modifier is *eligible* for automatic routing only when the evidence shows a
significant gain (one-sided, ``benefit_alpha``):

- **Held-out (offline)**, from its manifest entry's metrics as ``pipeline/phases/evaluate.py`` writes
  them (``n``, ``base``/``modifier`` scores, ``gain``, ``base_pass_rate``/``modifier_pass_rate``): a
  one-sided exact paired sign test (McNemar on the discordant items) of "the modifier passes more
  items than the base". That test needs the discordant counts — items only the base passed
  (``base_only``) and only the modifier passed (``modifier_only``), which ``publish`` copies from
  evaluate's gates into the manifest metrics (since Dec 3): then p is exact. An older entry without
  them is judged from the pass counts alone: every split consistent with them is tried and the
  **largest** p is used, so the gain counts as significant only under every pairing they allow.
- **Users (online)**, once telemetry has ``benefit_min_labelled`` labelled answers for the domain in
  both modes (Fast = base alone, Accurate = with this modifier): the satisfaction difference
  (Accurate - Fast) with a one-sided ``1 - alpha`` lower confidence bound (Newcombe's hybrid score
  interval); eligible when the bound is above 0. This overrides the held-out figure, both ways. It is
  not a randomised comparison: Accurate answers went to questions the router found hard, or that
  users forced, so it measures what users experienced, not a controlled effect.

A modifier without pass rates in its metrics is "unmeasured": not eligible unless
``benefit_unmeasured`` is "accurate". The router applies a verdict after its thresholds (shipped or
a router version's), and never to a forced mode or modifier (``runtime.router.Router.route``).
Numbers only here: no model, no database (telemetry rows arrive through a ``stats`` callable the
server wires to the telemetry store, as ``runtime.versions`` does).
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from statistics import NormalDist
from typing import Any, Literal

from pydantic import BaseModel, Field

log = logging.getLogger("modroute.benefit")

RATE_TOLERANCE = 6e-5  # evaluate rounds pass rates to 4 decimals
ENUMERATE_UP_TO = 2000  # beyond this many items only the extreme pairings are tried (p is monotone between)
StatsFn = Callable[[datetime | None], Iterable[Mapping[str, Any]]]


# -- the statistics ---------------------------------------------------------------------------------
def sign_test_p(base_only: int, modifier_only: int) -> float:
    """One-sided exact sign test that the modifier passes more items than the base (McNemar on the
    discordant pairs): P(X >= modifier_only) for X ~ Binomial(base_only + modifier_only, 1/2);
    1.0 when no item was passed by only one of them."""
    m = base_only + modifier_only
    if m == 0:
        return 1.0
    return sum(math.comb(m, k) for k in range(modifier_only, m + 1)) / 2**m


def paired_p_range(n: int, base_passed: int, modifier_passed: int) -> tuple[float, float]:
    """(smallest, largest) one-sided sign-test p over every per-item pairing with these pass counts.

    With d = modifier_passed - base_passed, ``base_only`` = b can be anything from max(0, -d) to
    min(base_passed, n - modifier_passed), and ``modifier_only`` = b + d."""
    d = modifier_passed - base_passed
    lo, hi = max(0, -d), min(base_passed, n - modifier_passed)
    if hi < lo:
        raise ValueError(f"pass counts {base_passed} and {modifier_passed} do not fit {n} items")
    bs = range(lo, hi + 1) if hi - lo <= ENUMERATE_UP_TO else (lo, hi)
    ps = [sign_test_p(b, b + d) for b in bs]
    return min(ps), max(ps)


def wilson_interval(successes: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_lower_bound(s1: int, n1: int, s2: int, n2: int, z: float) -> float:
    """Lower confidence bound of p1 - p2 (Newcombe 1998, method 10: the hybrid of two Wilson intervals)."""
    p1, p2 = s1 / n1, s2 / n2
    l1, _ = wilson_interval(s1, n1, z)
    _, u2 = wilson_interval(s2, n2, z)
    return (p1 - p2) - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)


# -- evidence and verdicts ------------------------------------------------------------------------------
class HeldOutEvidence(BaseModel):
    """What the modifier's manifest metrics say, and the paired test computed from them."""

    benchmark: str = ""
    n: int = Field(description="held-out items")
    base_score: float | None = None
    modifier_score: float | None = None
    gain: float | None = Field(default=None, description="modifier score - base score, as stored")
    base_passed: int
    modifier_passed: int
    base_only: int | None = Field(default=None, description="items only the base passed (None: not stored)")
    modifier_only: int | None = Field(default=None, description="items only the modifier passed (None: not stored)")
    p: float = Field(description="one-sided p of 'the modifier passes more': exact, or the largest the pass "
                                 "counts allow")
    p_min: float = Field(description="the smallest p the pass counts allow (= p when exact)")
    exact: bool = Field(description="True when the discordant counts were stored")


class UserEvidence(BaseModel):
    """Satisfaction per mode for the domain, from telemetry labels."""

    fast_labelled: int
    fast_satisfied: int
    accurate_labelled: int
    accurate_satisfied: int
    difference: float = Field(description="Accurate satisfaction - Fast satisfaction")
    lower_bound: float = Field(description="one-sided (1 - alpha) lower confidence bound of the difference")
    window_days: float = Field(description="telemetry window read (0 = all time)")


class BenefitVerdict(BaseModel):
    modifier: str
    domain: str
    eligible: bool = Field(description="expected to beat the base: automatic routing may use it")
    source: Literal["held-out", "users", "unmeasured"]
    alpha: float
    reason: str = Field(description="one line for the decision's reasons and the badge")
    held_out: HeldOutEvidence | None = None
    users: UserEvidence | None = None


def _fmt_p(p: float) -> str:
    return f"{p:.2g}"


def held_out_evidence(metrics: Mapping[str, Any]) -> tuple[HeldOutEvidence | None, str]:
    """The paired test from a manifest entry's metrics, or (None, what is missing)."""
    try:
        n = int(metrics["n"])
        rates = float(metrics["base_pass_rate"]), float(metrics["modifier_pass_rate"])
    except (KeyError, TypeError, ValueError):
        return None, "no held-out pass rates (n, base_pass_rate, modifier_pass_rate) in its manifest metrics"
    if n <= 0 or not all(0.0 <= r <= 1.0 for r in rates):
        return None, f"held-out metrics out of range (n={n}, pass rates {rates[0]}, {rates[1]})"
    counts = [round(r * n) for r in rates]
    if any(abs(k / n - r) > RATE_TOLERANCE for k, r in zip(counts, rates, strict=True)):
        return None, f"held-out pass rates {rates[0]}, {rates[1]} are not counts out of n={n}"
    kb, km = counts

    def num(key: str) -> float | None:
        v = metrics.get(key)
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

    b, c = metrics.get("base_only"), metrics.get("modifier_only")
    exact = (isinstance(b, int) and isinstance(c, int) and not isinstance(b, bool) and not isinstance(c, bool)
             and c - b == km - kb and 0 <= b <= kb and 0 <= c <= km)
    if exact:
        p = p_min = sign_test_p(b, c)
    else:
        b = c = None
        p_min, p = paired_p_range(n, kb, km)
    ev = HeldOutEvidence(benchmark=str(metrics.get("benchmark") or ""), n=n, base_score=num("base"),
                         modifier_score=num("modifier"), gain=num("gain"), base_passed=kb, modifier_passed=km,
                         base_only=b, modifier_only=c, p=p, p_min=p_min, exact=exact)
    return ev, ""


def _held_out_text(ev: HeldOutEvidence) -> str:
    bench = f"{ev.benchmark}: " if ev.benchmark else ""
    if ev.base_score is not None and ev.modifier_score is not None:
        scores = f"{ev.base_score:.2f} -> {ev.modifier_score:.2f}"
        if (abs(ev.base_score - ev.base_passed / ev.n) > RATE_TOLERANCE
                or abs(ev.modifier_score - ev.modifier_passed / ev.n) > RATE_TOLERANCE):
            scores += f", passed {ev.base_passed} -> {ev.modifier_passed}"
    else:
        scores = f"passed {ev.base_passed} -> {ev.modifier_passed}"
    if ev.exact or _fmt_p(ev.p_min) == _fmt_p(ev.p):
        p = f"p={_fmt_p(ev.p)}"
    else:  # the discordant counts are not stored: the p-values every pairing with these pass counts gives
        p = f"p={_fmt_p(ev.p_min)} to {_fmt_p(ev.p)}, per-item pairing not stored"
    return f"{bench}{scores}, n={ev.n}, {p}"


def judge_held_out(name: str, domain: str, metrics: Mapping[str, Any], alpha: float,
                   unmeasured_eligible: bool) -> BenefitVerdict:
    ev, missing = held_out_evidence(metrics or {})
    if ev is None:
        verdict = "routed as before (MODROUTE_BENEFIT_UNMEASURED=accurate)" if unmeasured_eligible else \
            "no gain shown"
        return BenefitVerdict(modifier=name, domain=domain, eligible=unmeasured_eligible, source="unmeasured",
                              alpha=alpha, reason=f"{name} modifier: {missing}: {verdict}")
    text = _held_out_text(ev)
    if ev.p < alpha:
        reason = f"{name} modifier: significant gain on held-out ({text}; alpha {alpha:g})"
        return BenefitVerdict(modifier=name, domain=domain, eligible=True, source="held-out", alpha=alpha,
                              reason=reason, held_out=ev)
    if ev.p_min < alpha:  # significant under some pairings only: the stored figures cannot show it
        text += "; significant only under some of those pairings"
    reason = f"{name} modifier: no significant gain on held-out ({text})"
    return BenefitVerdict(modifier=name, domain=domain, eligible=False, source="held-out", alpha=alpha,
                          reason=reason, held_out=ev)


def judge_users(name: str, domain: str, fast: tuple[int, int], accurate: tuple[int, int], alpha: float,
                window_days: float, held_out: HeldOutEvidence | None = None) -> BenefitVerdict:
    """Verdict from (labelled, satisfied) per mode."""
    (nf, sf), (na, sa) = fast, accurate
    z = NormalDist().inv_cdf(1 - alpha)
    lb = difference_lower_bound(sa, na, sf, nf, z)
    diff = sa / na - sf / nf
    ev = UserEvidence(fast_labelled=nf, fast_satisfied=sf, accurate_labelled=na, accurate_satisfied=sa,
                      difference=diff, lower_bound=lb, window_days=window_days)
    eligible = lb > 0
    text = (f"users satisfied {sa / na:.0%} with it (n={na}) vs {sf / nf:.0%} Fast (n={nf}), "
            f"difference {diff:+.0%}, {1 - alpha:.0%} lower bound {lb:+.0%}")
    reason = f"{name} modifier: {'significant' if eligible else 'no significant'} gain for users ({text})"
    return BenefitVerdict(modifier=name, domain=domain, eligible=eligible, source="users", alpha=alpha,
                          reason=reason, held_out=held_out, users=ev)


# -- the policy the router asks -------------------------------------------------------------------------
class BenefitPolicy:
    """Per-domain verdicts for the router. Reads its settings (``benefit_*``) on every call, so a
    changed setting applies at once; telemetry counts come from ``stats(since)`` — rows with
    ``domain``, ``mode``, ``modifier``, ``labelled``, ``satisfied`` (``telemetry.analytics.
    satisfaction_by_domain_mode``) — re-read every ``benefit_refresh_s`` by :meth:`start`'s thread."""

    def __init__(self, settings: Any, stats: StatsFn | None = None):
        self.settings = settings
        self.stats = stats
        self._counts: dict[tuple[str, str, str], tuple[int, int]] = {}  # (domain, mode, modifier) -> (n, sat)
        self._cache: dict[tuple, BenefitVerdict] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return bool(getattr(self.settings, "benefit_policy", True))

    # -- telemetry -----------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Re-read satisfaction per domain and mode. Never raises: on failure the last counts stay."""
        if self.stats is None:
            return False
        days = float(getattr(self.settings, "benefit_window_days", 30.0))
        since = datetime.now(UTC) - timedelta(days=days) if days > 0 else None
        try:
            rows = list(self.stats(since))
        except Exception as e:
            log.warning("modifier benefit: cannot read telemetry (%s); keeping the last counts",
                        str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
            return False
        counts: dict[tuple[str, str, str], tuple[int, int]] = {}
        for r in rows:
            key = (str(r.get("domain") or ""), str(r.get("mode") or ""), str(r.get("modifier") or ""))
            n, s = counts.get(key, (0, 0))
            counts[key] = (n + int(r.get("labelled") or 0), s + int(r.get("satisfied") or 0))
        with self._lock:
            self._counts = counts
            self._cache.clear()
        return True

    def counts(self, domain: str, modifier: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """((labelled, satisfied) Fast with the base, (labelled, satisfied) Accurate with ``modifier``)."""
        with self._lock:
            return self._counts.get((domain, "fast", ""), (0, 0)), self._counts.get((domain, "accurate", modifier),
                                                                                     (0, 0))

    # -- verdicts ------------------------------------------------------------------------------------
    def judge(self, domain: str, modifier: Any) -> BenefitVerdict | None:
        """The verdict on ``modifier`` (a ``runtime.modifiers.Modifier``) for ``domain``; None when the policy
        is off."""
        if not self.enabled or modifier is None:
            return None
        s = self.settings
        alpha = float(getattr(s, "benefit_alpha", 0.05))
        need = int(getattr(s, "benefit_min_labelled", 30))
        unmeasured = getattr(s, "benefit_unmeasured", "fast") == "accurate"
        days = float(getattr(s, "benefit_window_days", 30.0))
        metrics = dict(getattr(modifier, "metrics", None) or {})
        fast, accurate = self.counts(domain, modifier.name)
        use_users = fast[0] >= need and accurate[0] >= need
        key = (domain, modifier.name, getattr(modifier, "sha256", ""), json.dumps(metrics, sort_keys=True, default=str),
               alpha, unmeasured, (fast, accurate, days) if use_users else None)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        offline = judge_held_out(modifier.name, domain, metrics, alpha, unmeasured)
        verdict = (judge_users(modifier.name, domain, fast, accurate, alpha, days, offline.held_out)
                   if use_users else offline)
        with self._lock:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = verdict
        return verdict

    # -- background refresh --------------------------------------------------------------------------
    def start(self) -> BenefitPolicy:
        if self.stats is not None and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="modifier-benefit", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        self.refresh()  # here, not in start(): a large telemetry database must not hold up serving
        while not self._stop.wait(float(getattr(self.settings, "benefit_refresh_s", 300.0))):
            self.refresh()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None


__all__ = ["BenefitPolicy", "BenefitVerdict", "HeldOutEvidence", "UserEvidence", "sign_test_p", "paired_p_range",
           "wilson_interval", "difference_lower_bound", "held_out_evidence", "judge_held_out", "judge_users"]
