"""LineDocument holds exactly the text pygls' own TextDocument would, edit after edit."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument, Workspace

from glm_lsp.lsp.docstore import DocumentNotOpenError, LineDocument, LineWorkspace
from glm_lsp.text import well_formed

URI = "file:///tmp/doc.py"
ENCODINGS = [
    types.PositionEncodingKind.Utf16,
    types.PositionEncodingKind.Utf8,
    types.PositionEncodingKind.Utf32,
]

# Pieces that stress line splitting and position encodings: CRLF, lone CR, multi-byte
# (2, 3 and 4 utf-8 bytes; the last a surrogate pair in utf-16), exotic line breaks.
PIECES = ["a", "bc", " ", "\n", "\r\n", "\r", "é", "€", "😀", "𝄞x", "\u2028", "\x0c", "\t"]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
positions = st.builds(
    types.Position, line=st.integers(min_value=0, max_value=8), character=st.integers(0, 12)
)
partial = st.builds(
    lambda a, b, text: types.TextDocumentContentChangePartial(
        range=types.Range(start=min(a, b, key=_key), end=max(a, b, key=_key)), text=text
    ),
    positions,
    positions,
    texts,
)
changes = st.one_of(
    partial, partial, partial, st.builds(types.TextDocumentContentChangeWholeDocument, text=texts)
)


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def _pair(text: str, encoding: str) -> tuple[TextDocument, LineDocument]:
    theirs = TextDocument(URI, text, position_codec=PositionCodec(encoding))
    ours = LineDocument(URI, text, position_codec=PositionCodec(encoding))
    return theirs, ours


def _assert_same(theirs: TextDocument, ours: LineDocument) -> None:
    assert ours.source == theirs.source
    assert list(ours.lines) == list(theirs.lines)
    assert ours.newlines == theirs.source.count("\n")


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    text=texts,
    edits=st.lists(changes, max_size=8),
    encoding=st.sampled_from(ENCODINGS),
)
def test_random_edit_sequences_match_pygls(
    text: str, edits: list[types.TextDocumentContentChangeEvent], encoding: str
) -> None:
    """Any sequence of incremental and full changes, in any encoding, leaves the same text."""
    theirs, ours = _pair(text, encoding)
    for change in edits:
        # pygls' codec clamps a position by writing into it: each side gets its own copy.
        theirs.apply_change(copy.deepcopy(change))
        ours.apply_change(copy.deepcopy(change))
        _assert_same(theirs, ours)


def _edit(sl: int, sc: int, el: int, ec: int, text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
        ),
        text=text,
    )


CASES = {
    "delete across CRLF lines": ("ab\r\ncd\r\nef", _edit(0, 1, 2, 1, "")),
    "join lone CR with LF": ("a\rb\nc", _edit(1, 0, 1, 1, "")),
    "insert LF after CR": ("a\rb", _edit(1, 0, 1, 0, "\n")),
    "split a surrogate-pair line": ("x😀y\nz", _edit(0, 3, 0, 3, "\n")),
    "append at the very end": ("a\nb\n", _edit(2, 0, 2, 0, "tail")),
    "past the last line": ("a\nb", _edit(9, 9, 9, 9, "!")),
    "past the end of a line": ("abc\ndef\n", _edit(0, 40, 1, 1, "")),
    "into an empty document": ("", _edit(0, 0, 0, 0, "new\ntext")),
    "delete everything": ("one\ntwo\nthree", _edit(0, 0, 2, 5, "")),
    "reversed range": ("abc\ndef\nghi", _edit(2, 1, 0, 1, "X")),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES)
def test_edge_cases_match_pygls(case: str, encoding: str) -> None:
    """Edits at the ends, across CRLF and surrogate pairs, and odd ranges match pygls."""
    text, change = CASES[case]
    theirs, ours = _pair(text, encoding)
    theirs.apply_change(copy.deepcopy(change))
    ours.apply_change(copy.deepcopy(change))
    _assert_same(theirs, ours)


def test_unknown_uri_is_never_read_from_disk(tmp_path: object) -> None:
    """A change to a document never opened is ignored; asking for it is a clear error."""
    workspace = LineWorkspace.adopt(Workspace(None))
    stdin = types.VersionedTextDocumentIdentifier(uri="file:///dev/stdin", version=2)
    workspace.update_text_document(stdin, _edit(0, 0, 0, 0, "x"))
    assert workspace.text_documents == {}
    with pytest.raises(DocumentNotOpenError, match="not open"):
        workspace.get_text_document("file:///dev/stdin")


def test_adopted_workspace_keeps_open_documents_and_encoding() -> None:
    """Adopting pygls' workspace keeps its documents (as line documents) and its encoding."""
    plain = Workspace(None, position_encoding=types.PositionEncodingKind.Utf8)
    plain.put_text_document(
        types.TextDocumentItem(uri=URI, language_id="python", version=3, text="é = 1\n")
    )
    workspace = LineWorkspace.adopt(plain)
    doc = workspace.get_text_document(URI)
    assert isinstance(doc, LineDocument)
    assert (doc.version, doc.language_id, doc.source) == (3, "python", "é = 1\n")
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=4), _edit(0, 2, 0, 2, "x")
    )
    assert (doc.version, doc.source) == (4, "éx = 1\n")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_lone_surrogates_become_replacement_characters_in_place(encoding: str) -> None:
    """Document text with lone surrogates is stored with U+FFFD in their place, and edits
    after them land in the same column as in pygls' own (unsanitised) document."""
    text = "a\ud800b\n\udfffc😀\n"
    theirs, ours = _pair(text, encoding)
    change = _edit(1, 4, 1, 4, "!\udc00")
    theirs.apply_change(copy.deepcopy(change))
    ours.apply_change(copy.deepcopy(change))
    assert ours.source == well_formed(theirs.source)
    assert ours.source.count("\ufffd") == 3
    ours.source.encode("utf-8")


