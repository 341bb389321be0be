"""A real ACP client (the SDK's client side) driving a ``glm-lsp acp`` subprocess.

``AcpClient`` plays the editor: it records every ``session/update``, answers
``session/request_permission`` with the option the test chose, serves ``fs/read_text_file``
from its unsaved buffers (else the disk) and keeps what ``fs/write_text_file`` sends in those
buffers, as an editor would before saving.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from acp import PROTOCOL_VERSION, spawn_agent_process
from acp.core import ClientSideConnection
from acp.schema import (
    AgentMessageChunk,
    AgentThoughtChunk,
    AllowedOutcome,
    ClientCapabilities,
    DeniedOutcome,
    FileSystemCapabilities,
    ReadTextFileResponse,
    RequestPermissionResponse,
    TextContentBlock,
    ToolCallProgress,
    ToolCallStart,
    WriteTextFileResponse,
)

from tests.glm_endpoint import GlmEndpoint

KEY = "sk-acp-test-0123456789abcdef"


class AcpClient:
    """The editor side of the connection."""

    def __init__(self, answer: str | None = "allow_once") -> None:
        self.updates: list[Any] = []
        self.answer = answer
        """The permission option to choose (None: the request is cancelled)."""
        self.permissions: list[Any] = []
        self.updates_before_ask: list[int] = []
        """How many updates had arrived when each permission request came."""
        self.buffers: dict[str, str] = {}
        self.reads: list[str] = []
        self.writes: list[tuple[str, str]] = []

    async def request_permission(
        self, options: list[Any], session_id: str, tool_call: Any, **kwargs: Any
    ) -> RequestPermissionResponse:
        self.permissions.append(tool_call)
        self.updates_before_ask.append(len(self.updates))
        if self.answer is None:
            return RequestPermissionResponse(outcome=DeniedOutcome(outcome="cancelled"))
        return RequestPermissionResponse(
            outcome=AllowedOutcome(option_id=self.answer, outcome="selected")
        )

    async def session_update(self, session_id: str, update: Any, **kwargs: Any) -> None:
        self.updates.append(update)

    async def read_text_file(
        self,
        path: str,
        session_id: str,
        limit: int | None = None,
        line: int | None = None,
        **kwargs: Any,
    ) -> ReadTextFileResponse:
        self.reads.append(path)
        if path in self.buffers:
            return ReadTextFileResponse(content=self.buffers[path])
        return ReadTextFileResponse(content=Path(path).read_text(encoding="utf-8"))

    async def write_text_file(
        self, content: str, path: str, session_id: str, **kwargs: Any
    ) -> WriteTextFileResponse:
        self.writes.append((path, content))
        self.buffers[path] = content
        return WriteTextFileResponse()

    def on_connect(self, conn: Any) -> None:
        pass

    # -- what the tests read -------------------------------------------------------------------

    def text(self) -> str:
        return "".join(
            u.content.text
            for u in self.updates
            if isinstance(u, AgentMessageChunk) and isinstance(u.content, TextContentBlock)
        )

    def thoughts(self) -> str:
        return "".join(
            u.content.text
            for u in self.updates
            if isinstance(u, AgentThoughtChunk) and isinstance(u.content, TextContentBlock)
        )

    def tool_starts(self) -> list[ToolCallStart]:
        return [u for u in self.updates if isinstance(u, ToolCallStart)]

    def tool_ends(self) -> list[ToolCallProgress]:
        return [u for u in self.updates if isinstance(u, ToolCallProgress)]


def agent_env(endpoint: GlmEndpoint, home: Path) -> dict[str, str]:
    """The agent's environment: the loopback endpoint, a test key, a chat store under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLM_", "ZAI_", "ZHIPU"))}
    env.update(
        {
            "GLM_API_KEY": KEY,
            "GLM_PROVIDER": "custom",
            "GLM_BASE_URL": endpoint.url,
            "GLM_LSP_CHAT_DB": str(home / "chats.sqlite3"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "HOME": str(home),
        }
    )
    return env


@contextlib.asynccontextmanager
async def agent(
    client: AcpClient, env: dict[str, str], *, fs: bool = True
) -> AsyncIterator[ClientSideConnection]:
    """``glm-lsp acp`` started and initialized; stopped (stdin closed) afterwards."""
    async with spawn_agent_process(client, sys.executable, "-m", "glm_lsp", "acp", env=env) as (
        conn,
        _process,
    ):
        caps = ClientCapabilities(
            fs=FileSystemCapabilities(read_text_file=fs, write_text_file=fs), terminal=False
        )
        await conn.initialize(protocol_version=PROTOCOL_VERSION, client_capabilities=caps)
        yield conn
