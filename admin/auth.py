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
"""

from __future__ import annotations

import functools
import hmac
import inspect
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("modroute.admin.auth")

DISABLED_MESSAGE = ("The admin area is disabled: set MODROUTE_ADMIN_TOKEN (or, on a Hugging Face Space, "
                    "MODROUTE_ADMIN_USERS) to enable it.")
REFUSED_MESSAGE = "Admin access required: sign in as an admin first."


class AdminDenied(Exception):
    """The caller is not an admin. ``status`` is the HTTP status to answer with (401 or 403)."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Principal:
    name: str  # HF username, or "token-admin"
    via: str  # "oauth" | "token"


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
    def __init__(self, token: str = "", users: Iterable[str] = (), *, on_space: bool | None = None):
        self._token = (token or "").encode("utf-8")
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
                     oauth_username: str | None = None, where: str = "") -> Principal:
        """The admin principal for these credentials, or :class:`AdminDenied`."""
        if not self.enabled:
            raise AdminDenied(DISABLED_MESSAGE, 403)
        if self.check_user(oauth_username):
            return Principal(str(oauth_username), "oauth")
        presented = self.bearer(headers)
        if presented is not None:
            if self.check_token(presented):
                return Principal("token-admin", "token")
            self._refused("wrong bearer token", where)
            raise AdminDenied("Admin access refused: the token is wrong.", 403)
        if session_token:
            if self.check_token(session_token):
                return Principal("token-admin", "token")
            self._refused("stale or wrong session token", where)
            raise AdminDenied("Admin access refused: sign in again.", 403)
        if oauth_username:
            self._refused(f"user {oauth_username!r} is not on the admin allowlist", where)
            raise AdminDenied(f"Admin access refused: {oauth_username} is not an admin.", 403)
        raise AdminDenied(REFUSED_MESSAGE, 401)

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
                                 oauth_username=self.oauth_username(request), where=where)

    # -- FastAPI ---------------------------------------------------------------------------------
    def check_http(self, request: Any) -> Principal:
        """For every admin HTTP route (see ``admin.http``): 401/403 with an OpenAI-style error body."""
        from fastapi import HTTPException

        try:
            return self.authenticate(headers=request.headers, where=f"{request.method} {request.url.path}")
        except AdminDenied as e:
            headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
            raise HTTPException(e.status, detail={"error": {
                "message": e.message, "type": "authentication_error" if e.status == 401 else "permission_error",
                "param": None, "code": "admin_disabled" if not self.enabled else "admin_required"}},
                headers=headers) from None


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
        new_params = ([inspect.Parameter("admin_session", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
                      + [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params]
                      + [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                           annotation=gr.Request)])
        auth = self.auth

        def check(args: tuple) -> tuple[Principal, tuple]:
            admin_session, *rest = args
            request = rest.pop() if rest and isinstance(rest[-1], gr.Request) else None
            try:
                principal = auth.from_gradio(request, admin_session, where=name)
            except AdminDenied as e:
                raise gr.Error(e.message, title="Admin only") from None
            return principal, tuple(rest)

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def wrapper(*args):
                principal, rest = check(args)
                yield from fn(principal, *rest)
        else:
            @functools.wraps(fn)
            def wrapper(*args):
                principal, rest = check(args)
                return fn(principal, *rest)

        wrapper.__signature__ = sig.replace(parameters=new_params)
        wrapper.__annotations__ = {"request": gr.Request}
        wrapper.__modroute_admin__ = name
        return wrapper


def is_admin_handler(fn: Any) -> bool:
    return getattr(fn, "__modroute_admin__", None) is not None
