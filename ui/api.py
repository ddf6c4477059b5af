"""OpenAI-compatible HTTP API on the same server as the UI.

- ``POST /v1/chat/completions``: streaming (SSE) and non-streaming; optional extra fields ``mode``
  (auto | fast | accurate) and ``modifier`` (force one), plus ``session_id``, ``consent``,
  ``cascade`` and ``personalize`` (opt in to personalised routing thresholds: honoured when the server
  allows them and the user has enough history in the serving router version); ``max_tokens``, ``temperature``, ``top_p``, ``seed`` and ``stop`` (up to 4 strings, cut
  before the match as OpenAI does) are honoured, other OpenAI fields ignored; every response carries ``routing`` (``RouteDecision.to_dict()``) and ``modroute``
  (interaction id, notices, timings). Accurate mode's tools (declared in :class:`AccurateOptions`):
  ``max_critique_rounds`` (0-3, 0 = off), ``self_consistency`` and ``n_paths`` (3-10), ``examples``
  (few-shot ``{"input", "output"}`` pairs) and ``use_examples``; ``routing.rung`` and ``routing.tools``
  say what the escalation ladder and the tools did. Pass ``session_id`` to keep the ladder's memory
  across requests; without it the ladder reads the conversation (earlier complaints, rejected answers). ``model`` may be ``modroute`` (routed), the base model's id
  (Fast) or a modifier's id (that modifier).
- ``GET /v1/models``: the router, the base model and every modifier.
- ``POST /v1/feedback``: a 1-10 rating / like / comment for a completion id (re-rating updates).
- ``GET /healthz``.

Malformed requests get OpenAI-style errors, ``{"error": {"message", "type", "param", "code"}}``.

Generation is blocking, CPU-bound code: each turn runs in its own worker thread and hands its
events to the event loop through an ``asyncio.Queue``, so the loop keeps serving other requests
(and the UI). When the client goes away, the turn's ``cancel`` event is set and the engine stops
at the next token (or leaves the queue if it was still waiting).

A streamed answer cannot be taken back, so streaming turns do not cascade (regenerate a
low-confidence Fast answer) unless the client asks for it with ``"cascade": true``; it then
receives a chunk with ``modroute.restart`` and must discard the text received so far.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from runtime.chat import Notice, Restart, Routed, Turn, TurnDone
from runtime.engine import InputError, Queued, Started, Token

log = logging.getLogger("modroute.api")

ROUTER_MODEL_ID = "modroute"
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
MODES = ("auto", "fast", "accurate")
MAX_INFLIGHT = 64  # turns running or waiting at once; more get 429 instead of piling up threads
DISCONNECT_CHECK_S = 0.5  # how often a non-streaming request checks that its client is still there
COMPLETION_PREFIX = "chatcmpl-"
MAX_STOP, MAX_STOP_CHARS = 4, 256  # as OpenAI: up to 4 stop sequences
_END = object()


class APIError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None,
                 type_: str = "invalid_request_error"):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.type = status, message, param, code, type_

    def response(self) -> JSONResponse:
        return error_response(self.status, self.message, self.param, self.code, self.type)


def error_response(status: int, message: str, param: str | None = None, code: str | None = None,
                   type_: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": type_, "param": param, "code": code}},
                        status_code=status)


# -- request parsing ----------------------------------------------------------------------------
@dataclass
class CompletionRequest:
    messages: list[dict[str, str]]
    model: str = ROUTER_MODEL_ID
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    temperature: float = 0.0
    mode: str = "auto"
    modifier: str | None = None
    user: str = ""
    session_id: str = ""
    consent: bool = False
    cascade: bool | None = None
    personalize: bool | None = None  # opt in (True) / out (False) of personalised routing thresholds
    top_p: float = 1.0
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    tools: AccurateOptions | None = None
    extra: dict[str, Any] = field(default_factory=dict)


MAX_EXAMPLES, MAX_EXAMPLE_CHARS = 16, 4000


class FewShotExample(BaseModel):
    """One worked example the client supplies: shown to the model as a user/assistant exchange."""

    model_config = ConfigDict(extra="forbid", strict=True)
    input: str = Field(min_length=1, max_length=MAX_EXAMPLE_CHARS, description="The example question.")
    output: str = Field(max_length=MAX_EXAMPLE_CHARS, description="Its answer, as the model should answer.")


class AccurateOptions(BaseModel):
    """Accurate mode's tools for one request (the ModRoute extension fields; absent = the server's choice).

    Declared rather than parsed by hand, so the rules and their descriptions live in one place."""

    model_config = ConfigDict(extra="ignore", strict=True)
    max_critique_rounds: int | None = Field(
        default=None, ge=0, le=3,
        description="Critique -> regenerate rounds on Accurate answers while the critique score is below 7/10 "
                    "(0 = off; default: the server's, normally 1).")
    self_consistency: bool | None = Field(
        default=None, description="true: sample several answers and vote; false: never; absent: only for hard "
                                  "questions in Accurate mode (and as an escalation rung).")
    n_paths: int | None = Field(default=None, ge=3, le=10,
                                description="Sampled answers for self-consistency (default: the server's, 5).")
    examples: list[FewShotExample] | None = Field(
        default=None, max_length=MAX_EXAMPLES,
        description="Few-shot examples to put before the conversation, as {\"input\", \"output\"} objects.")
    use_examples: bool | None = Field(
        default=None, description="true: retrieve the nearest worked examples from the example bank; false: "
                                  "never; absent: when the question is far from the bank, in Accurate mode.")

    def turn_fields(self) -> dict[str, Any]:
        return {"max_critique_rounds": self.max_critique_rounds, "self_consistency": self.self_consistency,
                "n_paths": self.n_paths, "use_examples": self.use_examples,
                "examples": [e.model_dump() for e in self.examples] if self.examples is not None else None}


_TYPE_ERRORS = {"int_type": "an integer", "bool_type": "a boolean", "list_type": "an array",
                "string_type": "a string", "model_type": "an object", "dict_type": "an object"}


def parse_accurate_options(body: dict[str, Any]) -> AccurateOptions:
    """The tool fields of a request body; a clear 400 for the first invalid one."""
    try:
        return AccurateOptions.model_validate({k: v for k, v in body.items() if k in AccurateOptions.model_fields})
    except ValidationError as e:
        err = e.errors()[0]
        loc = [str(x) for x in err.get("loc", ())]
        param = loc[0] + "".join(f"[{x}]" if x.isdigit() else f".{x}" for x in loc[1:]) if loc else None
        value = err.get("input")
        if err["type"] in _TYPE_ERRORS:
            raise APIError(400, f"Invalid type for '{param}': expected {_TYPE_ERRORS[err['type']]}, got "
                                f"{_type_name(value)}.", param, "invalid_type") from None
        if err["type"] == "missing":
            raise APIError(400, f"Missing required parameter: '{param}'.", param, "missing_required_parameter") \
                from None
        shown = value if isinstance(value, int | float | bool) or value is None else _type_name(value)
        raise APIError(400, f"Invalid '{param}': {shown}. {err['msg']}.", param, "invalid_value") from None


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _type_name(v: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "an object", type(None): "null"}.get(type(v), type(v).__name__)


async def read_json(request: Request, max_bytes: int) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise APIError(413, f"The request body is {int(declared):,} bytes; the limit is {max_bytes:,}.",
                       code="request_too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise APIError(413, f"The request body is larger than the limit of {max_bytes:,} bytes.",
                           code="request_too_large")
    if not body.strip():
        raise APIError(400, "The request body is empty: send a JSON object.", code="invalid_json")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise APIError(400, f"We could not parse the JSON body of your request ({e}). The body must be valid JSON "
                            "(and the Content-Type application/json).", code="invalid_json") from None


def parse_completion(body: Any, *, max_chars: int, models: dict[str, dict[str, Any]],
                     modifiers: list[str]) -> CompletionRequest:
    if not isinstance(body, dict):
        raise APIError(400, f"The request body must be a JSON object, got {_type_name(body)}.", code="invalid_type")
    if "messages" not in body:
        raise APIError(400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter")
    raw = body["messages"]
    if not isinstance(raw, list):
        raise APIError(400, f"Invalid type for 'messages': expected an array, got {_type_name(raw)}.", "messages",
                       "invalid_type")
    if not raw:
        raise APIError(400, "'messages' must contain at least one message.", "messages", "empty_array")
    messages = []
    for i, m in enumerate(raw):
        p = f"messages[{i}]"
        if not isinstance(m, dict):
            raise APIError(400, f"Invalid type for '{p}': expected an object with 'role' and 'content'.", p,
                           "invalid_type")
        role = m.get("role")
        if role not in ROLES:
            raise APIError(400, f"Invalid value for '{p}.role': {role!r}. Supported roles: system, developer, user, "
                                "assistant.", f"{p}.role", "invalid_value")
        content = m.get("content")
        if content is None and role == "assistant":
            content = ""
        if isinstance(content, list):
            parts = []
            for j, part in enumerate(content):
                if not isinstance(part, dict) or part.get("type", "text") != "text":
                    raise APIError(400, f"Unsupported content part in '{p}.content[{j}]': only text parts are "
                                        "supported.", f"{p}.content", "unsupported_content")
                parts.append(str(part.get("text", "")))
            content = "".join(parts)
        if not isinstance(content, str):
            raise APIError(400, f"Invalid type for '{p}.content': expected a string, got {_type_name(content)}.",
                           f"{p}.content", "invalid_type")
        if len(content) > max_chars:
            raise APIError(400, f"'{p}.content' is {len(content):,} characters; the limit is {max_chars:,}. Shorten "
                                "it or split it into several messages.", f"{p}.content", "string_above_max_length")
        messages.append({"role": ROLES[role], "content": content})
    if messages[-1]["role"] != "user":
        raise APIError(400, "The last message must be from the user (the question to answer).", "messages",
                       "invalid_value")
    if not messages[-1]["content"].strip():
        raise APIError(400, "The last message is empty: send a non-empty user message.",
                       f"messages[{len(messages) - 1}].content", "empty_string")

    req = CompletionRequest(messages=messages)
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise APIError(400, f"Invalid type for 'model': expected a string, got {_type_name(model)}.", "model",
                       "invalid_type")
    req.model = model or ROUTER_MODEL_ID
    if req.model not in models:
        raise APIError(404, f"The model '{req.model}' does not exist. Available: {', '.join(models)}.", "model",
                       "model_not_found")

    stream = body.get("stream", False)
    if stream is not None and not isinstance(stream, bool):
        raise APIError(400, f"Invalid type for 'stream': expected a boolean, got {_type_name(stream)}.", "stream",
                       "invalid_type")
    req.stream = bool(stream)
    opts = body.get("stream_options")
    if isinstance(opts, dict):
        req.include_usage = bool(opts.get("include_usage"))

    for key in ("max_completion_tokens", "max_tokens"):
        v = body.get(key)
        if v is None:
            continue
        if not _is_int(v):
            raise APIError(400, f"Invalid type for '{key}': expected an integer, got {_type_name(v)}.", key,
                           "invalid_type")
        if v < 1:
            raise APIError(400, f"Invalid '{key}': integer below minimum value. Expected a value >= 1, but got {v} "
                                "instead.", key, "integer_below_min_value")
        req.max_tokens = v
    t = body.get("temperature")
    if t is not None:
        if isinstance(t, bool) or not isinstance(t, int | float):
            raise APIError(400, f"Invalid type for 'temperature': expected a number, got {_type_name(t)}.",
                           "temperature", "invalid_type")
        if not 0 <= t <= 2:
            raise APIError(400, f"Invalid 'temperature': {t}. Expected a value between 0 and 2.", "temperature",
                           "decimal_out_of_range")
        req.temperature = float(t)
    tp = body.get("top_p")
    if tp is not None:
        if isinstance(tp, bool) or not isinstance(tp, int | float):
            raise APIError(400, f"Invalid type for 'top_p': expected a number, got {_type_name(tp)}.", "top_p",
                           "invalid_type")
        if not 0 < tp <= 1:
            raise APIError(400, f"Invalid 'top_p': {tp}. Expected a value above 0 and at most 1.", "top_p",
                           "decimal_out_of_range")
        req.top_p = float(tp)
    seed = body.get("seed")
    if seed is not None:
        if not _is_int(seed):
            raise APIError(400, f"Invalid type for 'seed': expected an integer, got {_type_name(seed)}.", "seed",
                           "invalid_type")
        req.seed = seed
    stop = body.get("stop")
    if stop is not None:
        stops = [stop] if isinstance(stop, str) else stop
        if not isinstance(stops, list) or not all(isinstance(x, str) for x in stops):
            raise APIError(400, f"Invalid type for 'stop': expected a string or an array of strings, got "
                                f"{_type_name(stop)}.", "stop", "invalid_type")
        if len(stops) > MAX_STOP or any(len(x) > MAX_STOP_CHARS for x in stops):
            raise APIError(400, f"Invalid 'stop': at most {MAX_STOP} strings of at most {MAX_STOP_CHARS} characters.",
                           "stop", "invalid_value")
        req.stop = [x for x in stops if x]
    n = body.get("n")
    if n is not None and n != 1:
        raise APIError(400, "Only n=1 is supported.", "n", "unsupported_value")

    mode = body.get("mode")
    if mode is not None:
        if not isinstance(mode, str) or mode.lower() not in MODES:
            raise APIError(400, f"Invalid value for 'mode': {mode!r}. Expected one of auto, fast, accurate.", "mode",
                           "invalid_value")
        req.mode = mode.lower()
    modifier = body.get("modifier")
    if modifier is not None and modifier != "":
        if not isinstance(modifier, str):
            raise APIError(400, f"Invalid type for 'modifier': expected a string, got {_type_name(modifier)}.",
                           "modifier", "invalid_type")
        if modifier.lower() != "auto":
            if modifier not in modifiers:
                raise APIError(400, f"Unknown modifier {modifier!r}; available: {', '.join(modifiers) or 'none'}.",
                               "modifier", "unknown_modifier")
            req.modifier = modifier
    kind = models[req.model].get("kind")
    if kind == "modifier" and req.modifier is None:
        req.modifier = req.model
    elif kind == "base" and mode is None and req.modifier is None:
        req.mode = "fast"
    for key, attr in (("user", "user"), ("session_id", "session_id")):
        v = body.get(key)
        if v is not None:
            if not isinstance(v, str) or len(v) > 64:
                raise APIError(400, f"Invalid '{key}': expected a string of at most 64 characters.", key,
                               "invalid_value")
            setattr(req, attr, v)
    for key in ("consent", "cascade", "personalize"):
        v = body.get(key)
        if v is not None:
            if not isinstance(v, bool):
                raise APIError(400, f"Invalid type for '{key}': expected a boolean, got {_type_name(v)}.", key,
                               "invalid_type")
            setattr(req, key, v)
    req.tools = parse_accurate_options(body)
    return req


# -- running a turn off the event loop ------------------------------------------------------------
class TurnRunner:
    """Runs ``ChatService.stream_turn`` in a worker thread; events arrive on an asyncio queue."""

    def __init__(self, chat: Any, turn: Turn, loop: asyncio.AbstractEventLoop):
        self.chat, self.turn, self.loop = chat, turn, loop
        self.queue: asyncio.Queue = asyncio.Queue()
        self.finished = False
        self._get: asyncio.Future | None = None  # the pending get() while waiting with disconnect checks
        self._checked = time.monotonic()
        self.thread = threading.Thread(target=self._work, name="api-turn", daemon=True)

    def start(self) -> TurnRunner:
        self.thread.start()
        return self

    def _put(self, item: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (shutdown): stop generating
            self.turn.cancel.set()

    def _work(self) -> None:
        try:
            for ev in self.chat.stream_turn(self.turn):
                self._put(ev)
        except BaseException as e:  # delivered to the request handler, which answers with an error
            self._put(e)
        finally:
            self._put(_END)

    async def next(self) -> Any:
        item = await self.queue.get()
        if item is _END:
            self.finished = True
        return item

    async def next_unless_disconnected(self, request: Request) -> Any:
        """The next event, or None if the client went away; the connection is checked at least every
        ``DISCONNECT_CHECK_S``, also while events keep coming."""
        if time.monotonic() - self._checked >= DISCONNECT_CHECK_S:
            self._checked = time.monotonic()
            if await request.is_disconnected():
                return None
        if self._get is None:
            self._get = asyncio.ensure_future(self.next())
        while True:
            try:
                # shield: a timeout must not cancel the pending get(), or its event would be lost.
                item = await asyncio.wait_for(asyncio.shield(self._get), timeout=DISCONNECT_CHECK_S)
            except TimeoutError:
                self._checked = time.monotonic()
                if await request.is_disconnected():
                    return None
                continue
            self._get = None
            return item

    def cancel(self) -> None:
        if not self.finished:
            self.turn.cancel.set()


def _openai_finish(reason: str) -> str:
    return reason if reason in ("stop", "length") else "stop"


def _usage(u: dict[str, int]) -> dict[str, Any]:
    out = {k: int(u.get(k, 0)) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}
    out["prompt_tokens_details"] = {"cached_tokens": int(u.get("cached_tokens", 0))}
    return out


class ChatAPI:
    def __init__(self, services: Any, sink: Any = None):
        self.services = services
        self.sink = sink
        self._inflight = 0
        self._lock = threading.Lock()
        self.started = time.time()

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

    # -- admission -------------------------------------------------------------------------------
    def _admit(self) -> None:
        with self._lock:
            if self._inflight >= MAX_INFLIGHT:
                raise APIError(429, f"The server is busy ({MAX_INFLIGHT} requests in progress); retry shortly.",
                               code="server_busy", type_="rate_limit_error")
            self._inflight += 1

    def _release(self) -> None:
        with self._lock:
            self._inflight -= 1

    # -- chat completions --------------------------------------------------------------------------
    async def chat_completions(self, request: Request):
        s = self.services.settings
        try:
            body = await read_json(request, max_bytes=max(1 << 20, 8 * s.max_message_chars))
            req = parse_completion(body, max_chars=s.max_message_chars, models=self.models(),
                                   modifiers=self.services.engine.modifiers.names())
            self._admit()
        except APIError as e:
            return e.response()
        interaction_id = uuid.uuid4().hex
        turn = Turn(messages=req.messages, session_id=req.session_id or uuid.uuid4().hex, mode=req.mode,
                    modifier=req.modifier, temperature=req.temperature, max_tokens=req.max_tokens,
                    consent=req.consent, user=req.user or "api", cancel=threading.Event(),
                    interaction_id=interaction_id, top_p=req.top_p, seed=req.seed, stop=req.stop,
                    personalized=bool(req.personalize),
                    cascade=bool(req.cascade) if req.stream else req.cascade,
                    # A streamed answer can only be replaced when the client said it handles modroute.restart.
                    restartable=not req.stream or bool(req.cascade),
                    **(req.tools.turn_fields() if req.tools is not None else {}))
        if self.sink is not None:
            self.sink.session(turn.session_id, user_id=turn.user, client="api", consent=req.consent,
                              personalized=req.personalize)
        runner = TurnRunner(self.services.chat, turn, asyncio.get_running_loop()).start()
        meta = {"id": COMPLETION_PREFIX + interaction_id, "created": int(time.time()), "model": req.model}
        handed_over = False
        try:
            # Hold the response until generation starts, so errors found on the way (a message that
            # does not fit the context, a bad mode) still get a proper 4xx instead of a broken stream.
            early: list[Any] = []
            while True:
                item = await self._next_or_disconnect(runner, request)
                if item is None:
                    return error_response(499, "Client closed the request.", code="client_closed")
                if isinstance(item, BaseException):
                    return self._error_for(item)
                if item is _END:
                    return error_response(500, "The answer ended before it started.", code="no_answer",
                                          type_="server_error")
                early.append(item)
                if isinstance(item, Started | Token | TurnDone) or (req.stream and isinstance(item, Restart)):
                    break
            if req.stream:
                handed_over = True
                return StreamingResponse(self._sse(runner, req, meta, early), media_type="text/event-stream",
                                         headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
            return await self._collect(runner, request, req, meta, early)
        finally:
            if not handed_over:
                runner.cancel()
                self._release()

    async def _next_or_disconnect(self, runner: TurnRunner, request: Request) -> Any:
        item = await runner.next_unless_disconnected(request)
        if item is None:
            runner.cancel()
        return item

    def _error_for(self, exc: BaseException) -> JSONResponse:
        if isinstance(exc, InputError):
            msg = str(exc)
            code = "context_length_exceeded" if "context" in msg else "invalid_value"
            return error_response(400, msg[:1].upper() + msg[1:], "messages", code)
        log.error("chat completion failed", exc_info=exc)
        return error_response(500, "The server failed while answering; please retry.", code="internal_error",
                              type_="server_error")

    async def _collect(self, runner: TurnRunner, request: Request, req: CompletionRequest, meta: dict,
                       early: list[Any]) -> JSONResponse:
        notices: list[str] = []
        pending = list(early)
        while True:
            item = pending.pop(0) if pending else await self._next_or_disconnect(runner, request)
            if item is None:
                return error_response(499, "Client closed the request.", code="client_closed")
            if isinstance(item, BaseException):
                return self._error_for(item)
            if item is _END:
                return error_response(500, "The answer ended unexpectedly.", code="no_answer", type_="server_error")
            if isinstance(item, Notice):
                notices.append(item.text)
            elif isinstance(item, TurnDone):
                done = item
                break
        return JSONResponse({
            **meta, "object": "chat.completion",
            "system_fingerprint": done.decision.router_version or None,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": done.text},
                         "finish_reason": _openai_finish(done.finish_reason), "logprobs": None}],
            "usage": _usage(done.usage),
            "routing": done.decision.to_dict(),
            "modroute": self._extension(done, notices),
        })

    @staticmethod
    def _extension(done: TurnDone, notices: list[str]) -> dict[str, Any]:
        return {"interaction_id": done.interaction_id, "notices": notices, "timings": done.timings,
                "response_confidence": round(float(done.response_confidence), 4),
                "trimmed_turns": done.trimmed_turns, "finish_reason": done.finish_reason,
                "durable": done.extra.get("durable")}

    async def _sse(self, runner: TurnRunner, req: CompletionRequest, meta: dict,
                   early: list[Any]) -> AsyncIterator[bytes]:
        def chunk(delta: dict, finish: str | None = None, **extra) -> bytes:
            obj = {**meta, "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"

        notices: list[str] = []
        sent_role = False
        pending = list(early)
        try:
            while True:
                item = pending.pop(0) if pending else await runner.next()
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    err = self._error_for(item)
                    yield b"data: " + err.body + b"\n\n"
                    break
                if isinstance(item, Routed):
                    if not sent_role:
                        yield chunk({"role": "assistant", "content": ""}, routing=item.decision.to_dict())
                        sent_role = True
                elif isinstance(item, Notice):
                    notices.append(item.text)
                elif isinstance(item, Restart):
                    yield chunk({}, modroute={"restart": True, "reason": item.reason})
                elif isinstance(item, Queued):
                    yield f": queue position {item.position}\n\n".encode()
                elif isinstance(item, Token):
                    if item.text:
                        yield chunk({"content": item.text})
                elif isinstance(item, TurnDone):
                    yield chunk({}, _openai_finish(item.finish_reason), routing=item.decision.to_dict(),
                                modroute=self._extension(item, notices))
                    if req.include_usage:
                        obj = {**meta, "object": "chat.completion.chunk", "choices": [], "usage": _usage(item.usage)}
                        yield b"data: " + json.dumps(obj).encode() + b"\n\n"
            yield b"data: [DONE]\n\n"
        finally:
            # Normal end, or the client went away (the response task is cancelled): stop generating.
            runner.cancel()
            self._release()

    # -- feedback ---------------------------------------------------------------------------------
    async def feedback(self, request: Request):
        try:
            body = await read_json(request, max_bytes=1 << 16)
            if not isinstance(body, dict):
                raise APIError(400, "The request body must be a JSON object.", code="invalid_type")
            cid = body.get("completion_id") or body.get("id")
            if not isinstance(cid, str) or not cid:
                raise APIError(400, "Missing required parameter: 'completion_id'.", "completion_id",
                               "missing_required_parameter")
            iid = cid[len(COMPLETION_PREFIX):] if cid.startswith(COMPLETION_PREFIX) else cid
            rating, liked, preferred = body.get("rating"), body.get("liked"), body.get("preferred")
            comment = body.get("comment")
            if rating is not None and (not _is_int(rating) or not 1 <= rating <= 10):
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


def api_router(services: Any, sink: Any = None) -> APIRouter:
    api = ChatAPI(services, sink)
    router = APIRouter()

    @router.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        return await api.chat_completions(request)

    @router.get("/v1/models")
    def list_models():
        return {"object": "list", "data": list(api.models().values())}

    @router.get("/v1/models/{model_id}")
    def get_model(model_id: str):
        m = api.models().get(model_id)
        if m is None:
            return error_response(404, f"The model '{model_id}' does not exist.", "model", "model_not_found")
        return m

    @router.post("/v1/feedback")
    async def feedback(request: Request):
        return await api.feedback(request)

    @router.get("/healthz")
    def healthz():
        return api.healthz()

    router.chat_api = api
    return router
