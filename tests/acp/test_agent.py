"""``glm-lsp acp`` driven by the SDK's client side against the loopback GLM endpoint."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from acp import text_block
from acp.schema import (
    AgentPlanUpdate,
    DeniedOutcome,
    EmbeddedResourceContentBlock,
    RequestPermissionResponse,
    ResourceContentBlock,
    TextResourceContents,
    ToolCallStart,
    UserMessageChunk,
)

from tests.acp.harness import AcpClient, agent, agent_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "a.py").write_text("def a():\n    return 1\n", encoding="utf-8")
    (root / "src" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (root / ".env").write_text("API_TOKEN=abc123secretvalue\n", encoding="utf-8")
    return root


def _edit(path: str, search: str, replace: str) -> str:
    return json.dumps({"path": path, "edits": [{"search": search, "replace": replace}]})


def _tool_texts(endpoint: GlmEndpoint) -> list[str]:
    """The tool results the model was sent, in order."""
    last = endpoint.requests[-1].body
    return [m["content"] for m in last["messages"] if m.get("role") == "tool"]


async def test_multi_step_turn_reads_through_the_client(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """A turn with two reads streams tool calls (kind read, absolute locations), a plan of
    its steps and the answer; the reads go through fs/read_text_file, so the model sees the
    editor's unsaved buffer instead of the disk."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "read_file", json.dumps({"path": "src/a.py"}))]),
        Reply.tool_calls([("c2", "read_file", json.dumps({"path": "src/b.py"}))]),
        Reply.stream(["a returns ", "1"]),
    )
    client = AcpClient()
    client.buffers[str(root / "src" / "a.py")] = "def a():\n    return 41  # unsaved\n"
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        answer = await conn.prompt(session_id=session.session_id, prompt=[text_block("what?")])
    assert answer.stop_reason == "end_turn"
    assert client.text() == "a returns 1"
    starts = client.tool_starts()
    assert [s.kind for s in starts] == ["read", "read"]
    assert starts[0].locations and starts[0].locations[0].path == str(root / "src" / "a.py")
    assert [e.status for e in client.tool_ends()] == ["completed", "completed"]
    plans = [u for u in client.updates if isinstance(u, AgentPlanUpdate)]
    assert plans and len(plans[-1].entries) == 2
    assert all(e.status == "completed" for e in plans[-1].entries)
    assert str(root / "src" / "a.py") in client.reads
    assert "return 41  # unsaved" in _tool_texts(glm_endpoint)[0]


