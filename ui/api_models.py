"""The ``/v1/chat/completions`` request, declared (cf. llama-cpp-python ``server/types.py``).

FastAPI validates bodies against :class:`ChatCompletionRequest` and publishes it in ``/api-openapi.json``;
:mod:`ui.api_errors` turns validation errors into OpenAI-style 400s naming the field.

Every OpenAI field is honoured or refused, never silently ignored:

- honoured: ``messages``, ``model``, ``stream``, ``stream_options.include_usage``, ``max_tokens`` /
  ``max_completion_tokens``, ``temperature``, ``top_p``, ``seed``, ``stop``, ``logprobs``, ``top_logprobs``,
  ``frequency_penalty`` (when sampling), ``user``, ``n`` = 1, ``response_format`` ``{"type": "text"}``;
- accepted with no effect on the answer (documented here, so not "ignored"): ``store``, ``metadata``,
  ``service_tier``, ``prompt_cache_key``, ``safety_identifier``, ``parallel_tool_calls``,
  ``stream_options.include_obfuscation``, ``modalities`` = ``["text"]``, and the neutral values of the refused
  fields below (``presence_penalty`` 0, empty ``tools`` / ``functions`` / ``logit_bias``, ``tool_choice``
  ``"none"``, null ``audio`` / ``prediction`` ...), which ask for nothing;
- refused with a 400 naming the field: ``n`` > 1, ``tools`` / ``tool_choice`` / ``functions`` /
  ``function_call``, ``response_format`` other than text, ``presence_penalty`` != 0, ``logit_bias``,
  ``frequency_penalty`` != 0 with greedy decoding, ``audio``, ``modalities`` with audio, ``prediction``,
  ``reasoning_effort``, ``verbosity``, ``web_search_options``, and any field not declared here.

ModRoute's extensions (``mode``, ``modifier``, ``session_id``, ``consent``, ``cascade``, ``personalize`` and
Accurate mode's tools, :class:`AccurateOptions`) are declared the same way.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ui.api_errors import PARAM, refuse, type_name

ROUTER_MODEL_ID = "modroute"
MAX_STOP, MAX_STOP_CHARS = 4, 256  # as OpenAI: up to 4 stop sequences
MAX_TOP_LOGPROBS = 20
MAX_EXAMPLES, MAX_EXAMPLE_CHARS = 16, 4000
MAX_ID_CHARS = 64

# Field -> (why it is refused, the values that ask for nothing and are accepted).
REFUSED: dict[str, tuple[str, tuple[Any, ...]]] = {
    "tools": ("ModRoute does not call tools (functions)", (None, [])),
    "tool_choice": ("ModRoute does not call tools (functions)", (None, "none")),
    "functions": ("ModRoute does not call tools (functions)", (None, [])),
    "function_call": ("ModRoute does not call tools (functions)", (None, "none")),
    "presence_penalty": ("presence penalties are not implemented", (None, 0)),
    "logit_bias": ("logit biases are not implemented", (None, {})),
    "audio": ("ModRoute answers in text only", (None,)),
    "prediction": ("predicted outputs are not implemented", (None,)),
    "reasoning_effort": ("the served models are not reasoning models", (None,)),
    "verbosity": ("answer verbosity is not implemented", (None,)),
    "web_search_options": ("ModRoute does not search the web", (None,)),
}


def _shown(values: tuple[Any, ...]) -> str:
    return " or ".join("null" if v is None else json.dumps(v) for v in values)


def _neutral(value: Any, neutral: tuple[Any, ...]) -> bool:
    """Is ``value`` one of the values that ask for nothing (0 and 0.0 alike; a boolean is never a number)?"""
    return any(value == v and isinstance(value, bool) == isinstance(v, bool) and (value is None) == (v is None)
               for v in neutral)


def _refused_field(name: str) -> Any:
    why, neutral = REFUSED[name]
    return Field(default=None, description=f"Refused with a 400 ({why}); accepted only as {_shown(neutral)}.")


# -- messages -------------------------------------------------------------------------------------------
class TextPart(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    type: Literal["text"] = "text"
    text: str = ""


def _text_content(v: Any) -> Any:
    """A list of text parts -> their text (only text parts are supported)."""
    if v is None or isinstance(v, str):
        return v
    if not isinstance(v, list):
        raise refuse("invalid_type", f"Invalid type for '{PARAM}': expected a string or an array of text parts, "
                                     f"got {type_name(v)}.")
    parts = []
    for j, part in enumerate(v):
        if not isinstance(part, dict) or part.get("type", "text") != "text":
            raise refuse("unsupported_content", f"Unsupported content part in '{PARAM}[{j}]': only text parts are "
                                                "supported.")
        text = part.get("text", "")
        if not isinstance(text, str):
            raise refuse("invalid_type", f"Invalid type for '{PARAM}[{j}].text': expected a string, got "
                                         f"{type_name(text)}.")
        parts.append(text)
    return "".join(parts)


def _nothing(what: str) -> Any:
    def check(v: Any) -> Any:
        if v in (None, [], {}):
            return None
        raise refuse("unsupported_parameter", f"'{PARAM}' is not supported: {what}.")

    return BeforeValidator(check)


class ChatMessage(BaseModel):
    """One message of the conversation. ``developer`` is treated as ``system``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    role: Literal["system", "developer", "user", "assistant"]
    content: Annotated[str | list[TextPart] | None, BeforeValidator(_text_content)] = Field(
        default=None, description="The text, or an array of text parts (joined). Null only for an assistant message.")
    name: str | None = Field(default=None, max_length=MAX_ID_CHARS,
                             description="Accepted; not shown to the model (its chat template has no speaker names).")
    refusal: str | None = Field(default=None, description="An earlier assistant refusal (used as its text when "
                                                          "content is null).")
    annotations: list[dict[str, Any]] | None = Field(default=None, description="Accepted (output metadata).")
    tool_calls: Annotated[list[dict[str, Any]] | None, _nothing("ModRoute does not call tools")] = Field(
        default=None, description="Refused unless null or empty.")
    function_call: Annotated[dict[str, Any] | None, _nothing("ModRoute does not call tools")] = Field(
        default=None, description="Refused unless null.")
    audio: Annotated[dict[str, Any] | None, _nothing("ModRoute answers in text only")] = Field(
        default=None, description="Refused unless null.")

    def text(self) -> str | None:
        if self.content is None and self.role == "assistant":
            return self.refusal or ""
        return self.content


