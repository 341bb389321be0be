"""Resolving a turn's context: the current file and selection, and the message's references.

The context engine gives the current file window, the selection and the repository context
around it (within a per-turn budget); ``#file`` reads workspace files, ``#diff`` the
uncommitted changes, ``#diagnostics`` the diagnostics the editor sent. Excluded files are
named with the reason, never read. Every block is rendered as ``<context ...>`` text that
goes into the user message, ahead of what the user typed.

The blocks themselves (rendering, markers for repeats) are in ``chat/blocks.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

import attrs

from glm_lsp.chat.blocks import Block, element, last_line, truncate
from glm_lsp.chat.references import References
from glm_lsp.chat.workspace import ChatWorkspace, OutsideWorkspace, diff_files
from glm_lsp.context.files import uri_to_path
from glm_lsp.context.tokens import estimate_tokens
from glm_lsp.context.types import ContextResult, CursorWindow, Feature, Piece, render_piece

__all__ = ["ContextBuilder", "Diagnostic", "TurnContext", "attach"]

ENGINE_BUDGET_TOKENS = 12_000
FILE_TOKENS = 8_000
FILES_TOTAL_TOKENS = 24_000
DIFF_TOKENS = 8_000
DIAGNOSTIC_LINES = 60


@attrs.frozen
class Diagnostic:
    """A diagnostic the editor reported (0-based line, code-point column)."""

    line: int
    character: int
    message: str
    severity: str | None = None
    """``error``, ``warning``, ``information`` or ``hint``; None when the editor gave none."""
    source: str | None = None
    code: str | None = None


class ContextBuilder(Protocol):
    """The part of the context engine chat uses."""

    async def build(
        self,
        uri: str,
        line: int,
        character: int,
        feature: Feature,
        *,
        selection: tuple[int, int, int, int] | None = None,
        budget_tokens: int | None = None,
    ) -> ContextResult: ...


@attrs.frozen
class TurnContext:
    """Where the user is and what the message asks for."""

    uri: str | None = None
    range: tuple[int, int, int, int] | None = None
    """(start line, start column, end line, end column), 0-based, columns in code points."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """The diagnostics the editor sent for ``uri``."""
    references: References = References()


async def attach(ctx: TurnContext, ws: ChatWorkspace, engine: ContextBuilder | None) -> list[Block]:
    """The context blocks for one turn, in prompt order (repository first, selection last)."""
    blocks: list[Block] = []
    engine_paths: set[str] = set()
    if ctx.uri is not None and engine is not None:
        blocks += await _engine_blocks(ctx, engine, ws, engine_paths)
    elif ctx.uri is not None and ctx.references.selection:
        blocks.append(Block("selection", "", None, "no context engine to read the selection"))
    if ctx.references.selection and ctx.range is None:
        blocks.append(Block("selection", "", None, "no selection was sent with the message"))
    blocks += await _file_blocks(ctx.references.files, ws)
    if ctx.references.diff:
        blocks += await _diff_blocks(ws, engine_paths)
    if ctx.references.diagnostics or ctx.diagnostics:
        blocks.append(await _diagnostics_block(ctx, ws))
    ordered = [b for b in blocks if b.source != "selection"] + [
        b for b in blocks if b.source == "selection"
    ]
    return [b for b in ordered if b.text or b.note]


async def _engine_blocks(
    ctx: TurnContext, engine: ContextBuilder, ws: ChatWorkspace, engine_paths: set[str]
) -> list[Block]:
    assert ctx.uri is not None
    selection = ctx.range if ctx.range and ctx.range[:2] != ctx.range[2:] else None
    result = await _engine_result(ctx, ctx.uri, engine, selection)
    path = uri_to_path(ctx.uri)
    if path is not None and any(
        d.source == "cursor" and d.reason == "timeout" for d in result.dropped
    ):
        # The engine races a short deadline; the user asked about this file, so wait for the
        # exclusion decision (cached by the engine) and ask once more.
        try:
            await ws.excluded(path)
        except asyncio.TimeoutError:
            pass
        result = await _engine_result(ctx, ctx.uri, engine, selection)
    out: list[Block] = []
    for piece in result.pieces:
        if piece.source == "cursor":
            out += _cursor_blocks(piece, result.cursor, selection)
            continue
        if piece.source == "git-diff" and piece.path:
            engine_paths.add(piece.path)
        out.append(Block(piece.source, render_piece(piece), piece.path))
    for dropped in result.dropped:
        if dropped.source == "cursor":
            shown = dropped.path or ctx.uri
            body = f"(not included: {dropped.reason})"
            out.append(
                Block("current-file", element("current-file", body, shown), shown, dropped.reason)
            )
    return out


async def _engine_result(
    ctx: TurnContext,
    uri: str,
    engine: ContextBuilder,
    selection: tuple[int, int, int, int] | None,
) -> ContextResult:
    line, character = (ctx.range[0], ctx.range[1]) if ctx.range else (0, 0)
    return await engine.build(
        uri,
        line,
        character,
        "chat",
        selection=selection,
        budget_tokens=ENGINE_BUDGET_TOKENS,
    )


def _cursor_blocks(
    piece: Piece, window: CursorWindow | None, selection: tuple[int, int, int, int] | None
) -> list[Block]:
    """The current file's window and, when text is selected, the selection on its own."""
    lines = (
        f"{piece.start_line + 1}-{piece.end_line + 1}"
        if piece.start_line is not None and piece.end_line is not None
        else ""
    )
    extra = {"lines": lines} if lines else {}
    body = element("current-file", piece.text, piece.path, **extra)
    out = [Block("current-file", body, piece.path)]
    if window is not None and window.selection and selection is not None:
        sel_lines = f"{selection[0] + 1}-{last_line(selection) + 1}"
        text = element("selection", window.selection, piece.path, lines=sel_lines)
        out.append(Block("selection", text, piece.path))
    return out


