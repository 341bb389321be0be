"""One chat turn: stream the answer, run the tools the model asks for, store the outcome.

The loop sends the conversation, streams content and reasoning into the coalescer, and when
the model calls tools, shows each call and its short result in the stream, appends the
assistant message and the tool results, and asks again; at most ``plan.max_steps`` requests.
The model is untrusted: at most ``Limits.calls_per_step`` calls run per request (the rest are
answered with an error naming the cap) and the tools' output per turn is capped at
``Limits.turn_output_chars`` (past it a tool answers "budget exhausted"), so one reply asking
for hundreds of calls cannot blow up the next request.
Whatever happens (answer, cancel, upstream failure, bug) the turn ends with one outcome: the
messages to store, the turn record, and the ``glm/chat/done`` payload.

A cancelled or failed turn keeps the text already shown as its (partial) answer, so the
conversation goes on from what the user saw.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from glm_lsp.chat.coalesce import DeltaCoalescer
from glm_lsp.chat.conversation import ModelPlan, assistant_message, request_extra, wire_message
from glm_lsp.chat.records import StoredMessage, TurnRecord
from glm_lsp.chat.store import encode
from glm_lsp.chat.tools import TOOLS, Limits, Toolbox
from glm_lsp.errors import GlmLspError, UpstreamError
from glm_lsp.keyguard import mask_secrets
from glm_lsp.llm import (
    ChatRequest,
    ContentDelta,
    Finish,
    GlmClient,
    ReasoningDelta,
    ToolCall,
    ToolCalls,
    Usage,
)

__all__ = ["TurnInput", "TurnOutcome", "TurnSaver", "UsageSum", "run_turn"]

log = logging.getLogger(__name__)

LAST_STEP_NOTE = (
    "\n\n(That was the last tool step allowed for this answer: answer now from what you have.)"
)
TOO_MANY_CALLS = (
    "error: not run: at most {} tool calls are run per step; ask for the rest in the next step"
)
BUDGET_EXHAUSTED = (
    "error: not run: budget exhausted (this answer's tools already returned {} characters); "
    "answer from what you have"
)


class TurnSaver(Protocol):
    """Where a running turn saves its answer so far (never awaited by the stream)."""

    def progress(self, content: str, reasoning: str) -> None: ...


@attrs.frozen
class TurnInput:
    """Everything a turn needs that the conversation decided."""

    chat_id: str
    turn_id: str
    display: str
    """What the user typed (shown in history)."""
    user: StoredMessage
    """The user message as sent (context blocks and text)."""
    prefix: list[dict[str, Any]]
    """System prompt and replayed history, as sent."""
    plan: ModelPlan
    attached: tuple[str, ...] = ()
    trimmed_turns: int = 0


@attrs.define
class UsageSum:
    """Tokens and cost over the requests of one turn."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float | None = None

    def add(self, usage: Usage) -> None:
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.cached_tokens += usage.cached_tokens
        self.reasoning_tokens += usage.reasoning_tokens
        if usage.cost_usd is not None:
            self.cost_usd = (self.cost_usd or 0.0) + usage.cost_usd

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "promptTokens": self.prompt_tokens,
            "completionTokens": self.completion_tokens,
            "cachedTokens": self.cached_tokens,
            "reasoningTokens": self.reasoning_tokens,
        }
        if self.cost_usd is not None:
            out["costUsd"] = round(self.cost_usd, 6)
        return out


@attrs.frozen
class TurnOutcome:
    """How the turn ended: what to store and what to tell the editor."""

    record: TurnRecord
    messages: list[StoredMessage]
    done: dict[str, Any]
    upstream_error: UpstreamError | None = None


def _within(text: str, room: int) -> str:
    """``text`` cut to ``room`` characters of the turn's tool output budget, with a note."""
    if len(text) <= room:
        return text
    return text[:room] + "\n… (cut: the tool output budget of this answer is exhausted)"


def _tool_call_json(call: ToolCall) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