# -- request parts ----------------------------------------------------------------------------------------
class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    include_usage: bool | None = Field(default=None, description="Send a last chunk with the token usage.")
    include_obfuscation: bool | None = Field(default=None, description="Accepted; no effect (chunks are not padded).")


class ResponseFormat(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    type: Literal["text"] = Field(description="Only 'text': JSON modes are refused with a 400 (ModRoute cannot "
                                              "constrain its output to JSON).")


def _stop_list(v: Any) -> Any:
    if v is None:
        return None
    stops = [v] if isinstance(v, str) else v
    if not isinstance(stops, list) or not all(isinstance(x, str) for x in stops):
        raise refuse("invalid_type", f"Invalid type for '{PARAM}': expected a string or an array of strings, got "
                                     f"{type_name(v)}.")
    if len(stops) > MAX_STOP or any(len(x) > MAX_STOP_CHARS for x in stops):
        raise refuse("invalid_value", f"Invalid '{PARAM}': at most {MAX_STOP} strings of at most {MAX_STOP_CHARS} "
                                      "characters.")
    return [x for x in stops if x]


def _lower(v: Any) -> Any:
    return v.lower() if isinstance(v, str) else v


# -- ModRoute's extensions ------------------------------------------------------------------------------
class FewShotExample(BaseModel):
    """One worked example the client supplies: shown to the model as a user/assistant exchange."""

    model_config = ConfigDict(extra="forbid", strict=True)
    input: str = Field(min_length=1, max_length=MAX_EXAMPLE_CHARS, description="The example question.")
    output: str = Field(max_length=MAX_EXAMPLE_CHARS, description="Its answer, as the model should answer.")


class AccurateOptions(BaseModel):
    """Accurate mode's tools for one request (absent = the server's choice)."""

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


class ModRouteOptions(BaseModel):
    """Routing controls (ModRoute extensions; with the official client pass them in ``extra_body``)."""

    mode: Annotated[Literal["auto", "fast", "accurate"] | None, BeforeValidator(_lower)] = Field(
        default=None, description="auto (the router decides), fast (base model) or accurate (base + a modifier).")
    modifier: str | None = Field(default=None, description="Force this modifier ('' or 'auto': the router chooses).")
    session_id: str | None = Field(default=None, max_length=MAX_ID_CHARS,
                                   description="Keeps the escalation ladder's memory across requests.")
    consent: bool | None = Field(default=None, description="Store the raw text (scrubbed) to improve ModRoute.")
    cascade: bool | None = Field(
        default=None, description="Regenerate a low-confidence Fast answer in Accurate mode; a streaming client "
                                  "then gets a chunk with modroute.restart and must discard the text so far.")
    personalize: bool | None = Field(default=None, description="Opt in (or out) of personalised routing thresholds.")


# -- the request --------------------------------------------------------------------------------------------
class OpenAIChatFields(BaseModel):
    messages: list[ChatMessage] = Field(min_length=1, description="The conversation; the last message is the "
                                                                  "user's question.")
    model: str | None = Field(default=None, description="'modroute' (routed, the default), the base model's id "
                                                        "(Fast) or a modifier's id (that modifier); see /v1/models.")
    stream: bool | None = Field(default=None, description="Server-sent events, OpenAI chunk format.")
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(default=None, ge=1, description="Cap on generated tokens.")
    max_completion_tokens: int | None = Field(default=None, ge=1, description="Same as max_tokens (which wins).")
    temperature: float | None = Field(default=None, ge=0, le=2, description="0 (the default here) = greedy.")
    top_p: float | None = Field(default=None, gt=0, le=1, description="Nucleus sampling (with temperature > 0).")
    seed: int | None = Field(default=None, description="The same seeded request gives the same answer.")
    stop: Annotated[str | list[str] | None, BeforeValidator(_stop_list)] = Field(
        default=None, description=f"Up to {MAX_STOP} strings; the answer ends before the first one.")
    n: int | None = Field(default=None, ge=1, description="Only 1: several choices are refused with a 400.")
    logprobs: bool | None = Field(default=None, description="Return each answer token's log-probability "
                                                            "(choices[].logprobs.content).")
    top_logprobs: int | None = Field(default=None, ge=0, le=MAX_TOP_LOGPROBS,
                                     description="With logprobs: the most likely alternatives at each position.")
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2,
                                            description="Honoured when sampling (temperature > 0); a non-zero "
                                                        "value with greedy decoding is refused.")
    response_format: ResponseFormat | None = Field(default=None, description="Only {\"type\": \"text\"}.")
    user: str | None = Field(default=None, max_length=MAX_ID_CHARS, description="Who asks (telemetry, "
                                                                              "personalised thresholds).")
    # Accepted, no effect on the answer:
    store: bool | None = Field(default=None, description="Accepted; ModRoute's own telemetry rules apply (consent).")
    metadata: dict[str, str] | None = Field(default=None, description="Accepted; not stored.")
    service_tier: str | None = Field(default=None, description="Accepted; there is one tier.")
    prompt_cache_key: str | None = Field(default=None, description="Accepted; prefix reuse is automatic.")
    safety_identifier: str | None = Field(default=None, description="Accepted; not stored.")
    parallel_tool_calls: bool | None = Field(default=None, description="Accepted; no effect (tools are refused).")
    modalities: list[Literal["text"]] | None = Field(default=None, description="Only [\"text\"].")
    # Refused unless neutral (see REFUSED):
    tools: list[dict[str, Any]] | None = _refused_field("tools")
    tool_choice: str | dict[str, Any] | None = _refused_field("tool_choice")
    functions: list[dict[str, Any]] | None = _refused_field("functions")
    function_call: str | dict[str, Any] | None = _refused_field("function_call")
    presence_penalty: float | None = _refused_field("presence_penalty")
    logit_bias: dict[str, float] | None = _refused_field("logit_bias")
    audio: dict[str, Any] | None = _refused_field("audio")
    prediction: dict[str, Any] | None = _refused_field("prediction")
    reasoning_effort: str | None = _refused_field("reasoning_effort")
    verbosity: str | None = _refused_field("verbosity")
    web_search_options: dict[str, Any] | None = _refused_field("web_search_options")


