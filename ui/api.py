"""OpenAI-compatible HTTP API on the same server as the UI.

- ``POST /v1/chat/completions`` (:mod:`ui.api_chat`): streaming (SSE) and non-streaming. The request is
  declared in :mod:`ui.api_models` (FastAPI validates it and publishes it in ``/api-openapi.json``), where
  the OpenAI fields honoured, accepted without effect and refused (400 naming the field) are listed, with
  ModRoute's extensions: ``mode`` (auto | fast | accurate), ``modifier``, ``session_id``, ``consent``,
  ``cascade``, ``personalize`` and Accurate mode's tools (``max_critique_rounds``, ``self_consistency``,
  ``n_paths``, ``examples``, ``use_examples``). Every response carries ``routing``
  (``RouteDecision.to_dict()``) and ``modroute`` (interaction id, notices, timings). ``model`` may be
  ``modroute`` (routed), the base model's id (Fast) or a modifier's id (that modifier).
- ``GET /v1/models``: the router, the base model and every modifier.
- ``POST /v1/feedback``: a 1-10 rating / like / comment for a completion id (re-rating updates).
- ``GET /healthz`` (never behind an API key).

Errors are OpenAI-style, ``{"error": {"message", "type", "param", "code"}}`` (:mod:`ui.api_errors`); a full
queue is a 429 with ``Retry-After``. With ``MODROUTE_API_KEYS`` set, ``/v1/*`` needs ``Authorization:
Bearer <key>`` and each key is rate limited (:mod:`ui.api_auth`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ui.api_auth import APIAccess
from ui.api_chat import COMPLETION_PREFIX, ChatCompletions, json_body_route, lone_surrogate, read_json
from ui.api_errors import APIError, error_response, install_error_handlers, is_int
from ui.api_models import ERROR_RESPONSES, ROUTER_MODEL_ID, ChatCompletionRequest

__all__ = ["APIError", "ChatAPI", "api_router", "error_response", "install_api"]


class ChatAPI:
    def __init__(self, services: Any, sink: Any = None):
        self.services = services
        self.sink = sink
        self.started = time.time()
        self.completions = ChatCompletions(services, sink, self.models)

    # -- models ----------------------------------------------------------------------------------
    def base_id(self) -> str:
        path = getattr(self.services.engine, "model_path", None)
        return path.stem if path is not None else "base"

    def models(self) -> dict[str, dict[str, Any]]:
        created = int(self.services.engine.started_at)
        out = {ROUTER_MODEL_ID: {"id": ROUTER_MODEL_ID, "object": "model", "created": created, "owned_by": "modroute",
                                 "kind": "router", "description": "Routed: Fast (base) or Accurate (base + modifier)"}}
        base = self.base_id()
        out[base] = {"id": base, "object": "model", "created": created, "owned_by": "modroute", "kind": "base",
                     "sha256": getattr(self.services.engine, "base_sha256", "")}
        for m in self.services.engine.modifiers.describe():
            out[m["name"]] = {"id": m["name"], "object": "model", "created": created, "owned_by": "modroute",
                              "kind": "modifier", "domain": m["domain"], "status": m["status"],
                              "sha256": m["sha256"], "size": m["size"], "version": m["version"]}
        return out

    # -- feedback ---------------------------------------------------------------------------------
    async def feedback(self, request: Request):
        try:
            body = await read_json(request, max_bytes=1 << 16)
            if not isinstance(body, dict):
                raise APIError(400, "The request body must be a JSON object.", code="invalid_type")
            if found := lone_surrogate(body):
                raise APIError(400, f"Invalid '{found[0]}': it contains a lone UTF-16 surrogate ({found[1]}), which "
                                    "is not valid Unicode text.", found[0], "invalid_value")
            cid = body.get("completion_id") or body.get("id")
            if not isinstance(cid, str) or not cid:
                raise APIError(400, "Missing required parameter: 'completion_id'.", "completion_id",
                               "missing_required_parameter")
            iid = cid[len(COMPLETION_PREFIX):] if cid.startswith(COMPLETION_PREFIX) else cid
            rating, liked, preferred = body.get("rating"), body.get("liked"), body.get("preferred")
            comment = body.get("comment")
            if rating is not None and (not is_int(rating) or not 1 <= rating <= 10):
                raise APIError(400, f"Invalid 'rating': {rating!r}. Expected an integer from 1 to 10.", "rating",
                               "invalid_value")
            for key, v in (("liked", liked), ("preferred", preferred)):
                if v is not None and not isinstance(v, bool):
                    raise APIError(400, f"Invalid type for '{key}': expected a boolean.", key, "invalid_type")
            if comment is not None and (not isinstance(comment, str) or len(comment) > 4000):
                raise APIError(400, "Invalid 'comment': expected a string of at most 4,000 characters.", "comment",
                               "invalid_value")
            if rating is None and liked is None and preferred is None and not comment:
                raise APIError(400, "Send at least one of 'rating', 'liked', 'preferred' or 'comment'.", None,
                               "missing_required_parameter")
            user = body.get("user") or "api"
            if not isinstance(user, str) or len(user) > 64:
                raise APIError(400, "Invalid 'user': expected a string of at most 64 characters.", "user",
                               "invalid_value")
            if self.sink is None:
                raise APIError(503, "Feedback cannot be stored: telemetry is off on this server.",
                               code="telemetry_off", type_="server_error")
            if not await asyncio.to_thread(self.sink.known, iid):
                raise APIError(404, f"No completion with id {cid!r}.", "completion_id", "not_found")
        except APIError as e:
            return e.response()
        event_id = self.sink.rate(iid, f"api:{user}", rating=rating, liked=liked, preferred=preferred,
                                  comment=comment)
        session = self.sink.session_of(iid)
        if rating is not None and session:
            self.services.chat.note_rating(session, rating)
        return {"object": "feedback", "id": event_id, "completion_id": COMPLETION_PREFIX + iid, "interaction_id": iid,
                "user": user, "rating": rating, "liked": liked, "preferred": preferred, "stored": True}

    # -- health ----------------------------------------------------------------------------------
    def healthz(self) -> JSONResponse:
        engine = self.services.engine
        ok = engine.llama is not None
        body = {"status": "ok" if ok else "unavailable", "model": self.base_id(),
                "modifiers": [m for m in engine.modifiers.names() if engine.modifiers.get(m).available],
                "queue_length": engine.queue_length, "uptime_s": round(time.time() - engine.started_at, 1),
                "router_version": getattr(self.services.router, "version", "")}
        tools = getattr(self.services, "tools", None)
        if tools is not None:  # Accurate mode's tools: "ok", or why one is off (its artifact is missing/refused)
            body["accurate_tools"] = {t: tools.unavailable(t) or "ok" for t in ("critique", "consistency", "fewshot")}
            if tools.critic is None:
                body["accurate_tools"]["critique"] = tools.problems.get("critique", "no critique scorer")
        warnings: list[str] = []
        if self.sink is not None:
            st = self.sink.stats()
            body["telemetry"] = {"db_up": st.get("db_up"), "pending": st.get("pending"),
                                 "spool_bytes": st.get("spool_bytes"), "spool_max_bytes": st.get("spool_max_bytes"),
                                 "spool_full": bool(st.get("spool_full")),
                                 "durable_timeouts": st.get("durable_timeouts", 0)}
            if st.get("spool_full"):
                # Still 200: answers keep being served; but an operator must act (bring the database back).
                warnings.append(f"telemetry spool full ({st.get('spool_bytes')} of {st.get('spool_max_bytes')} "
                                "bytes, database unreachable): new consented raw text is NOT being stored; "
                                "nothing recorded is dropped")
        body["warnings"] = warnings
        if ok and warnings:
            body["status"] = "degraded"
        return JSONResponse(body, status_code=200 if ok else 503)


def api_router(services: Any, sink: Any = None, access: APIAccess | None = None) -> APIRouter:
    """``/v1/*`` (behind the API keys when there are any) and ``/healthz`` (always open)."""
    api = ChatAPI(services, sink)
    access = access if access is not None else APIAccess.from_settings(services.settings)
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(access.dependency())], tags=["OpenAI-compatible"],
                   responses={k: v for k, v in ERROR_RESPONSES.items() if k in (401, 429)})

    async def chat_completions(request: Request, body: ChatCompletionRequest):
        return await api.completions(request, body)

    v1.add_api_route("/chat/completions", chat_completions, methods=["POST"], responses=ERROR_RESPONSES,
                     route_class_override=json_body_route(api.completions.max_body_bytes),
                     summary="Chat completion (OpenAI-compatible, routed)",
                     description="OpenAI's chat completion with ModRoute's routing. Streaming answers are "
                                 "server-sent events in OpenAI's chunk format; while a streamed request waits "
                                 "in line it receives chunks with `modroute.queue_position`.")

    @v1.get("/models")
    def list_models():
        return {"object": "list", "data": list(api.models().values())}

    @v1.get("/models/{model_id}")
    def get_model(model_id: str):
        m = api.models().get(model_id)
        if m is None:
            return error_response(404, f"The model '{model_id}' does not exist.", "model", "model_not_found")
        return m

    @v1.post("/feedback")
    async def feedback(request: Request):
        return await api.feedback(request)

    router = APIRouter()
    router.include_router(v1)

    @router.get("/healthz")
    def healthz():
        return api.healthz()

    router.chat_api = api
    router.access = access
    return router


def install_api(app: Any, services: Any, sink: Any = None, access: APIAccess | None = None) -> APIRouter:
    """The API's routes and the app's OpenAI-style error handlers on ``app``."""
    install_error_handlers(app, ChatCompletionRequest)
    router = api_router(services, sink, access)
    app.include_router(router)
    _document_400_not_422(app)
    return router


def _document_400_not_422(app: Any) -> None:
    """FastAPI documents 422 for validation errors; this app answers them with OpenAI's 400."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            for item in build()["paths"].values():
                for op in item.values():
                    op.get("responses", {}).pop("422", None)
        return app.openapi_schema

    app.openapi = openapi
