"""glm-lsp as an Agent Client Protocol agent: the protocol glue of the chat engine's second face.

``GlmAgent`` implements the SDK's ``Agent`` methods. ``initialize`` needs nothing of ours;
everything else goes to ``AcpEngine`` (``acp/engine.py``: settings, sessions, turns, the chat
store), whose import (settings, chat engine, context engine, GLM client) starts in a thread
just after ``initialize`` has answered and is awaited by the first request that needs it. Settings,
key discovery and providers are the LSP server's: the user file and the environment
(``GLM_API_KEY``, ``GLM_PROVIDER``, ...).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import uuid
from typing import TYPE_CHECKING, Any

from acp import PROTOCOL_VERSION, RequestError
from acp.schema import (
    AgentCapabilities,
    AuthenticateResponse,
    AuthMethodAgent,
    ClientCapabilities,
    Implementation,
    InitializeResponse,
    ListSessionsResponse,
    LoadSessionResponse,
    NewSessionResponse,
    PromptCapabilities,
    PromptResponse,
    SessionCapabilities,
    SessionListCapabilities,
    SetSessionConfigOptionResponse,
    SetSessionModeResponse,
)

from glm_lsp import __version__

if TYPE_CHECKING:
    from glm_lsp.acp.engine import AcpEngine
    from glm_lsp.settings import Settings

__all__ = ["GlmAgent"]

log = logging.getLogger(__name__)

STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_limit": "max_turn_requests",
    "token_budget": "max_tokens",
    "cancelled": "cancelled",
    "sensitive": "refusal",
    "content_filter": "refusal",
}
KEY_HELP = (
    "glm-lsp reads the key like the language server does: set GLM_API_KEY (or the provider's "
    "own variable, e.g. ZAI_API_KEY) in the environment the editor starts `glm-lsp acp` with, "
    "or apiKey in the user settings file; `glm-lsp doctor` checks it."
)
WARM_UP_DELAY_S = 0.05
"""How long after ``initialize`` the engine's import starts (its answer goes out first)."""


class GlmAgent:
    """The ACP agent; one per connection (one per ``glm-lsp acp`` process)."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self.conn: Any = None
        self.client_caps = ClientCapabilities()
        self._engine: AcpEngine | None = None
        self._import: asyncio.Future[Any] | None = None

    def on_connect(self, conn: Any) -> None:
        self.conn = conn

    def _warm_up(self) -> asyncio.Future[Any]:
        """The engine module, imported in a thread (started once)."""
        if self._import is None:
            self._import = asyncio.ensure_future(
                asyncio.to_thread(importlib.import_module, "glm_lsp.acp.engine")
            )
        return self._import

    async def engine(self) -> AcpEngine:
        """The sessions' engine, made on first use."""
        if self._engine is None:
            module = await self._warm_up()
            if self._engine is None:
                self._engine = module.AcpEngine(self.environ, self.conn, self.client_caps)
        return self._engine

    async def aclose(self) -> None:
        if self._engine is not None:
            await self._engine.aclose()
        elif self._import is not None:
            self._import.cancel()

    # -- initialize and auth -------------------------------------------------------------------

    async def initialize(
        self,
        protocol_version: int,
        client_capabilities: ClientCapabilities | None = None,
        client_info: Implementation | None = None,
        **kwargs: Any,
    ) -> InitializeResponse:
        self.client_caps = client_capabilities or ClientCapabilities()
        asyncio.get_running_loop().call_later(WARM_UP_DELAY_S, self._warm_up)
        return InitializeResponse(
            protocol_version=min(protocol_version, PROTOCOL_VERSION),
            agent_capabilities=AgentCapabilities(
                load_session=True,
                prompt_capabilities=PromptCapabilities(
                    embedded_context=True, image=False, audio=False
                ),
                session_capabilities=SessionCapabilities(list=SessionListCapabilities()),
            ),
            auth_methods=[
                AuthMethodAgent(id="glm-api-key", name="GLM API key", description=KEY_HELP)
            ],
            agent_info=Implementation(name="glm-lsp", title="GLM (glm-lsp)", version=__version__),
        )

    async def authenticate(self, method_id: str, **kwargs: Any) -> AuthenticateResponse:
        (await self.engine()).check_key()
        return AuthenticateResponse()

    async def _settings(self) -> Settings:
        return (await self.engine()).store.current

    # -- sessions ------------------------------------------------------------------------------

    async def new_session(
        self, cwd: str, mcp_servers: list[Any] | None = None, **kwargs: Any
    ) -> NewSessionResponse:
        session = (await self.engine()).open(uuid.uuid4().hex, cwd)
        return NewSessionResponse(
            session_id=session.session_id,
            modes=session.modes(),
            config_options=session.config_options(await self._settings()),
        )

    async def load_session(
        self, cwd: str, session_id: str, mcp_servers: list[Any] | None = None, **kwargs: Any
    ) -> LoadSessionResponse:
        session = await (await self.engine()).load(session_id, cwd)
        return LoadSessionResponse(
            modes=session.modes(), config_options=session.config_options(await self._settings())
        )

    async def list_sessions(
        self, cwd: str | None = None, cursor: str | None = None, **kwargs: Any
    ) -> ListSessionsResponse:
        return ListSessionsResponse(sessions=await (await self.engine()).listing(cwd))

    async def set_session_mode(
        self, mode_id: str, session_id: str, **kwargs: Any
    ) -> SetSessionModeResponse:
        (await self.engine()).session(session_id).set_mode(mode_id)
        return SetSessionModeResponse()

    async def set_config_option(
        self, config_id: str, session_id: str, value: str | bool, **kwargs: Any
    ) -> SetSessionConfigOptionResponse:
        session = (await self.engine()).session(session_id)
        settings = await self._settings()
        session.set_option(config_id, value, settings)
        return SetSessionConfigOptionResponse(config_options=session.config_options(settings))

    # -- turns ---------------------------------------------------------------------------------

    async def prompt(self, prompt: list[Any], session_id: str, **kwargs: Any) -> PromptResponse:
        engine = await self.engine()
        session = engine.session(session_id)
        engine.check_key()
        done = await engine.turn(session, prompt)
        reason = str(done.get("finishReason") or "stop")
        if reason == "error":
            raise RequestError(-32603, str(done.get("error") or "the turn failed"))
        return PromptResponse(stop_reason=STOP_REASONS.get(reason, "end_turn"))  # type: ignore[arg-type]

    async def cancel(self, session_id: str, **kwargs: Any) -> None:
        if self._engine is not None:
            await self._engine.cancel(session_id)

    async def ext_method(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        raise RequestError.method_not_found(method)

    async def ext_notification(self, method: str, params: dict[str, Any]) -> None:
        log.debug("ignored extension notification %s", method)