async def test_write_asks_permission_and_lands_in_the_client(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """An edit asks session/request_permission with the diff, then goes to the client's
    fs/write_text_file; the model is told it was written; the disk is left to the editor."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "edit_file", _edit("src/a.py", "return 1", "return 2"))]),
        Reply.stream(["done"]),
    )
    client = AcpClient(answer="allow_once")
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        answer = await conn.prompt(session_id=session.session_id, prompt=[text_block("make it 2")])
    assert answer.stop_reason == "end_turn"
    assert len(client.permissions) == 1
    asked = client.permissions[0]
    assert asked.tool_call_id == "c1"
    before = client.updates[: client.updates_before_ask[0]]
    assert any(isinstance(u, ToolCallStart) and u.tool_call_id == "c1" for u in before)
    assert asked.content and asked.content[0].new_text == "def a():\n    return 2\n"
    assert client.writes == [(str(root / "src" / "a.py"), "def a():\n    return 2\n")]
    assert "written" in _tool_texts(glm_endpoint)[0]
    assert (root / "src" / "a.py").read_text(encoding="utf-8") == "def a():\n    return 1\n"


async def test_rejected_write_is_not_written_and_the_model_is_told(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Rejecting the permission writes nothing anywhere and the tool result says the user
    refused; the tool call ends failed."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "edit_file", _edit("src/a.py", "return 1", "return 3"))]),
        Reply.stream(["ok, not changed"]),
    )
    client = AcpClient(answer="reject_once")
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("make it 3")])
    assert client.permissions and not client.writes
    assert "refused" in _tool_texts(glm_endpoint)[0]
    assert client.tool_ends()[0].status == "failed"
    assert (root / "src" / "a.py").read_text(encoding="utf-8") == "def a():\n    return 1\n"


async def test_write_without_client_fs_goes_to_disk_after_permission(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """A client without fs capabilities still gets asked; the allowed change is written to
    disk whole."""
    root = _workspace(tmp_path)
    create = json.dumps({"path": "src/c.py", "content": "C=3\n"})
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "create_file", create)]),
        Reply.stream(["created"]),
    )
    client = AcpClient(answer="allow_always")
    async with agent(client, agent_env(glm_endpoint, tmp_path), fs=False) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("add c")])
    assert client.permissions and not client.writes and not client.reads
    assert (root / "src" / "c.py").read_text(encoding="utf-8") == "C=3\n"


async def test_paths_outside_the_workspace_and_secrets_are_refused(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """A read outside the session's folder and an edit of an excluded secret file are
    refused before the client is asked anything; a secret file attached by link is left out."""
    root = _workspace(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("private\n", encoding="utf-8")
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "read_file", json.dumps({"path": str(outside)}))]),
        Reply.tool_calls([("c2", "edit_file", _edit(".env", "abc", "xyz"))]),
        Reply.stream(["cannot"]),
    )
    client = AcpClient(answer="allow_once")
    link = ResourceContentBlock(type="resource_link", uri=(root / ".env").as_uri(), name=".env")
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("look"), link])
    results = _tool_texts(glm_endpoint)
    assert "outside the workspace" in results[0]
    assert results[1].startswith("error") and "excluded" in results[1]
    assert not client.permissions and not client.writes
    assert str(outside) not in client.reads
    sent = json.dumps(glm_endpoint.requests[0].body)
    assert "abc123secretvalue" not in sent and "private" not in sent
    assert "left out" in sent


async def test_reasoning_streams_as_thought_chunks(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """GLM's reasoning_content arrives as agent_thought_chunk, apart from the answer."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["42"], reasoning=["let me ", "think"]))
    client = AcpClient()
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.set_session_mode(session_id=session.session_id, mode_id="think")
        await conn.prompt(session_id=session.session_id, prompt=[text_block("answer?")])
    assert client.thoughts() == "let me think"
    assert client.text() == "42"
    assert glm_endpoint.requests[0].body.get("thinking", {}).get("type") == "enabled"


async def test_cancel_mid_turn_closes_the_stream_and_answers_cancelled(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """session/cancel during a stalled stream ends the prompt with stopReason cancelled and
    the agent closes the upstream connection."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(Reply.stream(["partial", " never"], delay=30.0))
    client = AcpClient()
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        turn = asyncio.ensure_future(
            conn.prompt(session_id=session.session_id, prompt=[text_block("go")])
        )
        await glm_endpoint.until(lambda e: e.active == 1, timeout=20)
        while "partial" not in client.text():
            await asyncio.sleep(0.01)
        await conn.cancel(session_id=session.session_id)
        answer = await asyncio.wait_for(turn, 20)
        assert answer.stop_reason == "cancelled"
        await glm_endpoint.until(lambda e: e.active == 0, timeout=20)


async def test_session_reloads_after_a_restart(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """A session prompted in one process is listed and loaded by a new process on the same
    store: the history replays as updates and the next turn sends the earlier exchange."""
    root = _workspace(tmp_path)
    env = agent_env(glm_endpoint, tmp_path)
    glm_endpoint.enqueue(Reply.stream(["first answer"]))
    async with agent(AcpClient(), env) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("first question")])
    glm_endpoint.enqueue(Reply.stream(["second answer"]))
    client = AcpClient()
    async with agent(client, env) as conn:
        listed = await conn.list_sessions(cwd=str(root))
        assert session.session_id in [s.session_id for s in listed.sessions]
        await conn.load_session(cwd=str(root), session_id=session.session_id, mcp_servers=[])
        assert client.text() == "first answer"
        await conn.prompt(session_id=session.session_id, prompt=[text_block("second")])
    sent = json.dumps(glm_endpoint.requests[-1].body)
    assert "first question" in sent and "first answer" in sent


async def test_embedded_resource_is_attached_redacted(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """An embedded text resource of a workspace file reaches the model with its secrets
    redacted, and the history shows what the user typed and the attachment's name."""
    root = _workspace(tmp_path)
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    text = f'TOKEN = "{secret}"\nX = 1\n'
    glm_endpoint.enqueue(Reply.stream(["seen"]), Reply.stream(["again"]))
    block = EmbeddedResourceContentBlock(
        type="resource",
        resource=TextResourceContents(uri=(root / "src" / "a.py").as_uri(), text=text),
    )
    client = AcpClient()
    env = agent_env(glm_endpoint, tmp_path)
    async with agent(client, env) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        await conn.prompt(session_id=session.session_id, prompt=[text_block("check"), block])
    sent = json.dumps(glm_endpoint.requests[0].body)
    assert "X = 1" in sent and "src/a.py" in sent
    assert secret not in sent
    replayed = AcpClient()
    async with agent(replayed, env) as conn:
        await conn.load_session(cwd=str(root), session_id=session.session_id, mcp_servers=[])
    users = [u.content.text for u in replayed.updates if isinstance(u, UserMessageChunk)]
    assert users and users[0].startswith("check") and "a.py" in users[0]
    assert "X = 1" not in users[0]


class _Hesitant(AcpClient):
    """A client whose user has not answered the permission prompt when the turn is cancelled
    (then, as ACP asks, the pending request is answered ``cancelled``)."""

    def __init__(self) -> None:
        super().__init__(answer=None)
        self.asked = asyncio.Event()
        self.cancelled = asyncio.Event()

    async def request_permission(
        self, options: list[Any], session_id: str, tool_call: Any, **kwargs: Any
    ) -> RequestPermissionResponse:
        self.permissions.append(tool_call)
        self.asked.set()
        await self.cancelled.wait()
        return RequestPermissionResponse(outcome=DeniedOutcome(outcome="cancelled"))


async def test_cancel_while_permission_is_pending_writes_nothing(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """session/cancel while the user has not answered a write's permission ends the prompt
    cancelled; nothing is written, neither through the client nor on disk."""
    root = _workspace(tmp_path)
    glm_endpoint.enqueue(
        Reply.tool_calls([("c1", "edit_file", _edit("src/a.py", "return 1", "return 5"))]),
        Reply.stream(["never asked"]),
    )
    client = _Hesitant()
    async with agent(client, agent_env(glm_endpoint, tmp_path)) as conn:
        session = await conn.new_session(cwd=str(root), mcp_servers=[])
        turn = asyncio.ensure_future(
            conn.prompt(session_id=session.session_id, prompt=[text_block("make it 5")])
        )
        await asyncio.wait_for(client.asked.wait(), 30)
        await conn.cancel(session_id=session.session_id)
        client.cancelled.set()
        answer = await asyncio.wait_for(turn, 30)
    assert answer.stop_reason == "cancelled"
    assert client.writes == []
    assert (root / "src" / "a.py").read_text(encoding="utf-8") == "def a():\n    return 1\n"
    assert len(glm_endpoint.requests) == 1
    assert [s.tool_call_id for s in client.tool_starts()] == ["c1"]
