"""Chat as an editor sees it: glm.chat.* and glm.explain against the loopback GLM endpoint.

Each test starts the real server (``python -m glm_lsp``) with a clean HOME and its own chat
database (``XDG_DATA_HOME``), points it at the loopback endpoint and checks what the editor
receives (``glm/chat/delta``, ``glm/chat/done``, command results) and what the endpoint was
sent (request bodies, the moment the client went away).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, open_doc, wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

MODEL_TEXT = ["The ", "answer ", "is ", "42", "."]


def config(endpoint: GlmEndpoint, **glm: Any) -> dict[str, Any]:
    """Workspace settings that point the server at the loopback endpoint."""
    return {"glm": {"provider": "custom", "baseUrl": endpoint.url, **glm}}


async def start(start_server: StartServer, endpoint: GlmEndpoint, **kw: Any) -> LanguageClient:
    """A server configured for the endpoint, once it applied those settings."""
    glm = kw.pop("glm", {})
    client = await start_server(workspace_config=config(endpoint, **glm), **kw)
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    return client


async def command(client: LanguageClient, name: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=[arg])
    )


def events_of(client: LanguageClient, turn_id: str) -> list[tuple[str, Any]]:
    return [(kind, p) for kind, p in client.chat_events if p.turnId == turn_id]  # type: ignore[attr-defined]


def field(params: Any, name: str, default: Any = None) -> Any:
    return getattr(params, name, default)


async def finished(client: LanguageClient, turn_id: str, timeout: float = 15.0) -> Any:
    """Wait for the turn's done notification and return it."""
    await wait_until(lambda: any(k == "done" for k, _ in events_of(client, turn_id)), timeout)
    return next(p for k, p in events_of(client, turn_id) if k == "done")


def streamed(client: LanguageClient, turn_id: str, key: str) -> str:
    return "".join(field(p, key) or "" for k, p in events_of(client, turn_id) if k == "delta")


