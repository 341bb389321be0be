"""``textDocument/codeAction``: the GLM actions for a selection or the enclosing function/class.

Each action only carries a command (``[{uri, range}]``, protocol §3); nothing is computed until
the user picks one. The range is the selection grown to whole lines or, with no selection, the
innermost function or class around the cursor. ``GLM: Fix`` appears only with diagnostics in
range and passes them along (``diagnostics`` in the argument), since other servers' diagnostics
reach us only through this request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsprotocol import converters, types
from pygls.capabilities import get_capability
from pygls.workspace import TextDocument

from glm_lsp.edits.scope import enclosing_block, whole_lines
from glm_lsp.edits.text import Pos, position_of, split_lines
from glm_lsp.lsp.command_table import FIX, SELECTION_ACTIONS, RangeCommand
from glm_lsp.lsp.docstore import LineDocument
from glm_lsp.lsp.positions import encoding_of, to_client, to_offset
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["ACTION_KINDS", "code_actions_for", "register"]

ACTION_KINDS = [
    types.CodeActionKind.QuickFix,
    types.CodeActionKind.RefactorRewrite,
    types.CodeActionKind.Source,
    types.CodeActionKind.Empty,
]

_CONVERTER = converters.get_converter()
WINDOW_MARGIN_LINES = 3000
"""Lines read above and below the range in a large document (see ``_text_around``)."""


def _allowed(kind: str, only: Sequence[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or (o and kind.startswith(o + ".")) for o in only)


def _json_range(text: str, start: Pos, end: Pos, encoding: str, base: int) -> dict[str, Any]:
    """The range as JSON, its lines ``base`` further down (``text`` is a window from there)."""
    first, last = to_client(text, start, encoding), to_client(text, end, encoding)
    first.line += base
    last.line += base
    return {"start": _CONVERTER.unstructure(first), "end": _CONVERTER.unstructure(last)}


def _text_around(doc: TextDocument, first: int, last: int) -> tuple[int, str]:
    """(first line, text) of the document, or of the lines near ``first``..``last`` only in a
    large one: a code action request comes with every cursor move, so it must not cost a pass
    over a 50 MB file (a function longer than the margin is then not found whole)."""
    if isinstance(doc, LineDocument):
        window = doc.text_window(first - WINDOW_MARGIN_LINES, last + WINDOW_MARGIN_LINES + 1)
        if window is not None:
            return window
    return 0, doc.source


def _block_span(lines: list[str], line: int, doc: TextDocument) -> tuple[Pos, Pos] | None:
    block = enclosing_block(lines, line, language=doc.language_id or "", path=doc.path)
    if block is None:
        return None
    last = block[1]
    return whole_lines(lines, (block[0], 0), (last, len(lines[last].rstrip("\n")) or 1))


def _span(
    lines: list[str], text: str, start: int, end: int, doc: TextDocument
) -> tuple[Pos, Pos] | None:
    """The selection grown to whole lines, or the enclosing block of the cursor."""
    if start != end:
        return whole_lines(lines, position_of(text, start), position_of(text, end))
    return _block_span(lines, position_of(text, start)[0], doc)


def _fix_span(
    lines: list[str],
    span: tuple[Pos, Pos] | None,
    diagnostics: list[dict[str, Any]],
    base: int,
    doc: TextDocument,
) -> tuple[Pos, Pos]:
    """The range GLM: Fix rewrites: the diagnostics' lines, their enclosing block, the span."""
    first = min(d["range"]["start"]["line"] for d in diagnostics) - base
    last = max(d["range"]["end"]["line"] for d in diagnostics) - base
    spans = [whole_lines(lines, (first, 0), (last, 1))]
    block = _block_span(lines, first, doc)
    if block is not None:
        spans.append(block)
    if span is not None:
        spans.append(span)
    return min(s[0] for s in spans), max(s[1] for s in spans)


def code_actions_for(
    ls: GlmLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction | types.Command] | None:
    """The GLM actions for ``params`` (None when there is nothing to act on)."""
    uri = params.text_document.uri
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return None
    encoding = encoding_of(ls.workspace)
    diagnostics = [_CONVERTER.unstructure(d) for d in params.context.diagnostics]
    ls.diagnostics.remember(uri, diagnostics)
    touched = [params.range.start.line, params.range.end.line]
    touched += [p["line"] for d in diagnostics for p in (d["range"]["start"], d["range"]["end"])]
    base, text = _text_around(doc, min(touched), max(touched))
    lines = split_lines(text)
    start = to_offset(text, params.range.start.line - base, params.range.start.character, encoding)
    end = to_offset(text, params.range.end.line - base, params.range.end.character, encoding)
    span = _span(lines, text, start, end, doc)
    fix_span = _fix_span(lines, span, diagnostics, base, doc) if diagnostics else None
    if span is None and not diagnostics:
        return None
    actions: list[tuple[RangeCommand, dict[str, Any], Sequence[types.Diagnostic] | None]] = []
    if diagnostics and fix_span is not None:
        arg: dict[str, Any] = {"uri": uri, "range": _json_range(text, *fix_span, encoding, base)}
        arg["diagnostics"] = diagnostics
        actions.append((FIX, arg, params.context.diagnostics))
    if span is not None:
        arg = {"uri": uri, "range": _json_range(text, *span, encoding, base)}
        actions += [(command, arg, None) for command in SELECTION_ACTIONS]
    only = params.context.only
    literal = get_capability(
        ls.client_capabilities, "text_document.code_action.code_action_literal_support", None
    )
    result: list[types.CodeAction | types.Command] = []
    for command, arg, diags in actions:
        kind, title = command.kind, command.title
        if kind is None or not _allowed(kind, only):
            continue
        cmd = types.Command(title=title, command=command.name, arguments=[dict(arg)])
        if literal is None:
            result.append(cmd)
        else:
            result.append(types.CodeAction(title=title, kind=kind, diagnostics=diags, command=cmd))
    return result


def register(server: GlmLanguageServer) -> None:
    """The code action provider."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=ACTION_KINDS),
    )
    def code_actions(
        ls: GlmLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction | types.Command] | None:
        return code_actions_for(ls, params)
