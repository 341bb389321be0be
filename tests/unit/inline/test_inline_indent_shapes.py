"""Indentation repairs read from the shape of the answer and the document, not from phrasings."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess

JAVA = [
    "class Rates {",
    "    boolean valid(int[] parts) {",
    "        int unused = 0;",
    "    }",
    "",
    "    boolean positive(int[] parts) {",
    "    }",
    "}",
]


def _shown(lines: list[str], line: int, character: int, language: str, raw: str) -> str | None:
    hole = analyze(lines, line, character, language=language)
    stop = StreamStop(hole)
    for start in range(0, len(raw), 4):
        if stop.feed(raw[start : start + 4]):
            break
    return postprocess(stop.finish("stop"), hole)


def test_continuation_line_keeps_its_alignment_when_only_the_first_line_was_shifted() -> None:
    """The first line moves to the body column; the line under it, already aligned with the
    open parenthesis of the moved line, stays where it is."""
    raw = "<COMPLETION>\n    return (parts.length == 2 &&\n                parts[0] > 0);"
    shown = _shown(JAVA, 5, 35, "java", raw)
    assert shown == "\n        return (parts.length == 2 &&\n                parts[0] > 0);"


def test_continuation_line_follows_a_whole_block_shift() -> None:
    """When the model shifted every line, the continuation moves with the first line."""
    raw = "<COMPLETION>\n    return (parts.length == 2 &&\n            parts[0] > 0);"
    shown = _shown(JAVA, 5, 35, "java", raw)
    assert shown == "\n        return (parts.length == 2 &&\n                parts[0] > 0);"
