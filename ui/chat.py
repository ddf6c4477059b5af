"""The chat tab (presentation only: every decision is made by runtime services)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from runtime.engine import ChatRequest, Done, InputError, Queued, Token
from runtime.services import Services


def message_text(content: Any) -> str:
    """Text of a Gradio 6 message content (a string, a list of parts, or a component)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, list | tuple):
        return "".join(message_text(c) for c in content)
    return ""


def history_to_messages(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for m in history or []:
        role = m.get("role") if isinstance(m, dict) else None
        if role in ("user", "assistant"):
            text = message_text(m.get("content"))
            if text:
                out.append({"role": role, "content": text})
    return out


def build_chat(services: Services) -> gr.Blocks:
    engine = services.engine

    def respond(message: str, history: list[dict[str, Any]], modifier: str) -> Iterator[str]:
        messages = history_to_messages(history) + [{"role": "user", "content": message or ""}]
        req = ChatRequest(messages, modifier=None if modifier in ("", "Auto", None) else modifier)
        text = ""
        try:
            for ev in engine.stream(req):
                if isinstance(ev, Queued):
                    yield f"*Waiting in line: position {ev.position}…*"
                elif isinstance(ev, Token):
                    text += ev.text
                    yield text
                elif isinstance(ev, Done):
                    note = []
                    if ev.trimmed_turns:
                        note.append(f"{ev.trimmed_turns} earlier messages dropped to fit the context")
                    if ev.finish_reason == "length":
                        note.append("stopped at the token limit")
                    note.append(f"{ev.modifier or 'base'} · {ev.timings.get('tokens_per_s', 0):.0f} tok/s")
                    yield text + "\n\n<sub>" + " · ".join(note) + "</sub>"
        except InputError as e:
            yield f"⚠️ {e}"

    with gr.Blocks(title="ModRoute") as demo:
        gr.Markdown("## ModRoute\nA small model that knows when it is out of its depth.")
        choices = ["Auto", *engine.modifiers.names()]
        modifier = gr.Dropdown(choices=choices, value="Auto", label="Modifier", render=False)
        gr.ChatInterface(respond, additional_inputs=[modifier], fill_height=True)
    return demo
