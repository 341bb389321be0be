"""One ACP session: its folder, context engine, file access, stream, mode and model.

A session id is a chat id of the chat store, so a session loaded after a restart is the same
conversation the LSP chat would show. The modes are the thinking switch (``chat.thinking``:
the host's default, on, off); the ``model`` config option picks GLM-4.6 or GLM-4.7 (keeping a
provider's prefix such as ``z-ai/``). Both apply to the session's next turns only.
"""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
from acp import RequestError
from acp.schema import (
    SessionConfigOptionSelect,
    SessionConfigSelectOption,
    SessionMode,
    SessionModeState,
)

from glm_lsp.acp.files import ClientFiles
from glm_lsp.acp.updates import Outbox, TurnStream
from glm_lsp.chat import ChatWorkspace
from glm_lsp.context.engine import ContextEngine
from glm_lsp.llm import context_window
from glm_lsp.settings import Settings
from glm_lsp.settings.schema import Thinking

__all__ = ["MODES", "AcpWorkspace", "Session", "model_choices"]

MODES = {
    "auto": ("Thinking: host default", "GLM decides whether to think (chat.thinking auto)"),
    "think": ("Thinking on", "GLM reasons before answering; the reasoning streams as thoughts"),
    "fast": ("Thinking off", "GLM answers at once, without reasoning"),
}
SETTING_OF_MODE: dict[str, Thinking] = {"auto": "auto", "think": "on", "fast": "off"}
MODE_OF_SETTING = {v: k for k, v in SETTING_OF_MODE.items()}
GLM_MODELS = ("glm-4.6", "glm-4.7")


def model_choices(configured: str) -> list[str]:
    """The models to offer: GLM-4.6 and GLM-4.7 under the configured one's prefix, and the
    configured one itself when it is neither."""
    prefix = configured.rsplit("/", 1)[0] + "/" if "/" in configured else ""
    offered = [prefix + name for name in GLM_MODELS]
    if configured not in offered:
        offered.insert(0, configured)
    return offered


class AcpWorkspace(ChatWorkspace):
    """A chat workspace that knows its session (the toolbox factory needs it)."""

    session_id: str = ""


@attrs.define(eq=False)
class Session:
    """What the agent keeps per session."""

    session_id: str
    root: str
    engine: ContextEngine
    files: ClientFiles
    outbox: Outbox
    stream: TurnStream
    mode: str = "auto"
    model: str = ""
    done: asyncio.Future[dict[str, Any]] | None = None
    """The running prompt's end (the chat service's done payload)."""
    folder_recorded: bool = False
    """The chat store has this session's folder (recorded at its first prompt)."""

    def settings(self, base: Settings) -> Settings:
        """``base`` with the session's model and thinking switch."""
        chat = attrs.evolve(base.chat, thinking=SETTING_OF_MODE.get(self.mode, "auto"))
        return attrs.evolve(base, model=self.model or base.model, chat=chat)

    def set_mode(self, mode_id: str) -> None:
        """Switch the thinking mode of the next turns (an unknown mode is invalid params)."""
        if mode_id not in MODES:
            raise RequestError.invalid_params(
                {"message": f"no mode {mode_id!r}; use one of {', '.join(MODES)}"}
            )
        self.mode = mode_id

    def set_option(self, config_id: str, value: str | bool, base: Settings) -> None:
        """Set a config option (only ``model``, to one of ``model_choices``)."""
        choices = model_choices(base.model)
        if config_id != "model" or value not in choices:
            raise RequestError.invalid_params(
                {"message": f"config option model takes one of {', '.join(choices)}"}
            )
        self.model = str(value)

    def modes(self) -> SessionModeState:
        return SessionModeState(
            current_mode_id=self.mode,
            available_modes=[
                SessionMode(id=key, name=name, description=text)
                for key, (name, text) in MODES.items()
            ],
        )

    def config_options(self, base: Settings) -> list[Any]:
        current = self.model or base.model
        return [
            SessionConfigOptionSelect(
                id="model",
                name="Model",
                description="The GLM model of this session's next turns",
                category="model",
                type="select",
                current_value=current,
                options=[
                    SessionConfigSelectOption(
                        value=name,
                        name=name.rsplit("/", 1)[-1].upper(),
                        description=f"{context_window(name):,}-token window",
                    )
                    for name in model_choices(base.model)
                ],
            )
        ]

    def running(self) -> bool:
        """True while a prompt of this session is under way."""
        return self.done is not None and not self.done.done()

    def close(self) -> None:
        self.outbox.close()
        self.engine.close()
        if self.done is not None and not self.done.done():
            self.done.cancel()
