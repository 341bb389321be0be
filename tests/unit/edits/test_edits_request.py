"""Command arguments, diagnostics for prompts, the local file window and client units."""

from __future__ import annotations

import pytest

from glm_lsp.edits.answer import Shape
from glm_lsp.edits.request import local_window
from glm_lsp.edits.text import line_text
from glm_lsp.lsp.arguments import diagnostic_notes, parse_diagnostics
from glm_lsp.lsp.arguments import parse_range_args as parse_args
from glm_lsp.lsp.positions import code_point_column, units

RANGE = {"start": {"line": 1, "character": 0}, "end": {"line": 3, "character": 0}}


def test_parse_args_accepts_the_protocol_shape() -> None:
    """Ensure {uri, range, instruction, diagnostics} is read, with a reversed range put right."""
    raw = {
        "uri": "file:///a.py",
        "range": {"start": RANGE["end"], "end": RANGE["start"]},
        "instruction": "rename x",
        "diagnostics": [{"message": "m", "range": RANGE}],
    }
    args = parse_args(raw, needs_instruction=True)
    assert (args.uri, args.start, args.end) == ("file:///a.py", (1, 0), (3, 0))
    assert args.instruction == "rename x"
    assert len(args.diagnostics) == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "one object argument"),
        ({"range": RANGE}, "uri is missing"),
        ({"uri": "file:///a"}, "range is missing"),
        ({"uri": "file:///a", "range": {"start": {"line": -1, "character": 0}}}, "range.start"),
        ({"uri": "file:///a", "range": RANGE, "diagnostics": "x"}, "diagnostics"),
    ],
)
def test_parse_args_names_what_is_wrong(raw: object, message: str) -> None:
    """Ensure a bad argument gives a ValueError naming the problem."""
    with pytest.raises(ValueError, match=message):
        parse_args(raw)


def test_edit_needs_an_instruction() -> None:
    """Ensure glm.edit without an instruction is refused."""
    with pytest.raises(ValueError, match="instruction"):
        parse_args(
            {"uri": "file:///a", "range": RANGE, "instruction": "  "}, needs_instruction=True
        )


def test_diagnostic_notes_are_ordered_and_labelled() -> None:
    """Ensure diagnostics become notes with severity names, sources and codes, by line."""
    notes = diagnostic_notes(
        parse_diagnostics(
            [
                {"message": "b", "range": {"start": {"line": 7, "character": 0}}, "severity": 2},
                {"message": "a ", "range": RANGE, "source": "ruff", "code": 401},
                {"message": "no range"},
            ]
        )
    )
    assert [n.render() for n in notes] == ["line 2: error: a (ruff 401)", "line 8: warning: b"]


def test_local_window_keeps_whole_lines_within_limits() -> None:
    """Ensure the window takes N lines above and below the range, capped in characters."""
    text = "".join(f"line {i}\n" for i in range(10))
    start, end = text.index("line 5"), text.index("line 6")
    prefix, suffix = local_window(text, start, end, before=2, after=1)
    assert prefix == "line 3\nline 4\n"
    assert suffix == "line 6\n"
    prefix, _ = local_window(text, start, end, before=50, max_chars=10)
    assert prefix == text[start - 10 : start]


def test_client_units_for_each_encoding() -> None:
    """Ensure code-point columns convert to and from UTF-8, UTF-16 and UTF-32 units."""
    line = "a😀b"
    assert [units(line[:2], e) for e in ("utf-8", "utf-16", "utf-32")] == [5, 3, 2]
    assert code_point_column(line, 3, "utf-16") == 2
    assert code_point_column(line, 5, "utf-8") == 2
    assert code_point_column(line, 9, "utf-32") == 3
    assert line_text("x\ny\n", 1) == "y"
    assert line_text("x", 4) == ""


def test_insertion_shape_adds_whole_lines() -> None:
    """Ensure an answer for an empty range at a line start is inserted as whole lines."""
    assert Shape.of("", starts_line=True).fit("def f():\n    pass") == "def f():\n    pass\n"
    assert Shape.of("", starts_line=False).fit("x + 1\n") == "x + 1"