def test_well_formed_keeps_valid_text_as_it_is() -> None:
    """Valid text (ASCII, multi-byte, astral) is returned unchanged, the same object."""
    for text in ("plain", "é€😀", ""):
        assert well_formed(text) is text


def test_text_window_is_a_slice_of_the_plain_lines() -> None:
    """A window is the text of the asked lines; none for the whole document or for a
    document whose line breaks pygls counts differently from a newline split."""
    doc = LineDocument(URI, "".join(f"line {n}\r\n" for n in range(10)) + "tail")
    assert doc.text_window(3, 5) == (3, "line 3\r\nline 4\r\n")
    assert doc.text_window(-4, 2) == (0, "line 0\r\nline 1\r\n")
    assert doc.text_window(9, 50) == (9, "line 9\r\ntail")
    assert doc.text_window(0, 11) is None
    assert LineDocument(URI, "a\nb\rc\nd\n").text_window(0, 1) is None
    assert LineDocument(URI, "a\nb\u2028c\nd\n").text_window(0, 1) is None


def test_open_documents_are_found_by_the_uri_the_editor_sent() -> None:
    """A document opened under a percent-encoded URI is found by that URI (pygls keys it
    unquoted), and by the unquoted one; a change under either URI reaches it."""
    workspace = LineWorkspace.adopt(Workspace(None))
    uri = "file:///my%20proj%C3%A9/a.py"
    workspace.put_text_document(
        types.TextDocumentItem(uri=uri, language_id="python", version=1, text="x\n")
    )
    doc = workspace.text_documents.get(uri)
    assert doc is not None and doc is workspace.text_documents["file:///my projé/a.py"]
    assert uri in workspace.text_documents
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2), _edit(0, 1, 0, 1, "y")
    )
    assert workspace.get_text_document(uri).source == "xy\n"
    workspace.remove_text_document(uri)
    assert workspace.text_documents.get(uri) is None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    lines=st.lists(st.sampled_from(["", "a", "bc", "é😀", "x\r"]), max_size=30),
    ending=st.sampled_from(["", "\n"]),
    first=st.integers(0, 35),
    size=st.integers(0, 12),
)
def test_inline_window_lines_match_a_split_of_the_whole_text(
    lines: list[str], ending: str, first: int, size: int
) -> None:
    """The lines ghost text reads around the cursor are the lines a newline split of the
    whole text gives, read from a window when the document is large enough for one."""
    from glm_lsp.lsp.features.inline import _lines_between

    text = "\n".join(lines) + ending
    doc = LineDocument(URI, text)
    assert _lines_between(doc, first, first + size) == text.split("\n")[first : first + size]
