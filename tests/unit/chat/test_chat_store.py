"""The chat store: SQLite in WAL, exact message bytes, recovery of killed turns, bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from glm_lsp.chat.archive import ChatArchive, open_store
from glm_lsp.chat.history import history_entries
from glm_lsp.chat.records import StoredMessage, TurnRecord, title_from
from glm_lsp.chat.store import ChatStore, StoreError, encode


def user(turn: str, text: str) -> StoredMessage:
    return StoredMessage(turn, "user", encode({"role": "user", "content": text}), "", text)


def answer(turn: str, text: str, reasoning: str = "") -> StoredMessage:
    wire = encode({"role": "assistant", "content": text})
    return StoredMessage(turn, "assistant", wire, reasoning)


@pytest.fixture
def store(tmp_path: Path) -> ChatStore:
    return ChatStore.open(tmp_path / "chats.sqlite3")


def test_database_is_in_wal_mode(store: ChatStore, tmp_path: Path) -> None:
    """Ensure the store opens its file in WAL mode (readers never block the writer)."""
    conn = sqlite3.connect(tmp_path / "chats.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_messages_come_back_byte_for_byte(store: ChatStore) -> None:
    """Ensure stored wire JSON (unicode, key order, escapes) is returned unchanged."""
    store.create_chat("c1", "title")
    store.begin_turn("c1", "t1", "héllo", pid=1)
    wire = encode({"role": "user", "content": 'héllo "quoted" ✓\n', "z": 1, "a": [2]})
    record = TurnRecord("c1", "t1", state="done", finish_reason="stop", content="ok")
    store.finish_turn(record, [StoredMessage("t1", "user", wire, "", "héllo"), answer("t1", "ok")])
    stored = store.messages("c1")
    assert stored[0].wire == wire
    assert encode(stored[0].data()) == wire
    assert [m.role for m in stored] == ["user", "assistant"]


def test_list_orders_by_last_update_and_delete_removes_everything(store: ChatStore) -> None:
    """Ensure chats list newest first and delete removes the chat, its turns and messages."""
    store.create_chat("old", "Old")
    store.create_chat("new", "New")
    store.begin_turn("old", "t1", "again", pid=1)
    assert [c.chat_id for c in store.list_chats()] == ["old", "new"]
    store.add_messages("old", [user("t1", "again")])
    assert store.delete_chat("old") is True
    assert store.delete_chat("old") is False
    assert [c.chat_id for c in store.list_chats()] == ["new"]
    assert store.messages("old") == [] and store.turns("old") == []


def test_recover_marks_turns_of_dead_processes_interrupted(store: ChatStore) -> None:
    """Ensure a running turn whose process is gone becomes interrupted (partial text kept),
    while a turn of a live process (another editor window) stays running."""
    store.create_chat("c", "t")
    store.begin_turn("c", "dead", "q1", pid=111)
    store.begin_turn("c", "alive", "q2", pid=222)
    store.progress("dead", "partial ans", "some thought")
    assert store.recover(alive=lambda pid: pid == 222) == 1
    turns = {t.turn_id: t for t in store.turns("c")}
    assert turns["dead"].state == "interrupted"
    assert turns["dead"].content == "partial ans"
    assert turns["alive"].state == "running"


def test_history_shows_interrupted_turn_with_saved_text(store: ChatStore) -> None:
    """Ensure history lists an interrupted turn's question and its saved partial answer."""
    store.create_chat("c", "t")
    store.begin_turn("c", "t1", "question", pid=5)
    store.progress("t1", "half an", "")
    store.recover(alive=lambda _pid: False)
    entries = history_entries(store.turns("c"), store.messages("c"))
    assert entries[0] == {"role": "user", "content": "question", "turnId": "t1"}
    assert entries[1]["content"] == "half an"
    assert entries[1]["interrupted"] is True and entries[1]["state"] == "interrupted"


def test_corrupt_file_is_moved_aside_and_a_new_store_started(tmp_path: Path) -> None:
    """Ensure a file that is not a database is renamed, a fresh store opens, and the problem
    message names both files."""
    path = tmp_path / "chats.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    store, problem = open_store(path)
    assert store.path == path
    assert problem is not None and str(path) in problem and "moved" in problem
    assert len(list(tmp_path.glob("chats.sqlite3.corrupt-*"))) == 1
    store.create_chat("c", "works")
    assert [c.title for c in store.list_chats()] == ["works"]


def test_unusable_location_falls_back_to_memory_with_a_message(tmp_path: Path) -> None:
    """Ensure a database that cannot be created gives an in-memory store and a clear message."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store, problem = open_store(blocker / "sub" / "chats.sqlite3")
    assert store.path is None
    assert problem is not None and "will not be saved" in problem
    store.create_chat("c", "memory")
    assert store.has_chat("c")


async def test_locked_database_gives_a_store_error_not_a_hang(tmp_path: Path) -> None:
    """Ensure a write while another process holds the write lock fails with StoreError naming
    the database after the busy timeout, instead of hanging or crashing."""
    path = tmp_path / "chats.sqlite3"
    archive = await ChatArchive.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as info:
            await archive.run(lambda s: s.create_chat("c", "t"), "create a chat")
        assert "could not create a chat" in str(info.value) and str(path) in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await archive.run(lambda s: s.create_chat("c", "t"), "create a chat")
    assert await archive.run(lambda s: s.has_chat("c"), "read") is True
    await archive.aclose()


def test_newer_schema_is_refused_with_a_message(tmp_path: Path) -> None:
    """Ensure a database from a newer glm-lsp is not overwritten; the user is told why."""
    path = tmp_path / "chats.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    store, problem = open_store(path)
    assert store.path is None
    assert problem is not None and "newer glm-lsp" in problem


def test_title_is_first_non_empty_line_capped() -> None:
    """Ensure titles come from the first non-empty line, shortened with an ellipsis."""
    assert title_from("\n  Fix the parser  \nmore") == "Fix the parser"
    assert title_from("x" * 100).endswith("…") and len(title_from("x" * 100)) == 60
    assert title_from("   ") == "New chat"
