"""``glm-lsp --tcp`` and ``--ws`` serve the same server as stdio."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests.e2e.harness import clean_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def connect(
    client: LanguageClient, transport: str, port: int, proc: subprocess.Popen[bytes]
) -> None:
    """Connect once the server listens (no probe connection: pygls serves one client)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30.0
    while True:
        assert proc.poll() is None, "server exited before listening"
        try:
            if transport == "tcp":
                await client.start_tcp("127.0.0.1", port)
            else:
                await client.start_ws("127.0.0.1", port)
            return
        except OSError:
            if loop.time() > deadline:
                pytest.fail("server did not listen in time")
            await asyncio.sleep(0.05)


@pytest.mark.parametrize("transport", ["tcp", "ws"])
async def test_server_answers_over_network_transports(tmp_path: Path, transport: str) -> None:
    """Ensure --tcp and --ws start a server that initializes, answers glm.status, and exits
    with status 0 after shutdown and exit."""
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glm_lsp", f"--{transport}", "--port", str(port)],
        env=clean_env(home, GLM_MODEL="glm-4.7"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = LanguageClient("transport-test", "0")
    try:
        await connect(client, transport, port, proc)
        result = await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities())
        )
        assert result.server_info is not None and result.server_info.name == "glm-lsp"
        client.initialized(types.InitializedParams())
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="glm.status", arguments=[{}])
        )
        assert status["model"] == "glm-4.7"
        await client.shutdown_async(None)
        client.exit(None)
        assert await asyncio.to_thread(proc.wait, 30) == 0
    finally:
        await client.stop()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def test_tcp_answers_malformed_frames_and_keeps_reading(tmp_path: Path) -> None:
    """Ensure the TCP transport reads frames like stdio: junk and an oversized Content-Length
    get one error each with id null, and the frame after them is answered."""
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "glm_lsp", "--tcp", "--port", str(port)],
        env=clean_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30.0
        while True:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                assert loop.time() < deadline, "server did not listen in time"
                await asyncio.sleep(0.05)
        request = b'{"jsonrpc": "2.0", "id": 1, "method": "glm/nothing"}'
        writer.write(b"X" * 200_000 + b"\r\n")
        writer.write(b"Content-Length: 999999999999\r\n\r\n{}")
        writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(request), request))
        await writer.drain()
        answers: list[dict[str, Any]] = []
        while len(answers) < 3:
            header = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(await reader.readexactly(length))
            if "method" not in message:  # not a log notification
                answers.append(message)
        assert [(a["id"], a["error"]["code"]) for a in answers] == [
            (None, -32700),
            (None, -32600),
            (1, -32002),
        ]
        writer.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)
