"""Proposals and their checkpoints in the chat database, so they outlive the server.

A proposal row per turn that changed files, a row per file with everything apply and undo
need: the text the change was computed against (and the editor's version then), the resulting
text, and the file's state. An applied file is its checkpoint: undo writes ``before`` back,
refusing a file whose text is no longer ``after``. Each apply numbers its files (``batch``);
undo goes back one apply at a time, the latest first. A chat keeps its last
``MAX_PROPOSALS_PER_CHAT`` proposals; deleting the chat deletes them.

``ProposalRows`` is the blocking part of ``ChatStore`` (run on the store's thread);
``ProposalBook`` is what the server calls, awaiting those calls off the event loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from glm_lsp.chat.proposals import Draft, FileChange, FileStatus, Proposal, new_proposal

if TYPE_CHECKING:
    from glm_lsp.chat.store import ChatStore

__all__ = ["MAX_PROPOSALS_PER_CHAT", "PROPOSALS_SCHEMA", "ProposalBook", "ProposalRows"]

T = TypeVar("T")

MAX_PROPOSALS_PER_CHAT = 50
"""Proposals kept per chat (the oldest, whatever their state, are dropped past it)."""
MAX_LISTED = 50
"""Proposals ``glm.chat.proposals`` returns without a chat (newest first)."""

PROPOSALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY,
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    turn_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS proposals_by_chat ON proposals(chat_id, seq);
CREATE TABLE IF NOT EXISTS proposal_files (
    proposal_id TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    path TEXT NOT NULL,
    shown TEXT NOT NULL,
    change TEXT NOT NULL,
    before_text TEXT,
    after_text TEXT,
    version INTEGER,
    new_path TEXT,
    new_shown TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    batch INTEGER,
    PRIMARY KEY (proposal_id, idx)
);
"""

_FILE_COLUMNS = (
    "idx, path, shown, change, before_text, after_text, version, new_path, new_shown, status, batch"
)


class ProposalRows:
    """The proposal part of ``ChatStore`` (blocking; the store's thread only)."""

    _conn: sqlite3.Connection

    def _tx(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def save_proposal(self, proposal: Proposal, keep: int = MAX_PROPOSALS_PER_CHAT) -> None:
        """Store a new proposal; the chat's oldest beyond ``keep`` are dropped."""
        with self._tx():
            seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM proposals").fetchone()
            self._conn.execute(
                "INSERT INTO proposals (id, chat_id, turn_id, seq, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (proposal.proposal_id, proposal.chat_id, proposal.turn_id, seq[0], time.time()),
            )
            self._conn.executemany(
                f"INSERT INTO proposal_files (proposal_id, {_FILE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        proposal.proposal_id,
                        i,
                        f.path,
                        f.shown,
                        f.change,
                        f.before,
                        f.after,
                        f.version,
                        f.new_path,
                        f.new_shown,
                        f.status,
                        f.batch,
                    )
                    for i, f in enumerate(proposal.files)
                ],
            )
            old = "SELECT id FROM proposals WHERE chat_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?"
            self._conn.execute(
                f"DELETE FROM proposal_files WHERE proposal_id IN ({old})",
                (proposal.chat_id, keep),
            )
            self._conn.execute(
                f"DELETE FROM proposals WHERE id IN ({old})", (proposal.chat_id, keep)
            )

    def load_proposal(self, proposal_id: str) -> Proposal | None:
        found = self._load("WHERE id = ?", (proposal_id,))
        return found[0] if found else None

    def list_proposals(self, chat_id: str | None, limit: int = MAX_LISTED) -> list[Proposal]:
        """Newest first: the chat's proposals, or the newest ``limit`` of all chats."""
        if chat_id is None:
            return self._load("ORDER BY seq DESC LIMIT ?", (limit,))
        return self._load("WHERE chat_id = ? ORDER BY seq DESC", (chat_id,))

    def applied_proposals(self, chat_id: str) -> list[Proposal]:
        """The chat's proposals with a file still applied (what undo can act on)."""
        return self._load(
            "WHERE chat_id = ? AND id IN (SELECT proposal_id FROM proposal_files "
            "WHERE status = 'applied') ORDER BY seq DESC",
            (chat_id,),
        )

    def turn_proposals(self, chat_id: str) -> dict[str, str]:
        """turnId -> proposalId of the chat's stored proposals."""
        rows = self._conn.execute(
            "SELECT turn_id, id FROM proposals WHERE chat_id = ?", (chat_id,)
        ).fetchall()
        return {turn_id: proposal_id for turn_id, proposal_id in rows}

    def mark_files(
        self, proposal_id: str, indices: Sequence[int], status: FileStatus, was: FileStatus
    ) -> int | None:
        """Move the files ``indices`` that are ``was`` to ``status``; applying numbers them
        with a new batch, which is returned (None for the other moves)."""
        if not indices:
            return None
        with self._tx():
            batch = None
            if status == "applied":
                row = self._conn.execute(
                    "SELECT COALESCE(MAX(batch), 0) + 1 FROM proposal_files"
                ).fetchone()
                batch = int(row[0])
            self._conn.executemany(
                "UPDATE proposal_files SET status = ?, batch = COALESCE(?, batch) "
                "WHERE proposal_id = ? AND idx = ? AND status = ?",
                [(status, batch, proposal_id, i, was) for i in indices],
            )
        return batch

    def delete_proposals(self, chat_id: str) -> None:
        """Every proposal of the chat (inside the caller's transaction)."""
        chat = "SELECT id FROM proposals WHERE chat_id = ?"
        self._conn.execute(f"DELETE FROM proposal_files WHERE proposal_id IN ({chat})", (chat_id,))
        self._conn.execute("DELETE FROM proposals WHERE chat_id = ?", (chat_id,))

    def _load(self, where: str, args: tuple[Any, ...]) -> list[Proposal]:
        heads = self._conn.execute(
            f"SELECT id, chat_id, turn_id FROM proposals {where}", args
        ).fetchall()
        out: list[Proposal] = []
        for proposal_id, chat_id, turn_id in heads:
            rows = self._conn.execute(
                f"SELECT {_FILE_COLUMNS} FROM proposal_files WHERE proposal_id = ? ORDER BY idx",
                (proposal_id,),
            ).fetchall()
            files = [
                FileChange(
                    path=row[1],
                    shown=row[2],
                    change=row[3],
                    before=row[4],
                    after=row[5],
                    version=row[6],
                    new_path=row[7],
                    new_shown=row[8],
                    status=row[9],
                    batch=row[10],
                )
                for row in rows
            ]
            out.append(Proposal(proposal_id, chat_id, turn_id, files))
        return out


