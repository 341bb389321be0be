"""The next-edit engine: one suggestion request per edit pause, streamed, cancellable.

``NextEditEngine.suggest(query)`` waits for the edit pause (the adaptive ``Debouncer`` shared
with inline completions), gathers related context through a port the glue hands in, cuts the
region around the cursor, prompts the model with the edit history (``EditHistory``, which the
glue feeds from ``didChange``), streams the answer with thinking disabled, stops reading at the
closing tag, and turns the answer into edits with ``propose``. Cancelling the caller closes
the upstream stream at once; a newer request for the same document supersedes an older one.
``speculate(query, suggestion)`` (a suggestion was shown) starts the follow-up request on the
document as it will read once that suggestion is accepted; ``changed`` (every ``didChange``)
adopts it for the new version when the document came to read exactly that (the accept), and
closes its stream otherwise. ``prefetch(query)`` (after an accept the speculation did not
foresee) computes the next suggestion in the background. Either way the next ``suggest`` for
that version returns it without a new request. ``changed`` also feeds the debounce the
keystroke rhythm, and a request waits only what is left of the pause after the last change.

No LSP imports: ``lsp/features/next_edit.py`` converts positions and results, and drops a
suggestion whose ``version`` is no longer the document's (stale).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import attrs

from glm_lsp.debounce import Debouncer
from glm_lsp.edits.nextedit.history import EditHistory, Hunk, end_of
from glm_lsp.edits.nextedit.masked import Masked
from glm_lsp.edits.nextedit.prompt import build_messages
from glm_lsp.edits.nextedit.propose import Proposed, propose_counted
from glm_lsp.edits.nextedit.region import Region, region_around
from glm_lsp.edits.nextedit.speculate import applied, between, hunks_after
from glm_lsp.edits.nextedit.stream import display_path, read_answer
from glm_lsp.edits.nextedit.types import (
    NextEditContext,
    NextEditHooks,
    NextEditQuery,
    NextEditStats,
    Suggestion,
)
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import ChatRequest, GlmClient

__all__ = [
    "NextEditContext",
    "NextEditEngine",
    "NextEditHooks",
    "NextEditQuery",
    "NextEditStats",
    "Suggestion",
]

log = logging.getLogger(__name__)

MAX_RETRIES = 1
ISSUED_IDS = 256
"""Ids handed out that ``accepted`` still recognises."""


@dataclass(eq=False)
class _Flight:
    """One computation of a document's suggestions (a request or a prefetch)."""

    query: NextEditQuery
    task: asyncio.Task[list[Proposed]] | None = None
    region: Region | None = None
    superseded: bool = False
    hunks: Sequence[Hunk] | None = None
    """The history to prompt with; None = the document's own (a speculation brings its own)."""


@dataclass(eq=False)
class _Speculation:
    """A follow-up request on the text the document will read once a suggestion is accepted."""

    flight: _Flight
    text: str


