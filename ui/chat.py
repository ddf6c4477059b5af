"""The chat tab (presentation only: every decision is made by ``runtime`` services).

The conversation lives in a per-session ``ChatState`` (server side); the Chatbot shows a
rendering of it: the user's message, routing notices as collapsible blocks, and the answer with
its routing badge. Handlers translate ``ChatService.stream_turn`` events into that state:
``Routed`` sets the badge, ``Queued`` shows the queue position, ``Token`` appends text,
``Restart`` discards what was streamed (a cascade, a critique round or an escalation rung
replaces it), ``TurnDone`` fixes the final text, timings and interaction id (the handle for
ratings). The badge's details say which escalation rung answered and what Accurate mode's tools
did (critique scores, self-consistency agreement); the Routing controls switch those tools.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from admin.auth import on_hf_space, session_oauth_username
from runtime.chat import Notice, Restart, Routed, Turn, TurnDone
from runtime.engine import BusyError, InputError, Queued, Started, Token
from runtime.services import Services
from ui.present import (
    badge_text,
    conversation,
    parse_rating,
    queue_text,
    rating_caption,
    rating_panel,
    render,
    tool_details,
    tool_options,
)
from ui.telemetry_sink import TelemetrySink

log = logging.getLogger("modroute.ui.chat")

MODES = {"Auto": "auto", "Fast": "fast", "Accurate": "accurate"}
AUTO = "Auto"
WRONG_MESSAGE = "This answer is wrong."
STREAM_EVERY_S = 0.04  # coalesce token updates: the browser needs ~25 repaints/s, not one per token


@dataclass
class Exchange:
    user: str
    escalate: bool = False  # produced by "this answer is wrong"
    answer: str = ""
    notices: list[str] = field(default_factory=list)
    label: str = ""
    details: list[str] = field(default_factory=list)  # rung, critique scores, consistency agreement
    mode: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    finish_reason: str = ""
    interaction_id: str = ""
    status: str = ""  # transient: queue position, "generating…"
    error: str = ""
    busy: bool = False  # refused because the server was busy: the message goes back into the box
    rating: int | None = None
    liked: bool | None = None

    @property
    def answered(self) -> bool:
        return bool(self.interaction_id) and not self.error


@dataclass
class ChatState:
    session_id: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    target: int | None = None  # exchange chosen for rating (None = the latest answer)
    personalized: bool = False  # opted in to personalised routing thresholds

    def ensure_session(self) -> ChatState:
        if not self.session_id:
            self.session_id = uuid.uuid4().hex
        return self

    def rating_target(self) -> int | None:
        if self.target is not None and 0 <= self.target < len(self.exchanges) and self.exchanges[self.target].answered:
            return self.target
        for i in range(len(self.exchanges) - 1, -1, -1):
            if self.exchanges[i].answered:
                return i
        return None


def caller_id(request: gr.Request | None, state: ChatState) -> str:
    """Who is rating: the HF username on a Space, else this browser session."""
    if on_hf_space():
        name = session_oauth_username(request)
        if name:
            return f"hf:{name}"
    return f"anon:{state.session_id}"


class ChatTab:
    """Builds the chat tab's components and handlers around one ``Services`` object."""

    def __init__(self, services: Services, sink: TelemetrySink | None):
        self.services = services
        self.sink = sink
        self._active: dict[str, threading.Event] = {}  # session -> cancel event of its running turn
        self._lock = threading.Lock()

    # -- generation ------------------------------------------------------------------------------
    def _turn_options(self, mode: str, modifier: str, temperature: float, max_tokens: float,
                      *tools: Any) -> dict[str, Any]:
        """``tools``: the Self-critique / rounds / Self-consistency / paths controls (absent: service defaults)."""
        return {
            "mode": MODES.get(mode, "auto"),
            "modifier": None if modifier in (None, "", AUTO) else modifier,
            "temperature": float(temperature or 0.0),
            "max_tokens": int(max_tokens) if max_tokens else None,
            **(tool_options(*tools) if tools else {}),
        }

    def _run(self, state: ChatState, ex: Exchange, messages: list[dict[str, str]], opts: dict[str, Any],
             consent: bool, request: gr.Request | None, escalate: bool = False) -> Iterator[tuple]:
        """Stream one exchange into ``state``; yields (chatbot messages, state)."""
        limit = self.services.settings.max_message_chars
        if len(ex.user) > limit:
            ex.error = (f"Your message is {len(ex.user):,} characters; the limit is {limit:,}. "
                        "Shorten it or split it into several messages.")
            yield render(state)[0], state
            return
        cancel = threading.Event()
        with self._lock:
            if state.session_id in self._active:
                ex.error = "An answer is still being generated: wait for it or press Stop."
                yield render(state)[0], state
                return
            self._active[state.session_id] = cancel
        user = caller_id(request, state)
        if self.sink is not None and len(state.exchanges) == 1:
            self.sink.session(state.session_id, user_id=user, client="ui", consent=bool(consent),
                              personalized=state.personalized or None)
        turn = Turn(messages=messages, session_id=state.session_id, consent=bool(consent), user=user, cancel=cancel,
                    escalate=escalate, personalized=state.personalized, **opts)
        ex.status = "⏳ Routing…"
        yield render(state)[0], state
        last = 0.0
        try:
            for ev in self.services.chat.stream_turn(turn):
                if isinstance(ev, Token):
                    if not ev.text:
                        continue
                    ex.answer += ev.text
                    now = time.monotonic()
                    if now - last < STREAM_EVERY_S:
                        continue
                    last = now
                elif isinstance(ev, Routed):
                    ex.label, ex.mode, ex.details = ev.decision.label, ev.decision.mode, tool_details(ev.decision)
                elif isinstance(ev, Notice):
                    ex.notices.append(ev.text)
                elif isinstance(ev, Restart):
                    ex.answer = ""
                    ex.status = f"↻ Regenerating: {ev.reason}"
                elif isinstance(ev, Queued):
                    ex.status = queue_text(ev.position)
                elif isinstance(ev, Started):
                    ex.status = "✍️ Generating…"
                elif isinstance(ev, TurnDone):
                    ex.answer, ex.label, ex.mode = ev.text, ev.decision.label, ev.decision.mode
                    ex.details = tool_details(ev.decision)
                    ex.timings, ex.finish_reason, ex.interaction_id = ev.timings, ev.finish_reason, ev.interaction_id
                    ex.status = ""
                    if ev.finish_reason == "cancelled" and self.sink is not None:
                        self.sink.signal(ev.interaction_id, "stop", session_id=state.session_id)
                yield render(state)[0], state
        except BusyError as e:
            ex.error, ex.busy = f"The server is busy — try again in {e.retry_after_s} s.", True
        except InputError as e:
            ex.error = str(e)
        except Exception:
            log.exception("chat turn failed")
            ex.error = "Something went wrong while answering; please try again."
        finally:
            # Also reached when Gradio drops this generator (the browser went away): stop generating.
            cancel.set()
            with self._lock:
                self._active.pop(state.session_id, None)
        if not ex.interaction_id and not ex.error:
            ex.error = "The answer was stopped before it started."
        ex.status = ""
        yield render(state)[0], state

    def _busy(self, state: ChatState) -> bool:
        with self._lock:
            busy = state.session_id in self._active
        if busy:
            gr.Warning("An answer is still being generated: wait for it or press Stop.")
        return busy

    def send(self, message: str, state: ChatState, mode: str, modifier: str, temperature: float,
             max_tokens: float, consent: bool, request: gr.Request, *tools: Any):
        state = (state or ChatState()).ensure_session()
        message = message or ""
        if self._busy(state):
            yield render(state)[0], state, message
            return
        if not message.strip():
            gr.Warning("Type a message first: an empty message cannot be answered.")
            yield render(state)[0], state, message
            return
        if state.exchanges and state.exchanges[-1].busy:  # sent again after "busy": it replaces the refusal
            state.exchanges.pop()
        ex = Exchange(user=message)
        history = conversation(state.exchanges)
        state.exchanges.append(ex)
        state.target = None
        opts = self._turn_options(mode, modifier, temperature, max_tokens, *tools)
        for chat, st in self._run(state, ex, history + [{"role": "user", "content": message}], opts, consent,
                                  request):
            yield chat, st, message if ex.busy else ""  # busy: nothing typed is lost

    def regenerate(self, state: ChatState, mode: str, modifier: str, temperature: float, max_tokens: float,
                   consent: bool, request: gr.Request, *tools: Any):
        state = (state or ChatState()).ensure_session()
        if self._busy(state):
            yield render(state)[0], state
            return
        if not state.exchanges:
            gr.Warning("Nothing to regenerate yet.")
            yield render(state)[0], state
            return
        old = state.exchanges.pop()
        if self.sink is not None and old.interaction_id:
            self.sink.signal(old.interaction_id, "regenerate", session_id=state.session_id)
        ex = Exchange(user=old.user, escalate=old.escalate)
        history = conversation(state.exchanges)
        state.exchanges.append(ex)
        state.target = None
        opts = self._turn_options(mode, modifier, temperature, max_tokens, *tools)
        yield from self._run(state, ex, history + [{"role": "user", "content": old.user}], opts, consent, request,
                             escalate=old.escalate)

    def flag_wrong(self, state: ChatState, temperature: float, max_tokens: float, consent: bool,
                   request: gr.Request, *tools: Any):
        """'This answer is wrong': the service climbs the escalation ladder for the previous question."""
        state = (state or ChatState()).ensure_session()
        if self._busy(state):
            yield render(state)[0], state
            return
        if not state.exchanges or not state.exchanges[-1].answered:
            gr.Warning("There is no answer to flag yet.")
            yield render(state)[0], state
            return
        history = conversation(state.exchanges)  # ends with the flagged question and answer
        ex = Exchange(user=WRONG_MESSAGE, escalate=True)
        state.exchanges.append(ex)
        state.target = None
        opts = self._turn_options(AUTO, AUTO, temperature, max_tokens, *tools)
        yield from self._run(state, ex, history + [{"role": "user", "content": WRONG_MESSAGE}], opts, consent,
                             request, escalate=True)

    def stop(self, state: ChatState) -> None:
        if state is None:
            return
        with self._lock:
            cancel = self._active.get(state.session_id)
        if cancel is not None:
            cancel.set()

    def clear(self, state: ChatState):
        self.stop(state)
        return [], ChatState().ensure_session()

    # -- feedback --------------------------------------------------------------------------------
    def _exchange_at(self, state: ChatState, message_index: Any) -> int | None:
        if isinstance(message_index, list | tuple):
            message_index = message_index[0]
        _, owner = render(state)
        if isinstance(message_index, int) and 0 <= message_index < len(owner):
            return owner[message_index]
        return None

    def personalize(self, state: ChatState, on: bool, request: gr.Request):
        """Opt in or out of personalised routing thresholds (remembered on the session for retraining)."""
        state = (state or ChatState()).ensure_session()
        state.personalized = bool(on)
        if self.sink is not None:
            self.sink.session(state.session_id, user_id=caller_id(request, state), client="ui",
                              personalized=state.personalized)
        return state

    def select(self, state: ChatState, evt: gr.SelectData):
        state = (state or ChatState()).ensure_session()
        i = self._exchange_at(state, evt.index)
        if i is not None and state.exchanges[i].answered:
            state.target = i
        return state, rating_caption(state)

    def like(self, state: ChatState, evt: gr.LikeData, request: gr.Request):
        state = (state or ChatState()).ensure_session()
        i = self._exchange_at(state, evt.index)
        if i is None or not state.exchanges[i].answered:
            gr.Warning("That message cannot be rated.")
            return state, rating_caption(state)
        ex = state.exchanges[i]
        liked = evt.liked if isinstance(evt.liked, bool) else None
        if liked is None:
            return state, rating_caption(state)
        ex.liked = liked
        state.target = i
        if self.sink is not None:
            self.sink.rate(ex.interaction_id, caller_id(request, state), liked=liked)
        return state, rating_caption(state)

    def copy(self, state: ChatState, evt: gr.CopyData):
        if state is None or self.sink is None:
            return
        text = str(evt.value or "")
        for ex in reversed(state.exchanges):
            if ex.answered and ex.answer and ex.answer.strip() and ex.answer.strip() in text:
                self.sink.signal(ex.interaction_id, "copy", session_id=state.session_id)
                return

    def save_rating(self, state: ChatState, rating: Any, comment: str, request: gr.Request):
        state = (state or ChatState()).ensure_session()
        i = state.rating_target()
        if i is None:
            raise gr.Error("There is no answer to rate yet.")
        if rating in (None, ""):
            raise gr.Error("Choose a rating from 1 to 10 first.")
        value = parse_rating(rating)
        if value is None:
            raise gr.Error("The rating must be a whole number from 1 to 10.")
        ex = state.exchanges[i]
        if self.sink is None:
            raise gr.Error("Ratings are not being stored on this server (telemetry is off).")
        self.sink.rate(ex.interaction_id, caller_id(request, state), rating=value, comment=comment)
        self.services.chat.note_rating(state.session_id, value)
        changed = ex.rating is not None and ex.rating != value
        ex.rating = value
        verb = "Changed" if changed else "Saved"
        return state, rating_caption(state), f"✅ {verb}: {value}/10 for answer #{i + 1}. You can change it any time."

    # -- compatibility API -----------------------------------------------------------------------
    def respond(self, message: str, modifier: str = AUTO) -> Iterator[str]:
        """One-shot streamed answer for API clients (``gradio_client``): text, then the routing badge."""
        state = ChatState().ensure_session()
        ex = Exchange(user=message or "")
        state.exchanges.append(ex)
        if not ex.user.strip():
            raise gr.Error("the last message must be a non-empty user message")
        opts = self._turn_options(AUTO, modifier, 0.0, 0)
        for _ in self._run(state, ex, [{"role": "user", "content": ex.user}], opts, False, None):
            if ex.error:
                raise gr.Error(ex.error)
            if ex.answer and not ex.finish_reason:
                yield ex.answer
        if ex.error:
            raise gr.Error(ex.error)
        yield ex.answer + "\n\n" + badge_text(ex.label, ex.timings, ex.finish_reason, details=ex.details)

    # -- layout ----------------------------------------------------------------------------------
    def build(self) -> None:
        """Create the tab's components inside the current Blocks/Tab context."""
        s = self.services.settings
        names = self.services.engine.modifiers.names()
        state = gr.State(ChatState())
        chatbot = gr.Chatbot(label="ModRoute", elem_id="chatbot", height=520, buttons=["copy", "copy_all"],
                             feedback_options=("Like", "Dislike"), group_consecutive_messages=True,
                             placeholder="Ask anything. Each answer shows how it was routed.")
        with gr.Row():
            msg = gr.Textbox(placeholder="Type a message and press Enter", show_label=False, scale=6,
                             elem_id="chat-input", autofocus=True, lines=1, max_lines=8)
            send = gr.Button("Send", variant="primary", scale=1, elem_id="chat-send")
            stop = gr.Button("Stop", variant="stop", scale=1, elem_id="chat-stop")
        with gr.Row():
            regen = gr.Button("↻ Regenerate", size="sm", elem_id="chat-regenerate")
            wrong = gr.Button("✗ This answer is wrong", size="sm", elem_id="chat-wrong")
            clear = gr.Button("New conversation", size="sm", elem_id="chat-clear")
        with gr.Accordion("Routing controls", open=False, elem_id="chat-controls"):
            with gr.Row():
                mode = gr.Radio(list(MODES), value=AUTO, label="Mode", elem_id="chat-mode",
                                info="Auto lets the router choose; Fast = base model; Accurate = with a modifier.")
                modifier = gr.Dropdown([AUTO, *names], value=AUTO, label="Modifier", elem_id="chat-modifier",
                                       info="Force a modifier (this implies Accurate mode).")
            with gr.Row():
                temperature = gr.Slider(0.0, 1.5, value=0.0, step=0.05, label="Temperature", elem_id="chat-temp")
                max_tokens = gr.Slider(16, max(2048, s.max_tokens), value=s.max_tokens, step=1, label="Max tokens",
                                       elem_id="chat-max-tokens")
            consent = gr.Checkbox(False, label="Store my messages to help improve ModRoute (personal data is "
                                                "scrubbed; deleted after the retention period)", elem_id="chat-consent")
            personal = gr.Checkbox(False, label="Personalise routing for me (once you have enough rated answers, "
                                                 "your own Fast/Accurate threshold is learned)",
                                   elem_id="chat-personalize")
            with gr.Row():
                critique = gr.Checkbox(s.max_critique_rounds > 0, label="Self-critique (Accurate answers)",
                                       elem_id="chat-critique", info="Score the answer; regenerate with the "
                                                                     "critique while it scores below 7/10.")
                rounds = gr.Slider(1, 3, value=max(1, s.max_critique_rounds), step=1, label="Critique rounds",
                                   elem_id="chat-critique-rounds")
                consistency = gr.Checkbox(False, label="Self-consistency", elem_id="chat-consistency",
                                          info="Sample several answers and keep the majority (off: only for hard "
                                               "questions in Accurate mode).")
                paths = gr.Slider(3, 10, value=s.consistency_paths, step=1, label="Sampled answers",
                                  elem_id="chat-paths")
        with gr.Accordion("Rate an answer", open=True, elem_id="chat-rating"):
            caption = gr.Markdown(rating_caption(ChatState()), elem_id="rating-target")
            with gr.Row():
                rating = gr.Radio(list(range(1, 11)), label="Rating (1 = useless, 10 = perfect)", elem_id="rating-value",
                                  scale=4)
                comment = gr.Textbox(label="Comment (optional; stored with the rating)", elem_id="rating-comment",
                                     scale=3)
            with gr.Row():
                save = gr.Button("Save rating", elem_id="rating-save", size="sm")
                saved = gr.Markdown("", elem_id="rating-status")

        tools = [critique, rounds, consistency, paths]
        controls = [mode, modifier, temperature, max_tokens, consent, *tools]
        chat_kw = {"concurrency_limit": 16, "concurrency_id": "chat", "show_progress": "hidden"}
        ev_send = msg.submit(self.send, [msg, state, *controls], [chatbot, state, msg], api_visibility="private",
                             **chat_kw)
        ev_click = send.click(self.send, [msg, state, *controls], [chatbot, state, msg], api_visibility="private",
                              **chat_kw)
        ev_regen = regen.click(self.regenerate, [state, *controls], [chatbot, state], api_visibility="private",
                               **chat_kw)
        ev_wrong = wrong.click(self.flag_wrong, [state, temperature, max_tokens, consent, *tools], [chatbot, state],
                               api_visibility="private", **chat_kw)
        panel = [caption, rating, comment, saved]
        for ev in (ev_send, ev_click, ev_regen, ev_wrong):
            ev.then(rating_panel, [state], panel, api_visibility="private", show_progress="hidden")
        stop.click(self.stop, [state], None, queue=False, api_visibility="private")
        for clearing in (clear.click, chatbot.clear):  # our button and the Chatbot's own trash icon
            clearing(self.clear, [state], [chatbot, state], queue=False, api_visibility="private").then(
                rating_panel, [state], panel, api_visibility="private", show_progress="hidden")
        chatbot.select(self.select, [state], [state, caption], api_visibility="private",
                       show_progress="hidden").then(rating_panel, [state], panel, api_visibility="private",
                                                    show_progress="hidden")
        chatbot.like(self.like, [state], [state, caption], api_visibility="private", show_progress="hidden")
        chatbot.copy(self.copy, [state], None, api_visibility="private", show_progress="hidden")
        save.click(self.save_rating, [state, rating, comment], [state, caption, saved], api_visibility="private")
        personal.change(self.personalize, [state, personal], [state], api_visibility="private",
                        show_progress="hidden")
        gr.api(self.respond, api_name="respond", concurrency_limit=16, concurrency_id="chat")