async def run_turn(
    spec: TurnInput,
    client: GlmClient,
    toolbox: Toolbox | None,
    out: DeltaCoalescer,
    saver: TurnSaver,
    *,
    clock: Callable[[], float] = time.monotonic,
    save_every: float = 1.0,
) -> TurnOutcome:
    """Run the turn to its end; cancellation ends it as ``cancelled`` (not re-raised)."""
    plan = spec.plan
    msgs: list[StoredMessage] = []
    usage = UsageSum()
    all_content: list[str] = []
    all_reasoning: list[str] = []
    step_content: list[str] = []
    step_reasoning: list[str] = []
    state, finish, error = "running", None, None
    upstream: UpstreamError | None = None
    steps = 0
    last_save = clock()
    limits = toolbox.limits if toolbox is not None else Limits()
    output_left = limits.turn_output_chars

    def save_progress(force: bool = False) -> None:
        nonlocal last_save
        now = clock()
        if force or now - last_save >= save_every:
            last_save = now
            saver.progress("".join(all_content), "".join(all_reasoning))

    try:
        while True:
            steps += 1
            step_content, step_reasoning = [], []
            calls: tuple[ToolCall, ...] = ()
            messages = [
                *spec.prefix,
                spec.user.data(),
                *(wire_message(m, plan) for m in msgs),
            ]
            request = ChatRequest(
                messages=messages,
                model=plan.model,
                max_tokens=plan.max_tokens,
                thinking=plan.thinking,
                tools=TOOLS,
                extra=request_extra(plan),
            )
            usage.requests += 1
            async with client.stream(request) as events:
                async for event in events:
                    if isinstance(event, ContentDelta):
                        step_content.append(event.text)
                        all_content.append(event.text)
                        out.content(event.text)
                        save_progress()
                    elif isinstance(event, ReasoningDelta):
                        step_reasoning.append(event.text)
                        all_reasoning.append(event.text)
                        out.reasoning(event.text)
                        save_progress()
                    elif isinstance(event, ToolCalls):
                        calls = event.calls
                    elif isinstance(event, Usage):
                        usage.add(event)
                    elif isinstance(event, Finish):
                        finish = event.reason
            text, thought = "".join(step_content), "".join(step_reasoning)
            step_content, step_reasoning = [], []
            if not calls:
                msgs.append(assistant_message(spec.turn_id, text, thought))
                state = "done"
                break
            msgs.append(
                assistant_message(spec.turn_id, text, thought, [_tool_call_json(c) for c in calls])
            )
            last = steps >= plan.max_steps
            if len(calls) > limits.calls_per_step:
                out.extra(
                    notice=f"the model asked for {len(calls)} tool calls at once; "
                    f"ran the first {limits.calls_per_step}"
                )
            for index, call in enumerate(calls):
                shown = index < limits.calls_per_step
                if shown:
                    args = call.arguments
                    out.extra(tool={"id": call.id, "name": call.name, "arguments": args})
                if last:
                    result_text = "not run: the tool step limit for this answer was reached"
                    summary = "not run (tool step limit)"
                elif toolbox is None:
                    result_text = "error: no workspace folder is open, so tools cannot run"
                    summary = "error: no workspace"
                elif not shown:
                    result_text = TOO_MANY_CALLS.format(limits.calls_per_step)
                    summary = "not run (too many calls in one step)"
                elif output_left <= 0:
                    result_text = BUDGET_EXHAUSTED.format(limits.turn_output_chars)
                    summary = "not run (tool output budget exhausted)"
                else:
                    result = await toolbox.call(call.name, call.arguments)
                    result_text, summary = _within(result.text, output_left), result.summary
                    output_left -= len(result_text)
                    if steps == plan.max_steps - 1:
                        result_text += LAST_STEP_NOTE
                if shown:
                    out.extra(tool={"id": call.id, "name": call.name, "result": summary})
                tool_msg = {"role": "tool", "tool_call_id": call.id, "content": result_text}
                msgs.append(StoredMessage(spec.turn_id, "tool", encode(tool_msg), "", summary))
            if last:
                state, finish = "done", "tool_limit"
                out.extra(notice=f"stopped after {plan.max_steps} model requests (tool limit)")
                break
            save_progress(force=True)
    except asyncio.CancelledError:
        state, finish = "cancelled", "cancelled"
    except GlmLspError as exc:
        state, finish, error = "error", "error", str(exc)
        if isinstance(exc, UpstreamError):
            upstream = exc
    except Exception as exc:  # noqa: BLE001 - a bug must still end the turn with one done
        log.exception("chat turn %s failed", spec.turn_id)
        state, finish = "error", "error"
        error = mask_secrets(
            f"internal error ({type(exc).__name__}: {exc}); details are in the glm-lsp log"
        )
    if state in ("cancelled", "error") and step_content:
        msgs.append(assistant_message(spec.turn_id, "".join(step_content), "".join(step_reasoning)))
    record = TurnRecord(
        chat_id=spec.chat_id,
        turn_id=spec.turn_id,
        display=spec.display,
        state=state,
        finish_reason=finish,
        error=error,
        content="".join(all_content),
        reasoning="".join(all_reasoning),
        usage=usage.to_json() if usage.requests else None,
        attached=spec.attached,
    )
    done: dict[str, Any] = {
        "chatId": spec.chat_id,
        "turnId": spec.turn_id,
        "finishReason": finish or "stop",
        "usage": usage.to_json(),
        "steps": steps,
    }
    if usage.cost_usd is not None:
        done["costUsd"] = round(usage.cost_usd, 6)
    if error is not None:
        done["error"] = error
    if spec.trimmed_turns:
        done["trimmedTurns"] = spec.trimmed_turns
    return TurnOutcome(record, [spec.user, *msgs], done, upstream)