async def test_streamed_turn_sends_text_and_reasoning_apart_and_one_done(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a turn answers {chatId, turnId} at once, its deltas concatenate to the model's
    text, reasoning arrives in its own field, and exactly one done carries usage and cost."""
    glm_endpoint.enqueue(Reply.stream(MODEL_TEXT, reasoning=["Think", "ing."], delay=0.01))
    client = await start(start_server, glm_endpoint)
    started = await command(client, "glm.chat.send", {"message": "What is the answer?"})
    assert set(started) == {"chatId", "turnId"}
    done = await finished(client, started["turnId"])
    assert streamed(client, started["turnId"], "content") == "".join(MODEL_TEXT)
    assert streamed(client, started["turnId"], "reasoning") == "Thinking."
    await asyncio.sleep(0.3)
    dones = [p for k, p in events_of(client, started["turnId"]) if k == "done"]
    assert len(dones) == 1
    assert done.finishReason == "stop"
    assert done.usage.promptTokens == 12 and done.usage.completionTokens == 5
    assert field(done, "error") is None
    body = glm_endpoint.requests[0].body
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][-1] == {"role": "user", "content": "What is the answer?"}
    assert body["stream"] is True


def encode(value: Any) -> str:
    """JSON as the server writes request bodies."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def workspace(tmp_path: Path) -> Path:
    """A git repository with one committed file, modified in the working tree."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    app = root / "src" / "app.py"
    app.write_text("def total(items):\n    return sum(items)\n\n\nVERSION = 'one'\n")
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "."], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", "init"], check=True)
    app.write_text("def total(items):\n    return sum(items)\n\n\nVERSION = 'two-modified'\n")
    return root


def user_content(body: dict[str, Any]) -> str:
    return str([m for m in body["messages"] if m["role"] == "user"][-1]["content"])


async def test_second_turn_starts_with_first_request_byte_for_byte(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure messages are append-only: turn 2's request begins with turn 1's messages, byte for
    byte, followed by turn 1's answer and the new question; reasoning is not resent (the host
    drops it) and the tool list is identical."""
    glm_endpoint.enqueue(
        Reply.stream(["First ", "answer."], reasoning=["hmm"]), Reply.stream(["Second."])
    )
    client = await start(start_server, glm_endpoint)
    one = await command(client, "glm.chat.send", {"message": "first question"})
    await finished(client, one["turnId"])
    two = await command(
        client, "glm.chat.send", {"chatId": one["chatId"], "message": "second question"}
    )
    assert two["chatId"] == one["chatId"]
    await finished(client, two["turnId"])
    first, second = (r.body for r in glm_endpoint.requests)
    n = len(first["messages"])
    assert encode(second["messages"]).startswith(encode(first["messages"])[:-1] + ",")
    assert second["messages"][n] == {"role": "assistant", "content": "First answer."}
    assert second["messages"][n + 1] == {"role": "user", "content": "second question"}
    assert "reasoning_content" not in encode(second["messages"])
    assert encode(second["tools"]) == encode(first["tools"])


async def test_preserved_thinking_on_coding_plan_resends_reasoning(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure GLM-4.7 on the Coding Plan sends clear_thinking false and resends the earlier
    answer's reasoning_content unchanged, still as an append-only extension."""
    glm_endpoint.enqueue(
        Reply.stream(["A1"], reasoning=["R", "1"]), Reply.stream(["A2"], reasoning=["R2"])
    )
    client = await start(
        start_server,
        glm_endpoint,
        env={"GLM_API_KEY": "sk-test-key-0000000000"},
        glm={"provider": "zai-coding", "model": "glm-4.7", "chat": {"thinking": "on"}},
    )
    one = await command(client, "glm.chat.send", {"message": "q1"})
    await finished(client, one["turnId"])
    two = await command(client, "glm.chat.send", {"chatId": one["chatId"], "message": "q2"})
    await finished(client, two["turnId"])
    first, second = (r.body for r in glm_endpoint.requests)
    assert first["thinking"] == {"type": "enabled", "clear_thinking": False}
    n = len(first["messages"])
    assert encode(second["messages"][:n]) == encode(first["messages"])
    assert second["messages"][n] == {
        "role": "assistant",
        "content": "A1",
        "reasoning_content": "R1",
    }


async def test_tool_call_round_trip_is_shown_and_answered(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a read_file call runs on the workspace, its call and short result appear in the
    stream, the result goes back as a tool message, and the next turn replays it all."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([("call_1", "read_file", '{"path": "src/app.py"}')]),
        Reply.stream(["It sums items."]),
        Reply.stream(["Yes."]),
    )
    client = await start(start_server, glm_endpoint, root=root)
    one = await command(client, "glm.chat.send", {"message": "What does app.py do?"})
    done = await finished(client, one["turnId"])
    assert done.finishReason == "stop" and done.steps == 2
    tools = [p.tool for k, p in events_of(client, one["turnId"]) if field(p, "tool")]
    assert tools[0].name == "read_file" and "src/app.py" in tools[0].arguments
    assert tools[1].id == "call_1" and "src/app.py lines 1-" in tools[1].result
    assert streamed(client, one["turnId"], "content") == "It sums items."
    first, answer = glm_endpoint.requests[0].body, glm_endpoint.requests[1].body
    call, result = answer["messages"][-2], answer["messages"][-1]
    assert call["tool_calls"][0]["function"]["name"] == "read_file"
    assert result["role"] == "tool" and result["tool_call_id"] == "call_1"
    assert "return sum(items)" in result["content"]
    assert encode(answer["messages"]).startswith(encode(first["messages"])[:-1])
    two = await command(client, "glm.chat.send", {"chatId": one["chatId"], "message": "Sure?"})
    await finished(client, two["turnId"])
    follow = glm_endpoint.requests[2].body
    assert encode(follow["messages"]).startswith(encode(answer["messages"])[:-1] + ",")
    history = await command(client, "glm.chat.history", {"chatId": one["chatId"]})
    roles = [e["role"] for e in history]
    assert roles == ["user", "assistant", "tool", "assistant", "user", "assistant"]
    assert history[2]["name"] == "read_file"


async def test_file_selection_and_diagnostics_references_reach_the_model(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure #file reads a workspace file, the range's selection is attached with the current
    file, and #diagnostics carries the diagnostics the editor sent, with their source line."""
    root = workspace(tmp_path)
    (root / "src" / "util.py").write_text("def helper_zebra():\n    return 7\n")
    client = await start(start_server, glm_endpoint, root=root)
    uri = open_doc(client, root / "src" / "app.py")
    diagnostics = [
        {
            "range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 10}},
            "severity": 1,
            "source": "pyright",
            "message": "items is possibly unbound",
        }
    ]
    sel = {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 21}}
    started = await command(
        client,
        "glm.chat.send",
        {
            "message": "Compare with #file:src/util.py, see #selection and #diagnostics",
            "uri": uri,
            "range": sel,
            "diagnostics": diagnostics,
        },
    )
    await finished(client, started["turnId"])
    content = user_content(glm_endpoint.requests[0].body)
    assert 'source="file" path="src/util.py"' in content and "helper_zebra" in content
    assert 'source="selection"' in content and "    return sum(items)" in content
    assert 'source="current-file" path="src/app.py"' in content
    assert "items is possibly unbound" in content and "[pyright]" in content
    assert content.endswith("Compare with #file:src/util.py, see #selection and #diagnostics")
    listed = [p.context for k, p in events_of(client, started["turnId"]) if field(p, "context")]
    assert {c.source for c in listed[0]} >= {"file", "selection", "diagnostics"}


async def test_diff_reference_brings_the_hunk_of_a_modified_tracked_file(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure #diff attaches the working-tree diff hunk of a modified tracked file."""
    root = workspace(tmp_path)
    client = await start(start_server, glm_endpoint, root=root)
    started = await command(client, "glm.chat.send", {"message": "Review #diff please"})
    await finished(client, started["turnId"])
    content = user_content(glm_endpoint.requests[0].body)
    assert 'source="git-diff" path="src/app.py"' in content
    assert "-VERSION = 'one'" in content and "+VERSION = 'two-modified'" in content


async def test_env_and_excluded_files_never_reach_the_model(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an open .env file, an excluded file and a file named by a tool call are never sent:
    not as the current file, not through #file, not through read_file or search_text."""
    root = workspace(tmp_path)
    env_secret = "sk-live-ENVSECRET-0123456789abcdef"
    note_secret = "TOP-SECRET-NOTES-7781"
    (root / ".env").write_text(f"API_TOKEN={env_secret}\n")
    (root / "private").mkdir()
    (root / "private" / "notes.txt").write_text(f"{note_secret}\n")
    glm_endpoint.enqueue(
        Reply.tool_calls(
            [
                ("c1", "read_file", '{"path": ".env"}'),
                ("c2", "search_text", '{"query": "TOP-SECRET"}'),
                ("c3", "read_file", '{"path": "../../etc/passwd"}'),
            ]
        ),
        Reply.stream(["ok"]),
    )
    client = await start(start_server, glm_endpoint, root=root, glm={"exclude": ["private/**"]})
    uri = open_doc(client, root / ".env")
    started = await command(
        client,
        "glm.chat.send",
        {"message": "What is in #file:.env and #file:private/notes.txt ?", "uri": uri},
    )
    await finished(client, started["turnId"])
    bodies = [encode(r.body) for r in glm_endpoint.requests]
    assert len(bodies) == 2
    for body in bodies:
        assert env_secret not in body and "ENVSECRET" not in body
        assert note_secret not in body
        assert "root:x:0" not in body
    assert "excluded" in user_content(glm_endpoint.requests[0].body)
    results = [m for m in glm_endpoint.requests[1].body["messages"] if m["role"] == "tool"]
    assert results[0]["content"].startswith("error: cannot read .env: excluded")
    assert "(no matches)" in results[1]["content"]
    assert "outside the workspace" in results[2]["content"]


async def test_cancel_stops_the_turn_and_closes_the_upstream_stream(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure glm.chat.cancel ends the turn with one done (finishReason cancelled), the
    endpoint sees the client go away, and the partial answer is kept in history."""
    glm_endpoint.enqueue(Reply.stream(["word "] * 400, delay=0.05))
    client = await start(start_server, glm_endpoint)
    started = await command(client, "glm.chat.send", {"message": "Talk for a long time"})
    await wait_until(lambda: streamed(client, started["turnId"], "content") != "")
    await command(client, "glm.chat.cancel", {"chatId": started["chatId"]})
    done = await finished(client, started["turnId"])
    assert done.finishReason == "cancelled"
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, timeout=5)
    assert glm_endpoint.requests[0].finished is None
    shown = streamed(client, started["turnId"], "content")
    await asyncio.sleep(0.3)
    assert len([k for k, _ in events_of(client, started["turnId"]) if k == "done"]) == 1
    history = await command(client, "glm.chat.history", {"chatId": started["chatId"]})
    assert history[-1]["state"] == "cancelled"
    assert history[-1]["content"] == shown


async def test_upstream_error_is_reported_in_done(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a host error (Z.ai 1113, insufficient balance) ends the turn with one done that
    carries the error and finishReason error, and the server keeps serving."""
    glm_endpoint.enqueue(Reply.error(429, "1113"), Reply.stream(["fine"]))
    client = await start(start_server, glm_endpoint)
    failed = await command(client, "glm.chat.send", {"message": "hello"})
    done = await finished(client, failed["turnId"])
    assert done.finishReason == "error"
    assert "balance" in done.error.lower() or "recharge" in done.error.lower()
    again = await command(client, "glm.chat.send", {"chatId": failed["chatId"], "message": "hi"})
    assert (await finished(client, again["turnId"])).finishReason == "stop"
    second = glm_endpoint.requests[-1].body
    assert [m["content"] for m in second["messages"] if m["role"] == "user"] == ["hi"]


async def test_chats_survive_a_server_restart(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a chat is listed (title from its first message) and its history returned by a new
    server process, and that its next turn still replays the stored messages byte for byte."""
    glm_endpoint.enqueue(Reply.stream(["Stored ", "answer."], reasoning=["why"]))
    client = await start(start_server, glm_endpoint)
    one = await command(client, "glm.chat.send", {"message": "Remember this\nsecond line"})
    await finished(client, one["turnId"])
    await client.shutdown_session()
    await client.stop()

    glm_endpoint.enqueue(Reply.stream(["Again."]))
    again = await start(start_server, glm_endpoint)
    chats = await command(again, "glm.chat.list", {})
    assert [(c["chatId"], c["title"]) for c in chats] == [(one["chatId"], "Remember this")]
    assert chats[0]["updatedAt"].endswith("Z")
    history = await command(again, "glm.chat.history", {"chatId": one["chatId"]})
    assert history[0] == {
        "role": "user",
        "content": "Remember this\nsecond line",
        "turnId": one["turnId"],
    }
    assert history[1]["content"] == "Stored answer." and history[1]["reasoning"] == "why"
    assert history[1]["state"] == "done"
    two = await command(again, "glm.chat.send", {"chatId": one["chatId"], "message": "and?"})
    await finished(again, two["turnId"])
    first, second = (r.body for r in glm_endpoint.requests)
    assert encode(second["messages"]).startswith(encode(first["messages"])[:-1] + ",")


async def test_turn_killed_mid_stream_is_kept_and_marked_interrupted(
    start_server: StartServer, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure that after SIGKILL of the server mid-answer, a new server shows the turn in history,
    marked interrupted, with at most the text that had streamed, and leaves it out of the next
    request's messages."""
    words = ["piece "] * 300
    glm_endpoint.enqueue(Reply.stream(words, delay=0.03))
    client = await start(start_server, glm_endpoint)
    started = await command(client, "glm.chat.send", {"message": "Long answer please"})
    await wait_until(lambda: len(streamed(client, started["turnId"], "content")) > 300)
    await asyncio.sleep(1.2)  # the partial answer is saved about once a second
    process = client._server  # type: ignore[attr-defined]
    assert process is not None
    os.kill(process.pid, signal.SIGKILL)
    await process.wait()

    glm_endpoint.enqueue(Reply.stream(["Fresh."]))
    again = await start(start_server, glm_endpoint)
    history = await command(again, "glm.chat.history", {"chatId": started["chatId"]})
    assert history[0]["content"] == "Long answer please"
    last = history[-1]
    assert last["role"] == "assistant" and last["interrupted"] is True
    assert last["state"] == "interrupted"
    assert "".join(words).startswith(last["content"])
    assert last["content"].startswith("piece piece")
    follow = await command(
        again, "glm.chat.send", {"chatId": started["chatId"], "message": "Try again"}
    )
    await finished(again, follow["turnId"])
    users = [m for m in glm_endpoint.requests[-1].body["messages"] if m["role"] != "system"]
    assert users == [{"role": "user", "content": "Try again"}]


async def test_explain_streams_an_answer_about_the_selection_as_a_chat_turn(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm.explain answers {chatId, turnId} at once and streams a chat turn whose request
    holds the selection, its file, the file's diff and the diagnostics sent with it."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["It ", "adds ", "numbers."]))
    client = await start(start_server, glm_endpoint, root=root)
    uri = open_doc(client, root / "src" / "app.py")
    rng = {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}
    diagnostics = [
        {
            "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 9}},
            "severity": 2,
            "message": "function total lacks a docstring",
        }
    ]
    started = await command(
        client, "glm.explain", {"uri": uri, "range": rng, "diagnostics": diagnostics}
    )
    done = await finished(client, started["turnId"])
    assert done.finishReason == "stop"
    assert streamed(client, started["turnId"], "content") == "It adds numbers."
    content = user_content(glm_endpoint.requests[0].body)
    assert 'source="selection" path="src/app.py" lines="1-2"' in content
    assert "def total(items):" in content
    assert "function total lacks a docstring" in content
    assert "+VERSION = 'two-modified'" in content
    assert "Explain the selected code from `src/app.py` (lines 1-2)" in content
    history = await command(client, "glm.chat.history", {"chatId": started["chatId"]})
    assert history[0]["content"] == "Explain src/app.py lines 1-2"
    chats = await command(client, "glm.chat.list", {})
    assert chats[0]["title"] == "Explain src/app.py lines 1-2"


async def test_list_and_delete_chats(start_server: StartServer, glm_endpoint: GlmEndpoint) -> None:
    """Ensure chats are listed newest first and a deleted chat is gone from list and history."""
    client = await start(start_server, glm_endpoint)
    ids = []
    for text in ("alpha", "beta"):
        started = await command(client, "glm.chat.send", {"message": text})
        await finished(client, started["turnId"])
        ids.append(started["chatId"])
    chats = await command(client, "glm.chat.list", {})
    assert [c["title"] for c in chats] == ["beta", "alpha"]
    assert await command(client, "glm.chat.delete", {"chatId": ids[1]}) is None
    assert [c["chatId"] for c in await command(client, "glm.chat.list", {})] == [ids[0]]
    try:
        await command(client, "glm.chat.history", {"chatId": ids[1]})
    except Exception as exc:  # noqa: BLE001 - the error the editor sees
        assert "no chat" in str(exc)
    else:
        raise AssertionError("history of a deleted chat did not fail")


async def test_corrupt_database_is_reported_and_chat_keeps_working(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a damaged chat database gives one clear message naming the file, is moved aside,
    and chats still run and persist in a fresh database."""
    db = tmp_path / "home" / "data" / "glm-lsp" / "chats.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database at all" * 100)
    client = await start(start_server, glm_endpoint)
    started = await command(client, "glm.chat.send", {"message": "still there?"})
    assert (await finished(client, started["turnId"])).finishReason == "stop"
    notes = [m.message for m in client.messages if "chat history" in m.message]
    assert len(notes) == 1 and str(db) in notes[0] and "moved" in notes[0]
    assert [c["title"] for c in await command(client, "glm.chat.list", {})] == ["still there?"]
    assert list(db.parent.glob("chats.sqlite3.corrupt-*"))


async def test_explain_uses_the_diagnostics_the_editor_sent_with_code_actions(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Explain run from a code action (whose argument carries no diagnostics) still
    attaches the diagnostics the editor sent with the code action request for that range."""
    root = workspace(tmp_path)
    client = await start(start_server, glm_endpoint, root=root)
    uri = open_doc(client, root / "src" / "app.py")
    rng = types.Range(types.Position(0, 0), types.Position(1, 21))
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(1, 4), types.Position(1, 10)),
        message="return value is never used",
        severity=types.DiagnosticSeverity.Warning,
        source="lint",
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    explain = next(a for a in actions or [] if a.title == "GLM: Explain")
    assert isinstance(explain, types.CodeAction) and explain.command is not None
    started = await command(client, "glm.explain", explain.command.arguments[0])
    await finished(client, started["turnId"])
    content = user_content(glm_endpoint.requests[0].body)
    assert "return value is never used" in content and "[lint]" in content


async def test_closing_a_document_forgets_the_diagnostics_sent_with_code_actions(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the diagnostics the editor sent with a code action request are dropped when the
    document closes: GLM: Explain after closing and reopening it attaches none of them."""
    root = workspace(tmp_path)
    client = await start(start_server, glm_endpoint, root=root)
    path = root / "src" / "app.py"
    uri = open_doc(client, path)
    rng = types.Range(types.Position(0, 0), types.Position(1, 21))
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(1, 4), types.Position(1, 10)),
        message="return value is never used",
        source="lint",
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    explain = next(a for a in actions or [] if a.title == "GLM: Explain")
    assert isinstance(explain, types.CodeAction) and explain.command is not None
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    open_doc(client, path)
    started = await command(client, "glm.explain", explain.command.arguments[0])
    await finished(client, started["turnId"])
    content = user_content(glm_endpoint.requests[0].body)
    assert "return value is never used" not in content and "[lint]" not in content


async def test_explain_sends_related_code_and_never_an_open_env_file(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the explain request carries a distinctive function from another open file that the
    selection calls, and never the content of a .env file open in the editor."""
    root = workspace(tmp_path)
    secret = "sk-live-EXPLAINENV-0123456789abcdef"
    (root / ".env").write_text(f"API_TOKEN={secret}\n")
    helper = root / "src" / "weights.py"
    helper.write_text(
        "def frobnicate_widget_totals(widgets, scale):\n"
        "    total = 0\n"
        "    for widget in widgets:\n"
        "        total += widget.weight * scale\n"
        "    return total\n"
    )
    caller = root / "src" / "report.py"
    caller.write_text(
        "from weights import frobnicate_widget_totals\n\n\n"
        "def report(widgets):\n"
        "    value = frobnicate_widget_totals(widgets, 2)\n"
        "    return value\n"
    )
    glm_endpoint.enqueue(Reply.stream(["It ", "scales."]))
    client = await start(start_server, glm_endpoint, root=root)
    open_doc(client, root / ".env")
    open_doc(client, helper)
    uri = open_doc(client, caller)
    rng = {"start": {"line": 3, "character": 0}, "end": {"line": 6, "character": 0}}
    started = await command(client, "glm.explain", {"uri": uri, "range": rng})
    await finished(client, started["turnId"])
    body = encode(glm_endpoint.requests[0].body)
    assert "total += widget.weight * scale" in body
    assert secret not in body and "EXPLAINENV" not in body


async def test_explain_selection_counts_utf8_columns_as_the_editor_does(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a selection from an editor that negotiated utf-8 positions (Neovim) is cut at the
    right characters on a line with multi-byte text."""
    root = workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["ok"]))
    caps = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(configuration=True),
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8]
        ),
    )
    client = await start(start_server, glm_endpoint, root=root, capabilities=caps)
    line = 'label = "naïve café" + suffix_name\n'
    path = root / "src" / "names.py"
    path.write_text(line)
    uri = open_doc(client, path)
    start_byte = len(line.encode()) - len("suffix_name\n")
    end_byte = start_byte + len("suffix_name")
    rng = {
        "start": {"line": 0, "character": start_byte},
        "end": {"line": 0, "character": end_byte},
    }
    started = await command(client, "glm.explain", {"uri": uri, "range": rng})
    await finished(client, started["turnId"])
    content = user_content(glm_endpoint.requests[0].body)
    selection = content.split('source="selection"', 1)[1]
    assert "suffix_name" in selection.split("</context>", 1)[0]
    assert "+ suffix_name" not in selection.split("</context>", 1)[0]