class NextEditEngine:
    """Next-edit suggestions for every document of one server."""

    def __init__(
        self,
        hooks: NextEditHooks,
        *,
        history: EditHistory | None = None,
        debouncer: Debouncer | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hooks = hooks
        self.history = history if history is not None else EditHistory()
        """Fed by the glue (``history.record`` at every change)."""
        self.debouncer = debouncer if debouncer is not None else Debouncer()
        self.counters = NextEditStats()
        self._clock = clock
        self._flights: dict[str, _Flight] = {}
        self._prefetches: dict[str, _Flight] = {}
        self._speculations: dict[str, _Speculation] = {}
        self._last_change: dict[str, float] = {}
        self._issued: OrderedDict[str, str] = OrderedDict()

    async def suggest(self, query: NextEditQuery) -> list[Suggestion]:
        """The edits worth suggesting at the query's cursor ([] when none).

        Cancelling the caller closes the upstream stream. A prefetched answer for the same
        uri and version is returned at once (or awaited, if it is still on its way).
        """
        self.counters.requests += 1
        uri = query.uri
        prefetch = self._prefetches.pop(uri, None)
        if prefetch is not None and prefetch.query.version == query.version:
            suggestions = await self._wait(prefetch, "prefetch")
            if prefetch.task is not None and not prefetch.task.cancelled():
                self.counters.prefetch_hits += 1
            return suggestions
        if prefetch is not None:
            self._cancel(prefetch)
        self._supersede(uri)
        flight = self._start(query, self.delay(query))
        self._flights[uri] = flight
        try:
            return await self._wait(flight, "model")
        finally:
            if self._flights.get(uri) is flight:
                del self._flights[uri]

    def delay(self, query: NextEditQuery) -> float:
        """What is left of the debounce pause after the document's last change (the whole
        pause when no change was seen)."""
        pause = self.debouncer.delay(configured_ms=query.debounce_ms, invoked=query.invoked)
        last = self._last_change.get(query.uri)
        return pause if last is None else max(0.0, pause - (self._clock() - last))

    def changed(self, uri: str, version: int | None, text: Callable[[], str]) -> None:
        """The document changed (every ``didChange``, after it was applied); ``text`` gives its
        whole text. Feeds the debounce; adopts or closes the document's speculation; drops a
        prefetch made for another version."""
        now = self._clock()
        self.debouncer.observe(uri, now)
        self._last_change[uri] = now
        prefetch = self._prefetches.get(uri)
        if prefetch is not None and prefetch.query.version != version:
            self._cancel(self._prefetches.pop(uri))
        speculation = self._speculations.pop(uri, None)
        if speculation is None:
            return
        flight = speculation.flight
        if text() != speculation.text:
            self.counters.speculation_missed += 1
            self._cancel(flight)
            return
        self.counters.speculation_hits += 1
        flight.query = attrs.evolve(flight.query, version=version)
        old = self._prefetches.pop(uri, None)
        if old is not None:
            self._cancel(old)
        self._prefetches[uri] = flight

    def speculate(
        self, query: NextEditQuery, suggestion: Suggestion, inserted: str | None = None
    ) -> None:
        """``suggestion`` (for ``query``'s lines) is shown: start the follow-up request on the
        document with it applied (``inserted``: its text as the editor will insert it, line
        breaks included). One per document: an older one is closed."""
        start = (suggestion.start_line, suggestion.start_char)
        end = (suggestion.end_line, suggestion.end_char)
        text = suggestion.text if inserted is None else inserted
        whole, lines = applied(query.lines, start, end, text)
        old = between(query.lines, start, end)
        line, character = end_of(start, suggestion.text)
        hypothetical = attrs.evolve(
            query, version=None, lines=tuple(lines), line=line, character=character
        )
        flight = _Flight(hypothetical)
        flight.hunks = hunks_after(
            self.history.hunks(query.uri), query.uri, start, old, text, self._clock()
        )
        self._drop_speculation(query.uri)
        self.counters.speculated += 1
        flight.task = asyncio.ensure_future(self._compute(flight, 0.0))
        self._speculations[query.uri] = _Speculation(flight, whole)

    def _drop_speculation(self, uri: str) -> None:
        speculation = self._speculations.pop(uri, None)
        if speculation is not None:
            self._cancel(speculation.flight)

    def prefetching(self, uri: str, version: int | None) -> bool:
        """A prefetch (or adopted speculation) for ``uri`` at ``version`` is on its way or done."""
        flight = self._prefetches.get(uri)
        return (
            flight is not None
            and flight.query.version == version
            and flight.task is not None
            and not flight.task.cancelled()
        )

    def shown(self) -> None:
        """The editor says it showed a suggestion (``textDocument/didShowInlineEdit``)."""
        self.counters.client_shown += 1

    def prefetch(self, query: NextEditQuery) -> None:
        """Start computing the suggestion for ``query`` in the background (after an accept),
        unless one for that version is already on its way (the speculation came true)."""
        if self.prefetching(query.uri, query.version):
            return
        old = self._prefetches.pop(query.uri, None)
        if old is not None:
            self._cancel(old)
        self.counters.prefetched += 1
        self._prefetches[query.uri] = self._start(query, 0.0)

    def accepted(self, suggestion_id: str) -> bool:
        """Count an accepted edit; False when the id is not one recently handed out."""
        uri = self._issued.pop(suggestion_id, None)
        if uri is None:
            return False
        self.counters.accepted += 1
        self.history.end_burst(uri)  # the accepted edit is not part of the user's typing burst
        return True

    def stats(self) -> dict[str, int]:
        """The counters, for ``glm.status``."""
        return attrs.asdict(self.counters)

    def forget(self, uri: str) -> None:
        """The document closed: cancel its requests, drop its history and prefetch."""
        self._supersede(uri)
        self._flights.pop(uri, None)
        prefetch = self._prefetches.pop(uri, None)
        if prefetch is not None:
            self._cancel(prefetch)
        self._drop_speculation(uri)
        self._last_change.pop(uri, None)
        self.history.forget(uri)
        self.debouncer.forget(uri)

    def close(self) -> None:
        """Cancel everything (server shutdown)."""
        for uri in list(self._flights):
            self._supersede(uri)
        for flight in self._prefetches.values():
            self._cancel(flight)
        self._prefetches.clear()
        for uri in list(self._speculations):
            self._drop_speculation(uri)

    # -- flights ---------------------------------------------------------------------------------

    def _start(self, query: NextEditQuery, delay: float) -> _Flight:
        flight = _Flight(query)
        flight.task = asyncio.ensure_future(self._compute(flight, delay))
        return flight

    @staticmethod
    def _cancel(flight: _Flight) -> None:
        if flight.task is not None and not flight.task.done():
            flight.superseded = True
            flight.task.cancel()

    def _supersede(self, uri: str) -> None:
        flight = self._flights.get(uri)
        if flight is not None and flight.task is not None and not flight.task.done():
            self.counters.superseded += 1
            self._cancel(flight)

    async def _wait(self, flight: _Flight, origin: str) -> list[Suggestion]:
        task = flight.task
        assert task is not None
        try:
            edits = await asyncio.shield(task)
        except asyncio.CancelledError:
            if flight.superseded and task.cancelled():
                return []
            self.counters.cancelled += 1
            task.cancel()  # the caller gave up: close the upstream stream
            raise
        return self._hand_out(flight, edits, origin)

    def _hand_out(self, flight: _Flight, edits: list[Proposed], origin: str) -> list[Suggestion]:
        region = flight.region
        if not edits or region is None:
            self.counters.empty += 1
            return []
        query = flight.query
        out: list[Suggestion] = []
        for edit in edits:
            suggestion = Suggestion(
                uuid.uuid4().hex[:16],
                query.uri,
                query.version,
                edit.start_line,
                edit.start_char,
                edit.end_line,
                edit.end_char,
                edit.text,
                region.start_line,
                region.end_line,
                region.text,
                origin,
            )
            self._issued[suggestion.id] = query.uri
            out.append(suggestion)
        while len(self._issued) > ISSUED_IDS:
            self._issued.popitem(last=False)
        self.counters.suggested += len(out)
        return out

    async def _compute(self, flight: _Flight, delay: float) -> list[Proposed]:
        """The flight's edits; [] on any failure (a bug must not break typing)."""
        try:
            return await self._run(flight, delay)
        except asyncio.CancelledError:
            raise
        except GlmLspError as error:
            self.counters.failed += 1
            self.hooks.upstream_failed(error)
        except Exception:  # noqa: BLE001 - log it, suggest nothing
            self.counters.failed += 1
            log.exception("next edit: request failed for %s", flight.query.uri)
        return []

    async def _gathered(self, query: NextEditQuery, delay: float) -> NextEditContext | None:
        """The context port's answer, gathered while the debounce ``delay`` runs."""
        port = self.hooks.context
        gathering = asyncio.ensure_future(port(query)) if port is not None else None
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            return await gathering if gathering is not None else NextEditContext()
        finally:
            if gathering is not None and not gathering.done():
                gathering.cancel()

    async def _run(self, flight: _Flight, delay: float) -> list[Proposed]:
        query = flight.query
        gathered = await self._gathered(query, delay)
        client = self.hooks.client()
        if gathered is None or client is None:
            return []
        region = flight.region = region_around(query.lines, query.line)
        if not region.lines:
            return []
        hunks = self.history.hunks(query.uri) if flight.hunks is None else list(flight.hunks)
        prompt = Masked.of(query.uri, query.lines, region, hunks, self.hooks.redact)
        path = gathered.path or query.path or display_path(query.uri)
        messages = build_messages(
            prompt.hunks,
            prompt.region,
            path,
            query.language,
            gathered.related,
            cursor=(query.line, query.character),
            lines=prompt.lines,
        )
        request = ChatRequest(
            messages=messages,
            model=query.model,
            max_tokens=query.max_tokens,
            temperature=0.0,
            thinking=False,
            max_retries=MAX_RETRIES,
        )
        answer = await self._stream(client, request)
        if answer is None:
            return []
        edits, dropped = propose_counted(
            query.lines, region, answer, hunks, query.line, query.character
        )
        kept = [e for e in edits if not prompt.touches_secret(e)]
        self.counters.dropped += dropped + len(edits) - len(kept)
        return kept

    async def _stream(self, client: GlmClient, request: ChatRequest) -> str | None:
        self.counters.upstream += 1
        with self.hooks.busy():
            answer = await read_answer(client, request)
        self.hooks.upstream_ok()
        return answer
