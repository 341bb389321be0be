"""The editor adapter: documents as the editor sees them, workspace folders, versioned edits,
work-done progress. Features call these instead of pygls' requests where they can.

``LspEditor`` is the ``edits.Editor`` that ``StreamingEdit`` drives: it reads the document as
the editor last reported it (pygls' workspace, kept current by ``didChange``), sends versioned
``workspace/applyEdit`` calls and waits for the next reported version.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.capabilities import get_capability

from glm_lsp.edits.preparation import Refusal
from glm_lsp.edits.text import position_of
from glm_lsp.edits.tracker import Edit
from glm_lsp.lsp.positions import encoding_of, to_client
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = [
    "LspEditor",
    "Progress",
    "append_to_file",
    "file_state",
    "load_document",
    "notify",
    "warm_up",
    "workspace_root",
    "workspace_roots",
]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.005
"""How often a waiting edit looks for the editor's next reported version."""
READ_TIMEOUT = 3.0


def warm_up(ls: GlmLanguageServer) -> None:
    """Build the JSON converters for edit messages now, while the model has not answered yet.

    cattrs generates its (un)structure code on first use: 20-60 ms for a workspace edit, which
    would otherwise delay the first streamed edit.
    """
    if ls.edit_converters_warm:
        return
    ls.edit_converters_warm = True
    converter = ls.protocol._converter
    at = types.Position(line=0, character=0)
    edit = types.TextEdit(range=types.Range(start=at, end=at), new_text="")
    doc = types.OptionalVersionedTextDocumentIdentifier(uri="file:///warm-up", version=1)
    changes: list[Any] = [
        types.CreateFile(uri="file:///warm-up"),
        types.TextDocumentEdit(text_document=doc, edits=[edit]),
    ]
    for document_changes in (changes[1:], changes):
        params = types.ApplyWorkspaceEditParams(
            edit=types.WorkspaceEdit(document_changes=document_changes), label="warm-up"
        )
        converter.unstructure(params)
    converter.structure({"applied": True}, types.ApplyWorkspaceEditResult)


async def load_document(ls: GlmLanguageServer, uri: str) -> tuple[int | None, str] | None:
    """(version, text) of an open document, or (None, text) read from disk; None if unreadable.

    Disk reads go through the context engine's guard: regular workspace files only, never
    excluded ones (by the link's name or its target's).
    """
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None:
        return doc.version, doc.source
    path = uris.to_fs_path(uri)
    if not path:
        return None
    try:
        found = await asyncio.wait_for(
            asyncio.to_thread(ls.context.read_blocking, path), READ_TIMEOUT
        )
    except asyncio.TimeoutError:
        return None
    if found.text is None:
        log.info("not reading %s: %s", path, found.reason)
        return None
    return None, found.text


def notify(ls: GlmLanguageServer, method: str, params: dict[str, Any]) -> None:
    """Send a notification; one the editor can no longer receive is dropped (logged)."""
    try:
        ls.protocol.notify(method, params)
    except Exception:  # noqa: BLE001 - the editor went away; the work still ends cleanly
        log.debug("%s not sent: no client", method)


def workspace_roots(ls: GlmLanguageServer) -> list[str]:
    """Workspace folder URIs (the root URI when the editor sent no folders)."""
    folders = [folder.uri for folder in ls.workspace.folders.values()]
    if not folders and ls.workspace.root_uri:
        folders = [ls.workspace.root_uri]
    return folders


def workspace_root(ls: GlmLanguageServer, path: str) -> str | None:
    """The workspace folder holding ``path`` (the deepest one), if any."""
    best: str | None = None
    folders = [f.uri for f in ls.workspace.folders.values()] or [ls.workspace.root_uri or ""]
    for folder in folders:
        root = uris.to_fs_path(folder) if folder else None
        if root and (path == root or path.startswith(root.rstrip(os.sep) + os.sep)):
            if best is None or len(root) > len(best):
                best = root
    return best


async def file_state(ls: GlmLanguageServer, path: str, exists: bool) -> tuple[int | None, str]:
    """(version, text) of the file at ``path``: open in the editor, on disk, or (None, "")."""
    uri = uris.from_fs_path(path) or path
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None:
        return doc.version, doc.source
    if not exists:
        return None, ""
    loaded = await load_document(ls, uri)
    return loaded if loaded is not None else (None, "")