StoreCall = Callable[[Callable[["ChatStore"], Any], str], Awaitable[Any]]
"""Runs a blocking store function on the store's thread; None when the store failed (the
failure is reported to the user by the caller)."""


def _indices(proposal: Proposal, files: Sequence[FileChange]) -> list[int]:
    return [i for i, f in enumerate(proposal.files) if any(f is g for g in files)]


class ProposalBook:
    """Proposals waiting for the user and checkpoints of applied ones, in the chat store."""

    def __init__(self, store_call: StoreCall) -> None:
        self._call = store_call
        self.lock = asyncio.Lock()
        """Held while a proposal is applied or undone: one workspace edit at a time."""

    async def add(
        self, chat_id: str, turn_id: str, draft: Draft, *, written: bool = False
    ) -> Proposal | None:
        """The turn's proposal, stored (None: the turn changed nothing). ``written``: the
        changes are already in the files (``chat.autoApply`` wrote them step by step), so the
        proposal is stored applied, one checkpoint undo can restore."""
        proposal = new_proposal(chat_id, turn_id, draft)
        if proposal is None:
            return None
        everything = list(range(len(proposal.files)))

        def save(store: ChatStore) -> None:
            store.save_proposal(proposal)
            if written:
                batch = store.mark_files(proposal.proposal_id, everything, "applied", "pending")
                for f in proposal.files:
                    f.status, f.batch = "applied", batch

        await self._call(save, "save the proposal")
        return proposal

    async def get(self, proposal_id: str) -> Proposal:
        """The proposal with files still pending; KeyError naming why not."""
        found = await self._call(lambda s: s.load_proposal(proposal_id), "read the proposal")
        if found is None or not found.pending:
            raise KeyError(
                f"there is no pending proposal {proposal_id!r} (applied, discarded, or deleted "
                "with its chat); ask for the change again"
            )
        return found  # type: ignore[no-any-return]

    async def listing(self, chat_id: str | None) -> list[Proposal]:
        found = await self._call(lambda s: s.list_proposals(chat_id), "list the proposals")
        return found or []

    async def by_turn(self, chat_id: str) -> dict[str, str]:
        found = await self._call(lambda s: s.turn_proposals(chat_id), "read the proposals")
        return found or {}

    async def discard(self, proposal_id: str) -> None:
        """Drop the files not applied yet (an unknown proposal is ignored)."""

        def run(store: ChatStore) -> None:
            found = store.load_proposal(proposal_id)
            if found is not None:
                indices = _indices(found, found.pending)
                store.mark_files(proposal_id, indices, "discarded", "pending")

        await self._call(run, "discard the proposal")

    async def applied(self, proposal: Proposal, files: Sequence[FileChange]) -> None:
        """Record ``files`` (of ``proposal``) as written: their checkpoint, one batch."""
        indices = _indices(proposal, files)
        await self._call(
            lambda s: s.mark_files(proposal.proposal_id, indices, "applied", "pending"),
            "record the applied files",
        )

    async def undone(self, proposal: Proposal, files: Sequence[FileChange]) -> None:
        indices = _indices(proposal, files)
        await self._call(
            lambda s: s.mark_files(proposal.proposal_id, indices, "undone", "applied"),
            "record the undone files",
        )

    async def to_undo(
        self, chat_id: str | None, turn_id: str | None, proposal_id: str | None
    ) -> list[tuple[Proposal, list[FileChange]]]:
        """The applied files to restore, one entry per apply, the latest first: those of the
        proposal ``proposal_id``, else of the turn ``turn_id``, else of the chat's last
        applied turn."""
        if proposal_id is not None:
            one = await self._call(lambda s: s.load_proposal(proposal_id), "read the proposal")
            found: list[Proposal] = [] if one is None else [one]
        else:
            chat = chat_id or ""
            found = await self._call(lambda s: s.applied_proposals(chat), "read the proposals")
            found = found or []
        batches: dict[int, tuple[Proposal, list[FileChange]]] = {}
        for proposal in found:
            for f in proposal.files:
                if f.status == "applied":
                    batches.setdefault(f.batch or 0, (proposal, []))[1].append(f)
        ordered = [batches[b] for b in sorted(batches, reverse=True)]
        if proposal_id is None and ordered:
            turn = turn_id if turn_id is not None else ordered[0][0].turn_id
            ordered = [(p, fs) for p, fs in ordered if p.turn_id == turn]
        return ordered
