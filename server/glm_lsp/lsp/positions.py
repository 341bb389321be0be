"""Client positions ↔ code points: the one place that knows the negotiated position encoding.

The editor counts columns in UTF-16 units (LSP's default), UTF-8 bytes or UTF-32 code points,
as agreed at ``initialize``; everything below ``glm_lsp.lsp`` counts code points. Lines are
split on ``\\n`` alone, as LSP positions count them.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import Workspace

from glm_lsp.edits.text import Pos, line_text, offset_of

__all__ = [
    "client_position",
    "code_point_column",
    "code_point_position",
    "encoding_of",
    "to_client",
    "to_offset",
    "units",
]


def encoding_of(workspace: Workspace) -> str:
    """The negotiated position encoding: ``utf-8``, ``utf-16`` or ``utf-32``."""
    return str(workspace.position_encoding or "utf-16")


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the client's position units (``utf-8``, ``utf-16``, ``utf-32``)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def code_point_column(line: str, count: int, encoding: str) -> int:
    """The code-point column ``count`` client units into ``line`` (clamped to the line)."""
    if encoding == "utf-32" or line.isascii():
        return max(0, min(count, len(line)))
    seen = 0
    for index, char in enumerate(line):
        if seen >= count:
            return index
        seen += units(char, encoding)
    return len(line)


def to_offset(text: str, line: int, character: int, encoding: str) -> int:
    """Offset in ``text`` of a client position."""
    return offset_of(text, (line, code_point_column(line_text(text, line), character, encoding)))


def client_position(text: str, pos: Pos, encoding: str) -> tuple[int, int]:
    """A code-point position in ``text`` as (line, client units)."""
    line, column = pos
    return line, units(line_text(text, line)[:column], encoding)


def to_client(text: str, pos: Pos, encoding: str) -> types.Position:
    """A code-point position in ``text`` as a client position."""
    line, character = client_position(text, pos, encoding)
    return types.Position(line=line, character=character)


def code_point_position(
    workspace: Workspace, uri: str, line: int, character: int
) -> tuple[int, int]:
    """A client position in the open document ``uri`` as code points (unchanged when the
    document is not open or the line is past its end)."""
    doc = workspace.text_documents.get(uri)
    if doc is None:
        return line, character
    text = doc.source
    if line > text.count("\n"):
        return line, character
    return line, code_point_column(line_text(text, line), character, encoding_of(workspace))
