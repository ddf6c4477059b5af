"""OpenAI-style errors for the HTTP API: ``{"error": {"message", "type", "param", "code"}}``.

Request bodies are declared as pydantic models (:mod:`ui.api_models`) and validated by FastAPI; this
module turns pydantic's errors into the messages OpenAI clients expect ("Invalid type for 'max_tokens':
expected an integer, got a string."), with ``param`` naming the field (``messages[0].content``), and
installs the app's handlers so every 4xx has that shape. No handler here logs a request's headers.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi.responses import JSONResponse
from pydantic_core import PydanticCustomError

from runtime.engine import BusyError

PARAM = "{param}"  # stands for the field's path in custom error messages (filled in by to_api_error)


class APIError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None,
                 type_: str = "invalid_request_error", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.type = status, message, param, code, type_
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def error_response(status: int, message: str, param: str | None = None, code: str | None = None,
                   type_: str = "invalid_request_error", headers: dict[str, str] | None = None) -> JSONResponse:
    return APIError(status, message, param, code, type_, headers).response()


def busy_error(e: BusyError) -> APIError:
    """The engine's queue is full: 429 with ``Retry-After`` (seconds), as OpenAI clients expect to back off."""
    return APIError(429, f"The server is busy ({e.waiting} requests waiting, limit {e.limit}); try again in "
                         f"{e.retry_after_s} s.", code="server_busy", type_="rate_limit_error",
                    headers={"Retry-After": str(e.retry_after_s)})


def rate_limited(retry_after_s: float, message: str) -> APIError:
    seconds = max(1, math.ceil(retry_after_s))
    return APIError(429, message.format(seconds=seconds), code="rate_limit_exceeded", type_="rate_limit_error",
                    headers={"Retry-After": str(seconds)})


def refuse(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A validation error with an OpenAI code and its own message; ``{param}`` in it becomes the field's path.

    ``param`` in ``ctx`` names the field when the check runs on the whole request (a model validator)."""
    return PydanticCustomError(code, message, {"ours": True, **ctx})


def type_name(v: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array",
            dict: "an object", type(None): "null"}.get(type(v), type(v).__name__)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# -- pydantic errors -> OpenAI errors ----------------------------------------------------------------
_EXPECTED = {"int_type": "an integer", "bool_type": "a boolean", "list_type": "an array", "string_type": "a string",
             "float_type": "a number", "model_type": "an object", "dict_type": "an object",
             "model_attributes_type": "an object"}
# Out-of-range codes where OpenAI's (and our earlier) answers used a specific one; others say invalid_value.
_RANGE_CODES = {"max_tokens": "integer_below_min_value", "max_completion_tokens": "integer_below_min_value",
                "temperature": "decimal_out_of_range", "top_p": "decimal_out_of_range",
                "frequency_penalty": "decimal_out_of_range", "presence_penalty": "decimal_out_of_range"}
_BOUNDS = {"greater_than_equal": ("ge", ">="), "greater_than": ("gt", ">"), "less_than_equal": ("le", "<="),
           "less_than": ("lt", "<")}
_LOCATIONS = ("body", "query", "path", "header", "cookie")


def param_path(loc: tuple | list) -> str | None:
    """``("body", "messages", 0, "content")`` -> ``messages[0].content``."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out or None


def _bounds_text(field: str, model: Any) -> str:
    """'between 0 and 2', '>= 1', 'above 0 and at most 1' from a top-level field's declared constraints."""
    info = getattr(model, "model_fields", {}).get(field) if model is not None else None
    if info is None:
        return ""
    b = {k: getattr(m, k) for m in info.metadata for k in ("ge", "gt", "le", "lt") if getattr(m, k, None) is not None}
    if "ge" in b and "le" in b:
        return f"between {b['ge']:g} and {b['le']:g}"
    if "gt" in b and "le" in b:
        return f"above {b['gt']:g} and at most {b['le']:g}"
    if len(b) == 1:
        (k, v), = b.items()
        return {"ge": ">= ", "gt": "> ", "le": "<= ", "lt": "< "}[k] + f"{v:g}"
    return ""


def to_api_error(err: dict[str, Any], model: Any = None) -> APIError:
    """One pydantic error (``ValidationError.errors()[i]``) as a 400 with a clear message naming the field."""
    ctx = err.get("ctx") or {}
    param = ctx.get("param") or param_path(err.get("loc", ()))
    kind, value = err["type"], err.get("input")
    shown = value if isinstance(value, int | float | bool) or value is None else type_name(value)
    if ctx.get("ours"):  # one of ours (refuse()): the message is written for the client already
        return APIError(400, err["msg"].replace(PARAM, param or "the request"), param, kind)
    if kind == "missing":
        return APIError(400, f"Missing required parameter: '{param}'.", param, "missing_required_parameter")
    if kind == "extra_forbidden":
        return APIError(400, f"Unrecognized request argument supplied: '{param}'. ModRoute refuses fields it does "
                             "not implement rather than ignoring them (see the README's list).", param,
                        "unknown_parameter")
    if kind in _EXPECTED:
        return APIError(400, f"Invalid type for '{param}': expected {_EXPECTED[kind]}, got {type_name(value)}.",
                        param, "invalid_type")
    if kind == "literal_error":
        return APIError(400, f"Invalid value for '{param}': {value!r}. Expected {ctx.get('expected')}.", param,
                        "invalid_value")
    if kind == "too_short" and ctx.get("min_length") == 1:
        return APIError(400, f"'{param}' must contain at least one item.", param, "empty_array")
    if kind == "string_too_long":
        return APIError(400, f"'{param}' is {len(value):,} characters; the limit is {ctx.get('max_length'):,}.",
                        param, "string_above_max_length")
    if kind in _BOUNDS:
        top = param.split("[")[0].split(".")[0] if param else ""
        code = _RANGE_CODES.get(top, "invalid_value")
        expected = _bounds_text(top, model) if top == param else ""
        if code == "integer_below_min_value":
            return APIError(400, f"Invalid '{param}': integer below minimum value. Expected a value "
                                 f"{expected or _BOUNDS[kind][1] + ' ' + str(ctx.get(_BOUNDS[kind][0]))}, but got "
                                 f"{value} instead.", param, code)
        return APIError(400, f"Invalid '{param}': {shown}. " + (f"Expected a value {expected}." if expected else
                                                                 f"{err['msg']}."), param, code)
    return APIError(400, f"Invalid '{param}': {shown}. {err['msg']}.", param, "invalid_value")


# -- the app's handlers ---------------------------------------------------------------------------------
def install_error_handlers(app: Any, request_model: Any = None) -> None:
    """Every error the app answers is OpenAI-shaped: our APIError, FastAPI's validation errors (translated
    with :func:`to_api_error`), and Starlette's HTTP errors (404 for an unknown path, 405, ...)."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(APIError)
    async def api_error(request, exc: APIError):
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        if isinstance(exc.detail, dict) and "error" in exc.detail:
            return JSONResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
        return error_response(exc.status_code, str(exc.detail), code=str(exc.status_code), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request, exc: RequestValidationError):
        errors = exc.errors()
        if not errors:
            return error_response(400, "Invalid request.", code="invalid_value")
        return to_api_error(errors[0], request_model).response()
