"""Stream a model's rewrite of a range into the editor, without ever losing the user's text.

``StreamingEdit.run(events)`` reads the model's events and, as answer lines complete, sends
minimal edits through an ``Editor`` (the LSP glue implements it with ``workspace/applyEdit``):

* at most one edit per ``min_interval`` (coalescing: lines that arrive meanwhile go together);
* one edit at a time: the next waits until the editor has reported the previous one
  (``didChange``), so every edit carries the version it was planned on and an editor that
  moved on refuses it instead of applying it to the wrong text;
* the user's changes outside the range move the range; a change inside it stops the stream
  and keeps the user's text;
* on cancel or model failure the range goes back to its original text;
* the final range is the model's final answer exactly (wrappers removed, fitted by ``Shape``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol

import attrs

from glm_lsp.edits.answer import AnswerReader, Shape
from glm_lsp.edits.diff import streaming_target
from glm_lsp.edits.tracker import Change, DocTracker, Edit
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import Collector, StreamEvent

__all__ = ["Editor", "EditStats", "Outcome", "StreamingEdit"]

log = logging.getLogger(__name__)

MIN_INTERVAL = 0.1
"""Seconds between two edits (at most ~10 edits a second)."""
ECHO_TIMEOUT = 3.0
"""Seconds to wait for the editor to report an applied edit."""
RESTORE_TIMEOUT = 5.0
MAX_REFUSALS = 4


class Editor(Protocol):
    """The editor side of a streaming edit."""

    def document(self) -> tuple[int | None, str] | None:
        """(version, text) as the editor last reported it; None if the server does not track it."""

    async def apply(self, version: int | None, text: str, edits: Sequence[Edit]) -> bool:
        """Send ``edits`` planned on ``text`` (``version``); True when the editor applied them."""

    async def changed(self, version: int | None, timeout: float) -> bool:
        """Wait until the reported version differs from ``version``; False after ``timeout``."""


@attrs.frozen
class Outcome:
    """The command result: ``{applied, reason?}``."""

    applied: bool
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON result of ``glm.edit`` and its presets."""
        out: dict[str, Any] = {"applied": self.applied}
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@attrs.define
class EditStats:
    """Timings (``time.monotonic``) and counts of one streaming edit, for logs and benchmarks."""

    started: float = 0.0
    first_line: float | None = None
    first_edit_sent: float | None = None
    first_edit_applied: float | None = None
    finished: float | None = None
    edits_sent: int = 0
    edits_refused: int = 0
    send_times: list[float] = attrs.field(factory=list)


