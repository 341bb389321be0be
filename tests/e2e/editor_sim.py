"""A pytest-lsp client that behaves like an editor towards streamed edits.

The harness client answers ``workspace/applyEdit`` without changing anything. This one keeps
its own copy of each document and really applies the server's edits, the way editors do:

* ``vscode`` mode: an edit built on another version is refused (``applied: false``); an applied
  edit bumps the version by one and is answered *before* its ``didChange`` is sent; inserted
  line breaks are converted to the document's (CRLF documents stay CRLF).
* ``neovim`` mode: an edit built on an older version is dropped silently but answered
  ``applied: true``; ``didChange`` is debounced (150 ms) and carries every change since the
  last one, the user's and the server's together.

Tests type into a document with ``user_edit`` while an edit streams.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import clean_env, fix_code_action_structure

Mode = Literal["vscode", "neovim"]

CAPS = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=["", "quickfix", "refactor", "refactor.rewrite", "source"]
                )
            )
        ),
    ),
    workspace=types.WorkspaceClientCapabilities(
        apply_edit=True,
        configuration=True,
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=True,
            resource_operations=[
                types.ResourceOperationKind.Create,
                types.ResourceOperationKind.Rename,
                types.ResourceOperationKind.Delete,
            ],
        ),
    ),
    window=types.WindowClientCapabilities(
        work_done_progress=True,
        show_document=types.ShowDocumentClientCapabilities(support=True),
    ),
)


def offset(text: str, pos: types.Position) -> int:
    """Offset of an LSP position (UTF-16 units; test texts are ASCII)."""
    lines = text.split("\n")
    line = min(pos.line, len(lines) - 1) if pos.line < len(lines) else len(lines)
    if line >= len(lines):
        return len(text)
    return sum(len(x) + 1 for x in lines[:line]) + min(pos.character, len(lines[line]))


def position(text: str, at: int) -> types.Position:
    """LSP position of an offset."""
    before = text[:at]
    return types.Position(line=before.count("\n"), character=at - (before.rfind("\n") + 1))


@dataclass
class Doc:
    """A document as the simulated editor holds it."""

    uri: str
    text: str
    version: int = 1
    opened: bool = True
    pending: list[types.TextDocumentContentChangeEvent] = field(default_factory=list)


@dataclass
class Applied:
    """One applyEdit request as the editor saw it."""

    params: types.ApplyWorkspaceEditParams
    applied: bool
    version_before: int | None


class Editor:
    """The simulated editor around a pytest-lsp client."""

    def __init__(self, client: LanguageClient, mode: Mode, debounce: float = 0.15) -> None:
        self.client = client
        self.mode = mode
        self.debounce = debounce
        self.docs: dict[str, Doc] = {}
        self.applied: list[Applied] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self.on_apply: Callable[[Editor, Applied], None] | None = None
        """Called after an applied server edit."""
        self.before_apply: Callable[[Editor, types.ApplyWorkspaceEditParams], None] | None = None
        """Called when a server edit arrives, before the editor looks at it."""

    # -- documents ---------------------------------------------------------------------------

    def open(self, uri: str, text: str, language_id: str = "python") -> Doc:
        """Open a document (``didOpen``, version 1)."""
        doc = self.docs[uri] = Doc(uri, text)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language_id, version=1, text=text
                )
            )
        )
        return doc

    def text(self, uri: str) -> str:
        """The editor's current text of ``uri``."""
        return self.docs[uri].text

    def user_edit(self, uri: str, start: int, end: int, new_text: str) -> None:
        """The user replaces ``text[start:end]`` (offsets) with ``new_text``."""
        self._change(self.docs[uri], [(start, end, new_text)], by_server=False)

    def _change(self, doc: Doc, edits: list[tuple[int, int, str]], *, by_server: bool) -> None:
        """Apply edits (offsets in the current text, applied last first) and report them."""
        for start, end, new_text in sorted(edits, reverse=True):
            doc.pending.append(
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=position(doc.text, start), end=position(doc.text, end)),
                    text=new_text,
                )
            )
            doc.text = doc.text[:start] + new_text + doc.text[end:]
            if self.mode == "neovim":
                doc.version += 1  # changedtick: one tick per buffer change
        if self.mode == "vscode":
            doc.version += 1
        loop = asyncio.get_running_loop()
        if self.mode == "vscode":
            if by_server:  # answered first, reported after (real-editors.md pitfall 0)
                loop.call_soon(self.flush, doc.uri)
            else:
                self.flush(doc.uri)
            return
        timer = self._timers.pop(doc.uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[doc.uri] = loop.call_later(self.debounce, self.flush, doc.uri)

    def flush(self, uri: str) -> None:
        """Send the pending ``didChange`` of ``uri``."""
        doc = self.docs[uri]
        if not doc.pending or not doc.opened:
            doc.pending.clear()
            return
        changes, doc.pending = doc.pending, []
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                content_changes=changes,
            )
        )

    # -- server requests ---------------------------------------------------------------------

    def apply_edit(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        """Apply a workspace edit the way the chosen editor does."""
        if self.before_apply is not None:
            self.before_apply(self, params)
        edit = params.edit
        changes: list[Any] = list(edit.document_changes or [])
        for uri, edits in (edit.changes or {}).items():
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri),
                    edits=list(edits),
                )
            )
        before: int | None = None
        for change in changes:
            if isinstance(change, types.CreateFile):
                self.docs.setdefault(change.uri, Doc(change.uri, "", opened=False))
                continue
            if not isinstance(change, types.TextDocumentEdit):
                continue
            uri = change.text_document.uri
            doc = self.docs.setdefault(uri, Doc(uri, "", opened=False))
            before = doc.version
            wanted = change.text_document.version
            if wanted is not None and wanted != doc.version:
                stale = self.mode == "neovim" and doc.version > wanted
                result = Applied(params, stale, before)
                self.applied.append(result)
                return types.ApplyWorkspaceEditResult(
                    applied=result.applied, failure_reason=None if stale else "stale version"
                )
            crlf = self.mode == "vscode" and "\r\n" in doc.text
            ranges = [
                (
                    offset(doc.text, e.range.start),
                    offset(doc.text, e.range.end),
                    # VS Code converts inserted line breaks to the document's own.
                    e.new_text.replace("\r\n", "\n").replace("\n", "\r\n") if crlf else e.new_text,
                )
                for e in change.edits
            ]
            self._change(doc, ranges, by_server=True)
        record = Applied(params, True, before)
        self.applied.append(record)
        if self.on_apply is not None:
            self.on_apply(self, record)
        return types.ApplyWorkspaceEditResult(applied=True)


