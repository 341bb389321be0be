"""Proposals in the chat store: the migration of an old database, round trips of every kind of
file change, the bound per chat, deletion with the chat, and the history's proposalId."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from glm_lsp.chat.history import history_entries
from glm_lsp.chat.proposal_store import MAX_PROPOSALS_PER_CHAT
from glm_lsp.chat.proposals import FileChange, Proposal, mark_history
from glm_lsp.chat.records import StoredMessage, TurnRecord
from glm_lsp.chat.store import SCHEMA_VERSION, ChatStore, encode

SCHEMA_V1 = """
CREATE TABLE chats (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at REAL NOT NULL,
    updated_at REAL NOT NULL);
CREATE TABLE turns (id TEXT PRIMARY KEY,
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    display TEXT NOT NULL, state TEXT NOT NULL, finish_reason TEXT, error TEXT,
    content TEXT NOT NULL DEFAULT '', reasoning TEXT NOT NULL DEFAULT '', usage TEXT,
    attached TEXT NOT NULL DEFAULT '[]', pid INTEGER, started_at REAL NOT NULL, ended_at REAL);
CREATE INDEX turns_by_chat ON turns(chat_id, seq);
CREATE TABLE messages (chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, turn_id TEXT NOT NULL, role TEXT NOT NULL, wire TEXT NOT NULL,
    reasoning TEXT NOT NULL DEFAULT '', shown TEXT, PRIMARY KEY (chat_id, seq));
INSERT INTO chats VALUES ('old', 'Old chat', 1.0, 2.0);
INSERT INTO turns (id, chat_id, seq, display, state, finish_reason, content, started_at)
    VALUES ('t0', 'old', 0, 'hello', 'done', 'stop', 'hi', 1.0);
INSERT INTO messages VALUES ('old', 0, 't0', 'user', '{"role":"user","content":"hello"}', '',
    'hello');
INSERT INTO messages VALUES ('old', 1, 't0', 'assistant', '{"role":"assistant","content":"hi"}',
    '', NULL);
