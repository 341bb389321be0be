"""Document and workspace events, forwarded to the context engine; ``glm.context.inspect``.

pygls keeps the authoritative text (it applies incremental changes first); this module hands
the engine the new text and the lines each change touched, so it can track recent edits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from lsprotocol import types

from glm_lsp.lsp.docstore import DocumentNotOpenError, LineDocument
from glm_lsp.lsp.editor import workspace_roots
from glm_lsp.lsp.positions import code_point_position
from glm_lsp.lsp.server import GlmLanguageServer

log = logging.getLogger(__name__)

FEATURES = ("inline", "chat", "edit")
INSPECT_SETTLE_SECONDS = 5.0
FULL_CHANGE_CHARS = 4000
"""A change from the document's start with more old text is reduced to its changed lines."""
TRIM_LIMIT_CHARS = 1_000_000
"""...unless it has more than this (a whole huge document): its history is dropped instead."""
HUNK_LIMIT_CHARS = 100_000
"""A change larger than this is not typing (a paste, a formatter): the history is dropped
rather than kept with positions it cannot shift or a hunk that size."""


def trimmed_change(old: str, new: str) -> tuple[int, int, str, str]:
    """(line, 0, old, new): the whole lines (as pygls splits them) a replacement of ``old``
    by ``new`` changed, without the lines both texts share at their start and end."""
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    head, limit = 0, min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_mid = "".join(old_lines[head : len(old_lines) - tail])
    new_mid = "".join(new_lines[head : len(new_lines) - tail])
    return head, 0, old_mid, new_mid


def changed_lines(
    changes: list[types.TextDocumentContentChangeEvent], line_count: int
) -> list[tuple[int, int]]:
    """Line ranges (inclusive, in the new text) touched by ``changes``."""
    ranges: list[tuple[int, int]] = []
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = change.range.start.line
            ranges.append((start, start + change.text.count("\n")))
        else:
            ranges.append((0, max(line_count - 1, 0)))
    return ranges


async def inspect(ls: GlmLanguageServer, raw: Any) -> dict[str, Any]:
    """What the engine would send for ``feature`` at ``position`` and why anything was left out.

    It first lets the engine finish its background preparation (git, file reads), so the
    answer shows what a warm request sees rather than a cold-start race.
    """
    if not isinstance(raw, dict) or "uri" not in raw or "position" not in raw:
        raise ValueError("glm.context.inspect takes {uri, position: {line, character}, feature}")
    feature: Any = raw.get("feature", "inline")
    if feature not in FEATURES:
        raise ValueError(f"feature must be one of {', '.join(FEATURES)}, got {feature!r}")
    position = raw["position"]
    line, character = code_point_position(
        ls.workspace, raw["uri"], int(position["line"]), int(position["character"])
    )
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(ls.context.wait_idle(), INSPECT_SETTLE_SECONDS)
    result = await ls.context.build(raw["uri"], line, character, feature)
    return result.to_json()


def record_edits(ls: GlmLanguageServer, doc: LineDocument, version: int) -> None:
    """Feed each change just applied (code points, old and new text) to the next-edit history.

    A whole-document change (a client that syncs full text) is reduced to the lines it
    really changed; one whose old text is unknown, or a huge one, ends the document's history.
    """
    replaced = doc.take_replaced()
    engine = ls.next_edit
    if engine is None:
        return
    history, now = engine.history, time.monotonic()
    for change in replaced:
        if change is None:
            history.forget(doc.uri)
            continue
        line, column, old, new = change
        if line == column == 0 and FULL_CHANGE_CHARS < len(old) <= TRIM_LIMIT_CHARS:
            line, column, old, new = trimmed_change(old, new)
        if len(old) > HUNK_LIMIT_CHARS or len(new) > HUNK_LIMIT_CHARS:
            history.forget(doc.uri)
            continue
        history.record(doc.uri, version, line, column, old, new, now)
    engine.changed(doc.uri, version, lambda: doc.source)  # debounce rhythm, speculation


def document_changed(ls: GlmLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    """Tell the context engine which lines of an open document changed, at its new version."""
    try:
        doc = ls.workspace.get_text_document(params.text_document.uri)
    except DocumentNotOpenError:
        return  # the workspace already logged the ignored change
    if isinstance(doc, LineDocument):
        record_edits(ls, doc, params.text_document.version)
        ranges = changed_lines(list(params.content_changes), doc.newlines + 1)
        ls.context.change_document(doc.uri, doc, params.text_document.version, ranges)
        return
    text = doc.source
    ranges = changed_lines(list(params.content_changes), text.count("\n") + 1)
    ls.context.change_document(doc.uri, text, params.text_document.version, ranges)


def register(server: GlmLanguageServer) -> None:
    """Document sync handlers and the inspect command."""

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: GlmLanguageServer, _: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.context.set_workspace_roots(workspace_roots(ls))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GlmLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        text = ls.workspace.get_text_document(item.uri).source  # made well-formed on the way in
        ls.context.open_document(item.uri, text, item.language_id, item.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GlmLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        document_changed(ls, params)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GlmLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.context.close_document(uri)
        ls.diagnostics.forget(uri)
        if ls.inline is not None:
            ls.inline.forget(uri)
        if ls.next_edit is not None:
            ls.next_edit.forget(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GlmLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.context.document_saved(params.text_document.uri)

    @server.feature("textDocument/didFocus")
    def did_focus(ls: GlmLanguageServer, params: Any) -> None:
        uri = getattr(getattr(params, "textDocument", None), "uri", None)
        if isinstance(uri, str):
            ls.context.focus_document(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GlmLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.context.files_changed([change.uri for change in params.changes])

    @server.command("glm.context.inspect")
    async def context_inspect(ls: GlmLanguageServer, raw: Any) -> dict[str, Any]:
        return await inspect(ls, raw)
