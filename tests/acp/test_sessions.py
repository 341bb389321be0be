"""ACP sessions and their folders (list per cwd, load refused elsewhere, the store's
``chat_roots`` on an old database), and what "always allow" covers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from acp import RequestError, text_block

from glm_lsp.chat.store import SCHEMA_VERSION, ChatStore
from tests.acp.harness import AcpClient, agent, agent_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

OLD_SCHEMA = """
CREATE TABLE chats (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at REAL NOT NULL,
    updated_at REAL NOT NULL);
INSERT INTO chats VALUES ('lsp-chat', 'From the LSP chat', 1.0, 2.0);
PRAGMA user_version=1;
"""
"""A database of an older glm-lsp (no chat_roots table) with one chat made by the LSP chat."""


def _folder(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "a.py").write_text("A = 1\n", encoding="utf-8")
    return root


def _edit(path: str, search: str, replace: str) -> str:
    return json.dumps({"path": path, "edits": [{"search": search, "replace": replace}]})


async def test_sessions_are_listed_with_their_folder_and_filtered_by_cwd(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a session prompted in folder A is listed under A with A as its cwd (also when A
    is asked through a link), is not listed under B, and an unfiltered list shows each
    session with its own folder; a chat with no recorded folder (the LSP chat's, in an older
    database) is listed under the folder asked."""
    env = agent_env(glm_endpoint, tmp_path)
    conn0 = sqlite3.connect(tmp_path / "chats.sqlite3")
    conn0.executescript(OLD_SCHEMA)
    conn0.close()
    a, b = _folder(tmp_path, "a"), _folder(tmp_path, "b")
    (tmp_path / "link-to-a").symlink_to(a)
    glm_endpoint.enqueue(Reply.stream(["in a"]), Reply.stream(["in b"]))
    async with agent(AcpClient(), env) as conn:
        in_a = await conn.new_session(cwd=str(a), mcp_servers=[])
        await conn.prompt(session_id=in_a.session_id, prompt=[text_block("question a")])
        in_b = await conn.new_session(cwd=str(b), mcp_servers=[])
        await conn.prompt(session_id=in_b.session_id, prompt=[text_block("question b")])
    async with agent(AcpClient(), env) as conn:
        under_a = (await conn.list_sessions(cwd=str(tmp_path / "link-to-a"))).sessions
        under_b = (await conn.list_sessions(cwd=str(b))).sessions
        everywhere = (await conn.list_sessions()).sessions
    assert {s.session_id: s.cwd for s in under_a} == {
        in_a.session_id: str(a),
        "lsp-chat": str(tmp_path / "link-to-a"),
    }
    assert [s.title for s in under_a if s.session_id == in_a.session_id] == ["question a"]
    assert {s.session_id for s in under_b} == {in_b.session_id, "lsp-chat"}
    folders = {s.session_id: s.cwd for s in everywhere}
    assert folders[in_a.session_id] == str(a) and folders[in_b.session_id] == str(b)


async def test_loading_a_session_in_another_folder_is_refused_naming_its_folder(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure session/load of a session made in folder A, asked with folder B, is invalid
    params naming A and replays nothing; loaded with A it replays its history and goes on."""
    env = agent_env(glm_endpoint, tmp_path)
    a, b = _folder(tmp_path, "a"), _folder(tmp_path, "b")
    glm_endpoint.enqueue(Reply.stream(["first answer"]))
    async with agent(AcpClient(), env) as conn:
        session = await conn.new_session(cwd=str(a), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("first")])
    client = AcpClient()
    async with agent(client, env) as conn:
        with pytest.raises(RequestError) as caught:
            await conn.load_session(cwd=str(b), session_id=session.session_id, mcp_servers=[])
        assert not client.updates
        with pytest.raises(RequestError):  # not opened by the refused load
            await conn.prompt(session_id=session.session_id, prompt=[text_block("x")])
        await conn.load_session(cwd=str(a), session_id=session.session_id, mcp_servers=[])
        assert client.text() == "first answer"
    assert caught.value.code == -32602
    assert str(a) in str(caught.value.data) and "open that folder" in str(caught.value.data)


def test_old_database_gains_chat_roots_and_an_older_glm_lsp_deletes_them(tmp_path: Path) -> None:
    """Ensure a database without ``chat_roots`` opens with its chats kept and the same schema
    version, records a folder across a reopen (the first one recorded stays), and deleting the
    chat the way an older glm-lsp does (foreign keys on) deletes its folder row."""
    path = tmp_path / "chats.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    store = ChatStore.open(path)
    assert [c.chat_id for c in store.list_chats()] == ["lsp-chat"]
    assert store.chat_roots() == {}
    store.set_chat_root("lsp-chat", "/w/one")
    store.set_chat_root("lsp-chat", "/w/two")
    store.close()
    store = ChatStore.open(path)
    assert store.chat_roots() == {"lsp-chat": "/w/one"}
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    conn.execute("DELETE FROM chats WHERE id = 'lsp-chat'")
    assert conn.execute("SELECT COUNT(*) FROM chat_roots").fetchone()[0] == 0
    conn.close()


async def test_always_allow_covers_this_sessions_writes_only(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure "always allow in this session" is asked once and covers the session's later
    writes (the next step and the next prompt), while another session is asked again; there
    a rejection leaves the file on disk untouched and the model is told it was refused."""
    root = _folder(tmp_path, "proj")
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "edit_file", _edit("a.py", "A = 1", "A = 2"))]),
        Reply.tool_calls([("c2", "edit_file", _edit("a.py", "A = 2", "A = 3"))]),
        Reply.stream(["two edits"]),
        Reply.tool_calls([("c3", "edit_file", _edit("a.py", "A = 3", "A = 4"))]),
        Reply.stream(["third edit"]),
        Reply.tool_calls([("c4", "edit_file", _edit("a.py", "A = 4", "A = 5"))]),
        Reply.stream(["not changed"]),
    )
    client = AcpClient(answer="allow_always")
    async with agent(client, agent_env(glm_endpoint, tmp_path), fs=False) as conn:
        first = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=first.session_id, prompt=[text_block("two edits")])
        await conn.prompt(session_id=first.session_id, prompt=[text_block("one more")])
        assert [p.tool_call_id for p in client.permissions] == ["c1"]
        assert (root / "a.py").read_text(encoding="utf-8") == "A = 4\n"
        client.answer = "reject_once"
        second = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=second.session_id, prompt=[text_block("edit again")])
    assert [p.tool_call_id for p in client.permissions] == ["c1", "c4"]
    assert (root / "a.py").read_text(encoding="utf-8") == "A = 4\n"
    last = glm_endpoint.requests[-1].body["messages"]
    told = [m["content"] for m in last if m.get("role") == "tool"]
    assert told and "refused" in told[-1] and "nothing was written" in told[-1]
