"""Context blocks: the ``<context ...>`` elements a chat turn's user message carries.

A block identical to one already sent earlier in the chat is replaced by a short marker, so a
long conversation about one file does not carry that file once per turn; ``compose`` is told
which earlier blocks are still in the prompt (trimming may have dropped them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from typing import Any

import attrs

from glm_lsp.context.tokens import chars_for_tokens, estimate_tokens

__all__ = ["Block", "compose", "element", "last_line", "truncate"]


@attrs.frozen
class Block:
    """One rendered context block and what the user is told about it."""

    source: str
    text: str
    """The whole ``<context ...>`` element."""
    path: str | None = None
    note: str | None = None
    """Why it is empty or partial (excluded, truncated, nothing there)."""

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:20]

    def marker(self) -> str:
        where = f' path="{_attr(self.path)}"' if self.path else ""
        return (
            f'<context source="{self.source}"{where} unchanged="true">'
            "(the same as attached earlier in this conversation)</context>\n"
        )

    def listing(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "tokens": self.tokens}
        if self.path:
            out["path"] = self.path
        if self.note:
            out["note"] = self.note
        return out


def last_line(rng: tuple[int, int, int, int]) -> int:
    """The last line a range covers: one that ends at column 0 of a later line stops before it."""
    return rng[2] - 1 if rng[3] == 0 and rng[2] > rng[0] else rng[2]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def element(source: str, body: str, path: str | None = None, **extra: str) -> str:
    attrs_text = f'source="{source}"'
    if path:
        attrs_text += f' path="{_attr(path)}"'
    for key, value in extra.items():
        attrs_text += f' {key}="{_attr(value)}"'
    return f"<context {attrs_text}>\n{body}\n</context>\n"


def truncate(text: str, tokens: int) -> tuple[str, bool]:
    limit = chars_for_tokens(tokens)
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit] + "\n… (truncated)", True


def compose(blocks: Sequence[Block], message: str, seen: Collection[str] = ()) -> str:
    """The user message: the context blocks, then the text; repeats become markers."""
    parts = [b.marker() if b.fingerprint in seen else b.text for b in blocks]
    return "".join(parts) + message if parts else message
