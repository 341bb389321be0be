"""Chat proposals in the editor: ``glm/chat/proposal``, ``glm.chat.apply``, ``discard``, ``undo``
and ``glm.chat.proposals``.

The planning (which files may be written, the inverse changes of undo) is in
``chat/checkpoints.py``; this glue reads the files' current state (the open document and its
version, else the disk through the engine's guarded reader) and sends the allowed steps as one
``workspace/applyEdit``: versioned ``TextDocumentEdit``s for edits, ``CreateFile``,
``RenameFile`` and ``DeleteFile`` for the rest. Proposals and checkpoints are read from and
recorded in the chat store (``chat/proposal_store.py``), so all of this works the same after a
restart of the server.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from glm_lsp.chat import ChatService
from glm_lsp.chat.checkpoints import FileState, Step, invert, line_edits, plan
from glm_lsp.chat.proposals import FileChange, Proposal
from glm_lsp.context.files import path_to_uri, uri_to_path
from glm_lsp.edits.text import position_of
from glm_lsp.lsp.arguments import command_object, text_field
from glm_lsp.lsp.editor import notify
from glm_lsp.lsp.positions import encoding_of, to_client
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["apply_files", "apply_proposal", "proposed_hook", "register_apply", "version_of"]

Refused = list[tuple[FileChange, str]]


def _document(server: GlmLanguageServer, path: str) -> Any:
    """The open document of ``path`` (the editor's URI spelling may differ from ours)."""
    docs = server.workspace.text_documents
    doc = docs.get(path_to_uri(path))
    if doc is None:
        doc = next((d for u, d in list(docs.items()) if uri_to_path(u) == path), None)
    return doc


def version_of(server: GlmLanguageServer, path: str) -> int | None:
    doc = _document(server, path)
    return None if doc is None else doc.version


async def _state(ls: GlmLanguageServer, path: str) -> FileState:
    doc = _document(ls, path)
    if doc is not None:
        return FileState(doc.source, doc.version)
    if not await asyncio.to_thread(os.path.lexists, path):
        return FileState(None)
    found = await asyncio.to_thread(ls.context.read_blocking, path)
    if found.text is None:
        return FileState(None, None, found.reason or "unreadable")
    return FileState(found.text)


async def _states(ls: GlmLanguageServer, files: list[FileChange]) -> dict[str, FileState]:
    paths = {f.path for f in files} | {f.new_path for f in files if f.new_path}
    return {p: await _state(ls, p) for p in sorted(paths)}


def _text_edits(before: str, after: str, encoding: str) -> list[types.TextEdit]:
    def at(offset: int) -> types.Position:
        return to_client(before, position_of(before, offset), encoding)

    return [
        types.TextEdit(range=types.Range(start=at(s), end=at(e)), new_text=new)
        for s, e, new in line_edits(before, after)
    ]


def _operations(ls: GlmLanguageServer, step: Step) -> list[Any]:
    change, encoding = step.change, encoding_of(ls.workspace)
    doc = _document(ls, change.path)
    uri = doc.uri if doc is not None else path_to_uri(change.path)
    ops: list[Any] = []
    if change.change == "create":
        ops.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=False)))
        if change.after:
            doc = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
            ops.append(
                types.TextDocumentEdit(
                    text_document=doc, edits=_text_edits("", change.after, encoding)
                )
            )
        return ops
    if change.change == "delete":
        return [types.DeleteFile(uri=uri)]
    current = step.current or ""
    if change.after is not None and change.after != current:
        doc = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=step.version)
        edits = _text_edits(current, change.after, encoding)
        ops.append(types.TextDocumentEdit(text_document=doc, edits=edits))
    if change.change == "rename" and change.new_path is not None:
        options = types.RenameFileOptions(overwrite=False)
        ops.append(
            types.RenameFile(old_uri=uri, new_uri=path_to_uri(change.new_path), options=options)
        )
    return ops


def _unsupported(ls: GlmLanguageServer, change: FileChange) -> str | None:
    caps = ls.client_capabilities
    if change.change == "edit":
        return None
    by_hand = f"{change.change} {change.shown} by hand (the proposal holds its text)"
    if not get_capability(caps, "workspace.workspace_edit.document_changes", False):
        return f"the editor does not declare workspaceEdit.documentChanges; {by_hand}"
    allowed = get_capability(caps, "workspace.workspace_edit.resource_operations", None) or []
    if change.change not in [str(getattr(k, "value", k)) for k in allowed]:
        return (
            f"the editor does not declare workspaceEdit.resourceOperations "
            f"{change.change!r}; {by_hand}"
        )
    return None


