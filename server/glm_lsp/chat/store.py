"""Chats on disk: one SQLite database (WAL) under the user data directory.

Every message is stored as the exact JSON text that was sent to the model, so a chat resumed
after a restart resends the same bytes and the provider's prefix cache still hits. A turn row
tracks its state; a turn left ``running`` by a process that no longer exists (crash, kill) is
marked ``interrupted`` when the next server opens the store, keeping whatever was saved.
The proposals of chat turns and their checkpoints are kept in the same database
(``chat/proposal_store.py``).

Schema (``PRAGMA user_version``, raised only for a change an older glm-lsp cannot live with):
1 is chats, turns and messages. The proposal tables were added later without raising it:
opening a database that lacks them creates them and keeps everything else, and an older
glm-lsp still uses such a database (it ignores them; deleting a chat there deletes its
proposals through the foreign keys). ``chat_roots`` (the folder of a chat made by ``glm-lsp
acp``, whose sessions are listed per folder) was added the same way.

``ChatStore`` is blocking and single-threaded; ``archive.ChatArchive`` runs it on one worker
thread and decides what to do with a database that cannot be used.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glm_lsp.chat.proposal_store import PROPOSALS_SCHEMA, ProposalRows
from glm_lsp.chat.records import ChatSummary, StoredMessage, TurnRecord
from glm_lsp.text import well_formed

__all__ = ["ChatStore", "StoreError", "default_db_path", "encode", "pid_alive"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 3000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id TEXT PRIMARY KEY,
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    display TEXT NOT NULL,
    state TEXT NOT NULL,
    finish_reason TEXT,
    error TEXT,
    content TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    usage TEXT,
    attached TEXT NOT NULL DEFAULT '[]',
    pid INTEGER,
    started_at REAL NOT NULL,
    ended_at REAL
);
CREATE INDEX IF NOT EXISTS turns_by_chat ON turns(chat_id, seq);
CREATE TABLE IF NOT EXISTS messages (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    turn_id TEXT NOT NULL,
    role TEXT NOT NULL,
    wire TEXT NOT NULL,
    reasoning TEXT NOT NULL DEFAULT '',
    shown TEXT,
    PRIMARY KEY (chat_id, seq)
);
CREATE TABLE IF NOT EXISTS chat_roots (
    chat_id TEXT PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
    root TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The chat database failed; the message says what to do."""