def make_editor_client(mode: Mode) -> tuple[LanguageClient, Editor]:
    """A pytest-lsp client wired to a simulated editor."""
    client = pytest_lsp.make_test_lsp_client()
    fix_code_action_structure(client)
    editor = Editor(client, mode)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def on_apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        return editor.apply_edit(params)

    return client, editor


StartEditor = Callable[..., Awaitable[tuple[LanguageClient, Editor]]]


@pytest_asyncio.fixture
async def start_editor(tmp_path: Path) -> AsyncIterator[StartEditor]:
    """Factory: ``client, editor = await start_editor(settings, mode=..., root=...)``."""
    started: list[LanguageClient] = []
    home = tmp_path / "home"
    home.mkdir()

    async def start(
        settings: dict[str, Any],
        *,
        mode: Mode = "vscode",
        root: Path | None = None,
        env: dict[str, str] | None = None,
        capabilities: types.ClientCapabilities = CAPS,
    ) -> tuple[LanguageClient, Editor]:
        client, editor = make_editor_client(mode)
        client.set_configuration({"glm": settings})
        await client.start_io(
            sys.executable, "-m", "glm_lsp", "-vv", env=clean_env(home, **(env or {}))
        )
        started.append(client)
        root_uri = (root or tmp_path).as_uri()
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                initialization_options={"glm": settings},
                root_uri=root_uri,
                workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="ws")],
            )
        )
        return client, editor

    yield start
    for client in started:
        try:
            await asyncio.wait_for(client.shutdown_session(), 10)
        except Exception:  # noqa: BLE001 - a test may have stopped the server itself
            pass
        await client.stop()
