"""What an edit command checks and sends before the model is asked: the prompt's parts (file
around the range, repository context, all redacted), the refusals, the range for tests.

No LSP here: the glue reads the document and converts the editor's positions to offsets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from glm_lsp.context import ContextEngine, render_pieces
from glm_lsp.edits.request import local_window
from glm_lsp.edits.scope import enclosing_block
from glm_lsp.edits.text import position_of, split_lines

__all__ = [
    "SECRET_REASON",
    "Refusal",
    "check_inside",
    "display_path",
    "prompt_parts",
    "tests_range",
]

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0
"""How long an edit lets the context engine's background reads finish."""
SECRET_REASON = (
    "the range contains text that looks like a secret; glm-lsp does not send it to the model "
    "(and would not write the model's placeholder over it)"
)


class Refusal(Exception):
    """The command cannot run; the message is the result's ``reason``."""


def check_inside(text: str, first_line: int) -> None:
    """Refuse a range that starts below the document's last line."""
    lines = text.count("\n") + 1
    if first_line >= lines:
        raise Refusal(
            f"the range starts at line {first_line + 1}, after the end of the document "
            f"({lines} lines); select code in the document"
        )


def display_path(path: str | None, root: str | None, fallback: str) -> str:
    """``path`` as the prompt shows it: relative to its workspace folder, else its name."""
    if path is None:
        return fallback
    return os.path.relpath(path, root) if root else os.path.basename(path)


def tests_range(
    text: str, start: int, end: int, *, language: str = "", path: str = ""
) -> tuple[int, int]:
    """The range tests are written for: the selection, else the block around the cursor (by
    the syntax tree of `language`/`path` when it has a grammar), else the whole file."""
    if start != end:
        return start, end
    lines = split_lines(text)
    block = enclosing_block(lines, position_of(text, start)[0], language=language, path=path)
    if block is None:
        return 0, len(text)
    return sum(map(len, lines[: block[0]])), sum(map(len, lines[: block[1] + 1]))


async def prompt_parts(
    engine: ContextEngine, uri: str, path: str | None, text: str, start: int, end: int
) -> tuple[str, str, str]:
    """(prefix, suffix, context) for the range, redacted; refuses excluded files and secrets."""
    why = await engine.is_excluded(uri)
    if why is not None:
        raise Refusal(f"this file is excluded from prompts ({why})")
    (l0, c0), (l1, c1) = position_of(text, start), position_of(text, end)
    # An edit waits seconds for the model anyway: let git and file reads that are already
    # under way finish (bounded) rather than dropping them at the edit deadline.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(engine.wait_idle(), SETTLE_SECONDS)
    result = await engine.build(uri, l0, c0, "edit", selection=(l0, c0, l1, c1))
    log.debug("edit context: %s", [(d.source, d.reason) for d in result.dropped])
    window = result.cursor
    if window is not None and window.selection == text[start:end]:
        context = render_pieces(result.pieces, include_cursor=False)
        return window.prefix, window.suffix, context
    # The engine's copy differs (the selection holds a secret, or the document moved on).
    prefix, suffix = local_window(text, start, end)
    if engine.redact(text[start:end], path) != text[start:end]:
        raise Refusal(SECRET_REASON)
    return engine.redact(prefix, path), engine.redact(suffix, path), ""
