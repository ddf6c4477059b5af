"""The beta tab: a tester works through the admin's task list, rating each answer.

For each task the tester asks ModRoute (a fresh session ``beta:<task>:<nonce>``, see
``admin.beta``), then rates the answer 1-10, says whether they prefer it to the reference answer,
and may leave a comment. Everything is stored as telemetry feedback on the interaction; the
admin tab turns it into average rating, win rate and NPS per domain and per mode.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from admin.auth import on_hf_space, session_oauth_username
from admin.beta import BetaTask, TaskList, TaskListError, beta_session_id, load_tasks
from runtime.chat import Notice, Restart, Routed, Turn, TurnDone
from runtime.engine import InputError, Queued, Token
from runtime.services import Services
from ui.present import badge_html, parse_rating, queue_text
from ui.telemetry_sink import TelemetrySink

log = logging.getLogger("modroute.ui.beta")

PREFER_MODEL, PREFER_REFERENCE = "ModRoute's answer", "The reference answer"


@dataclass
class BetaState:
    task_id: str = ""
    session_id: str = ""
    answer: str = ""
    label: str = ""
    mode: str = ""
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    interaction_id: str = ""
    rated: dict[str, int] = field(default_factory=dict)  # task id -> rating given in this browser session


def tester_id(name: str, request: gr.Request | None) -> str | None:
    if on_hf_space():
        user = session_oauth_username(request)
        if user:
            return f"beta:hf:{user}"
    name = " ".join((name or "").split())[:64]
    return f"beta:{name}" if name else None


class BetaTab:
    def __init__(self, services: Services, sink: TelemetrySink | None, tasks_path: str):
        self.services = services
        self.sink = sink
        self.problem = ""
        try:
            self.tasks = load_tasks(tasks_path)
        except TaskListError as e:
            log.error("beta program: %s", e)
            self.tasks = TaskList(())
            self.problem = str(e)

    def _task(self, label: str) -> BetaTask | None:
        return self.tasks.by_label(label) if label else None

    def progress(self, state: BetaState) -> str:
        n = len(self.tasks.tasks)
        done = len([t for t in (state.rated if state else {}) if self.tasks.get(t)])
        return f"**Progress:** {done} of {n} tasks rated in this session."

    def choose(self, label: str, state: BetaState):
        state = state or BetaState()
        task = self._task(label)
        state.task_id = task.id if task else ""
        state.session_id, state.answer, state.interaction_id, state.label = "", "", "", ""
        state.notices, state.timings = [], {}
        prompt = f"**Task {task.id}** ({task.domain})\n\n{task.prompt}" if task else "Choose a task."
        return (state, prompt, "", gr.update(value=task.reference if task else "", visible=False),
                None, None, "", self.progress(state))

    def _render(self, state: BetaState, status: str = "") -> str:
        parts = [f"> ℹ️ {n}" for n in state.notices]
        parts.append(state.answer or status or "…")
        parts.append(badge_html(state.label, state.mode, state.timings, "", "" if state.interaction_id else "in progress"))
        return "\n\n".join(parts)

    def ask(self, label: str, tester: str, state: BetaState, request: gr.Request):
        state = state or BetaState()
        task = self._task(label)
        hidden_ref = gr.update(visible=False)
        if task is None:
            raise gr.Error("Choose a task first.")
        user = tester_id(tester, request)
        if user is None:
            raise gr.Error("Enter your tester name first, so your ratings are kept together.")
        state.task_id = task.id
        state.session_id = beta_session_id(task.id)
        state.answer, state.interaction_id, state.label, state.notices, state.timings = "", "", "", [], {}
        if self.sink is not None:
            self.sink.session(state.session_id, user_id=user, client="beta", consent=True)
        turn = Turn(messages=[{"role": "user", "content": task.prompt}], session_id=state.session_id, consent=True,
                    user=user)
        status = "⏳ Routing…"
        yield state, self._render(state, status), hidden_ref
        try:
            for ev in self.services.chat.stream_turn(turn):
                if isinstance(ev, Token):
                    if not ev.text:
                        continue
                    state.answer += ev.text
                elif isinstance(ev, Routed):
                    state.label, state.mode = ev.decision.label, ev.decision.mode
                elif isinstance(ev, Notice):
                    state.notices.append(ev.text)
                elif isinstance(ev, Restart):
                    state.answer = ""
                elif isinstance(ev, Queued):
                    status = queue_text(ev.position)
                elif isinstance(ev, TurnDone):
                    state.answer, state.label, state.mode = ev.text, ev.decision.label, ev.decision.mode
                    state.timings, state.interaction_id = ev.timings, ev.interaction_id
                yield state, self._render(state, status), hidden_ref
        except InputError as e:
            raise gr.Error(str(e)) from None
        yield state, self._render(state), gr.update(value=task.reference, visible=True)

    def submit(self, state: BetaState, rating: Any, preferred: str, comment: str, tester: str, request: gr.Request):
        state = state or BetaState()
        if not state.interaction_id:
            raise gr.Error("Get ModRoute's answer to the task first.")
        user = tester_id(tester, request)
        if user is None:
            raise gr.Error("Enter your tester name first.")
        value = parse_rating(rating)
        if value is None:
            raise gr.Error("Choose a rating from 1 to 10.")
        prefer = {PREFER_MODEL: True, PREFER_REFERENCE: False}.get(preferred)
        if self.sink is None:
            raise gr.Error("Ratings are not being stored on this server (telemetry is off).")
        self.sink.rate(state.interaction_id, user, rating=value, preferred=prefer, comment=comment, consent=True)
        self.services.chat.note_rating(state.session_id, value)
        state.rated[state.task_id] = value
        return state, f"✅ Saved {value}/10 for task {state.task_id}. Re-submitting changes it.", self.progress(state)

    def next_task(self, state: BetaState):
        state = state or BetaState()
        ids = [t.id for t in self.tasks.tasks]
        start = ids.index(state.task_id) + 1 if state.task_id in ids else 0
        for t in list(self.tasks.tasks[start:]) + list(self.tasks.tasks[:start]):
            if t.id not in state.rated:
                return t.label
        return self.tasks.tasks[0].label if self.tasks.tasks else None

    def build(self) -> None:
        gr.Markdown(
            "### Beta program\nWork through the tasks: get ModRoute's answer, rate it from 1 to 10, say whether "
            "you prefer it to the reference answer, and leave a comment if you like. As a beta tester your "
            "prompts, answers and comments are stored (scrubbed of personal data) for evaluation.")
        if self.problem:
            gr.Markdown(f"⚠️ The task list could not be loaded: {self.problem}")
        state = gr.State(BetaState())
        with gr.Row():
            tester = gr.Textbox(label="Your tester name", elem_id="beta-tester", scale=1)
            task = gr.Dropdown([t.label for t in self.tasks.tasks], label="Task", elem_id="beta-task", scale=3,
                               value=None)
        progress = gr.Markdown(self.progress(BetaState()), elem_id="beta-progress")
        prompt = gr.Markdown("Choose a task.", elem_id="beta-prompt")
        ask = gr.Button("Get ModRoute's answer", variant="primary", elem_id="beta-ask")
        answer = gr.Markdown("", elem_id="beta-answer")
        reference = gr.Textbox(label="Reference answer", visible=False, interactive=False, lines=3,
                               elem_id="beta-reference")
        with gr.Row():
            rating = gr.Radio(list(range(1, 11)), label="Rating (1-10)", elem_id="beta-rating", scale=3)
            preferred = gr.Radio([PREFER_MODEL, PREFER_REFERENCE], label="Which answer do you prefer?",
                                 elem_id="beta-preferred", scale=2)
        comment = gr.Textbox(label="Comment (optional)", elem_id="beta-comment")
        with gr.Row():
            submit = gr.Button("Submit rating", elem_id="beta-submit")
            nxt = gr.Button("Next task →", elem_id="beta-next")
        status = gr.Markdown("", elem_id="beta-status")

        task.change(self.choose, [task, state], [state, prompt, answer, reference, rating, preferred, status,
                                                 progress], api_visibility="private", show_progress="hidden")
        ask.click(self.ask, [task, tester, state], [state, answer, reference], concurrency_limit=16,
                  concurrency_id="chat", api_visibility="private", show_progress="hidden")
        submit.click(self.submit, [state, rating, preferred, comment, tester], [state, status, progress],
                     api_visibility="private")
        nxt.click(self.next_task, [state], [task], api_visibility="private")
