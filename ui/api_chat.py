"""``POST /v1/chat/completions``: a validated request -> a ``Turn`` -> a JSON answer or an SSE stream.

Generation is blocking, CPU-bound code: each turn runs in its own worker thread and hands its events to
the event loop through an ``asyncio.Queue``, so the loop keeps serving other requests (and the UI). When
the client goes away, the turn's ``cancel`` event is set and the engine stops at the next token (or leaves
the queue if it was still waiting).

Admission is the engine's: it lets at most ``max_queue`` requests wait (``Engine.check_admission``). The
handler asks it before starting a turn, and counts its own turns in flight against the same numbers
(``n_parallel`` decoding + ``max_queue`` waiting), so it never holds more worker threads than the engine
would admit. Either refusal is the same 429 with ``Retry-After``; a refusal met later (a cascade's second
generation) ends a stream with an ``error`` event.

A streamed answer cannot be taken back, so streaming turns do not cascade (regenerate a low-confidence
Fast answer) unless the client asks for it with ``"cascade": true``; it then receives a chunk with
``modroute.restart`` and must discard the text (and log-probabilities) received so far. A streaming client
that has to wait sees its place in line as an SSE comment and as a chunk with ``modroute.queue_position``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute

from runtime.chat import Notice, Restart, Routed, Turn, TurnDone
from runtime.engine import BusyError, InputError, Queued, Started, Token
from ui.api_errors import APIError, busy_error, error_response, type_name
from ui.api_models import ROUTER_MODEL_ID, ChatCompletionRequest

log = logging.getLogger("modroute.api")

ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
DISCONNECT_CHECK_S = 0.5  # how often a non-streaming request checks that its client is still there
COMPLETION_PREFIX = "chatcmpl-"
_END = object()
_SURROGATE = re.compile("[\ud800-\udfff]")


# -- reading the body ----------------------------------------------------------------------------------
async def read_body(request: Request, max_bytes: int) -> bytes:
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
    return bytes(body)


def parse_json(body: bytes) -> Any:
    if not body.strip():
        raise APIError(400, "The request body is empty: send a JSON object.", code="invalid_json")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise APIError(400, f"We could not parse the JSON body of your request ({e}). The body must be valid JSON "
                            "(and the Content-Type application/json).", code="invalid_json") from None


async def read_json(request: Request, max_bytes: int) -> Any:
    return parse_json(await read_body(request, max_bytes))


def lone_surrogate(value: Any, path: str = "") -> tuple[str, str] | None:
    """(where, which) for the first string holding a lone UTF-16 surrogate: JSON can carry one (``"\\ud800"``)
    but it is not Unicode text, and encoding it for the tokenizer or the router would fail."""
    if isinstance(value, str):
        m = _SURROGATE.search(value)
        return (path or "body", f"U+{ord(m.group()):04X}") if m else None
    if isinstance(value, list):
        for i, v in enumerate(value):
            if found := lone_surrogate(v, f"{path}[{i}]"):
                return found
    elif isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}" if path else str(k)
            if found := lone_surrogate(k, where) or lone_surrogate(v, where):
                return found
    return None


def json_body_route(max_bytes: int) -> type[APIRoute]:
    """A route class that reads the body itself before FastAPI validates it against the declared model:
    a size cap (413 before a huge body is read), clear messages for an empty or malformed body, a JSON object
    whatever the Content-Type says (``curl -d`` sends form-urlencoded), and a 400 for a lone surrogate."""

    class JSONBodyRoute(APIRoute):
        def get_route_handler(self):
            handler = super().get_route_handler()

            async def read_then_handle(request: Request):
                try:
                    raw = await read_body(request, max_bytes)
                    body = parse_json(raw)
                    if not isinstance(body, dict):
                        raise APIError(400, f"The request body must be a JSON object, got {type_name(body)}.",
                                       code="invalid_type")
                    if found := lone_surrogate(body):
                        where, which = found
                        raise APIError(400, f"Invalid '{where}': it contains a lone UTF-16 surrogate ({which}), which "
                                            "is not valid Unicode text. Send UTF-8 text (in JSON, \\ud800-\\udfff "
                                            "escapes must come in high/low pairs).", where, "invalid_value")
                except APIError as e:
                    return e.response()
                scope = dict(request.scope)
                scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k != b"content-type"]
                scope["headers"].append((b"content-type", b"application/json"))
                parsed = Request(scope, request.receive)
                parsed._body, parsed._json = raw, body  # read and parsed once: FastAPI takes these
                return await handler(parsed)

            return read_then_handle

    return JSONBodyRoute


# -- running a turn off the event loop ------------------------------------------------------------------
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


# -- log-probabilities in OpenAI's shape ------------------------------------------------------------------
LOGPROBS_UNAVAILABLE = ("logprobs: not available for this answer — it was chosen among candidates generated "
                        "without streaming their tokens (self-consistency or the critique loop).")


class LogprobTrack:
    """Turns the engine's per-token ``logprob`` / ``top_logprobs`` into OpenAI entries for exactly the text a
    client receives: a token whose text is held back (a partial character, a possible stop string) waits for
    the text it belongs to, and tokens that only formed a stop string are dropped with it."""

    def __init__(self, token_bytes: Callable[[int], bytes]):
        self.token_bytes = token_bytes
        self.restart()

    def restart(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.content: list[dict[str, Any]] = []
        self.seen = 0  # tokens with ids since the last restart
        self.available = True

    def feed(self, tok: Token) -> list[dict[str, Any]]:
        """The entries that go with this event's text (``[]`` when it has none)."""
        if tok.token_id is not None:
            self.seen += 1
            raw = self.token_bytes(tok.token_id)
            alts = [{"token": t, "logprob": lp, "bytes": list(t.encode("utf-8"))} for t, lp in tok.top_logprobs or []]
            self.pending.append({"token": raw.decode("utf-8", "replace"), "logprob": tok.logprob, "bytes": list(raw),
                                 "top_logprobs": alts})
        elif tok.text and not self.seen:  # a whole answer shown at once: its tokens never reached us
            self.available = False
        if not tok.text:
            return []
        out, self.pending = self.pending, []
        self.content += out
        return out