class ChatCompletionRequest(AccurateOptions, ModRouteOptions, OpenAIChatFields):
    """``POST /v1/chat/completions``: OpenAI's chat completion request plus ModRoute's extensions."""

    model_config = ConfigDict(extra="forbid", strict=True, title="ChatCompletionRequest")

    @model_validator(mode="before")
    @classmethod
    def _refuse_unimplemented(cls, body: Any) -> Any:
        if not isinstance(body, dict):
            return body
        for name, (why, neutral) in REFUSED.items():
            if name in body and not _neutral(body[name], neutral):
                raise refuse("unsupported_parameter", f"'{name}' is not supported: {why}. Leave it out (or send "
                                                      f"{_shown(neutral)}).", param=name)
        n = body.get("n")
        if isinstance(n, int) and not isinstance(n, bool) and n > 1:
            raise refuse("unsupported_value", f"n={n} is not supported: ModRoute returns one choice per request. "
                                              "Send n=1 (or several requests).", param="n")
        rf = body.get("response_format")
        if isinstance(rf, dict) and rf.get("type") not in (None, "text"):
            raise refuse("unsupported_value", f"response_format {{'type': {rf.get('type')!r}}} is not supported: "
                                              "ModRoute cannot constrain its output to JSON. Send {'type': 'text'} or "
                                              "leave it out.", param="response_format")
        modalities = body.get("modalities")
        if isinstance(modalities, list) and any(m != "text" for m in modalities):
            raise refuse("unsupported_value", "ModRoute answers in text only: send modalities [\"text\"] or leave it "
                                              "out.", param="modalities")
        return body

    @field_validator("model", "modifier")
    @classmethod
    def _not_blank(cls, v: str | None) -> str | None:
        return v or None

    @model_validator(mode="after")
    def _consistent(self) -> ChatCompletionRequest:
        if self.top_logprobs and not self.logprobs:
            raise refuse("invalid_value", "top_logprobs needs logprobs: send \"logprobs\": true as well.",
                         param="top_logprobs")
        if self.frequency_penalty and not (self.temperature or 0) > 0:
            raise refuse("unsupported_value", "frequency_penalty is honoured when sampling (temperature > 0); with "
                                              "greedy decoding (temperature 0, the default here) it would be ignored, "
                                              "so it is refused.", param="frequency_penalty")
        if self.logprobs and self.self_consistency:
            raise refuse("unsupported_value", "logprobs cannot be combined with self_consistency: the answer is "
                                              "chosen by a vote among sampled answers whose tokens are not kept.",
                         param="logprobs")
        return self

    def accurate_options(self) -> AccurateOptions:
        return AccurateOptions.model_validate({k: getattr(self, k) for k in AccurateOptions.model_fields},
                                              strict=False)


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    """Every 4xx/5xx of the API (and the ``error`` event of a stream that fails after it started)."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid or unsupported request field (``param`` names it)."},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key (when MODROUTE_API_KEYS is set)."},
    404: {"model": ErrorResponse, "description": "Unknown model."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    429: {"model": ErrorResponse, "description": "Busy (the wait queue is full) or the key's rate limit; "
                                                 "see the Retry-After header (seconds)."},
}
