"""Reading one next-edit answer from the model's stream.

The answer ends at the closing tag: what follows is prose, so reading stops there. Without tags
it goes on to the end of the stream, as a first fenced block may be an echo of the region.
"""

from __future__ import annotations

import re

from glm_lsp.context.files import uri_to_path
from glm_lsp.edits.nextedit.prompt import TAG
from glm_lsp.llm import ChatRequest, Collector, GlmClient

__all__ = ["display_path", "read_answer"]

_CLOSE = re.compile(rf"</\s*{TAG}\s*>", re.IGNORECASE)


async def read_answer(client: GlmClient, request: ChatRequest) -> str | None:
    """The raw answer; None when it was cut off before its end (a length limit)."""
    pieces: list[str] = []
    tail = ""
    closed = False

    def take(text: str) -> bool:
        nonlocal tail, closed
        pieces.append(text)
        seen = tail + text
        closed = _CLOSE.search(seen) is not None
        tail = seen[-64:]  # longer than the closing tag: a tag split across pieces is found
        return closed

    collector = Collector(on_content=take)
    async with client.stream(request) as events:
        await collector.collect(events)
    if not closed and collector.finish_reason not in (None, "stop"):
        return None
    return "".join(pieces)


def display_path(uri: str) -> str:
    """The file name the prompt shows when the context port gave no path."""
    path = uri_to_path(uri) or uri
    return path.rsplit("/", 1)[-1]
