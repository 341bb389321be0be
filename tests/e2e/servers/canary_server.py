"""A minimal pygls server for the canary tests: the behaviours our workarounds rely on.

``CANARY_PROTOCOL=plain`` uses pygls' own protocol, ``fixed`` uses glm-lsp's
``CancellableProtocol``, ``link-only`` has only its executeCommand cancellation link.
``CANARY_INLINE_OPTIONS=0`` registers inline completion without options.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from glm_lsp.lsp.protocol import CancellableProtocol


class LinkOnlyProtocol(CancellableProtocol):
    """Only the executeCommand cancellation link, without dropping late answers."""

    def _handle_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        LanguageServerProtocol._handle_response(self, msg_id, result, error)


PROTOCOLS: dict[str, type[LanguageServerProtocol]] = {
    "plain": LanguageServerProtocol,
    "link-only": LinkOnlyProtocol,
    "fixed": CancellableProtocol,
}
server = LanguageServer("canary", "0", protocol_cls=PROTOCOLS[os.environ["CANARY_PROTOCOL"]])

if os.environ.get("CANARY_INLINE_OPTIONS") == "0":

    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION)
    def inline_plain(params: types.InlineCompletionParams) -> list[types.InlineCompletionItem]:
        return []
else:

    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    def inline_with_options(
        params: types.InlineCompletionParams,
    ) -> list[types.InlineCompletionItem]:
        return []


@server.command("canary.tick")
async def tick(ls: LanguageServer, *_: Any) -> str:
    """Sends a notification every 20 ms for 3 s; reports when it is cancelled."""
    try:
        for n in range(150):
            ls.protocol.notify("canary/tick", {"n": n})
            await asyncio.sleep(0.02)
    except asyncio.CancelledError:
        ls.protocol.notify("canary/cancelled", {})
        raise
    return "finished"


@server.command("canary.applyEdit")
async def apply_edit(ls: LanguageServer, *_: Any) -> bool:
    """Awaits a workspace/applyEdit the test answers late, after cancelling this command."""
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=types.WorkspaceEdit(changes={}))
    )
    return result.applied


@server.command("canary.pending")
async def pending(ls: LanguageServer, *_: Any) -> int:
    """How many entries pygls keeps in its table of pending requests (this call included)."""
    return len(ls.protocol._request_futures)


if __name__ == "__main__":
    server.start_io()
