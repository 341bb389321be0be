"""Which folder an ACP session belongs to: listing per folder and loading in the right one.

A chat made by ``glm-lsp acp`` records its session's folder (``chat_roots`` in the chat store)
at its first prompt. ``session/list`` shows each chat with that folder and, given a ``cwd``,
only the chats of that folder. A chat with no recorded folder (made by the LSP chat, which may
span several workspace folders) is listed under whatever folder is asked and loads there.
``session/load`` of a chat recorded in another folder is refused with the folder to open, as
Zed's thread history expects (threads belong to their project): loading it elsewhere would let
its tool calls read and write a project the editor does not have open.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["canonical", "listed", "wrong_folder"]


def canonical(folder: str) -> str:
    """The real absolute path of ``folder`` (links resolved), as chats record it."""
    return os.path.realpath(folder)


def listed(
    chats: list[dict[str, Any]], roots: dict[str, str], cwd: str | None, fallback: str
) -> list[tuple[dict[str, Any], str]]:
    """``(chat, folder)`` for the chats to list, newest first as given.

    With ``cwd`` only the chats of that folder and those with no folder (shown in ``cwd``);
    without it every chat, a folder-less one shown in ``fallback``.
    """
    wanted = canonical(cwd) if cwd else None
    out: list[tuple[dict[str, Any], str]] = []
    for chat in chats:
        root = roots.get(str(chat.get("chatId")))
        if root is None:
            out.append((chat, cwd or fallback))
        elif wanted is None or root == wanted:
            out.append((chat, root))
    return out


def wrong_folder(session_id: str, recorded: str | None, root: str) -> str | None:
    """Why session ``session_id`` cannot be loaded in ``root``; None when it can."""
    if recorded is None or recorded == root:
        return None
    return (
        f"session {session_id!r} belongs to the folder {recorded}; open that folder in the "
        "editor to continue it (it was not loaded here)"
    )