class _Stop(Exception):
    def __init__(self, reason: str, *, user_edit: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user_edit = user_edit


USER_EDIT_REASON = (
    "stopped: you edited inside the range while the edit was streaming; your text was kept"
)


class StreamingEdit:
    """One rewrite of one range; create it, then ``await run(events)``."""

    def __init__(
        self,
        editor: Editor,
        tracker: DocTracker,
        *,
        starts_line: bool,
        keep_fences: bool = False,
        tag: str = "REPLACEMENT",
        min_interval: float = MIN_INTERVAL,
        echo_timeout: float = ECHO_TIMEOUT,
        progress: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.editor = editor
        self.tracker = tracker
        self.original = tracker.region
        eol = "\r\n" if "\r\n" in tracker.text[:65536] else "\n"
        self.shape = Shape.of(self.original, starts_line=starts_line, eol=eol)
        self.reader = AnswerReader(tag, keep_fences=keep_fences)
        self.tracked = editor.document() is not None
        self.min_interval = min_interval
        self.echo_timeout = echo_timeout
        self.stats = EditStats(started=clock())
        self._progress = progress or (lambda _message: None)
        self._clock = clock
        self._wake = asyncio.Event()
        self._done = False
        self._final: str | None = None
        self._failure: BaseException | None = None
        self._refusals = 0

    @property
    def failure(self) -> GlmLspError | None:
        """The model's failure, if the stream ended with one."""
        return self._failure if isinstance(self._failure, GlmLspError) else None

    async def run(self, events: AsyncIterator[StreamEvent]) -> Outcome:
        """Stream the answer into the range; never raises for model or editor trouble."""
        consumer = asyncio.ensure_future(self._consume(events))
        try:
            outcome = await self._write()
        except asyncio.CancelledError:
            task = asyncio.current_task()
            uncancel = getattr(task, "uncancel", None)
            if uncancel is not None:
                uncancel()
            outcome = await self._undo("cancelled")
        except _Stop as stop:
            outcome = (
                Outcome(False, stop.reason) if stop.user_edit else await self._undo(stop.reason)
            )
        except GlmLspError as error:
            outcome = await self._undo(str(error))
        except Exception as error:  # noqa: BLE001 - a bug must not leave the range half-written
            log.exception("streaming edit failed")
            outcome = await self._undo(f"internal error ({type(error).__name__})")
        finally:
            if not consumer.done():
                consumer.cancel()
            with contextlib.suppress(BaseException):
                await consumer
            self.stats.finished = self._clock()
        return outcome

    async def _consume(self, events: AsyncIterator[StreamEvent]) -> None:
        collector = Collector(
            on_content=self._read_line, on_reasoning=lambda _text: self._progress("thinking…")
        )
        try:
            await collector.collect(events)
            self._final = self._finish(collector.finish_reason)
        except BaseException as exc:  # noqa: BLE001 - handed to the writer, which reports it
            self._failure = exc
        finally:
            self._done = True
            self._wake.set()

    def _read_line(self, text: str) -> None:
        if self.reader.feed(text):
            if self.stats.first_line is None:
                self.stats.first_line = self._clock()
            self._wake.set()

    def _finish(self, reason: str | None) -> str:
        if reason == "length":
            raise _Stop("the answer was cut off (too long for max tokens)")
        if reason not in (None, "stop"):
            raise _Stop(f"the model stopped early ({reason})")
        answer = self.reader.final()
        if not answer.strip() and self.original.strip():
            raise _Stop("the model returned no code")
        return self.shape.fit(answer)

    def _check_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    async def _write(self) -> Outcome:
        last_send = -math.inf
        while True:
            if not self._done:
                await self._wake.wait()
                self._wake.clear()
            self._check_failure()
            if not self._done:
                delay = last_send + self.min_interval - self._clock()
                if delay > 0:
                    await asyncio.sleep(delay)
                    self._check_failure()
            await self._settle()
            if self._done:
                self._check_failure()
                assert self._final is not None
                target = self._final
            else:
                target = streaming_target(self.original, self.shape.streaming(self.reader.lines))
            edits = self.tracker.plan(target)
            if edits:
                last_send = self._clock()
                await self._send(edits, target)
                self._progress(f"{len(self.reader.lines)} lines written")
            elif self._done and not self.tracker.pending:
                return Outcome(True)

    async def _send(self, edits: Sequence[Edit], target: str) -> None:
        version = self.tracker.version
        self.stats.edits_sent += 1
        sent = self._clock()
        self.stats.send_times.append(sent)
        if self.stats.first_edit_sent is None:
            self.stats.first_edit_sent = sent
        # Pending before the answer: if we are cancelled while the editor applies it, the
        # editor's report must still be recognised as our edit.
        self.tracker.sent(target)
        log.debug("edit: sending %d edit(s) on version %s", len(edits), version)
        try:
            applied = await self.editor.apply(version, self.tracker.text, edits)
        except (asyncio.CancelledError, _Stop):
            raise
        except Exception as exc:  # noqa: BLE001 - a JSON-RPC error from the editor
            self.tracker.drop_pending()
            raise _Stop(f"the editor could not apply the edit ({exc})") from exc
        log.debug("edit: editor answered applied=%s", applied)
        if applied:
            if self.stats.first_edit_applied is None:
                self.stats.first_edit_applied = self._clock()
            if not self.tracked:
                self.tracker.assume_applied()
            return
        self.tracker.drop_pending()
        self._refused()
        await self.editor.changed(version, self.echo_timeout)

    def _refused(self) -> None:
        self.stats.edits_refused += 1
        self._refusals += 1
        if self._refusals >= MAX_REFUSALS:
            raise _Stop("the editor refused the edit")

    async def _settle(self) -> None:
        """Take in what the editor reported since the last edit; stop on a user edit inside."""
        if not self.tracked:
            return
        if self.tracker.pending:
            reported = self.editor.document()
            if reported is not None and reported[0] == self.tracker.version:
                if not await self.editor.changed(self.tracker.version, self.echo_timeout):
                    # "Applied" but nothing changed: Neovim drops a stale edit silently.
                    self.tracker.drop_pending()
                    self._refused()
        reported = self.editor.document()
        if reported is None:
            raise _Stop("the document was closed", user_edit=True)
        version, text = reported
        if not self.tracker.pending and version == self.tracker.version:
            if text == self.tracker.text:
                return
        change = self.tracker.observe(version, text)
        log.debug("edit: editor reported version %s: %s", version, change.value)
        if change is Change.ECHO:
            self._refusals = 0
        if change is Change.INSIDE:
            raise _Stop(USER_EDIT_REASON, user_edit=True)

    async def _undo(self, why: str) -> Outcome:
        """Put the original text back (unless the user edited inside the range)."""
        try:
            restored = await asyncio.wait_for(self._restore(), RESTORE_TIMEOUT)
        except _Stop as stop:
            if stop.user_edit:
                return Outcome(False, f"{why}; you edited inside the range, your text was kept")
            restored = False
        except (asyncio.TimeoutError, GlmLspError):
            restored = False
        if restored:
            return Outcome(False, f"{why}; the range was restored to its original text")
        return Outcome(False, f"{why}; the range could not be restored")

    async def _restore(self) -> bool:
        for _ in range(MAX_REFUSALS):
            await self._settle()
            edits = self.tracker.plan(self.original)
            if not edits:
                return True
            await self._send(edits, self.original)
        await self._settle()
        return self.tracker.region == self.original
