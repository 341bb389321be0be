"""An ACP prompt (text, resource links, embedded resources) as one chat message.

Text blocks are what the user typed. A ``resource_link`` to a file is read like the model's
``read_file`` (inside the session's folder, not excluded, redacted; through the client when it
can read files); an embedded text resource brings its own text, which is attached only when its
path passes the same guards, and redacted. Anything refused is named with the reason instead of
its text, so a secret file dragged into the prompt never reaches the model. Images, audio and
binary resources are not supported (the agent does not advertise them) and are named as left
out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from acp.schema import (
    EmbeddedResourceContentBlock,
    ResourceContentBlock,
    TextContentBlock,
    TextResourceContents,
)

from glm_lsp.chat.workspace import ChatWorkspace, OutsideWorkspace
from glm_lsp.context.files import uri_to_path

__all__ = ["PromptText", "prompt_text"]

MAX_ATTACHED_CHARS = 100_000


class PromptText:
    """The message sent to the model and what the history shows of it."""

    def __init__(self, message: str, display: str) -> None:
        self.message = message
        self.display = display


def _fence(shown: str, text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{shown}:\n{ticks}\n{text}\n{ticks}"


async def _attached(ws: ChatWorkspace, uri: str, text: str | None) -> str:
    """The block for one file the user attached (its text, or why it is left out)."""
    path = uri_to_path(uri) if uri.startswith("file:") else uri
    if not path:
        return f"(attachment {uri} left out: not a local file)"
    try:
        target = await ws.resolve(path)
    except OutsideWorkspace as exc:
        return f"(attachment left out: {exc})"
    shown = ws.display(target)
    why = await ws.excluded(target)
    if why is not None:
        return f"(attachment {shown} left out: excluded ({why}))"
    if text is None:
        got = await ws.read(target)
        if got.text is None:
            return f"(attachment {shown} left out: {got.reason})"
        text = got.text
    else:
        text = ws.redact(text, target)
    if len(text) > MAX_ATTACHED_CHARS:
        text = text[:MAX_ATTACHED_CHARS] + "\n… (cut)"
    return _fence(shown, text)


async def prompt_text(blocks: Sequence[Any], ws: ChatWorkspace) -> PromptText:
    """The chat message for ``blocks``; ValueError when there is nothing to send."""
    typed: list[str] = []
    attached: list[str] = []
    names: list[str] = []
    for block in blocks:
        if isinstance(block, TextContentBlock):
            typed.append(block.text)
        elif isinstance(block, ResourceContentBlock):
            names.append(block.name or block.uri)
            attached.append(await _attached(ws, block.uri, None))
        elif isinstance(block, EmbeddedResourceContentBlock):
            resource = block.resource
            names.append(resource.uri)
            if isinstance(resource, TextResourceContents):
                attached.append(await _attached(ws, resource.uri, resource.text))
            else:
                attached.append(f"(attachment {resource.uri} left out: binary content)")
        else:
            kind = getattr(block, "type", "content")
            attached.append(f"(a {kind} block was left out: this agent reads text only)")
    text = "\n".join(typed).strip()
    if not text and not attached:
        raise ValueError("the prompt is empty: send some text")
    message = "\n\n".join([*attached, text] if attached else [text])
    display = text if not names else f"{text}\n\n(attached: {', '.join(names)})".strip()
    return PromptText(message, display or "(attachments)")
