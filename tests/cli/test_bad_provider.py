"""A bad ``GLM_PROVIDER`` in the server's environment, through the real server (pytest-lsp):
reported once, and the editor's settings still apply."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from tests.e2e.harness import StartServer, start_server, wait_until

__all__ = ["start_server"]


async def status_of(client: Any) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="glm.status", arguments=[{}])
    )
    assert isinstance(result, dict)
    return result


async def test_a_bad_glm_provider_is_reported_once_and_editor_settings_still_apply(
    start_server: StartServer,
) -> None:
    """Ensure GLM_PROVIDER=bogus gives one error message naming it (not one per merge or
    request), and later editor settings are applied instead of refused because of it."""
    client = await start_server(
        env={"GLM_PROVIDER": "bogus"}, workspace_config={"glm": {"model": "glm-4.7"}}
    )
    await wait_until(lambda: bool(client.statuses))
    assert (await status_of(client))["model"] == "glm-4.7"

    client.set_configuration({"glm": {"model": "glm-4.5"}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    for _ in range(200):
        if (await status_of(client))["model"] == "glm-4.5":
            break
    assert (await status_of(client))["model"] == "glm-4.5"
    for _ in range(3):
        await status_of(client)
    about_provider = [m for m in client.messages if "bogus" in m.message]
    assert len(about_provider) == 1
    assert about_provider[0].type == types.MessageType.Error
    assert "glm.provider" in about_provider[0].message