async def _file_blocks(paths: Sequence[str], ws: ChatWorkspace) -> list[Block]:
    out: list[Block] = []
    used = 0
    for raw in paths:
        try:
            path = await ws.resolve(raw)
        except OutsideWorkspace as exc:
            out.append(Block("file", element("file", f"(not included: {exc})", raw), raw, str(exc)))
            continue
        except asyncio.TimeoutError:
            out.append(Block("file", "", raw, "resolving the path took too long"))
            continue
        got = await ws.read(path)
        if got.text is None:
            note = got.reason or "unreadable"
            out.append(
                Block(
                    "file", element("file", f"(not included: {note})", got.shown), got.shown, note
                )
            )
            continue
        room = min(FILE_TOKENS, FILES_TOTAL_TOKENS - used)
        if room <= 0:
            out.append(Block("file", "", got.shown, "not included: the files budget is used up"))
            continue
        text, cut = truncate(got.text, room)
        used += estimate_tokens(text)
        out.append(
            Block("file", element("file", text, got.shown), got.shown, "truncated" if cut else None)
        )
    return out


async def _diff_blocks(ws: ChatWorkspace, skip: set[str]) -> list[Block]:
    try:
        files = await diff_files(ws, None, "both")
    except asyncio.TimeoutError:
        return [Block("git-diff", "", None, "git took too long")]
    if not files:
        return [
            Block(
                "git-diff",
                element("git-diff", "(no uncommitted changes)"),
                None,
                "no uncommitted changes",
            )
        ]
    out: list[Block] = []
    used = 0
    for item in files:
        if item.shown in skip:
            continue
        body = item.text or f"({item.note})"
        text, cut = truncate(body, max(DIFF_TOKENS - used, 0))
        if not text.strip() or used >= DIFF_TOKENS:
            full = "not included: the diff budget is used up"
            out.append(Block("git-diff", "", item.shown, full))
            continue
        used += estimate_tokens(text)
        note = item.note or ("truncated" if cut else None)
        out.append(Block("git-diff", element("git-diff", text, item.shown), item.shown, note))
    return out


async def _diagnostics_block(ctx: TurnContext, ws: ChatWorkspace) -> Block:
    path = uri_to_path(ctx.uri) if ctx.uri else None
    shown = ws.display(path) if path else None
    if not ctx.diagnostics:
        note = "the editor sent no diagnostics"
        return Block("diagnostics", element("diagnostics", f"({note})", shown), shown, note)
    lines_of: list[str] | None = None
    if path is not None:
        got = await ws.read(path)
        lines_of = got.text.split("\n") if got.text is not None else None
    rows: list[str] = []
    for diag in ctx.diagnostics[:DIAGNOSTIC_LINES]:
        rows.append(_diagnostic_line(diag, lines_of))
    if len(ctx.diagnostics) > DIAGNOSTIC_LINES:
        rows.append(f"… and {len(ctx.diagnostics) - DIAGNOSTIC_LINES} more")
    body = ws.redact("\n".join(rows), path)
    return Block("diagnostics", element("diagnostics", body, shown), shown)


def _diagnostic_line(diag: Diagnostic, lines: list[str] | None) -> str:
    origin = " ".join(part for part in (diag.source, diag.code) if part)
    head = f"line {diag.line + 1}:{diag.character + 1} {diag.severity or 'problem'}"
    if origin:
        head += f" [{origin}]"
    text = f"{head}: {diag.message}"
    if lines is not None and 0 <= diag.line < len(lines):
        text += f"\n    {lines[diag.line].strip()}"
    return text
