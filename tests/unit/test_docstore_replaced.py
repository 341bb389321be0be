"""LineDocument reports each change it applied with the text it replaced (code points), which
is what the next-edit history records at every ``didChange``."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec
from tests.unit.test_docstore import ENCODINGS, URI, changes, texts

from glm_lsp.lsp.docstore import LineDocument, LineWorkspace
from glm_lsp.lsp.features.documents import trimmed_change


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[:line]) + column


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    text=texts,
    edits=st.lists(changes, max_size=6),
    encoding=st.sampled_from(ENCODINGS),
)
def test_each_replaced_change_turns_the_old_text_into_the_new(
    text: str, edits: list[types.TextDocumentContentChangeEvent], encoding: str
) -> None:
    """Ensure that, for any change in any encoding, the reported (line, column, old, new) is
    exactly the text that was there before and what replaced it: splicing it into the old
    text gives the new text; a change reported as None is one with an unreadable range."""
    doc = LineDocument(URI, text, position_codec=PositionCodec(encoding))
    for change in edits:
        before_lines, before = list(doc.lines), doc.source
        doc.apply_change(copy.deepcopy(change))
        (replaced,) = doc.take_replaced()
        if replaced is None:
            continue
        line, column, old, new = replaced
        start = _offset(before_lines, line, column)
        assert before[start : start + len(old)] == old
        assert before[:start] + new + before[start + len(old) :] == doc.source
    assert doc.take_replaced() == []


def test_changes_of_an_older_version_nobody_took_are_dropped() -> None:
    """Ensure a document keeps only the changes of its latest version: the workspace drops
    what no one took when the next version arrives (no growth when next-edit is off)."""
    workspace = LineWorkspace(None)
    workspace.put_text_document(
        types.TextDocumentItem(uri=URI, language_id="python", version=1, text="ab\n")
    )
    doc = workspace.get_text_document(URI)
    assert isinstance(doc, LineDocument)

    def change(version: int, char: int, text: str) -> None:
        here = types.Position(line=0, character=char)
        workspace.update_text_document(
            types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            types.TextDocumentContentChangePartial(
                range=types.Range(start=here, end=here), text=text
            ),
        )

    change(2, 0, "x")
    change(3, 0, "y")
    change(3, 1, "z")
    assert doc.take_replaced() == [(0, 0, "", "y"), (0, 1, "", "z")]
    assert doc.source == "yzxab\n"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(old=texts, new=texts)
def test_a_whole_document_change_reduces_to_the_lines_it_changed(old: str, new: str) -> None:
    """Ensure ``trimmed_change`` (how a full-text change is fed to the next-edit history)
    gives a replacement at a line start that turns the old text into the new one, and keeps
    no line both texts share at their start or end."""
    line, column, removed, added = trimmed_change(old, new)
    lines = old.splitlines(True)
    start = _offset(lines, line, column)
    assert column == 0
    assert old[start : start + len(removed)] == removed
    assert old[:start] + added + old[start + len(removed) :] == new
    removed_lines, added_lines = removed.splitlines(True), added.splitlines(True)
    if removed_lines and added_lines:
        assert removed_lines[0] != added_lines[0]
        assert removed_lines[-1] != added_lines[-1]
