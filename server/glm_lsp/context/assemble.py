"""One context build: the cursor window, the sources raced against the deadline, the fit.

`Assembler.build` is the body of `ContextEngine.build`: it decides whether the file may be
read, cuts the window around the cursor (redacted), runs every source until the feature's
deadline, then fits what came back into the budget and orders it for the prompt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Sequence
from typing import Any

import attrs

from .budget import PIECE_OVERHEAD_TOKENS, Candidate, FeatureBudget, dedupe, fit, prompt_order
from .documents import Document, DocumentStore
from .files import uri_to_path
from .render import cursor_window
from .secret_blocks import Marked, SecretBlocks, blocks_of, mark_lines, remark_lines
from .secrets import Redactor, Span, kind_for_path
from .sources import Request, SourceResult, Sources
from .tokens import estimate_tokens, language_for_path
from .types import ContextResult, CursorWindow, Dropped, Feature, Piece
from .workspace import Loaded, Workspace

log = logging.getLogger(__name__)

DEADLINE_GRACE_S = 0.005
Selection = tuple[int, int, int, int]


@attrs.frozen
class _Target:
    """Where a build starts: the file, its feature budget and deadline."""

    uri: str
    path: str | None
    shown: str | None
    feature: Feature
    budget: FeatureBudget
    deadline: float


@attrs.frozen
class _Blocks:
    """An open document's blocks at one version, with the line marks they were read from."""

    version: int
    blocks: SecretBlocks
    marked: Marked
    lines: list[str]


@attrs.frozen
class _Source:
    """The cursor file's text, from the open document or from disk."""

    text: str
    lines: list[str]
    language: str
    version: int | None
    doc: Document | None
    loaded: Loaded | None


class Assembler:
    """Builds `ContextResult`s over the engine's documents, workspace and sources."""

    def __init__(
        self, ws: Workspace, docs: DocumentStore, redactor: Redactor, sources: Sources
    ) -> None:
        self._ws = ws
        self._docs = docs
        self._redactor = redactor
        self._sources = sources
        self._blocks: dict[str, _Blocks] = {}

    def forget(self, uri: str) -> None:
        """The document closed: drop its cached private-key blocks."""
        self._blocks.pop(uri, None)

    async def build(
        self,
        uri: str,
        line: int,
        character: int,
        feature: Feature,
        budget: FeatureBudget,
        *,
        selection: Selection | None = None,
    ) -> ContextResult:
        """Context for `feature` at (line, character); `selection` is (l0, c0, l1, c1)."""
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        path = uri_to_path(uri)
        target = _Target(
            uri,
            path,
            self._ws.display(path) if path else None,
            feature,
            budget,
            loop.time() + budget.deadline_s,
        )
        refused = await self._refusal(target)
        if refused is not None:
            return _result(target, started, [], [refused], None)
        rq_or_drop = await self._request(target, line, character, selection)
        if isinstance(rq_or_drop, Dropped):
            return _result(target, started, [], [rq_or_drop], None)
        rq = rq_or_drop
        cursor = _cursor_piece(rq)
        candidates, dropped = await self._gather(rq, feature, loop)
        available = budget.total_tokens - cursor.tokens - PIECE_OVERHEAD_TOKENS
        kept, over = fit(candidates, available)
        kept, dupes = dedupe(kept)
        pieces = prompt_order(kept + [cursor])
        return _result(target, started, pieces, dropped + over + dupes, rq.window)

    async def _refusal(self, target: _Target) -> Dropped | None:
        """Why the cursor file may not be used (undecided in time counts as a timeout)."""
        if target.path is None:
            return None
        decided, why = await self._ws.exclusion(target.path, target.deadline)
        if not decided:
            return Dropped("cursor", "timeout", target.uri, target.shown)
        if why is not None:
            return Dropped("cursor", f"excluded: {why}", target.uri, target.shown)
        return None

    async def _source(self, target: _Target) -> _Source | Dropped:
        doc = self._docs.get(target.uri)
        if doc is not None:
            return _Source(doc.text, doc.lines, doc.language_id, doc.version, doc, None)
        if target.path is None:
            return Dropped("cursor", "document not open", target.uri, target.shown)
        loaded = await self._ws.load(target.path, target.deadline)
        if loaded is None:
            return Dropped("cursor", "timeout", target.uri, target.shown)
        if loaded.read.text is None:
            return Dropped("cursor", str(loaded.read.reason), target.uri, target.shown)
        language = language_for_path(target.path)
        return _Source(loaded.read.text, loaded.lines, language, None, None, loaded)

    async def _request(
        self,
        target: _Target,
        line: int,
        character: int,
        selection: Selection | None,
    ) -> Request | Dropped:
        source = await self._source(target)
        if isinstance(source, Dropped):
            return source
        lines = source.lines
        anchor = _index(lines, line, character)
        end = anchor
        if selection is not None:
            anchor = _index(lines, selection[0], selection[1])
            end = _index(lines, selection[2], selection[3])
        kind = kind_for_path(target.path)
        blocks, redacted = self._redacted(target.uri, source, kind)
        fb = target.budget
        window = cursor_window(
            lines,
            redacted,
            anchor,
            end,
            budget_tokens=fb.cursor_tokens,
            prefix_share=fb.prefix_share,
            language_id=source.language,
            path=target.shown,
            redactor=self._redactor,
            kind=kind,
            blocks=blocks,
        )
        return Request(
            target.uri,
            target.path,
            target.shown,
            lines,
            redacted,
            source.language,
            source.version,
            source.text,
            anchor[0],
            anchor[1],
            window,
            fb,
            target.deadline,
            kind,
            blocks,
        )

    def _redacted(
        self, uri: str, source: _Source, kind: str
    ) -> tuple[Sequence[Span], Sequence[str]]:
        """The file's private-key blocks and its redacted lines (cached per version)."""
        if source.loaded is not None:
            return source.loaded.blocks, source.loaded.redacted
        assert source.doc is not None
        blocks = self.document_blocks(uri, source.doc)
        return blocks, source.doc.redacted(self._redactor, kind, blocks)

    def document_blocks(self, uri: str, doc: Document) -> list[Span]:
        """The open document's multi-line secrets (`private_key_blocks`), once per version;
        after a one-range edit only the edited lines are read again."""
        cached = self._blocks.get(uri)
        if cached is not None and cached.version == doc.version:
            return cached.blocks
        lines = doc.lines
        edit = doc.edit
        if cached is not None and edit is not None and edit[0] is cached.lines:
            marked = remark_lines(cached.marked, lines, *edit[1:])
        else:
            marked = mark_lines(lines)
        blocks = blocks_of(lines, marked)
        self._blocks[uri] = _Blocks(doc.version, blocks, marked, lines)
        return blocks

    async def _gather(
        self, rq: Request, feature: Feature, loop: asyncio.AbstractEventLoop
    ) -> tuple[list[Candidate], list[Dropped]]:
        src = self._sources
        coros: dict[str, Coroutine[Any, Any, SourceResult]] = {
            "related": src.related(rq),
            "recent-edit": src.recent_edits(rq),
            "import": src.imports(rq),
            "git-diff": src.git(rq),
        }
        if feature == "chat":
            coros["open-file"] = src.open_documents(rq)
        tasks = {name: asyncio.ensure_future(c) for name, c in coros.items()}
        timeout = max(0.0, rq.deadline - loop.time()) + DEADLINE_GRACE_S
        await asyncio.wait(tasks.values(), timeout=timeout)
        candidates: list[Candidate] = []
        dropped: list[Dropped] = []
        for name, task in tasks.items():
            found, lost = _collect(name, task, rq)
            candidates += found
            dropped += lost
        return candidates, dropped


