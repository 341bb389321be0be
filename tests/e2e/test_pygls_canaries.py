"""Canaries: pygls 2.1.x behaviours that ``CancellableProtocol`` works around.

When a canary fails, pygls changed: re-check whether ``glm_lsp/protocol.py`` is still needed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import LanguageClient, make_test_lsp_client

SERVER = Path(__file__).parent / "servers" / "canary_server.py"


async def start(protocol: str, inline_options: str = "1") -> tuple[LanguageClient, Any]:
    client = make_test_lsp_client()
    client.ticks: list[int] = []  # type: ignore[attr-defined]
    client.cancelled = asyncio.Event()  # type: ignore[attr-defined]
    client.edit_requested = asyncio.Event()  # type: ignore[attr-defined]
    client.release_edit = asyncio.Event()  # type: ignore[attr-defined]

    @client.feature("canary/tick")
    def on_tick(params: Any) -> None:
        client.ticks.append(params.n)  # type: ignore[attr-defined]

    @client.feature("canary/cancelled")
    def on_cancelled(params: Any) -> None:
        client.cancelled.set()  # type: ignore[attr-defined]

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    async def on_edit(params: Any) -> types.ApplyWorkspaceEditResult:
        client.edit_requested.set()  # type: ignore[attr-defined]
        await client.release_edit.wait()  # type: ignore[attr-defined]
        return types.ApplyWorkspaceEditResult(applied=True)

    env = {"CANARY_PROTOCOL": protocol, "CANARY_INLINE_OPTIONS": inline_options}
    import os

    await client.start_io(sys.executable, str(SERVER), env={**os.environ, **env})
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(apply_edit=True)
            )
        )
    )
    return client, result


async def stop(client: LanguageClient) -> None:
    await client.shutdown_session()
    await client.stop()


async def cancel_tick(client: LanguageClient) -> None:
    request = asyncio.ensure_future(
        client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command="canary.tick", arguments=[]),
            msg_id=777,
        )
    )
    while len(client.ticks) < 3:  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)
    client.cancel_request(types.CancelParams(id=777))
    with pytest.raises(JsonRpcRequestCancelled):
        await request


async def test_plain_pygls_execute_command_ignores_cancel() -> None:
    """Ensure the canary holds: in plain pygls a cancelled command keeps running."""
    client, _ = await start("plain")
    await cancel_tick(client)
    at_cancel = len(client.ticks)  # type: ignore[attr-defined]
    await asyncio.sleep(0.5)
    assert len(client.ticks) > at_cancel + 5  # type: ignore[attr-defined]
    assert not client.cancelled.is_set()  # type: ignore[attr-defined]
    await stop(client)


async def test_cancellable_protocol_stops_the_command_task() -> None:
    """Ensure CancellableProtocol turns $/cancelRequest into cancellation of the command task."""
    client, _ = await start("fixed")
    await cancel_tick(client)
    await asyncio.wait_for(client.cancelled.wait(), 5)  # type: ignore[attr-defined]
    at_cancel = len(client.ticks)  # type: ignore[attr-defined]
    await asyncio.sleep(0.3)
    assert len(client.ticks) == at_cancel  # type: ignore[attr-defined]
    await stop(client)


async def late_edit_answer(protocol: str) -> list[types.ShowMessageParams]:
    client, _ = await start(protocol)
    request = asyncio.ensure_future(
        client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command="canary.applyEdit", arguments=[]),
            msg_id=778,
        )
    )
    await asyncio.wait_for(client.edit_requested.wait(), 5)  # type: ignore[attr-defined]
    client.cancel_request(types.CancelParams(id=778))
    with pytest.raises(JsonRpcRequestCancelled):
        await request
    client.release_edit.set()  # type: ignore[attr-defined]
    await asyncio.sleep(0.5)
    messages = list(client.messages)
    await stop(client)
    return messages


async def test_plain_pygls_late_answer_pops_an_error() -> None:
    """Ensure the canary holds: pygls turns a late answer to a cancelled request into a popup."""
    messages = await late_edit_answer("link-only")
    assert any(m.type == types.MessageType.Error for m in messages)


async def test_cancellable_protocol_drops_late_answers_quietly() -> None:
    """Ensure CancellableProtocol drops the answer to a cancelled request without a popup."""
    messages = await late_edit_answer("fixed")
    assert messages == []


async def test_inline_completion_needs_options_to_be_advertised() -> None:
    """Ensure the canary holds: inlineCompletionProvider is only advertised with options."""
    client, without = await start("fixed", inline_options="0")
    await stop(client)
    client, with_options = await start("fixed", inline_options="1")
    await stop(client)
    assert without.capabilities.inline_completion_provider is None
    assert with_options.capabilities.inline_completion_provider is not None


async def pending_after_calls(protocol: str, calls: int) -> int:
    client, _ = await start(protocol)
    count = 0
    for _ in range(calls):
        count = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="canary.pending", arguments=[])
        )
    await stop(client)
    return int(count)


async def test_plain_pygls_keeps_every_async_command_task() -> None:
    """Ensure the canary holds: plain pygls never forgets an async command's task (a leak)."""
    assert await pending_after_calls("plain", 30) >= 30


async def test_cancellable_protocol_forgets_finished_command_tasks() -> None:
    """Ensure CancellableProtocol removes a finished command's task from pygls' table."""
    assert await pending_after_calls("fixed", 30) <= 3