def _openai_finish(reason: str) -> str:
    return reason if reason in ("stop", "length") else "stop"


def _usage(u: dict[str, int]) -> dict[str, Any]:
    out = {k: int(u.get(k, 0)) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}
    out["prompt_tokens_details"] = {"cached_tokens": int(u.get("cached_tokens", 0))}
    return out


@dataclass
class APITurn:
    turn: Turn
    model: str
    stream: bool
    include_usage: bool
    logprobs: bool


# -- the handler ------------------------------------------------------------------------------------------
class ChatCompletions:
    def __init__(self, services: Any, sink: Any, models: Callable[[], dict[str, dict[str, Any]]]):
        self.services = services
        self.sink = sink
        self.models = models
        self._inflight = 0
        self._lock = threading.Lock()
        self.token_bytes = functools.lru_cache(maxsize=1 << 16)(self._token_bytes)

    def _token_bytes(self, token_id: int) -> bytes:
        return self.services.engine.llama.detokenize([token_id])

    @property
    def max_body_bytes(self) -> int:
        return max(1 << 20, 8 * self.services.settings.max_message_chars)

    # -- request -> turn -----------------------------------------------------------------------------------
    def to_turn(self, body: ChatCompletionRequest) -> APITurn:
        """The checks that depend on this server (message size limit, models, modifiers), then the Turn."""
        limit = self.services.settings.max_message_chars
        messages = []
        for i, m in enumerate(body.messages):
            p = f"messages[{i}].content"
            content = m.text()
            if content is None:
                raise APIError(400, f"Invalid type for '{p}': expected a string, got null.", p, "invalid_type")
            if len(content) > limit:
                raise APIError(400, f"'{p}' is {len(content):,} characters; the limit is {limit:,}. Shorten it or "
                                    "split it into several messages.", p, "string_above_max_length")
            messages.append({"role": ROLES[m.role], "content": content})
        if messages[-1]["role"] != "user":
            raise APIError(400, "The last message must be from the user (the question to answer).", "messages",
                           "invalid_value")
        if not messages[-1]["content"].strip():
            raise APIError(400, "The last message is empty: send a non-empty user message.",
                           f"messages[{len(messages) - 1}].content", "empty_string")
        models = self.models()
        model = body.model or ROUTER_MODEL_ID
        if model not in models:
            raise APIError(404, f"The model '{model}' does not exist. Available: {', '.join(models)}.", "model",
                           "model_not_found")
        modifier = None
        if body.modifier is not None and body.modifier.lower() != "auto":
            names = self.services.engine.modifiers.names()
            if body.modifier not in names:
                raise APIError(400, f"Unknown modifier {body.modifier!r}; available: {', '.join(names) or 'none'}.",
                               "modifier", "unknown_modifier")
            modifier = body.modifier
        mode = body.mode or "auto"
        kind = models[model].get("kind")
        if kind == "modifier" and modifier is None:
            modifier = model
        elif kind == "base" and body.mode is None and modifier is None:
            mode = "fast"
        stream = bool(body.stream)
        max_tokens = body.max_tokens if body.max_tokens is not None else body.max_completion_tokens
        turn = Turn(messages=messages, session_id=body.session_id or uuid.uuid4().hex, mode=mode, modifier=modifier,
                    temperature=float(body.temperature or 0.0), max_tokens=max_tokens, consent=bool(body.consent),
                    user=body.user or "api", cancel=threading.Event(), interaction_id=uuid.uuid4().hex,
                    top_p=float(body.top_p if body.top_p is not None else 1.0), seed=body.seed, stop=body.stop or [],
                    frequency_penalty=float(body.frequency_penalty or 0.0),
                    top_logprobs=int(body.top_logprobs or 0) if body.logprobs else 0,
                    personalized=bool(body.personalize),
                    cascade=bool(body.cascade) if stream else body.cascade,
                    # A streamed answer can only be replaced when the client said it handles modroute.restart.
                    restartable=not stream or bool(body.cascade),
                    **body.accurate_options().turn_fields())
        return APITurn(turn, model, stream, bool(body.stream_options and body.stream_options.include_usage),
                       bool(body.logprobs))

    # -- admission -------------------------------------------------------------------------------------------
    def _admit(self) -> None:
        engine, s = self.services.engine, self.services.settings
        engine.check_admission()
        limit = s.n_parallel + s.max_queue
        with self._lock:
            if self._inflight >= limit:
                raise BusyError(self._inflight, limit, engine.retry_after_s())
            self._inflight += 1

    def _release(self) -> None:
        with self._lock:
            self._inflight -= 1

    # -- the endpoint --------------------------------------------------------------------------------------
    async def __call__(self, request: Request, body: ChatCompletionRequest):
        try:
            req = self.to_turn(body)
            self._admit()
        except APIError as e:
            return e.response()
        except BusyError as e:
            return busy_error(e).response()
        turn = req.turn
        if self.sink is not None:
            self.sink.session(turn.session_id, user_id=turn.user, client="api", consent=turn.consent,
                              personalized=body.personalize)
        runner = TurnRunner(self.services.chat, turn, asyncio.get_running_loop()).start()
        meta = {"id": COMPLETION_PREFIX + turn.interaction_id, "created": int(time.time()), "model": req.model}
        handed_over = False
        try:
            # Hold the response until generation starts (or, streaming, the request waits in line), so errors
            # found on the way (a bad mode, a full queue, a message that does not fit the context) still get a
            # proper 4xx instead of a broken stream.
            early: list[Any] = []
            while True:
                item = await self._next_or_disconnect(runner, request)
                if item is None:
                    return error_response(499, "Client closed the request.", code="client_closed")
                if isinstance(item, BaseException):
                    return self._error_for(item).response()
                if item is _END:
                    return error_response(500, "The answer ended before it started.", code="no_answer",
                                          type_="server_error")
                early.append(item)
                if isinstance(item, Started | Token | TurnDone) or (req.stream and isinstance(item, Restart | Queued)):
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

    @staticmethod
    def _error_for(exc: BaseException) -> APIError:
        if isinstance(exc, BusyError):
            return busy_error(exc)
        if isinstance(exc, InputError):
            msg = str(exc)
            code = "context_length_exceeded" if "context" in msg else "invalid_value"
            return APIError(400, msg[:1].upper() + msg[1:], "messages", code)
        log.error("chat completion failed", exc_info=exc)  # the traceback only: never the request or its headers
        return APIError(500, "The server failed while answering; please retry.", code="internal_error",
                        type_="server_error")

    async def _collect(self, runner: TurnRunner, request: Request, req: APITurn, meta: dict,
                       early: list[Any]) -> JSONResponse:
        notices: list[str] = []
        track = LogprobTrack(self.token_bytes)
        pending = list(early)
        while True:
            item = pending.pop(0) if pending else await self._next_or_disconnect(runner, request)
            if item is None:
                return error_response(499, "Client closed the request.", code="client_closed")
            if isinstance(item, BaseException):
                return self._error_for(item).response()
            if item is _END:
                return error_response(500, "The answer ended unexpectedly.", code="no_answer", type_="server_error")
            if isinstance(item, Notice):
                notices.append(item.text)
            elif isinstance(item, Restart):
                track.restart()
            elif isinstance(item, Token) and req.logprobs:
                track.feed(item)
            elif isinstance(item, TurnDone):
                done = item
                break
        logprobs = None
        if req.logprobs:
            if track.available:
                logprobs = {"content": track.content, "refusal": None}
            else:
                notices.append(LOGPROBS_UNAVAILABLE)
        return JSONResponse({
            **meta, "object": "chat.completion",
            "system_fingerprint": done.decision.router_version or None,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": done.text},
                         "finish_reason": _openai_finish(done.finish_reason), "logprobs": logprobs}],
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

    async def _sse(self, runner: TurnRunner, req: APITurn, meta: dict, early: list[Any]) -> AsyncIterator[bytes]:
        def chunk(delta: dict, finish: str | None = None, logprobs: list | None = None, **extra) -> bytes:
            lp = {"content": logprobs, "refusal": None} if logprobs is not None else None
            obj = {**meta, "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": lp}], **extra}
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"

        notices: list[str] = []
        track = LogprobTrack(self.token_bytes)
        sent_role = False
        pending = list(early)
        try:
            while True:
                item = pending.pop(0) if pending else await runner.next()
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    err = self._error_for(item)
                    event = err.body()
                    if err.headers and "Retry-After" in err.headers:
                        event["modroute"] = {"retry_after_s": int(err.headers["Retry-After"])}
                    yield b"data: " + json.dumps(event).encode() + b"\n\n"
                    break
                if isinstance(item, Routed):
                    if not sent_role:
                        yield chunk({"role": "assistant", "content": ""}, routing=item.decision.to_dict())
                        sent_role = True
                elif isinstance(item, Notice):
                    notices.append(item.text)
                elif isinstance(item, Restart):
                    track.restart()
                    yield chunk({}, modroute={"restart": True, "reason": item.reason})
                elif isinstance(item, Queued):
                    # A comment for SSE-aware clients, a chunk (no content) for those that drop comments.
                    yield f": queue position {item.position}\n\n".encode()
                    yield chunk({}, modroute={"queue_position": item.position})
                elif isinstance(item, Token):
                    entries = track.feed(item) if req.logprobs else None
                    if item.text:
                        yield chunk({"content": item.text}, logprobs=entries if req.logprobs and track.available
                                    else None)
                elif isinstance(item, TurnDone):
                    if req.logprobs and not track.available:
                        notices.append(LOGPROBS_UNAVAILABLE)
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
