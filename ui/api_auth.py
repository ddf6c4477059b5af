"""Optional API keys for ``/v1/*``: ``Authorization: Bearer <key>``, a rate limit per key.

Off by default (``MODROUTE_API_KEYS`` empty): the embedded default serves with no setup. With keys set,
every ``/v1`` route needs one of them (``/healthz`` and the UI stay open). Keys are compared in constant
time (``hmac.compare_digest`` over their SHA-256, so not even the length leaks), are never logged, echoed
in an error or kept in a limiter's table (a key is known there by its position in the list), and each
key's requests go through a token bucket of ``MODROUTE_API_RATE_PER_MIN`` (burst: one minute's worth);
beyond it a 429 with ``Retry-After``. Wrong keys are counted per client address (``admin.ratelimit``) so
guessing is slowed down too.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from admin.ratelimit import AttemptLimiter, client_address
from ui.api_errors import APIError, rate_limited

WRONG_KEYS_PER_MINUTE = 10  # per client address, before it must wait


class APIAccessSettings(BaseSettings):
    """The per-key rate limit (the keys themselves are ``Settings.api_keys``, a secret)."""

    model_config = SettingsConfigDict(env_prefix="MODROUTE_", env_file=None, extra="ignore")
    api_rate_per_min: float = Field(
        default=60.0, ge=0,
        description="Requests per minute per API key (token bucket, burst = one minute's worth); 0 = no limit.")


class TokenBuckets:
    """One token bucket per name: ``rate_per_min`` tokens a minute, at most ``burst`` saved up."""

    def __init__(self, rate_per_min: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.rate_s = rate_per_min / 60.0
        self.burst = max(1.0, burst if burst is not None else rate_per_min)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, name: str) -> float | None:
        """Take one token; None when granted, else the seconds until one is there."""
        if self.rate_s <= 0:
            return None
        with self._lock:
            now = self.clock()
            tokens, when = self._buckets.get(name, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate_s)
            if tokens >= 1.0:
                self._buckets[name] = (tokens - 1.0, now)
                return None
            self._buckets[name] = (tokens, now)
            return (1.0 - tokens) / self.rate_s


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def unauthorized(message: str) -> APIError:
    return APIError(401, message, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})


class APIAccess:
    """Who may call ``/v1``: nobody is asked when there are no keys."""

    def __init__(self, keys: list[str] | tuple[str, ...] = (), rate_per_min: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self._digests = [_digest(k) for k in keys if k]
        self.buckets = TokenBuckets(rate_per_min, clock=clock)
        self.wrong = AttemptLimiter(max_failures=WRONG_KEYS_PER_MINUTE, window_s=60.0, clock=clock)

    @classmethod
    def from_settings(cls, settings: Any, access: APIAccessSettings | None = None) -> APIAccess:
        raw = settings.api_keys.get_secret_value() if hasattr(settings.api_keys, "get_secret_value") else \
            str(settings.api_keys or "")
        access = access or APIAccessSettings()
        return cls([k.strip() for k in raw.split(",") if k.strip()], access.api_rate_per_min)

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def __repr__(self) -> str:  # never the keys
        return f"APIAccess(keys={len(self._digests)}, rate_per_min={self.buckets.rate_s * 60:g})"

    def _which(self, presented: str) -> int | None:
        d = _digest(presented)
        found = None
        for i, k in enumerate(self._digests):  # every key is compared: the time does not say which one matched
            if hmac.compare_digest(d, k):
                found = i
        return found

    def check(self, credentials: HTTPAuthorizationCredentials | None, client: str | None) -> None:
        """Raise a 401 (missing or wrong key) or a 429 (this key's rate, or too many wrong keys from here)."""
        if not self.enabled:
            return
        if credentials is None or not credentials.credentials:
            raise unauthorized("Missing API key: send it as 'Authorization: Bearer <key>'.")
        if (wait := self.wrong.retry_after(client)) is not None:
            raise rate_limited(wait, "Too many wrong API keys from this address; try again in {seconds} s.")
        which = self._which(credentials.credentials)
        if which is None:
            self.wrong.failed(client)
            raise unauthorized("Incorrect API key provided.")
        if (wait := self.buckets.take(f"key-{which}")) is not None:
            raise rate_limited(wait, "Rate limit reached for this API key; try again in {seconds} s.")

    def dependency(self) -> Callable:
        """A FastAPI dependency for the ``/v1`` router (also documents Bearer auth in the OpenAPI schema)."""
        bearer = HTTPBearer(auto_error=False, scheme_name="APIKey",
                            description="Only when the server sets MODROUTE_API_KEYS.")

        def require_api_key(request: Request,
                            credentials: HTTPAuthorizationCredentials | None = Depends(bearer)):  # noqa: B008
            self.check(credentials, client_address(request))

        return require_api_key

