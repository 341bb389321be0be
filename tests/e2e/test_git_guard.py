"""Git never runs a program the repository (or an inherited git variable) names.

Each test builds a real hostile repository (``hostile_git.py``), proves its trap is live with
plain git, then drives the real server through pytest-lsp: open a file, ask for the chat and
inline context (``glm.context.inspect``), run the chat ``git_diff`` tool against the loopback
endpoint. The trap must never spring, while git keeps working: the diff still shows where the
repository allows it.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, open_doc, wait_until
from tests.e2e.hostile_git import (
    DIFF_LINE,
    FOREIGN_OWNER,
    VECTORS,
    Hostile,
    Vector,
    arm_env_for,
    environment_for,
)
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply


async def start(
    start_server: StartServer, endpoint: GlmEndpoint, root: Path, env: dict[str, str]
) -> LanguageClient:
    client = await start_server(
        root=root,
        env=env,
        workspace_config={"glm": {"provider": "custom", "baseUrl": endpoint.url}},
    )
    await wait_until(lambda: any(s.state == "ready" for s in client.statuses))  # type: ignore[attr-defined]
    return client


async def inspect(client: LanguageClient, uri: str, feature: str) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="glm.context.inspect",
            arguments=[{"uri": uri, "position": {"line": 1, "character": 4}, "feature": feature}],
        )
    )


def pieces_of(result: Any, source: str) -> str:
    return "\n".join(p["text"] for p in result["pieces"] if p["source"] == source)


async def git_diff_tool_result(client: LanguageClient, endpoint: GlmEndpoint) -> str:
    """Run one chat turn in which the model calls ``git_diff``; return what the tool answered."""
    endpoint.enqueue(Reply.tool_calls([("call_1", "git_diff", "{}")]), Reply.stream(["Noted."]))
    started = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.chat.send", arguments=[{"message": "Changes?"}])
    )
    turn = started["turnId"]
    await wait_until(
        lambda: any(k == "done" and p.turnId == turn for k, p in client.chat_events),  # type: ignore[attr-defined]
        30,
    )
    tool = [m for m in endpoint.requests[-1].body["messages"] if m["role"] == "tool"]
    return str(tool[-1]["content"])


async def check_vector(
    name: str, vector: Vector, tmp_path: Path, start_server: StartServer, endpoint: GlmEndpoint
) -> None:
    hostile = Hostile(tmp_path)
    vector.build(hostile)
    env = environment_for(name, hostile)
    assert hostile.arm(vector.arm, {**arm_env_for(name), **env}), "the trap is not live"
    if vector.after_arm is not None:
        vector.after_arm(hostile)
    client = await start(start_server, endpoint, hostile.root, env)
    uri = open_doc(client, hostile.root / "app.py")
    chat = await inspect(client, uri, "chat")
    inline = await inspect(client, uri, "inline")
    tool = await git_diff_tool_result(client, endpoint)
    assert hostile.sprung() == []
    status = pieces_of(chat, "git-status")
    if vector.shows_git:
        assert "app.py" in status, chat
    else:
        assert status == "" and pieces_of(chat, "git-diff") == "", chat
    if vector.shows_diff:
        assert DIFF_LINE in pieces_of(chat, "git-diff"), chat
        assert DIFF_LINE in tool
    else:
        assert DIFF_LINE not in pieces_of(chat, "git-diff")
        assert DIFF_LINE not in tool
    assert "cursor" in {p["source"] for p in inline["pieces"]}
    assert hostile.sprung() == []


@pytest.mark.parametrize("name", sorted(VECTORS))
async def test_repository_named_program_never_runs(
    name: str, start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure opening a file, building chat and inline context and running the git_diff tool in
    a repository armed with this vector never runs its program, while git facts and the diff
    still show wherever git can produce them without it."""
    await check_vector(name, VECTORS[name], tmp_path, start_server, glm_endpoint)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a repository to another user needs root")
async def test_repository_owned_by_another_user_is_refused(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a repository owned by another user is not honoured (git's safe.directory check
    stays on): its fsmonitor hook never runs and no git facts are shown."""
    await check_vector("foreign owner", FOREIGN_OWNER, tmp_path, start_server, glm_endpoint)


async def test_worktree_outside_the_folder_is_never_read(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a repository whose core.worktree points outside the opened folder gives no git
    facts: tracked names from the index would otherwise be diffed against files elsewhere."""
    hostile = Hostile(tmp_path)
    hostile.make_repo()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "app.py").write_text("PRIVATE_KEY = 'outside-the-workspace-7f3a'\n")
    hostile.config("core.worktree", str(outside))
    client = await start(start_server, glm_endpoint, hostile.root, {})
    uri = open_doc(client, hostile.root / "app.py")
    chat = await inspect(client, uri, "chat")
    tool = await git_diff_tool_result(client, glm_endpoint)
    for text in (json.dumps(chat), tool, json.dumps([r.body for r in glm_endpoint.requests])):
        assert "outside-the-workspace-7f3a" not in text
    assert pieces_of(chat, "git-status") == ""


async def test_config_include_of_stdin_leaves_the_lsp_stream_alone(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a repository whose config includes /dev/stdin cannot make git (or the server)
    read the server's stdin, which carries the editor's messages: every request is answered
    and the diff still shows."""
    hostile = Hostile(tmp_path)
    hostile.make_repo()
    hostile.config("include.path", "/dev/stdin")
    client = await start(start_server, glm_endpoint, hostile.root, {})
    uri = open_doc(client, hostile.root / "app.py")
    chat = await inspect(client, uri, "chat")
    assert DIFF_LINE in pieces_of(chat, "git-diff"), chat
    assert DIFF_LINE in await git_diff_tool_result(client, glm_endpoint)
    again = await inspect(client, uri, "chat")
    assert DIFF_LINE in pieces_of(again, "git-diff")


async def test_config_include_of_a_fifo_does_not_stop_the_server(
    start_server: StartServer, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a repository whose config includes a FIFO nobody writes (git blocks reading it)
    costs only its git facts: every request is answered meanwhile, git is killed after its
    time budget, then the file itself is served without git facts and chat turns still run."""
    hostile = Hostile(tmp_path)
    hostile.make_repo()
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    hostile.config("include.path", str(fifo))
    client = await start(start_server, glm_endpoint, hostile.root, {})
    uri = open_doc(client, hostile.root / "app.py")
    served: list[Any] = []

    async def cursor_served() -> bool:
        result = await inspect(client, uri, "chat")
        served.append(result)
        return "cursor" in {p["source"] for p in result["pieces"]}

    for _ in range(600):
        if await cursor_served():
            break
        await asyncio.sleep(0.1)
    assert "cursor" in {p["source"] for p in served[-1]["pieces"]}, served[-1]
    assert all(DIFF_LINE not in pieces_of(result, "git-diff") for result in served)
    glm_endpoint.enqueue(Reply.stream(["Still here."]))
    started = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.chat.send", arguments=[{"message": "Hello?"}])
    )
    turn = started["turnId"]
    await wait_until(
        lambda: any(k == "done" and p.turnId == turn for k, p in client.chat_events),  # type: ignore[attr-defined]
        60,
    )
