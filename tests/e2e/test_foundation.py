"""The server's foundation as an editor sees it: start-up, settings, status, secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.e2e.harness import StartServer, wait_until

KEY = "sk-test-0123456789abcdef-SECRET"


async def status_of(client: Any) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.status", arguments=[{}])
    )
    assert isinstance(result, dict)
    return result


async def test_initialize_advertises_commands_and_identity(start_server: StartServer) -> None:
    """Ensure that initialize answers with the server's name, version and glm.status command."""
    client = await start_server()
    result: types.InitializeResult = client.init_result  # type: ignore[attr-defined]
    assert result.server_info is not None
    assert result.server_info.name == "glm-lsp"
    assert result.server_info.version
    assert result.capabilities.execute_command_provider is not None
    assert "glm.status" in result.capabilities.execute_command_provider.commands
    assert result.capabilities.text_document_sync is not None
    status = await status_of(client)
    assert status["provider"] == "zai"
    assert status["model"] == "glm-4.6"


async def test_no_key_is_reported_once_and_status_unconfigured(start_server: StartServer) -> None:
    """Ensure that without a key the server starts, says so once, and reports unconfigured."""
    client = await start_server()
    await wait_until(lambda: any(s.state == "unconfigured" for s in client.statuses))
    status = await status_of(client)
    assert status["keyPresent"] is False
    # configuration changes and commands do not repeat the notice
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    await status_of(client)
    warnings = [m for m in client.messages if "no API key" in m.message]
    assert len(warnings) == 1
    assert "GLM_API_KEY" in warnings[0].message
    assert warnings[0].type == types.MessageType.Warning


@pytest.mark.parametrize("layers", [1, 2, 3, 4])
async def test_each_settings_source_overrides_the_one_before(
    start_server: StartServer, tmp_path: Path, layers: int
) -> None:
    """Ensure the precedence file < env < initializationOptions < workspace/configuration."""
    home = tmp_path / "home"
    (home / "config.toml").write_text(
        '[glm]\nmodel = "from-file"\nprovider = "custom"\nbaseUrl = "http://127.0.0.1:9/v1"\n'
    )
    env = {"GLM_MODEL": "from-env"} if layers >= 2 else {}
    init = {"glm": {"model": "from-init"}} if layers >= 3 else None
    workspace = {"glm": {"model": "from-workspace"}} if layers >= 4 else None
    client = await start_server(env=env, init_options=init, workspace_config=workspace)
    expected = ["from-file", "from-env", "from-init", "from-workspace"][layers - 1]
    await wait_until(lambda: bool(client.statuses))
    status = await status_of(client)
    assert status["model"] == expected
    assert status["provider"] == "custom"
    assert status["baseUrl"] == "http://127.0.0.1:9/v1"


async def test_invalid_settings_are_named_and_old_ones_stay(start_server: StartServer) -> None:
    """Ensure an invalid workspace setting is named once and the previous settings stay."""
    client = await start_server(workspace_config={"glm": {"model": "glm-4.7"}})
    await wait_until(lambda: bool(client.statuses))
    assert (await status_of(client))["model"] == "glm-4.7"

    client.set_configuration({"glm": {"model": "glm-4.5", "inline": {"debounceMs": "fast"}}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    await wait_until(lambda: any("debounceMs" in m.message for m in client.messages))
    errors = [m for m in client.messages if "debounceMs" in m.message]
    assert errors[0].type == types.MessageType.Error
    assert "glm.inline.debounceMs" in errors[0].message
    assert (await status_of(client))["model"] == "glm-4.7"

    client.set_configuration({"glm": {"model": "glm-4.5"}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    models: list[str] = []
    for _ in range(200):
        models.append((await status_of(client))["model"])
        if models[-1] == "glm-4.5":
            break
    assert models[-1] == "glm-4.5"


async def test_bad_user_file_is_reported_and_server_serves(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure a broken config.toml gives a clear error naming the file while the server runs."""
    (tmp_path / "home" / "config.toml").write_text("model = [unclosed\n")
    client = await start_server()
    await wait_until(lambda: any("config.toml" in m.message for m in client.messages))
    assert (await status_of(client))["model"] == "glm-4.6"


async def test_key_never_appears_in_logs_or_messages(
    start_server: StartServer, tmp_path: Path
) -> None:
    """Ensure the API key never appears in the log file, window/logMessage or showMessage."""
    log_file = tmp_path / "server.log"
    client = await start_server(
        env={"GLM_API_KEY": KEY},
        args=("-vv", "--log-file", str(log_file)),
        workspace_config={"glm": {"apiKey": KEY}},
    )
    await wait_until(lambda: bool(client.statuses))
    status = await status_of(client)
    assert status["keyPresent"] is True
    client.set_configuration({"glm": {"apiKey": KEY, "inline": {"maxTokens": KEY}}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    await wait_until(lambda: any("maxTokens" in m.message for m in client.messages))
    await client.shutdown_session()
    texts = [m.message for m in client.messages] + [m.message for m in client.log_messages]
    texts.append(log_file.read_text())
    assert any("maxTokens" in text for text in texts)
    for text in texts:
        assert KEY not in text
