"""One chat turn: stream the answer, run the tools the model asks for, store the outcome.

The loop sends the conversation, streams content and reasoning into the coalescer, and when
the model calls tools, shows each call and its short result in the stream, appends the
assistant message and the tool results, and asks again: the agent loop (read, edit, check the
diagnostics of the edits, fix). At most ``plan.max_steps`` requests (``chat.maxSteps``) and
``plan.token_budget`` prompt and completion tokens (``chat.tokenBudget``): past either the
model's tool calls are answered "not run" and the turn ends with ``tool_limit`` or
``token_budget`` and a notice. ``glm/chat/progress`` (through ``AgentPorts.progress``) says the
step, the tokens and what the turn is doing after each step starts and after each tool.
With ``chat.autoApply`` the glue gives ``AgentPorts.apply_step``: each step's file changes are
written at once (so the editor's diagnostics are of them), and a cancelled turn puts them back
with ``AgentPorts.rollback``.
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
from glm_lsp.chat.conversation import assistant_message, request_extra, wire_message
from glm_lsp.chat.records import StoredMessage, TurnRecord
from glm_lsp.chat.store import encode
from glm_lsp.chat.tools import TOOLS, Limits, Toolbox
from glm_lsp.chat.turn_input import TurnInput, activity
from glm_lsp.errors import GlmLspError, UpstreamError
from glm_lsp.keyguard import mask_secrets
from glm_lsp.llm import ChatRequest, Collector, GlmClient, ToolCall, UsageTally

__all__ = ["TurnOutcome", "TurnSaver", "run_turn"]

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


TOKENS_EXHAUSTED = "not run: the token budget of this answer ({} tokens) is spent"
WRITE_TOOLS = frozenset({"edit_file", "create_file", "delete_file", "rename_file"})


class TurnSaver(Protocol):
    """Where a running turn saves its answer so far (never awaited by the stream)."""

    def progress(self, content: str, reasoning: str) -> None: ...


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
    turn = _Turn(spec, client, toolbox, out, saver, clock, save_every)
    await turn.run()
    return turn.outcome()


class _Turn:
    """One running turn: its steps, what it showed, what it stores, how it ended."""

    def __init__(
        self,
        spec: TurnInput,
        client: GlmClient,
        toolbox: Toolbox | None,
        out: DeltaCoalescer,
        saver: TurnSaver,
        clock: Callable[[], float],
        save_every: float,
    ) -> None:
        self.spec, self.plan = spec, spec.plan
        self.client, self.toolbox, self.out, self.saver = client, toolbox, out, saver
        self.clock, self.save_every = clock, save_every
        self.limits = toolbox.limits if toolbox is not None else Limits()
        self.output_left = self.limits.turn_output_chars
        self.msgs: list[StoredMessage] = []
        self.usage = UsageTally()
        self.content: list[str] = []
        self.reasoning: list[str] = []
        self.step: Collector | None = None
        """The answer of the request under way (None between requests)."""
        self.steps = 0
        self.state = "running"
        self.finish: str | None = None
        self.error: str | None = None
        self.upstream: UpstreamError | None = None
        self.last_save = clock()
        self.agent = spec.agent
        self.notices: list[str] = []
        """Said in done's ``notice`` (token budget, files left after a cancel)."""
        self.applying: asyncio.Future[list[str]] | None = None
        """The step's changes being written (``chat.autoApply``); finished before a rollback."""
        if toolbox is not None and self.agent.diagnostics is not None:
            toolbox.diagnostics.editor = self.agent.diagnostics

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens spent so far in this turn."""
        return self.usage.prompt_tokens + self.usage.completion_tokens

    def _progress(self, what: str | None = None) -> None:
        if self.agent.progress is None:
            return
        payload: dict[str, Any] = {
            "chatId": self.spec.chat_id,
            "turnId": self.spec.turn_id,
            "step": self.steps,
            "maxSteps": self.plan.max_steps,
            "tokens": self.tokens,
            "tokenBudget": self.plan.token_budget,
        }
        if what:
            payload["activity"] = what
        self.agent.progress(payload)

    async def run(self) -> None:
        """Ask and run tools until the model answers, the step limit, a cancel or a failure."""
        try:
            while not await self._take_step():
                self._save_progress(force=True)
        except asyncio.CancelledError:
            self.state, self.finish = "cancelled", "cancelled"
        except GlmLspError as exc:
            self.state, self.finish, self.error = "error", "error", str(exc)
            if isinstance(exc, UpstreamError):
                self.upstream = exc
        except Exception as exc:  # noqa: BLE001 - a bug must still end the turn with one done
            log.exception("chat turn %s failed", self.spec.turn_id)
            self.state, self.finish = "error", "error"
            self.error = mask_secrets(
                f"internal error ({type(exc).__name__}: {exc}); details are in the glm-lsp log"
            )
        if self.state != "done":  # nothing half-written: what autoApply wrote goes back
            await self._roll_back()

    async def _take_step(self) -> bool:
        """One model request and the tools it called; True when the turn is over."""
        self.steps += 1
        self._progress("asking the model")
        answer = await self._ask()
        calls, turn_id = answer.tool_calls, self.spec.turn_id
        if not calls:
            self.msgs.append(assistant_message(turn_id, answer.text, answer.reasoning))
            self.state = "done"
            return True
        shown = [_tool_call_json(c) for c in calls]
        self.msgs.append(assistant_message(turn_id, answer.text, answer.reasoning, shown))
        stop = None
        if self.steps >= self.plan.max_steps:
            stop = "tool_limit"
        elif self.tokens >= self.plan.token_budget:
            stop = "token_budget"
        await self._run_tools(calls, stop=stop)
        if any(c.name in WRITE_TOOLS for c in calls) and stop is None:
            await self._apply_step()
        if stop == "tool_limit":
            self.out.extra(
                notice=f"stopped after {self.plan.max_steps} model requests (tool limit)"
            )
        elif stop == "token_budget":
            notice = (
                f"stopped: this answer used {self.tokens:,} tokens, its budget is "
                f"{self.plan.token_budget:,} (chat.tokenBudget); ask again to go on"
            )
            self.out.extra(notice=notice)
            self.notices.append(notice)
        if stop is not None:
            self.state, self.finish = "done", stop
        return stop is not None

    async def _apply_step(self) -> None:
        """``chat.autoApply``: write this step's changes now (shielded: a cancel lets the edit
        finish, so the rollback knows what was written)."""
        apply = self.agent.apply_step
        if apply is None or self.toolbox is None or self.toolbox.writer is None:
            return
        self.applying = asyncio.ensure_future(apply(self.spec.turn_id, self.toolbox.writer.draft))
        for notice in await asyncio.shield(self.applying):
            self.out.extra(notice=notice)

    async def _roll_back(self) -> None:
        """A cancelled turn puts back the changes it wrote; files the user changed since are
        left and named."""
        if self.agent.rollback is None or self.applying is None:
            return
        try:
            await asyncio.shield(self.applying)
        except BaseException:  # noqa: BLE001 - what was written is rolled back all the same
            log.debug("the last step's changes of turn %s failed", self.spec.turn_id)
        try:
            left = await asyncio.shield(self.agent.rollback(self.spec.turn_id))
        except Exception:  # noqa: BLE001 - the turn still ends with its done
            log.exception("the changes of turn %s could not be put back", self.spec.turn_id)
            left = ["the changes already written could not be put back; see the glm-lsp log"]
        self.notices += left

    async def _ask(self) -> Collector:
        """Stream one answer to the conversation so far into the editor."""
        plan, spec = self.plan, self.spec
        request = ChatRequest(
            messages=[*spec.prefix, spec.user.data(), *(wire_message(m, plan) for m in self.msgs)],
            model=plan.model,
            max_tokens=plan.max_tokens,
            thinking=plan.thinking,
            tools=TOOLS,
            extra=request_extra(plan),
        )
        self.usage.requests += 1
        answer = self.step = Collector(
            on_content=self._show_content,
            on_reasoning=self._show_reasoning,
            on_finish=self._finished,
        )
        events = self.client.stream(request)
        try:
            async with events:
                await answer.collect(events)
        finally:
            self.usage.add(answer.usage)
            self.usage.retries += max(events.attempts - 1, 0)
        self.step = None
        return answer

    def _show_content(self, text: str) -> None:
        self.content.append(text)
        self.out.content(text)
        self._save_progress()

    def _show_reasoning(self, text: str) -> None:
        self.reasoning.append(text)
        self.out.reasoning(text)
        self._save_progress()

    def _finished(self, reason: str | None) -> None:
        self.finish = reason

    def _save_progress(self, force: bool = False) -> None:
        now = self.clock()
        if force or now - self.last_save >= self.save_every:
            self.last_save = now
            self.saver.progress("".join(self.content), "".join(self.reasoning))

    async def _run_tools(self, calls: tuple[ToolCall, ...], *, stop: str | None) -> None:
        """Show each call, run it within the caps, and store its result for the next request."""
        per_step = self.limits.calls_per_step
        if len(calls) > per_step:
            self.out.extra(
                notice=f"the model asked for {len(calls)} tool calls at once; "
                f"ran the first {per_step}"
            )
        for index, call in enumerate(calls):
            shown = index < per_step
            if call.name == "get_diagnostics" and stop is None:
                await self._apply_step()  # autoApply: the editor checks the text as edited
            if shown:
                self.out.extra(tool={"id": call.id, "name": call.name, "arguments": call.arguments})
            result_text, summary = await self._tool_result(call, shown=shown, stop=stop)
            if shown:
                self.out.extra(tool={"id": call.id, "name": call.name, "result": summary})
                self._progress(activity(call.name, call.arguments))
            tool_msg = {"role": "tool", "tool_call_id": call.id, "content": result_text}
            self.msgs.append(
                StoredMessage(self.spec.turn_id, "tool", encode(tool_msg), "", summary)
            )

    async def _tool_result(
        self, call: ToolCall, *, shown: bool, stop: str | None
    ) -> tuple[str, str]:
        """What the model is told about ``call`` and the short summary the editor shows."""
        if stop == "tool_limit":
            return (
                "not run: the tool step limit for this answer was reached",
                "not run (tool step limit)",
            )
        if stop == "token_budget":
            return (
                TOKENS_EXHAUSTED.format(self.plan.token_budget),
                "not run (token budget spent)",
            )
        if self.toolbox is None:
            return (
                "error: no workspace folder is open, so tools cannot run",
                "error: no workspace",
            )
        if not shown:
            return (
                TOO_MANY_CALLS.format(self.limits.calls_per_step),
                "not run (too many calls in one step)",
            )
        if self.output_left <= 0:
            return (
                BUDGET_EXHAUSTED.format(self.limits.turn_output_chars),
                "not run (tool output budget exhausted)",
            )
        result = await self.toolbox.call(call.name, call.arguments)
        result_text = _within(result.text, self.output_left)
        self.output_left -= len(result_text)
        if self.steps == self.plan.max_steps - 1:
            result_text += LAST_STEP_NOTE
        return result_text, result.summary

    def outcome(self) -> TurnOutcome:
        """What to store and the ``glm/chat/done`` payload; a partial answer is kept."""
        spec, usage, msgs = self.spec, self.usage, self.msgs
        partial = self.step
        if self.state in ("cancelled", "error") and partial is not None and partial.text:
            msgs.append(assistant_message(spec.turn_id, partial.text, partial.reasoning))
        record = TurnRecord(
            chat_id=spec.chat_id,
            turn_id=spec.turn_id,
            display=spec.display,
            state=self.state,
            finish_reason=self.finish,
            error=self.error,
            content="".join(self.content),
            reasoning="".join(self.reasoning),
            usage=usage.to_json() if usage.requests else None,
            attached=spec.attached,
        )
        done: dict[str, Any] = {
            "chatId": spec.chat_id,
            "turnId": spec.turn_id,
            "finishReason": self.finish or "stop",
            "usage": usage.to_json(),
            "steps": self.steps,
        }
        if usage.cost_usd is not None:
            done["costUsd"] = round(usage.cost_usd, 6)
        if self.error is not None:
            done["error"] = self.error
        if spec.trimmed_turns:
            done["trimmedTurns"] = spec.trimmed_turns
        if self.notices:
            done["notice"] = "; ".join(self.notices)
        return TurnOutcome(record, [spec.user, *msgs], done, self.upstream)
