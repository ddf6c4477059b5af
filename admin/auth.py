"""Who may use the admin area — checked on the server for every single call.

Hiding the admin tab does not protect it: every Gradio event and every HTTP route is callable
directly (gradio_client, curl). So each admin handler is registered through :class:`AdminGuard`,
which wraps it with a check of the caller, and each admin HTTP route hangs off a router whose
dependency is :meth:`AdminAuth.check_http`. Later admin features (retraining, pipeline launcher,
publishing) register their handlers the same way and are covered by the same tests.

Ways in:

- **On a Hugging Face Space**: Hugging Face OAuth (``gr.LoginButton``), and the username must be in
  ``MODROUTE_ADMIN_USERS``. Outside a Space Gradio only *mocks* OAuth with the machine's own Hub
  login, so OAuth is never honoured there.
- **Anywhere**: the token in ``MODROUTE_ADMIN_TOKEN``, typed into the admin sign-in box (kept in the
  session's server-side ``gr.State``, never sent back to the browser) or sent as
  ``Authorization: Bearer <token>`` (HTTP API, ``gradio_client(headers=...)``).

With neither configured the admin area is **disabled**: every call is refused. Tokens are compared
with ``hmac.compare_digest`` and never logged.

Token guessing is rate-limited per client address (:class:`AttemptLimiter`: 5 wrong tokens in 5 minutes
lock that client out until the oldest expires; a right token resets the count). The sign-in box, Bearer
tokens on ``/admin/*`` and guarded Gradio calls share one limiter. Every guarded call, refusal and sign-in
attempt is handed to ``AdminAuth.audit_hook`` (set by the console: ``admin.audit.AuditTrail``).
"""

from __future__ import annotations

import functools
import hmac
import inspect
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from admin.ratelimit import AttemptLimiter, client_address, too_many_message

log = logging.getLogger("modroute.admin.auth")

DISABLED_MESSAGE = ("The admin area is disabled: set MODROUTE_ADMIN_TOKEN (or, on a Hugging Face Space, "
                    "MODROUTE_ADMIN_USERS) to enable it.")
REFUSED_MESSAGE = "Admin access required: sign in as an admin first."