async def append_to_file(
    ls: GlmLanguageServer,
    path: str,
    version: int | None,
    existing: str,
    text: str,
    *,
    label: str,
    what: str,
) -> str:
    """Insert ``text`` at the end of the file (``existing`` as of ``version``), creating it,
    then show it where the text starts; the file's URI. Raises ``Refusal`` when the editor
    refuses the edit."""
    uri = uris.from_fs_path(path) or path
    at = to_client(existing, position_of(existing, len(existing)), encoding_of(ls.workspace))
    caps = ls.client_capabilities
    document_changes = get_capability(caps, "workspace.workspace_edit.document_changes", False)
    operations = get_capability(caps, "workspace.workspace_edit.resource_operations", None) or []
    file_exists = await asyncio.to_thread(os.path.exists, path)
    if not file_exists and not (document_changes and "create" in operations):
        await asyncio.to_thread(_write_new_file, path, "")
        file_exists = True
    insert = types.TextEdit(range=types.Range(start=at, end=at), new_text=text)
    if document_changes:
        changes: list[Any] = []
        if not file_exists:
            options = types.CreateFileOptions(ignore_if_exists=True)
            changes.append(types.CreateFile(uri=uri, options=options))
        doc = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        changes.append(types.TextDocumentEdit(text_document=doc, edits=[insert]))
        edit = types.WorkspaceEdit(document_changes=changes)
    else:
        edit = types.WorkspaceEdit(changes={uri: [insert]})
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=label)
    )
    if not result.applied:
        raise Refusal(f"the editor refused to write {what} ({result.failure_reason})")
    if get_capability(caps, "window.show_document.support", False):
        first = types.Position(line=at.line + len(text) - len(text.lstrip("\n")), character=0)
        await ls.window_show_document_async(
            types.ShowDocumentParams(
                uri=uri, take_focus=True, selection=types.Range(start=first, end=first)
            )
        )
    return uri


def _write_new_file(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


class LspEditor:
    """``edits.Editor`` over ``workspace/applyEdit`` and pygls' document tracking."""

    def __init__(self, ls: GlmLanguageServer, uri: str, label: str) -> None:
        self.ls = ls
        self.uri = uri
        self.label = label
        self.encoding = encoding_of(ls.workspace)
        self.document_changes = bool(
            get_capability(
                ls.client_capabilities, "workspace.workspace_edit.document_changes", False
            )
        )

    def document(self) -> tuple[int | None, str] | None:
        doc = self.ls.workspace.text_documents.get(self.uri)
        return None if doc is None else (doc.version, doc.source)

    async def apply(self, version: int | None, text: str, edits: Sequence[Edit]) -> bool:
        text_edits = [
            types.TextEdit(
                range=types.Range(
                    start=to_client(text, edit.start, self.encoding),
                    end=to_client(text, edit.end, self.encoding),
                ),
                new_text=edit.text,
            )
            for edit in edits
        ]
        if self.document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(
                uri=self.uri, version=version
            )
            change = types.TextDocumentEdit(text_document=identifier, edits=list(text_edits))
            workspace_edit = types.WorkspaceEdit(document_changes=[change])
        else:
            workspace_edit = types.WorkspaceEdit(changes={self.uri: text_edits})
        result = await self.ls.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=workspace_edit, label=self.label)
        )
        if not result.applied:
            log.debug("editor refused the edit on version %s: %s", version, result.failure_reason)
        return bool(result.applied)

    async def changed(self, version: int | None, timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            doc = self.ls.workspace.text_documents.get(self.uri)
            if doc is None or doc.version != version:
                return True
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(POLL_SECONDS)


class Progress:
    """Work-done progress with a cancel button that cancels the calling task."""

    MIN_GAP = 0.2

    def __init__(self, ls: GlmLanguageServer, token: str | None) -> None:
        self.ls = ls
        self.token = token
        self._last = ("", 0.0)

    @classmethod
    async def start(cls, ls: GlmLanguageServer, title: str, message: str) -> Progress:
        """Begin progress if the client supports it (else a silent stand-in)."""
        if not get_capability(ls.client_capabilities, "window.work_done_progress", False):
            return cls(ls, None)
        token = f"glm-{uuid.uuid4().hex}"
        try:
            await ls.work_done_progress.create_async(token)
        except Exception as exc:  # noqa: BLE001 - the client may refuse; work goes on without
            log.debug("work done progress refused: %s", exc)
            return cls(ls, None)
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        future = ls.work_done_progress.tokens.get(token)
        if task is not None and future is not None:

            def cancelled(done: Any) -> None:
                if done.cancelled():
                    loop.call_soon_threadsafe(task.cancel)

            future.add_done_callback(cancelled)
        begin = types.WorkDoneProgressBegin(title=title, cancellable=True, message=message)
        ls.work_done_progress.begin(token, begin)
        return cls(ls, token)

    def report(self, message: str) -> None:
        """Say what is happening (throttled; repeated messages are dropped)."""
        if self.token is None:
            return
        now = asyncio.get_running_loop().time()
        if message == self._last[0] or now - self._last[1] < self.MIN_GAP:
            return
        self._last = (message, now)
        self.ls.work_done_progress.report(
            self.token, types.WorkDoneProgressReport(message=message, cancellable=True)
        )

    def end(self, message: str) -> None:
        """End the progress and forget its token."""
        if self.token is None:
            return
        try:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
        finally:
            future = self.ls.work_done_progress.tokens.pop(self.token, None)
            if future is not None and not future.done():
                future.set_result(None)
            self.token = None