async def apply_files(
    ls: GlmLanguageServer, files: list[FileChange], label: str, since: str
) -> tuple[list[FileChange], Refused]:
    """Write ``files`` in one workspace edit; (applied, refused with reasons)."""
    steps, refused = plan(files, await _states(ls, files), since=since)
    allowed: list[Step] = []
    for step in steps:
        why = _unsupported(ls, step.change)
        if why is None:
            allowed.append(step)
        else:
            refused.append((step.change, why))
    if not allowed:
        return [], refused
    if get_capability(ls.client_capabilities, "workspace.workspace_edit.document_changes", False):
        ops = [op for step in allowed for op in _operations(ls, step)]
        edit = types.WorkspaceEdit(document_changes=ops)
    else:
        encoding = encoding_of(ls.workspace)
        changes = {
            path_to_uri(s.change.path): _text_edits(s.current or "", s.change.after or "", encoding)
            for s in allowed
        }
        edit = types.WorkspaceEdit(changes=changes)
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=label)
    )
    if not result.applied:
        reason = f"the editor refused the edit ({result.failure_reason or 'no reason given'})"
        return [], refused + [(s.change, reason) for s in allowed]
    return [s.change for s in allowed], refused


def _refused_json(refused: Refused) -> list[dict[str, str]]:
    return [{"uri": path_to_uri(c.path), "reason": why} for c, why in refused]


async def apply_proposal(
    ls: GlmLanguageServer, service: ChatService, proposal: Proposal, uris: list[str] | None
) -> dict[str, Any]:
    """Apply the proposal's files (those named by ``uris``, else all)."""
    wanted = None if uris is None else set(uris)
    files = [
        f
        for f in proposal.pending
        if wanted is None
        or path_to_uri(f.path) in wanted
        or (f.new_path is not None and path_to_uri(f.new_path) in wanted)
    ]
    applied, refused = await apply_files(ls, files, "GLM chat: apply", "the proposal")
    await service.proposals.applied(proposal, applied)
    return {"applied": [path_to_uri(f.path) for f in applied], "refused": _refused_json(refused)}


def register_apply(server: GlmLanguageServer, service: ChatService) -> None:
    """``glm.chat.apply``, ``glm.chat.discard``, ``glm.chat.undo``, ``glm.chat.proposals``;
    apply and undo one at a time (two applies of one proposal must not both plan against the
    same state)."""
    lock = service.proposals.lock

    @server.command("glm.chat.apply")
    async def chat_apply(ls: GlmLanguageServer, *args: Any) -> dict[str, Any]:
        arg = command_object(args)
        proposal_id = text_field(arg, "proposalId", required=True) or ""
        uris = arg.get("files")
        if uris is not None and not (
            isinstance(uris, list) and all(isinstance(u, str) for u in uris)
        ):
            raise ValueError("files must be a list of URIs")
        async with lock:
            try:
                proposal = await service.proposals.get(proposal_id)
            except KeyError as exc:
                raise ValueError(exc.args[0]) from exc
            return await apply_proposal(ls, service, proposal, uris)

    @server.command("glm.chat.discard")
    async def chat_discard(ls: GlmLanguageServer, *args: Any) -> None:
        proposal_id = text_field(command_object(args), "proposalId", required=True) or ""
        async with lock:
            await service.proposals.discard(proposal_id)

    @server.command("glm.chat.proposals")
    async def chat_proposals(ls: GlmLanguageServer, *args: Any) -> list[dict[str, Any]]:
        chat_id = text_field(command_object(args), "chatId")
        return [p.listed() for p in await service.proposals.listing(chat_id)]

    @server.command("glm.chat.undo")
    async def chat_undo(ls: GlmLanguageServer, *args: Any) -> dict[str, Any]:
        arg = command_object(args)
        proposal_id = text_field(arg, "proposalId")
        chat_id = text_field(arg, "chatId", required=proposal_id is None) or ""
        turn_id = text_field(arg, "turnId")
        restored: list[str] = []
        refused: Refused = []
        async with lock:
            batches = await service.proposals.to_undo(chat_id, turn_id, proposal_id)
            if not batches:
                raise ValueError("nothing to undo: no change of this chat (or turn) was applied")
            for proposal, files in batches:
                inverse = [invert(f) for f in reversed(files)]
                done, why = await apply_files(ls, inverse, "GLM chat: undo", "it was applied")
                refused += why
                restored += [path_to_uri(f.final_path) for f in done]
                undone = {f.path for f in done}
                back = [f for f in files if f.final_path in undone]
                await service.proposals.undone(proposal, back)
        return {"restored": restored, "refused": _refused_json(refused)}


def proposed_hook(server: GlmLanguageServer, service: ChatService) -> Any:
    """The service's ``proposed`` hook: notify, then apply at once under ``chat.autoApply``."""

    async def proposed(proposal: Proposal) -> None:
        notify(server, "glm/chat/proposal", proposal.to_json())
        if server.settings.chat.auto_apply:
            async with service.proposals.lock:
                await apply_proposal(server, service, proposal, None)

    return proposed
