"""Ghost text: ``textDocument/inlineCompletion``, the ``textDocument/completion`` fallback and
``glm.inline.accepted``.

Thin glue over ``glm_lsp.inline.session``: convert the client's position (utf-8/16/32, as
negotiated) to code points, split out only the lines the trigger reads (a 5,000-line document
is not split whole at every keystroke), ask the session, and answer with one item whose range
is empty at the cursor. The inline handler is registered with options so that the capability
is advertised, and it answers whether or not the client declared it (Neovim 0.11 does not).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.workspace import TextDocument

from glm_lsp.inline.session import (
    InlineHooks,
    InlineOptions,
    InlineQuery,
    InlineSession,
    Suggestion,
    window_bounds,
)
from glm_lsp.lsp.docstore import LineDocument
from glm_lsp.lsp.positions import code_point_column, encoding_of
from glm_lsp.lsp.server import GlmLanguageServer
from glm_lsp.settings import Settings

__all__ = ["ACCEPTED_COMMAND", "register", "suggest"]

ACCEPTED_COMMAND = "glm.inline.accepted"


def _options(settings: Settings) -> InlineOptions:
    return InlineOptions(
        model=settings.inline_model,
        debounce_ms=settings.inline.debounce_ms,
        max_tokens=settings.inline.max_tokens,
    )


def _query(
    ls: GlmLanguageServer, uri: str, position: types.Position, invoked: bool
) -> InlineQuery | None:
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return None
    first, end = window_bounds(position.line)
    lines = _lines_between(doc, first, end)
    line = position.line
    if not first <= line < first + len(lines):
        return None
    current = lines[line - first].rstrip("\r")
    character = code_point_column(current, position.character, encoding_of(ls.workspace))
    language = (doc.language_id or "").lower()
    return InlineQuery(uri, lines, line, character, language, invoked, first)


def _lines_between(doc: TextDocument, first: int, end: int) -> list[str]:
    """``doc.source.split("\\n")[first:end]`` without splitting (or joining) a large document
    up to the cursor on every keystroke."""
    if isinstance(doc, LineDocument):
        window = doc.text_window(first, end)
        if window is not None:
            start, text = window
            return text.split("\n")[: min(end, doc.newlines + 1) - start]
    return doc.source.split("\n", end)[first:end]


async def suggest(
    ls: GlmLanguageServer, uri: str, position: types.Position, *, invoked: bool = False
) -> Suggestion | None:
    """The suggestion at ``position`` (client units) of an open document, or None."""
    session = ls.inline
    if session is None or not ls.settings.inline.enabled:
        return None
    documents = ls.workspace.text_documents
    session.retain(lambda known: known in documents)
    query = _query(ls, uri, position, invoked)
    if query is None:
        return None
    return await session.complete(query, _options(ls.settings))


def _accept_command(suggestion: Suggestion) -> types.Command:
    return types.Command(
        title="GLM: suggestion accepted",
        command=ACCEPTED_COMMAND,
        arguments=[{"id": suggestion.id}],
    )


def _label(text: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), text.strip())
    return first if len(first) <= 60 else first[:57] + "..."


def _session(server: GlmLanguageServer) -> InlineSession:
    """The inline session, wired to the server (closed at shutdown; its cache is dropped when
    the inline model changes)."""
    session = InlineSession(
        server.context,
        InlineHooks(
            client=lambda: server.model_client(background=True),
            busy=lambda: server.status.busy("inline"),
            upstream_failed=server.upstream_failed,
            upstream_ok=server.upstream_ok,
        ),
    )
    server.on_shutdown(session.close)
    models: list[str] = []

    def settings_changed(settings: Settings) -> None:
        if models and models[-1] != settings.inline_model:
            session.cache.forget()
        models[:] = [settings.inline_model]

    server.on_settings_changed(settings_changed)
    return session


async def inline_items(
    ls: GlmLanguageServer, params: types.InlineCompletionParams
) -> types.InlineCompletionList:
    """``textDocument/inlineCompletion``: one item, empty range at the cursor, or none."""
    invoked = params.context.trigger_kind == types.InlineCompletionTriggerKind.Invoked
    found = await suggest(ls, params.text_document.uri, params.position, invoked=invoked)
    if found is None:
        return types.InlineCompletionList(items=[])
    here = types.Range(start=params.position, end=params.position)
    item = types.InlineCompletionItem(
        insert_text=found.text, range=here, command=_accept_command(found)
    )
    return types.InlineCompletionList(items=[item])


async def completion_items(
    ls: GlmLanguageServer, params: types.CompletionParams
) -> types.CompletionList:
    """``textDocument/completion`` for editors without ghost text: the suggestion as an item."""
    if get_capability(ls.client_capabilities, "text_document.inline_completion", None):
        # The editor shows ghost text; a second copy in its completion menu would only
        # get in the way (and an open menu stops VS Code from showing ghost text).
        return types.CompletionList(is_incomplete=False, items=[])
    found = await suggest(ls, params.text_document.uri, params.position)
    if found is None:
        return types.CompletionList(is_incomplete=True, items=[])
    here = types.Range(start=params.position, end=params.position)
    item = types.CompletionItem(
        label=_label(found.text),
        kind=types.CompletionItemKind.Text,
        detail="GLM suggestion",
        sort_text="0",
        insert_text_format=types.InsertTextFormat.PlainText,
        text_edit=types.TextEdit(range=here, new_text=found.text),
        command=_accept_command(found),
    )
    return types.CompletionList(is_incomplete=True, items=[item])


def register(server: GlmLanguageServer) -> None:
    """Inline completion, the completion fallback and the acceptance command."""
    session = server.inline = _session(server)

    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def inline_completion(
        ls: GlmLanguageServer, params: types.InlineCompletionParams
    ) -> types.InlineCompletionList:
        return await inline_items(ls, params)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())
    async def completion(
        ls: GlmLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList:
        return await completion_items(ls, params)

    @server.command(ACCEPTED_COMMAND)
    def accepted(ls: GlmLanguageServer, *args: Any) -> None:
        arg = args[0] if args else None
        raw = arg.get("id") if isinstance(arg, dict) else getattr(arg, "id", None)
        session.accepted(str(raw) if raw is not None else "")
