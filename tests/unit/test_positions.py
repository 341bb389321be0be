"""lsp/positions.py: the one conversion between the editor's position units and code points."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from glm_lsp.lsp.positions import code_point_position, to_client, to_offset

TEXT = "first\na😀b = 'é'\nlast"


@pytest.mark.parametrize(
    ("encoding", "after_emoji"),
    [("utf-16", 3), ("utf-8", 5), ("utf-32", 2)],
)
def test_client_columns_round_trip_through_code_points(encoding: str, after_emoji: int) -> None:
    """Ensure the column after an astral character is read and written in the negotiated
    units, and every code-point position of the text survives the round trip."""
    offset = to_offset(TEXT, 1, after_emoji, encoding)
    assert TEXT[offset] == "b"
    for index in range(len(TEXT) + 1):
        line = TEXT.count("\n", 0, index)
        column = index - (TEXT.rfind("\n", 0, index) + 1)
        client = to_client(TEXT, (line, column), encoding)
        assert to_offset(TEXT, client.line, client.character, encoding) == index


def test_open_document_positions_use_the_negotiated_encoding() -> None:
    """Ensure a position in an open document converts with the workspace's encoding, and one
    past its end (or in a document not open) is left as it came."""
    workspace = Workspace(None, position_encoding="utf-8")
    item = types.TextDocumentItem(uri="file:///a.py", language_id="python", version=1, text=TEXT)
    workspace.put_text_document(item)
    assert code_point_position(workspace, "file:///a.py", 1, 5) == (1, 2)
    assert code_point_position(workspace, "file:///a.py", 9, 5) == (9, 5)
    assert code_point_position(workspace, "file:///other.py", 1, 5) == (1, 5)
