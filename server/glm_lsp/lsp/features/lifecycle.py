"""Initialize, settings from the editor, and shutdown."""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from glm_lsp.lsp.docstore import use_line_documents
from glm_lsp.lsp.editor import workspace_roots
from glm_lsp.lsp.server import GlmLanguageServer

log = logging.getLogger(__name__)


def _glm_section(options: Any) -> Any:
    """``initializationOptions.glm`` (or the whole object when it has no ``glm`` key)."""
    if isinstance(options, dict) and "glm" in options:
        return options["glm"]
    return options if options else None


async def pull_configuration(server: GlmLanguageServer, *, apply: bool = True) -> None:
    """Ask the editor for the ``glm`` section and apply it as the workspace layer."""
    if not get_capability(server.client_capabilities, "workspace.configuration", False):
        return
    try:
        result = await server.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="glm")])
        )
    except Exception as exc:  # noqa: BLE001 - the editor may not answer; keep serving
        log.warning("workspace/configuration failed: %s", exc)
        return
    section = result[0] if result else None
    server.update_settings("workspace", section if section else {}, apply=apply)


async def watch_files(server: GlmLanguageServer) -> None:
    """Ask the editor to report file changes on disk, so the context engine's caches follow."""
    if not get_capability(
        server.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False
    ):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
    )
    registration = types.Registration(
        id="glm-lsp-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await server.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as exc:  # noqa: BLE001 - the editor may refuse; saves still invalidate
        log.info("file watching not registered: %s", exc)


def register(server: GlmLanguageServer) -> None:
    """Lifecycle handlers."""

    @server.feature(types.INITIALIZE)
    def initialize(ls: GlmLanguageServer, params: types.InitializeParams) -> None:
        use_line_documents(ls.protocol)
        for problem in ls.startup_problems:
            ls.show_message(types.MessageType.Error, f"glm-lsp: {problem}")
        ls.update_settings(
            "initializationOptions", _glm_section(params.initialization_options), apply=False
        )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: GlmLanguageServer, _: types.InitializedParams) -> None:
        ls.context.set_workspace_roots(workspace_roots(ls))
        await pull_configuration(ls, apply=False)
        ls.apply_settings()
        await watch_files(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: GlmLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if get_capability(ls.client_capabilities, "workspace.configuration", False):
            await pull_configuration(ls)
        else:
            ls.update_settings("workspace", _glm_section(params.settings) or {})

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: GlmLanguageServer, _: None) -> None:
        await ls.aclose()
