"""pytest-lsp harness: start ``python -m glm_lsp`` as an editor would, with a clean environment.

``start_server(...)`` launches a real server subprocess with its own HOME, XDG dirs and config
file, so no developer setting or key leaks into a test. The client records custom
notifications (``glm/status``, ``glm/chat/*``), every JSON object the server sent
(``client.traffic``), and answers ``workspace/applyEdit``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import typing
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

FULL_CAPS = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        inline_completion=types.InlineCompletionClientCapabilities(),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=["", "quickfix"])
            )
        ),
    ),
    workspace=types.WorkspaceClientCapabilities(
        apply_edit=True,
        configuration=True,
        did_change_configuration=types.DidChangeConfigurationClientCapabilities(),
    ),
    window=types.WindowClientCapabilities(
        work_done_progress=True,
        show_document=types.ShowDocumentClientCapabilities(support=True),
    ),
)
"""What a full-featured editor (VS Code with proposed features) declares."""


def fix_code_action_structure(client: LanguageClient) -> None:
    """Make the client read a CodeAction carrying a command as a CodeAction.

    lsprotocol's client-side hook mis-types it as a Command (only clients are affected).
    """
    conv = client.protocol._converter

    def code_action_hook(obj: Any, _: Any) -> Any:
        target = types.Command if isinstance(obj.get("command"), str) else types.CodeAction
        return conv.structure(obj, target)

    conv.register_structure_hook(
        typing.Union[types.Command, types.CodeAction],  # noqa: UP007 - a runtime Union key
        code_action_hook,
    )


def make_client() -> LanguageClient:
    """A pytest-lsp client that records our notifications and applies edits."""
    client = pytest_lsp.make_test_lsp_client()
    fix_code_action_structure(client)

    client.statuses: list[Any] = []  # type: ignore[attr-defined,misc]
    client.chat_events: list[tuple[str, Any]] = []  # type: ignore[attr-defined,misc]
    client.edits: list[types.ApplyWorkspaceEditParams] = []  # type: ignore[attr-defined,misc]
    client.traffic: list[str] = []  # type: ignore[attr-defined,misc]
    structure = client.protocol.structure_message

    def recording_structure(data: dict[str, Any]) -> Any:
        # Called for every JSON object read (innermost first), before any field is dropped.
        client.traffic.append(json.dumps(data, default=repr))  # type: ignore[attr-defined]
        return structure(data)

    client.protocol.structure_message = recording_structure  # type: ignore[method-assign]

    @client.feature("glm/status")
    def on_status(params: Any) -> None:
        client.statuses.append(params)  # type: ignore[attr-defined]

    @client.feature("glm/chat/delta")
    def on_delta(params: Any) -> None:
        client.chat_events.append(("delta", params))  # type: ignore[attr-defined]

    @client.feature("glm/chat/done")
    def on_done(params: Any) -> None:
        client.chat_events.append(("done", params))  # type: ignore[attr-defined]

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def on_apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        client.edits.append(params)  # type: ignore[attr-defined]
        return types.ApplyWorkspaceEditResult(applied=True)

    return client


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment with no keys and no user config, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GLM_", "ZAI_", "DEEPINFRA", "TOGETHER", "OPENROUTER", "XDG_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        GLM_LSP_CONFIG=str(home / "config.toml"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


StartServer = Callable[..., Awaitable[LanguageClient]]


@pytest_asyncio.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[StartServer]:
    """Factory: ``await start_server(env=..., init_options=..., workspace=..., args=...)``."""
    clients: list[LanguageClient] = []
    home = tmp_path / "home"
    home.mkdir()

    async def start(
        *,
        env: dict[str, str] | None = None,
        init_options: Any = None,
        workspace_config: Any = None,
        capabilities: types.ClientCapabilities = FULL_CAPS,
        args: tuple[str, ...] = ("-vv",),
        root: Path | None = None,
    ) -> LanguageClient:
        client = make_client()
        if workspace_config is not None:
            client.set_configuration(workspace_config)
        await client.start_io(
            sys.executable, "-m", "glm_lsp", *args, env=clean_env(home, **(env or {}))
        )
        clients.append(client)
        root_uri = (root or tmp_path).as_uri()
        client.init_result = await client.initialize_session(  # type: ignore[attr-defined]
            types.InitializeParams(
                capabilities=capabilities,
                initialization_options=init_options,
                root_uri=root_uri,
                workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="ws")],
            )
        )
        return client

    yield start
    for client in clients:
        try:
            await asyncio.wait_for(client.shutdown_session(), 10)
        except Exception:  # noqa: BLE001 - a test may have stopped the server itself
            pass
        await client.stop()


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``predicate`` until true; fail the test after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            pytest.fail("condition not met in time")
        await asyncio.sleep(0.02)


def open_doc(client: Any, path: Path, language: str = "python", text: str | None = None) -> str:
    """Send didOpen for ``path`` (its text on disk unless ``text`` is given); return its URI."""
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id=language,
                version=1,
                text=path.read_text() if text is None else text,
            )
        )
    )
    return uri
