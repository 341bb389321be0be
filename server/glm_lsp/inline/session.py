"""The latency machinery around the inline pipeline: one request per keystroke, few upstream.

An editor asks for a suggestion at nearly every keystroke; a remote model needs most of a second
to answer. `InlineSession.complete` decides, per request, the cheapest way to answer:

1. **Cache** (typing through): the cursor extends a suggestion already shown, or sits where an
   answer is remembered. No request at all. Checked before the trigger rules, so that typing
   the first characters of a suggestion keeps it even where the rules would not ask.
2. **Reuse**: the document's request still streaming started at a cursor that the user has only
   typed the streamed text after (Continue's generator reuse). The new request waits for that
   stream instead of starting another.
3. **New flight**: any older flight of the document is cancelled (its HTTP stream closes at
   once), the context build starts immediately and the debounce runs meanwhile, then one
   streaming request goes upstream. `StreamStop` closes the stream the moment the answer is
   complete; the final filters run; the answer is cached, including "nothing fits here".

A request the editor cancels ($/cancelRequest) stops waiting at once. Its flight is cancelled
with it, unless it has already streamed text: then it lives a short grace period in case the
editor's next request (sent after the cancel) can reuse it, as editors cancel the old request
before they ask again. No LSP imports: `features/inline.py` converts positions and results.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from glm_lsp.context import ContextEngine
from glm_lsp.context.files import uri_to_path
from glm_lsp.debounce import Debouncer
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import ChatRequest, Collector, StreamEvent

from .cache import CompletionCache, reuse_skip
from .filters import postprocess
from .hole import Hole, Mode
from .prompt import build_prompt
from .stream_stop import StreamStop
from .trigger import analyze
from .types import (
    InlineHooks,
    InlineOptions,
    InlineQuery,
    InlineStats,
    Suggestion,
    window_bounds,
)

__all__ = [
    "InlineHooks",
    "InlineOptions",
    "InlineQuery",
    "InlineSession",
    "InlineStats",
    "Suggestion",
    "window_bounds",
]

log = logging.getLogger(__name__)

REUSE_GRACE_S = 0.2
"""How long a cancelled flight that already streamed text waits for a request to reuse it."""
MAX_RETRIES = 1
SHOWN_IDS = 256


@dataclass(eq=False)
class _Flight:
    """One upstream request; `answer` resolves as soon as the text is known, before the HTTP
    stream is closed or drained and the status goes back to ready."""

    uri: str
    hole: Hole
    answer: asyncio.Future[str | None]
    task: asyncio.Task[None] | None = None
    stop: StreamStop | None = None
    waiters: int = 0
    superseded: bool = False

    @property
    def running(self) -> bool:
        return not self.answer.done()

    @property
    def text(self) -> str:
        return self.stop.text if self.stop is not None else ""


class InlineSession:
    """Inline completions for every document of one server."""

    def __init__(self, engine: ContextEngine, hooks: InlineHooks) -> None:
        self.engine = engine
        self.hooks = hooks
        self.cache = CompletionCache()
        self.stats = InlineStats()
        self._debouncer = Debouncer()
        self._flights: dict[str, _Flight] = {}
        self._shown: OrderedDict[str, int] = OrderedDict()
        self._known: set[str] = set()

    async def complete(self, query: InlineQuery, options: InlineOptions) -> Suggestion | None:
        """The suggestion at the query's cursor, or None. Cancelling the caller stops waiting."""
        self.stats.requests += 1
        uri = query.uri
        self._known.add(uri)
        self._debouncer.observe(uri, asyncio.get_running_loop().time())
        hole = analyze(
            query.lines,
            query.line - query.first_line,
            query.character,
            language=query.language,
        )
        flight = self._flights.get(uri)
        reusable = flight is not None and flight.running and self._reusable(flight, hole)
        cached = self.cache.get(uri, hole.prefix, hole.suffix)
        if cached == "" and query.invoked:
            cached = None  # asked for explicitly: try again where nothing fitted before
        if cached is not None or hole.mode is Mode.NONE:
            if not reusable:
                self._supersede(uri)
            if cached is None:
                return None
            self.stats.cache_hits += 1
            return self._suggest(cached, "cache")
        if reusable and flight is not None:
            self.stats.reused += 1
            if await self._wait(flight) is None:
                return None
            return self._suggest(self.cache.get(uri, hole.prefix, hole.suffix) or "", "reuse")
        self._supersede(uri)
        if self.hooks.client() is None:
            return None
        delay = self._debouncer.delay(configured_ms=options.debounce_ms, invoked=query.invoked)
        flight = _Flight(uri, hole, asyncio.get_running_loop().create_future())
        flight.task = asyncio.ensure_future(self._fly(query, flight, options, delay))
        self._flights[uri] = flight
        text = await self._wait(flight)
        return self._suggest(text or "", "model")

    def accepted(self, suggestion_id: str) -> bool:
        """Count an accepted suggestion; False when the id is not one recently shown."""
        self.stats.accepted += 1
        length = self._shown.pop(suggestion_id, None)
        if length is None:
            return False
        self.stats.accepted_chars += length
        return True

    def forget(self, uri: str) -> None:
        """The document closed: drop its flight, cache entries and rhythm."""
        self._supersede(uri)
        self._flights.pop(uri, None)
        self.cache.forget(uri)
        self._debouncer.forget(uri)
        self._known.discard(uri)

    def retain(self, open_uris: Callable[[str], bool]) -> None:
        """Forget every document for which `open_uris(uri)` is False."""
        for uri in [u for u in self._known if not open_uris(u)]:
            self.forget(uri)

    def in_flight(self, uri: str) -> bool:
        """A flight of `uri` is waiting, gathering context or streaming."""
        flight = self._flights.get(uri)
        return flight is not None and flight.running

    def close(self) -> None:
        """Cancel every flight (server shutdown)."""
        for uri in list(self._flights):
            self._supersede(uri)

    # -- flights ---------------------------------------------------------------------------------

    def _reusable(self, flight: _Flight, hole: Hole) -> bool:
        old = flight.hole
        skip = reuse_skip(
            old.prefix,
            old.suffix,
            flight.text,
            hole.prefix,
            hole.suffix,
            single_line=old.single_line,
        )
        return skip is not None

    def _supersede(self, uri: str) -> None:
        flight = self._flights.get(uri)
        if flight is not None and flight.running and flight.task is not None:
            flight.superseded = True
            flight.task.cancel()
            self.stats.superseded += 1

    async def _wait(self, flight: _Flight) -> str | None:
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.answer)
        except asyncio.CancelledError:
            if flight.superseded and flight.answer.cancelled():
                return None
            raise
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and flight.running:
                self._abandon(flight)

    def _abandon(self, flight: _Flight) -> None:
        if not flight.text:
            self._cancel_abandoned(flight)
            return
        asyncio.get_running_loop().call_later(REUSE_GRACE_S, self._cancel_abandoned, flight)

    def _cancel_abandoned(self, flight: _Flight) -> None:
        if flight.waiters == 0 and flight.running and flight.task is not None:
            flight.task.cancel()
            self.stats.abandoned += 1

    def _suggest(self, text: str, origin: str) -> Suggestion | None:
        if not text:
            return None
        suggestion = Suggestion(uuid.uuid4().hex[:16], text, origin)
        self._shown[suggestion.id] = len(text)
        while len(self._shown) > SHOWN_IDS:
            self._shown.popitem(last=False)
        self.stats.shown += 1
        return suggestion

    def _resolve(self, flight: _Flight, text: str | None, *, remember: bool) -> None:
        if flight.answer.done():
            return
        if remember:
            self.cache.put(flight.uri, flight.hole.prefix, flight.hole.suffix, text or "")
        flight.answer.set_result(text)

    async def _fly(
        self, query: InlineQuery, flight: _Flight, options: InlineOptions, delay: float
    ) -> None:
        try:
            await self._run(query, flight, options, delay)
        except asyncio.CancelledError:
            flight.answer.cancel()
            raise
        except Exception:  # noqa: BLE001 - a bug must not break typing: log it, show nothing
            log.exception("inline: request failed for %s", query.uri)
        self._resolve(flight, None, remember=False)

    async def _run(
        self, query: InlineQuery, flight: _Flight, options: InlineOptions, delay: float
    ) -> None:
        hole = flight.hole
        loop = asyncio.get_running_loop()
        started = loop.time()
        gathered = await self._context_after(query, delay)
        client = self.hooks.client()
        if gathered is None or client is None:
            return
        request = self._request(query, hole, gathered, options)
        stop = flight.stop = StreamStop(hole)
        self.stats.upstream += 1
        sent = loop.time()
        first: float | None = None

        def answer(blocked: bool = False, reason: str | None = None) -> None:
            if flight.answer.done():
                return
            text = None if blocked else postprocess(stop.finish(reason), hole)
            self.hooks.upstream_ok()
            self._resolve(flight, text, remember=True)
            log.debug(
                "inline: prompt ready %.1f ms, first event %.1f ms, answer %.1f ms (%s, %d chars)",
                (sent - started) * 1000,
                ((first or sent) - sent) * 1000,
                (loop.time() - sent) * 1000,
                stop.reason,
                len(text or ""),
            )

        def first_event(_event: StreamEvent) -> None:
            nonlocal first
            if first is None:
                first = loop.time()

        try:
            with self.hooks.busy():
                collector = Collector(
                    on_event=first_event,
                    on_content=stop.feed,
                    on_finish=lambda reason: answer(reason == "sensitive", reason),
                )
                async with client.stream(request) as events:
                    await collector.collect(events)
                    answer()
        except GlmLspError as error:
            if flight.answer.done():
                return  # the answer was complete; only the stream's tail failed
            self.stats.failed += 1
            self.hooks.upstream_failed(error)

    async def _context_after(
        self, query: InlineQuery, delay: float
    ) -> tuple[list[tuple[str, str]], str | None] | None:
        """``_context``, gathered while the debounce ``delay`` runs."""
        gathering = asyncio.ensure_future(self._context(query))
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            return await gathering
        finally:
            if not gathering.done():
                gathering.cancel()

    def _request(
        self,
        query: InlineQuery,
        hole: Hole,
        gathered: tuple[list[tuple[str, str]], str | None],
        options: InlineOptions,
    ) -> ChatRequest:
        """The completion request: the redacted hole and the context snippets as a prompt."""
        pieces, shown_path = gathered
        path = uri_to_path(query.uri)
        first_line = query.first_line + hole.prefix_start_line
        prefix, suffix = self.engine.redact_window(query.uri, first_line, hole.prefix, hole.suffix)
        prompt_hole = dataclasses.replace(
            hole,
            prefix=prefix,
            suffix=suffix,
            path=shown_path or (path or query.uri).rsplit("/", 1)[-1],
        )
        prompt = build_prompt(prompt_hole, pieces, max_tokens=options.max_tokens)
        return ChatRequest(
            messages=list(prompt.messages),
            model=options.model,
            max_tokens=prompt.max_tokens,
            temperature=prompt.temperature,
            thinking=False,
            stop=[prompt.stop],
            max_retries=MAX_RETRIES,
            first_byte_timeout=options.first_token_seconds,
            chunk_gap_timeout=options.gap_seconds,
        )

    async def _context(self, query: InlineQuery) -> tuple[list[tuple[str, str]], str | None] | None:
        """Snippets for the prompt and the file's display path; None when the file may not be
        sent to the model at all (excluded or secret)."""
        try:
            result = await self.engine.build(query.uri, query.line, query.character, "inline")
        except Exception:  # noqa: BLE001 - no context, no way to check exclusion: no request
            log.exception("inline: context build failed for %s", query.uri)
            return None
        if result.cursor is None:
            if await self.engine.is_excluded(query.uri) is not None:
                return None
            return [], None
        pieces = [(p.path or p.source, p.text) for p in result.pieces if p.source != "cursor"]
        return pieces, result.cursor.path
