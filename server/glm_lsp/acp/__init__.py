"""The Agent Client Protocol face of glm-lsp: ``glm-lsp acp`` (see docs/acp.md).

Like ``lsp/`` it is a face over the chat engine: it may import chat, context, settings and
llm, and nothing imports it but the command line (lazily, so ``glm-lsp --version`` stays fast).
"""

from __future__ import annotations

import asyncio
import logging

__all__ = ["sdk_version", "serve"]

log = logging.getLogger(__name__)


def sdk_version() -> str:
    """The version of the ``agent-client-protocol`` SDK in use."""
    from importlib.metadata import version

    return version("agent-client-protocol")


async def _serve() -> None:
    from acp import run_agent

    from glm_lsp.acp.agent import GlmAgent

    agent = GlmAgent()
    try:
        await run_agent(agent)  # type: ignore[arg-type]
    finally:
        await agent.aclose()


def serve() -> int:
    """Serve ACP on stdin/stdout until the client closes stdin; the exit status."""
    try:
        asyncio.run(_serve())
    except KeyboardInterrupt:
        return 130
    return 0