def default_db_path() -> Path:
    """``chats.sqlite3`` in the platform's user data directory for glm-lsp."""
    import platformdirs

    return Path(platformdirs.user_data_dir("glm-lsp", appauthor=False)) / "chats.sqlite3"


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (ours or another user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _now() -> float:
    return time.time()


class ChatStore(ProposalRows):
    """Blocking access to the chat database; use from one thread at a time."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path
        """The database file, or None for the in-memory fallback."""

    @classmethod
    def open(cls, path: Path | None) -> ChatStore:
        """Open (creating) the database at ``path``; ``None`` opens an in-memory store."""
        if path is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if path is not None:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":
                    log.warning("chat store: WAL mode not available (%s)", mode)
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the chat database {path} was written by a newer glm-lsp "
                    f"(schema {version}); upgrade glm-lsp or move the file away"
                )
            conn.executescript(_SCHEMA)
            conn.executescript(PROPOSALS_SCHEMA)  # added to schema 1 databases that lack it
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    # -- recovery ------------------------------------------------------------------------------

    def recover(self, alive: Callable[[int], bool] = pid_alive) -> int:
        """Mark turns left running by dead processes as interrupted; returns how many."""
        rows = self._conn.execute("SELECT id, pid FROM turns WHERE state = 'running'").fetchall()
        dead = [turn_id for turn_id, pid in rows if pid is None or not alive(int(pid))]
        for turn_id in dead:
            self._conn.execute(
                "UPDATE turns SET state = 'interrupted', finish_reason = 'interrupted', "
                "error = COALESCE(error, 'the server stopped before this answer was complete'), "
                "ended_at = ? WHERE id = ?",
                (_now(), turn_id),
            )
        return len(dead)

    # -- chats ---------------------------------------------------------------------------------

    def create_chat(self, chat_id: str, title: str) -> None:
        now = _now()
        self._conn.execute(
            "INSERT INTO chats (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (chat_id, title, now, now),
        )

    def has_chat(self, chat_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM chats WHERE id = ?", (chat_id,)).fetchone()
        return row is not None

    def list_chats(self) -> list[ChatSummary]:
        rows = self._conn.execute(
            "SELECT id, title, updated_at FROM chats ORDER BY updated_at DESC, id"
        ).fetchall()
        return [ChatSummary(chat_id, title, updated) for chat_id, title, updated in rows]

    def set_chat_root(self, chat_id: str, root: str) -> None:
        """Record the folder the chat works in; a chat keeps the first one recorded."""
        self._conn.execute(
            "INSERT OR IGNORE INTO chat_roots (chat_id, root) VALUES (?, ?)", (chat_id, root)
        )

    def chat_roots(self) -> dict[str, str]:
        """chat id -> its recorded folder (chats made by the LSP chat have none)."""
        return dict(self._conn.execute("SELECT chat_id, root FROM chat_roots").fetchall())

    def delete_chat(self, chat_id: str) -> bool:
        with self._tx():
            self.delete_proposals(chat_id)
            self._conn.execute("DELETE FROM messages WHERE chat_id = ?", (chat_id,))
            self._conn.execute("DELETE FROM turns WHERE chat_id = ?", (chat_id,))
            cur = self._conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,))
        return cur.rowcount > 0

    # -- turns ---------------------------------------------------------------------------------

    def begin_turn(self, chat_id: str, turn_id: str, display: str, pid: int) -> None:
        now = _now()
        with self._tx():
            seq = self._conn.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM turns WHERE chat_id = ?", (chat_id,)
            ).fetchone()[0]
            self._conn.execute(
                "INSERT INTO turns (id, chat_id, seq, display, state, pid, started_at) "
                "VALUES (?, ?, ?, ?, 'running', ?, ?)",
                (turn_id, chat_id, seq, display, pid, now),
            )
            self._conn.execute("UPDATE chats SET updated_at = ? WHERE id = ?", (now, chat_id))

    def add_messages(self, chat_id: str, messages: list[StoredMessage]) -> None:
        """Append messages to the chat, in order."""
        if not messages:
            return
        with self._tx():
            seq = self._conn.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE chat_id = ?", (chat_id,)
            ).fetchone()[0]
            self._conn.executemany(
                "INSERT INTO messages (chat_id, seq, turn_id, role, wire, reasoning, shown) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (chat_id, seq + i, m.turn_id, m.role, m.wire, m.reasoning, m.shown)
                    for i, m in enumerate(messages)
                ],
            )

    def progress(self, turn_id: str, content: str, reasoning: str) -> None:
        """Save the answer so far, so a kill keeps it."""
        self._conn.execute(
            "UPDATE turns SET content = ?, reasoning = ? WHERE id = ? AND state = 'running'",
            (content, reasoning, turn_id),
        )

    def finish_turn(
        self,
        record: TurnRecord,
        messages: list[StoredMessage],
    ) -> None:
        """Store the turn's outcome and its closing messages in one transaction."""
        now = _now()
        with self._tx():
            seq = self._conn.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM messages WHERE chat_id = ?",
                (record.chat_id,),
            ).fetchone()[0]
            self._conn.executemany(
                "INSERT INTO messages (chat_id, seq, turn_id, role, wire, reasoning, shown) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (record.chat_id, seq + i, m.turn_id, m.role, m.wire, m.reasoning, m.shown)
                    for i, m in enumerate(messages)
                ],
            )
            self._conn.execute(
                "UPDATE turns SET state = ?, finish_reason = ?, error = ?, content = ?, "
                "reasoning = ?, usage = ?, attached = ?, ended_at = ? WHERE id = ?",
                (
                    record.state,
                    record.finish_reason,
                    record.error,
                    record.content,
                    record.reasoning,
                    None if record.usage is None else json.dumps(record.usage),
                    json.dumps(list(record.attached)),
                    now,
                    record.turn_id,
                ),
            )
            self._conn.execute(
                "UPDATE chats SET updated_at = ? WHERE id = ?", (now, record.chat_id)
            )

    def turns(self, chat_id: str) -> list[TurnRecord]:
        rows = self._conn.execute(
            "SELECT id, seq, display, state, finish_reason, error, content, reasoning, usage, "
            "attached FROM turns WHERE chat_id = ? ORDER BY seq",
            (chat_id,),
        ).fetchall()
        return [
            TurnRecord(
                chat_id=chat_id,
                turn_id=row[0],
                seq=row[1],
                display=row[2],
                state=row[3],
                finish_reason=row[4],
                error=row[5],
                content=row[6],
                reasoning=row[7],
                usage=None if row[8] is None else json.loads(row[8]),
                attached=tuple(json.loads(row[9] or "[]")),
            )
            for row in rows
        ]

    def messages(self, chat_id: str) -> list[StoredMessage]:
        rows = self._conn.execute(
            "SELECT turn_id, role, wire, reasoning, shown FROM messages WHERE chat_id = ? "
            "ORDER BY seq",
            (chat_id,),
        ).fetchall()
        return [StoredMessage(*row) for row in rows]

    # -- helpers -------------------------------------------------------------------------------

    def _tx(self) -> _Transaction:
        return _Transaction(self._conn)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._conn.execute("COMMIT")
        else:
            self._conn.execute("ROLLBACK")


def encode(value: Any) -> str:
    """The JSON text stored and sent for one message (key order kept, no ASCII escaping)."""
    return well_formed(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