def _collect(name: str, task: asyncio.Future[SourceResult], rq: Request) -> SourceResult:
    """What one source gave: its result, or why it gave nothing (timeout, error)."""
    if not task.done():
        task.cancel()
        dropped = [Dropped(name, "timeout")]
        if name == "git-diff" and rq.budget.git_status:
            dropped.append(Dropped("git-status", "timeout"))
        return [], dropped
    exc = task.exception()
    if exc is not None:
        log.warning("context source %s failed: %s", name, type(exc).__name__)
        log.debug("context source %s failure", name, exc_info=exc)
        return [], [Dropped(name, f"error: {type(exc).__name__}")]
    return task.result()


def _index(lines: Sequence[str], line: int, character: int) -> tuple[int, int]:
    """A position as (line, code-point index), clamped to the text."""
    row = min(max(line, 0), len(lines) - 1)
    column = max(character, 0)
    return row, min(column, len(lines[row]))


def _cursor_piece(rq: Request) -> Piece:
    cw = rq.window
    text = cw.prefix + cw.selection + cw.suffix
    return Piece(
        "cursor",
        text,
        estimate_tokens(text, rq.language_id),
        uri=rq.uri,
        path=rq.display,
        start_line=cw.start_line,
        end_line=cw.end_line,
    )


def _result(
    target: _Target,
    started: float,
    pieces: list[Piece],
    dropped: list[Dropped],
    window: CursorWindow | None,
) -> ContextResult:
    ordered = sorted(set(dropped), key=lambda d: (d.source, d.path or d.uri or "", d.reason))
    elapsed = (time.perf_counter() - started) * 1000
    budget = target.budget
    return ContextResult(target.feature, pieces, ordered, window, budget.total_tokens, elapsed)