class AdminDenied(Exception):
    """The caller is not an admin. ``status`` is the HTTP status to answer with (401, 403 or 429);
    ``actor`` is who the caller claimed to be, for the audit log; ``retry_after`` (s) when rate-limited."""

    def __init__(self, message: str, status: int = 403, *, actor: str = "anonymous",
                 retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.actor = actor
        self.retry_after = retry_after


@dataclass
class AuditNote:
    """What a guarded call acted on, filled in by the handler (``principal.note(...)``)."""

    target: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the call answered, but what it was asked to do failed (audited "failed")


@dataclass(frozen=True)
class Principal:
    name: str  # HF username, or "token-admin"
    via: str  # "oauth" | "token"
    audit: AuditNote | None = field(default=None, compare=False, repr=False)

    def note(self, target: str | None = None, *, error: str | None = None, **detail: Any) -> None:
        """Record what this call acted on (a job id, a repo, a revision) in its audit entry; ``error``
        marks it failed when the handler reports a failure as a message instead of raising."""
        if self.audit is None:
            return
        if target is not None:
            self.audit.target = str(target)
        if error is not None:
            self.audit.error = str(error)
        self.audit.detail.update(detail)


def on_hf_space() -> bool:
    """Running inside a Hugging Face Space with OAuth enabled (what ``gr.LoginButton`` needs)."""
    return os.environ.get("SYSTEM") == "spaces" and bool(os.environ.get("OAUTH_CLIENT_ID"))


def oauth_supported() -> bool:
    """Gradio's OAuth needs its [oauth] extra (authlib, itsdangerous)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("authlib", "itsdangerous"))


def session_oauth_username(request: Any) -> str | None:
    """The HF username of the caller's OAuth session (Gradio's session cookie), if logged in.

    Callers decide whether to honour it: outside a Space Gradio's OAuth is a local mock.
    """
    if request is None:
        return None
    try:
        session = request.session  # gr.Request -> starlette Request; needs Gradio's SessionMiddleware
    except (AssertionError, AttributeError):
        return None
    info = session.get("oauth_info") if hasattr(session, "get") else None
    if not info:
        return None
    expires = info.get("expires_at")
    if expires is not None and expires < time.time():
        return None
    user = info.get("userinfo") or {}
    return user.get("preferred_username") or None


class AdminAuth:
    def __init__(self, token: str = "", users: Iterable[str] = (), *, on_space: bool | None = None,
                 limiter: AttemptLimiter | None = None):
        self._token = (token or "").encode("utf-8")
        self.limiter = limiter or AttemptLimiter()
        # Called as audit_hook(actor, action, target=, outcome=, client=, detail=); see admin.audit.AuditTrail.
        self.audit_hook: Callable[..., None] | None = None
        self.users = frozenset(u.strip().lower() for u in users if u and u.strip())
        if on_space is None:
            on_space = on_hf_space()
            if on_space and self.users and not oauth_supported():
                log.error("MODROUTE_ADMIN_USERS is set but Hugging Face OAuth needs gradio[oauth] (authlib, "
                          "itsdangerous): OAuth admin sign-in is off")
                on_space = False
        self.on_space = on_space

    @classmethod
    def from_settings(cls, settings: Any) -> AdminAuth:
        users = [u for u in str(getattr(settings, "admin_users", "") or "").split(",")]
        return cls(getattr(settings, "admin_token", ""), users)

    def __repr__(self) -> str:  # never show the token
        return f"AdminAuth(token={'set' if self._token else 'unset'}, users={len(self.users)}, oauth={self.oauth_enabled})"

    # -- configuration ---------------------------------------------------------------------------
    @property
    def token_enabled(self) -> bool:
        return bool(self._token)

    @property
    def oauth_enabled(self) -> bool:
        return self.on_space and bool(self.users)

    @property
    def enabled(self) -> bool:
        return self.token_enabled or self.oauth_enabled

    # -- checks ----------------------------------------------------------------------------------
    def check_token(self, presented: str | None) -> bool:
        if not self._token or not presented:
            return False
        return hmac.compare_digest(presented.encode("utf-8"), self._token)

    def check_user(self, username: str | None) -> bool:
        return self.oauth_enabled and bool(username) and username.strip().lower() in self.users

    @staticmethod
    def bearer(headers: Mapping[str, str] | None) -> str | None:
        if not headers:
            return None
        value = headers.get("authorization") or headers.get("Authorization") or ""
        scheme, _, credentials = value.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return None
        return credentials.strip()

    def authenticate(self, *, headers: Mapping[str, str] | None = None, session_token: str | None = None,
                     oauth_username: str | None = None, where: str = "", client: str | None = None) -> Principal:
        """The admin principal for these credentials, or :class:`AdminDenied`."""
        if not self.enabled:
            raise AdminDenied(DISABLED_MESSAGE, 403)
        if self.check_user(oauth_username):
            return Principal(str(oauth_username), "oauth")
        presented = self.bearer(headers)
        if presented is not None:
            return self._token_attempt(presented, client, where, "wrong bearer token",
                                       "Admin access refused: the token is wrong.")
        if session_token:
            return self._token_attempt(session_token, client, where, "stale or wrong session token",
                                       "Admin access refused: sign in again.")
        if oauth_username:
            self._refused(f"user {oauth_username!r} is not on the admin allowlist", where)
            raise AdminDenied(f"Admin access refused: {oauth_username} is not an admin.", 403,
                              actor=str(oauth_username)[:128])
        raise AdminDenied(REFUSED_MESSAGE, 401)

    def _token_attempt(self, presented: str, client: str | None, where: str, reason: str,
                       message: str) -> Principal:
        wait = self.limiter.retry_after(client)
        if wait is not None:
            self._refused(f"too many wrong tokens from {client or 'an unknown client'}", where)
            raise AdminDenied(too_many_message(wait), 429, actor="unknown", retry_after=wait)
        if self.check_token(presented):
            self.limiter.succeeded(client)
            return Principal("token-admin", "token")
        self.limiter.failed(client)
        self._refused(reason, where)
        raise AdminDenied(message, 403, actor="unknown")

    def sign_in(self, token: str | None, client: str | None = None) -> Principal:
        """The admin sign-in box: rate-limited like every token check, and audited (ok and refused)."""
        token = (token or "").strip()
        try:
            if not self.token_enabled:
                raise AdminDenied(DISABLED_MESSAGE, 403)
            if not token:
                raise AdminDenied("Type the admin token first.", 401)
            wait = self.limiter.retry_after(client)
            if wait is not None:
                raise AdminDenied(too_many_message(wait), 429, actor="unknown", retry_after=wait)
            if not self.check_token(token):
                self.limiter.failed(client)
                log.warning("admin sign-in refused: wrong token")
                raise AdminDenied("Wrong admin token.", 403, actor="unknown")
        except AdminDenied as e:
            self.record(e.actor, "sign_in", "refused", client=client, detail={"reason": e.message})
            raise
        self.limiter.succeeded(client)
        log.info("admin signed in with the token")
        self.record("token-admin", "sign_in", "ok", client=client)
        return Principal("token-admin", "token")

    def record(self, actor: str, action: str, outcome: str = "ok", *, target: str | None = None,
               client: str | None = None, detail: dict[str, Any] | None = None) -> None:
        """Hand one admin action to the audit hook; the action itself never fails because of it."""
        hook = self.audit_hook
        if hook is None:
            return
        try:
            hook(actor, action, target=target, outcome=outcome, client=client, detail=detail)
        except Exception as e:  # noqa: BLE001 - the hook logs its own failures; this is the last guard
            log.error("audit hook failed for %s: %s", action, type(e).__name__)

    @staticmethod
    def _refused(reason: str, where: str) -> None:
        log.warning("admin access refused%s: %s", f" ({where})" if where else "", reason)

    # -- Gradio ----------------------------------------------------------------------------------
    def oauth_username(self, request: Any) -> str | None:
        """The HF username of a logged-in OAuth session (only honoured on a Space)."""
        if not self.oauth_enabled:
            return None
        return session_oauth_username(request)

    def from_gradio(self, request: Any, session_token: str | None, where: str = "") -> Principal:
        headers = getattr(request, "headers", None) if request is not None else None
        return self.authenticate(headers=headers, session_token=session_token,
                                 oauth_username=self.oauth_username(request), where=where,
                                 client=client_address(request))

    # -- FastAPI ---------------------------------------------------------------------------------
    def check_http(self, request: Any) -> Principal:
        """For every admin HTTP route (see ``admin.http``): 401/403 with an OpenAI-style error body."""
        from fastapi import HTTPException

        where = f"{request.method} {request.url.path}"
        client = client_address(request)
        try:
            return self.authenticate(headers=request.headers, where=where, client=client)
        except AdminDenied as e:
            self.record(e.actor, where, "refused", client=client, detail={"reason": e.message})
            headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
            code = "admin_disabled" if not self.enabled else "admin_required"
            if e.status == 429:
                headers, code = {"Retry-After": str(e.retry_after)}, "rate_limited"
            kind = {401: "authentication_error", 429: "rate_limit_error"}.get(e.status, "permission_error")
            raise HTTPException(e.status, detail={"error": {
                "message": e.message, "type": kind, "param": None, "code": code}}, headers=headers) from None


class AdminGuard:
    """Registry of admin Gradio handlers; each one re-checks the caller on every call.

    Write a handler as ``fn(principal, *inputs)`` and register it::

        @guard.handler("admin_status")
        def status(principal: Principal) -> str: ...

        button.click(status, inputs=[admin_session], outputs=[...], api_name="admin_status")

    Gradio then calls it with the admin session state first and the request last; the wrapper checks
    both before the body runs, and a refusal is a ``gr.Error`` (the body never runs). ``handlers``
    lists everything registered, so tests can call each one without credentials.
    """

    def __init__(self, auth: AdminAuth):
        self.auth = auth
        self.handlers: dict[str, Callable] = {}

    def handler(self, name: str) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            if name in self.handlers:
                raise ValueError(f"admin handler {name!r} registered twice")
            wrapped = self._wrap(name, fn)
            self.handlers[name] = wrapped
            return wrapped

        return register

    def _wrap(self, name: str, fn: Callable) -> Callable:
        import gradio as gr

        sig = inspect.signature(fn)
        params = list(sig.parameters.values())[1:]  # drop `principal`
        session = inspect.Parameter("admin_session", inspect.Parameter.POSITIONAL_OR_KEYWORD)
        request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=gr.Request)
        if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
            # Gradio inserts the request at its position among the positional parameters and stops at
            # *args: a handler taking a variable number of inputs gets it right after the session.
            new_params = [session, request_param, *params]
        else:
            new_params = ([session] + [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params]
                          + [request_param])
        auth = self.auth

        def check(args: tuple) -> tuple[Principal, tuple, str | None]:
            admin_session, *rest = args
            at = next((i for i, a in enumerate(rest) if isinstance(a, gr.Request)), None)
            request = rest.pop(at) if at is not None else None
            client = client_address(request)
            try:
                principal = auth.from_gradio(request, admin_session, where=name)
            except AdminDenied as e:
                auth.record(e.actor, name, "refused", client=client, detail={"reason": e.message})
                raise gr.Error(e.message, title="Admin only") from None
            return replace(principal, audit=AuditNote()), tuple(rest), client

        def done(principal: Principal, client: str | None, error: BaseException | None) -> None:
            note = principal.audit or AuditNote()
            detail = dict(note.detail)
            if error is not None:
                detail["error"] = (getattr(error, "message", None) or str(error) or type(error).__name__)[:500]
            elif note.error is not None:
                detail["error"], error = note.error[:500], RuntimeError(note.error)
            auth.record(principal.name, name, "ok" if error is None else "failed", target=note.target,
                        client=client, detail=detail or None)

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def wrapper(*args):
                principal, rest, client = check(args)
                try:
                    yield from fn(principal, *rest)
                except GeneratorExit:  # the browser went away: the call did what it did so far
                    done(principal, client, None)
                    raise
                except Exception as e:
                    done(principal, client, e)
                    raise
                done(principal, client, None)
        else:
            @functools.wraps(fn)
            def wrapper(*args):
                principal, rest, client = check(args)
                try:
                    out = fn(principal, *rest)
                except Exception as e:
                    done(principal, client, e)
                    raise
                done(principal, client, None)
                return out

        wrapper.__signature__ = sig.replace(parameters=new_params)
        wrapper.__annotations__ = {"request": gr.Request}
        wrapper.__modroute_admin__ = name
        return wrapper


def is_admin_handler(fn: Any) -> bool:
    return getattr(fn, "__modroute_admin__", None) is not None
