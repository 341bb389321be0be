"""Redaction of a cursor window cut from an open document, with the blocks of the whole document.

A window redacted as a text of its own misses a secret whose meaning comes from lines above it:
the values of a `credentials:` section whose header lies above the window, or a key body whose
BEGIN and END lines lie outside it. `overlay` adds what the whole document's blocks
(`secret_blocks.find_blocks`) say about each window line, where that line still equals the
document's line at the same place (the document may have changed since the window was cut:
then the window keeps its own redaction, never less).
"""

from __future__ import annotations

from collections.abc import Sequence

from .secret_blocks import SecretBlocks
from .secrets import REDACTED, Redactor, Span, apply_spans


def overlay(
    redactor: Redactor,
    doc_lines: Sequence[str],
    blocks: Sequence[Span],
    kind: str,
    first_line: int,
    raw: tuple[str, str],
    redacted: tuple[str, str],
) -> tuple[str, str]:
    """`redacted` (the window's prefix and suffix, each redacted on its own) with the secrets the
    document's `blocks` find on its lines too. `raw` is the window's text: document lines from
    `first_line`, split at the cursor."""
    if not blocks:
        return redacted
    prefix, suffix = raw[0].split("\n"), raw[1].split("\n")
    out_prefix, out_suffix = redacted[0].split("\n"), redacted[1].split("\n")
    if len(out_prefix) != len(prefix) or len(out_suffix) != len(suffix):
        return redacted
    cursor = first_line + len(prefix) - 1

    def hidden(d: int, text: str, local: str, offset: int = 0) -> str:
        if not 0 <= d < len(doc_lines) or not _touched(blocks, d):
            return local
        spans = redactor.line_spans(doc_lines, d, kind, blocks)
        found = apply_spans(text, spans, offset)
        if local == text or local == found:
            return found
        return _whole(text)  # both found something different: hide all of it

    whole_line = prefix[-1] + suffix[0]
    for j in range(len(prefix) - 1):
        if _same(doc_lines, first_line + j, prefix[j]):
            out_prefix[j] = hidden(first_line + j, prefix[j], out_prefix[j])
    if _same(doc_lines, cursor, whole_line):
        out_prefix[-1] = hidden(cursor, prefix[-1], out_prefix[-1])
        out_suffix[0] = hidden(cursor, suffix[0], out_suffix[0], len(prefix[-1]))
    for k in range(1, len(suffix)):
        if _same(doc_lines, cursor + k, suffix[k]):
            out_suffix[k] = hidden(cursor + k, suffix[k], out_suffix[k])
    return "\n".join(out_prefix), "\n".join(out_suffix)


def _same(doc_lines: Sequence[str], d: int, text: str) -> bool:
    return 0 <= d < len(doc_lines) and doc_lines[d].rstrip("\r") == text


def _touched(blocks: Sequence[Span], d: int) -> bool:
    if isinstance(blocks, SecretBlocks):
        return blocks.covers(d) or bool(blocks.line_spans(d))
    return any(a <= d <= b for a, b in blocks)


def _whole(text: str) -> str:
    indent = len(text) - len(text.lstrip(" \t"))
    return text[:indent] + REDACTED if text[indent:].strip() else text
