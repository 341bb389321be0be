"""Turning a stored chat into the ``messages`` of the next request.

Rules (glm-api.md §2.2, §5.3):

* Append-only: the next request starts with the previous request's messages, byte for byte.
  Stored messages are replayed from their stored JSON text, the system prompt and the tool
  list never change, and context is attached to the user message of the turn that asked.
* Reasoning: resent only where the host keeps it. With GLM-4.7 preserved thinking
  (``clear_thinking: false``, the Coding Plan endpoint) every assistant message carries its
  ``reasoning_content``; on other Z.ai-style hosts only the assistant messages that called
  tools do (interleaved thinking), and elsewhere reasoning is never sent back.
* Only complete turns (ending with an assistant message that calls no tool) are replayed; a
  turn that failed before answering, or was killed, stays in the history but not the prompt.
* Too long for the window: the oldest turns are dropped whole and the caller says so; when
  the new turn alone is too long the caller gets ``ContextOverflow`` with the sizes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from glm_lsp.chat.records import StoredMessage
from glm_lsp.chat.store import encode
from glm_lsp.llm import context_window
from glm_lsp.settings import Settings

__all__ = [
    "SYSTEM_PROMPT",
    "ContextOverflow",
    "ModelPlan",
    "assistant_message",
    "estimate",
    "fit_window",
    "plan_for",
    "replay",
    "request_extra",
]

CHARS_PER_TOKEN = 3.0
"""Conservative: code and JSON average 3-4 characters a token."""
SAFETY_TOKENS = 1024
CHAT_MAX_TOKENS = 16_384
MAX_STEPS = 8
TOKEN_BUDGET = 200_000

SYSTEM_PROMPT = (
    "You are GLM, a coding assistant inside the user's editor, talking with a developer "
    "about the code in their workspace.\n"
    "- Context blocks (<context ...>) attached to a message hold files, selections, diffs "
    "and diagnostics from the workspace; secrets in them are replaced by placeholders.\n"
    "- You may call read_file, list_files, search_text and git_diff to look at the workspace "
    "yourself; paths are relative to the workspace folder. Look before you guess, but do not "
    "call tools you do not need.\n"
    "- After changing code, call get_diagnostics on the files you changed and fix the errors "
    "your change caused.\n"
    "- When the user asks for a change, make it with edit_file (search/replace blocks that "
    "quote the current lines exactly; read the file first), create_file, delete_file or "
    "rename_file. Nothing is written until the user reviews and applies your changes after "
    "your answer: say briefly what you changed. Do not change files the user did not ask "
    "about.\n"
    "- Answer in Markdown. Put code in fenced blocks with a language tag. Be direct and "
    "concrete; refer to files and symbols by name."
)


class ContextOverflow(Exception):
    """The new turn alone does not fit the model's context window."""


@attrs.frozen
class ModelPlan:
    """How this server talks to the model for chat, derived from the settings in force."""

    model: str
    thinking: bool | None
    """True / False turn thinking on / off; None leaves the host's default."""
    preserved_thinking: bool
    """GLM-4.7 on the Coding Plan: send ``clear_thinking: false`` and resend all reasoning."""
    interleaved_reasoning: bool
    """Resend reasoning on assistant messages that called tools (Z.ai-style hosts)."""
    context_window: int
    max_tokens: int = CHAT_MAX_TOKENS
    max_steps: int = MAX_STEPS
    """Model requests per turn at most (each tool round trip is one): ``chat.maxSteps``."""
    token_budget: int = TOKEN_BUDGET
    """Prompt and completion tokens per turn at most, over all its steps: ``chat.tokenBudget``."""

    def sends_reasoning(self, message: StoredMessage) -> bool:
        if message.role != "assistant" or not message.reasoning:
            return False
        return self.preserved_thinking or (self.interleaved_reasoning and message.has_tool_calls)


def plan_for(settings: Settings) -> ModelPlan:
    """The chat plan for ``settings`` (model, thinking switch, what reasoning is resent, the
    step cap and token budget of a turn)."""
    thinking = settings.chat_thinking()
    zai_style = settings.preset.thinking_style == "zai"
    name = settings.model.rsplit("/", 1)[-1].lower()
    preserved = settings.provider == "zai-coding" and name.startswith("glm-4.7")
    window = context_window(settings.model)
    return ModelPlan(
        model=settings.model,
        thinking=thinking,
        preserved_thinking=preserved and thinking is not False,
        interleaved_reasoning=zai_style and thinking is not False,
        context_window=window,
        max_tokens=min(CHAT_MAX_TOKENS, window // 4),
        max_steps=settings.chat.max_steps,
        token_budget=settings.chat.token_budget,
    )


def request_extra(plan: ModelPlan) -> dict[str, Any]:
    """Body fields beyond ``ChatRequest``'s own: the preserved-thinking switch."""
    if plan.preserved_thinking:
        return {"thinking": {"type": "enabled", "clear_thinking": False}}
    return {}


def wire_message(message: StoredMessage, plan: ModelPlan) -> dict[str, Any]:
    """The message as sent: the stored JSON, plus ``reasoning_content`` where it is resent."""
    data = message.data()
    if not plan.sends_reasoning(message):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value
        if key == "content":
            out["reasoning_content"] = message.reasoning
    if "reasoning_content" not in out:
        out["reasoning_content"] = message.reasoning
    return out


def assistant_message(
    turn_id: str, content: str, reasoning: str, tool_calls: Sequence[dict[str, Any]] = ()
) -> StoredMessage:
    """An assistant message as stored (the wire form without reasoning)."""
    data: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        data["tool_calls"] = list(tool_calls)
    return StoredMessage(turn_id, "assistant", encode(data), reasoning)


def complete_turns(messages: Iterable[StoredMessage]) -> list[list[StoredMessage]]:
    """The stored messages grouped by turn, keeping only turns that reached an answer."""
    groups: list[list[StoredMessage]] = []
    for message in messages:
        if not groups or groups[-1][0].turn_id != message.turn_id:
            groups.append([])
        groups[-1].append(message)
    return [
        group for group in groups if group[-1].role == "assistant" and not group[-1].has_tool_calls
    ]


def replay(turns: Sequence[Sequence[StoredMessage]], plan: ModelPlan) -> list[dict[str, Any]]:
    """The wire messages of ``turns`` (system prompt not included)."""
    return [wire_message(m, plan) for group in turns for m in group]


def estimate(value: Any) -> int:
    """Estimated tokens of a message, message list or text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return int(len(text) / CHARS_PER_TOKEN) + 4


def fit_window(
    turns: list[list[StoredMessage]],
    current: Sequence[dict[str, Any]],
    plan: ModelPlan,
    fixed_tokens: int,
) -> tuple[list[list[StoredMessage]], int]:
    """Drop the oldest turns until the request fits; returns (kept turns, dropped count).

    ``current`` is the new turn's messages so far, ``fixed_tokens`` the system prompt and tools.
    """
    limit = plan.context_window - plan.max_tokens - SAFETY_TOKENS
    own = fixed_tokens + sum(estimate(m) for m in current)
    if own > limit:
        raise ContextOverflow(
            f"this message and its attached context are about {own:,} tokens, more than the "
            f"{limit:,} the model's window leaves for input — attach less context "
            "(fewer #file references or a smaller selection) or start a new chat"
        )
    sizes = [sum(estimate(wire_message(m, plan)) for m in group) for group in turns]
    total = own + sum(sizes)
    dropped = 0
    while dropped < len(turns) and total > limit:
        total -= sizes[dropped]
        dropped += 1
    return turns[dropped:], dropped