PRAGMA user_version=1;
"""
"""The schema glm-lsp wrote before proposals were stored (user_version 1), with one chat."""
TABLES = ("proposals", "proposal_files")


def every_kind(chat: str = "c1", turn: str = "t1", pid: str = "p1") -> Proposal:
    """A proposal with an edit of an open file, a create, a delete and a rename with an edit."""
    files = [
        FileChange("/w/a.py", "a.py", "edit", "a = 1\n", "a = 2\n", 4),
        FileChange("/w/n.py", "n.py", "create", None, "n = ✓\n"),
        FileChange("/w/d.py", "d.py", "delete", "gone\n", None),
        FileChange("/w/r.py", "r.py", "rename", "r\n", "R\n", None, "/w/s.py", "s.py"),
    ]
    return Proposal(pid, chat, turn, files)


@pytest.fixture
def store(tmp_path: Path) -> ChatStore:
    opened = ChatStore.open(tmp_path / "chats.sqlite3")
    opened.create_chat("c1", "chat")
    opened.begin_turn("c1", "t1", "change it", pid=1)
    return opened


def test_old_database_opens_keeps_its_chats_and_gains_the_proposal_tables(tmp_path: Path) -> None:
    """Ensure a database written before proposals were stored opens, keeps its chat, turn and
    message bytes, gains the proposal tables (schema version unchanged), and can store and read
    proposals across a reopen."""
    path = tmp_path / "chats.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.close()
    store = ChatStore.open(path)
    assert [c.chat_id for c in store.list_chats()] == ["old"]
    assert [m.wire for m in store.messages("old")][0] == '{"role":"user","content":"hello"}'
    assert store.turns("old")[0].content == "hi"
    store.save_proposal(every_kind("old", "t0"))
    assert store.load_proposal("p1") == every_kind("old", "t0")
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"proposals", "proposal_files"} <= tables
    conn.close()
    again = ChatStore.open(path)
    assert again.load_proposal("p1") == every_kind("old", "t0")


def test_an_older_glm_lsp_can_still_use_the_database(store: ChatStore, tmp_path: Path) -> None:
    """Ensure a database with proposals keeps the schema version an older glm-lsp accepts, and
    deleting a chat the way it does (its statements, foreign keys on) deletes the proposals."""
    store.save_proposal(every_kind())
    store.close()
    conn = sqlite3.connect(tmp_path / "chats.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    assert conn.execute("PRAGMA user_version").fetchone()[0] <= 1
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM messages WHERE chat_id = 'c1'")
    conn.execute("DELETE FROM turns WHERE chat_id = 'c1'")
    conn.execute("DELETE FROM chats WHERE id = 'c1'")
    conn.execute("COMMIT")
    counts = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES]
    assert counts == [0, 0]


def test_every_kind_of_change_survives_a_reopen_with_its_state(
    store: ChatStore, tmp_path: Path
) -> None:
    """Ensure a stored proposal comes back after closing the database with the same files
    (texts, None for absent, versions, renames), and applied/undone/discarded states and the
    apply batch persist."""
    store.save_proposal(every_kind())
    batch = store.mark_files("p1", [0, 3], "applied", "pending")
    assert batch is not None
    store.mark_files("p1", [3], "undone", "applied")
    store.mark_files("p1", [1, 2, 3], "discarded", "pending")
    store.close()
    again = ChatStore.open(tmp_path / "chats.sqlite3")
    found = again.load_proposal("p1")
    assert found is not None and found.state == "applied"
    assert [f.status for f in found.files] == ["applied", "discarded", "discarded", "undone"]
    assert found.files[0].batch == batch and found.files[1].batch is None
    assert [f.after for f in found.files] == ["a = 2\n", "n = ✓\n", None, "R\n"]
    assert found.files[3].new_path == "/w/s.py" and found.files[0].version == 4
    assert [p.proposal_id for p in again.applied_proposals("c1")] == ["p1"]
    assert found.listed()["files"][1]["state"] == "discarded"


def test_a_chat_keeps_its_newest_proposals_only(store: ChatStore) -> None:
    """Ensure a chat keeps at most MAX_PROPOSALS_PER_CHAT proposals, dropping the oldest with
    their files, and listing is newest first; another chat's proposals are untouched."""
    store.create_chat("c2", "other")
    store.save_proposal(every_kind("c2", "u", "other"))
    for i in range(MAX_PROPOSALS_PER_CHAT + 2):
        store.save_proposal(every_kind("c1", f"t{i}", f"p{i}"))
    listed = [p.proposal_id for p in store.list_proposals("c1")]
    assert len(listed) == MAX_PROPOSALS_PER_CHAT
    assert listed[0] == f"p{MAX_PROPOSALS_PER_CHAT + 1}" and listed[-1] == "p2"
    assert store.load_proposal("p0") is None and store.load_proposal("other") is not None
    assert store.list_proposals(None)[0].proposal_id == listed[0]
    conn = store._conn
    orphans = conn.execute(
        "SELECT COUNT(*) FROM proposal_files WHERE proposal_id NOT IN (SELECT id FROM proposals)"
    ).fetchone()[0]
    assert orphans == 0


def test_deleting_the_chat_deletes_its_proposals(store: ChatStore) -> None:
    """Ensure glm.chat.delete's store call removes the chat's proposals and their files."""
    store.save_proposal(every_kind())
    assert store.delete_chat("c1") is True
    assert store.load_proposal("p1") is None and store.list_proposals("c1") == []
    assert store._conn.execute("SELECT COUNT(*) FROM proposal_files").fetchone()[0] == 0


def test_history_names_the_proposal_on_the_turns_last_entry(store: ChatStore) -> None:
    """Ensure the history entry carrying a turn's state gets its proposalId, and a turn without
    a proposal gets none."""
    user = StoredMessage("t1", "user", encode({"role": "user", "content": "x"}), "", "x")
    answer = StoredMessage("t1", "assistant", encode({"role": "assistant", "content": "ok"}))
    store.finish_turn(TurnRecord("c1", "t1", state="done", finish_reason="stop"), [user, answer])
    store.begin_turn("c1", "t2", "nothing", pid=1)
    store.save_proposal(every_kind())
    entries = history_entries(store.turns("c1"), store.messages("c1"))
    mark_history(entries, store.turn_proposals("c1"))
    marked = [(e["turnId"], e["role"]) for e in entries if "proposalId" in e]
    assert marked == [("t1", "assistant")]
    assert next(e for e in entries if "proposalId" in e)["proposalId"] == "p1"
