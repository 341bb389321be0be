"""Early stop of a streamed answer: the stream is closed as soon as the answer is complete."""

from __future__ import annotations

from glm_lsp.inline.hole import Hole
from glm_lsp.inline.stream_stop import MAX_LINES, StreamStop, repeat_cut
from glm_lsp.inline.trigger import analyze

CURSOR = "║"


def at(document: str, language: str = "python") -> Hole:
    before, after = document.split(CURSOR)
    lines = (before + after).split("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return analyze(lines, before.count("\n"), column, language=language)


def feed_all(stop: StreamStop, deltas: list[str]) -> int:
    """Feed deltas until the stopper says stop; the number of deltas consumed."""
    for count, delta in enumerate(deltas, start=1):
        if stop.feed(delta):
            return count
    return len(deltas)


def test_single_line_stops_at_first_line_break() -> None:
    """Single-line mode closes the stream on the newline after the first content, not later."""
    stop = StreamStop(at("total = ║\n"))
    used = feed_all(stop, ["price", " * qty", "\n", "print(total)", "\n", "more"])
    assert used == 3
    assert stop.done and stop.reason == "single line"
    assert stop.finish() == "price * qty"


def test_single_line_ignores_leading_break_and_tag() -> None:
    """A leading `<COMPLETION>` and line break do not count as the end of the line."""
    stop = StreamStop(at("total = ║\n"))
    used = feed_all(stop, ["<COMP", "LETION>\n", "price", "\n", "junk"])
    assert used == 4
    assert stop.finish().strip() == "price"


def test_partial_tag_is_never_part_of_the_text() -> None:
    """While `<COMP` could still become the tag, nothing of it shows as answer text. The break
    after the tag stays when an indented line follows (the answer starts on a line of its own)."""
    stop = StreamStop(at("def f(x):║\n"))
    stop.feed("<COMP")
    assert stop.text == ""
    stop.feed("LETION>\n    return x")
    assert stop.text == "\n    return x"
    stop.feed("</COMPL")
    assert stop.text == "\n    return x"
    assert stop.feed("ETION>") and stop.reason == "closing tag or fence"
    assert stop.finish() == "\n    return x"


def test_think_block_is_waited_out() -> None:
    """Nothing is answer text while a `<think>` block is open."""
    stop = StreamStop(at("total = ║\n"))
    assert not stop.feed("<think>\nthe user wants\na product\n")
    assert stop.text == ""
    stop.feed("</think>\nprice * qty\n")
    assert stop.done and stop.finish() == "price * qty"


def test_multi_line_stops_at_the_line_below_the_cursor() -> None:
    """Block mode closes the stream when the model starts repeating the code after the hole."""
    hole = at("def f(x):\n    ║\n\ndef g():\n    return 2\n")
    stop = StreamStop(hole)
    used = feed_all(stop, ["y = x * 2\n", "    return y\n", "\n", "def g():\n", "    return 2\n"])
    assert used == 4 and stop.reason == "line below the cursor"
    assert stop.finish().rstrip() == "y = x * 2\n    return y"


def test_short_line_at_another_column_does_not_stop() -> None:
    """`}` inside the answer at a deeper column is not the `}` below the cursor."""
    hole = at("function f() {║\n}\n", "javascript")
    stop = StreamStop(hole)
    assert not stop.feed("\n  if (a) {\n    go();\n  }\n")
    assert stop.feed("}\n") and stop.reason == "line below the cursor"
    assert stop.finish() == "\n  if (a) {\n    go();\n  }"


def test_repeated_line_stops_the_stream() -> None:
    """The third copy of the same line closes the stream; one copy is kept."""
    stop = StreamStop(at("def f():\n    ║\n"))
    used = feed_all(stop, ["tick()\n"] + ["    tick()\n"] * 6)
    assert used == 3 and stop.reason == "repetition"
    assert stop.finish() == "tick()"


def test_closing_fence_ends_the_answer() -> None:
    """A closing markdown fence means the answer is complete."""
    stop = StreamStop(at("def f(x):\n    ║\n"))
    assert feed_all(stop, ["```python\n", "return x\n", "```", "\nExplanation."]) == 3
    assert stop.finish() == "return x"


def test_line_budget() -> None:
    """Block mode stops after MAX_LINES lines even without another reason."""
    stop = StreamStop(at("def f():\n    ║\n"))
    feed_all(stop, [f"x{n} = {n}\n    " for n in range(MAX_LINES + 5)])
    assert stop.reason == "line budget"
    assert stop.finish().count("\n") == MAX_LINES - 1


def test_finish_without_stop_extracts_the_whole_answer() -> None:
    """When the stream ends on its own, the answer is what arrived, unwrapped."""
    stop = StreamStop(at("def f(x):║\n"))
    feed_all(stop, ["```py", "thon\n", "    return x"])
    assert not stop.done
    assert stop.finish() == "    return x"
    assert stop.done and stop.reason == "end of stream"


def test_feeding_after_stop_changes_nothing() -> None:
    """Deltas that arrive after the stop (before the stream closed) are ignored."""
    stop = StreamStop(at("total = ║\n"))
    feed_all(stop, ["a + b\n"])
    assert stop.feed("more text\n")
    assert stop.finish() == "a + b"


def test_repeat_cut() -> None:
    """Lines or blocks repeated three times are cut after the first copy; two copies and runs
    of closing braces are fine."""
    assert repeat_cut(["go()", "go()", "go()"]) == 1
    assert repeat_cut(["x = 1", "y = 2", "x = 1", "y = 2", "x = 1", "y = 2"]) == 2
    assert repeat_cut(["go()", "go()"]) is None
    assert repeat_cut(["}", "}", "}"]) is None
    assert repeat_cut(["pass", "", "pass", "", "pass"]) is None


def test_a_word_cut_by_the_end_of_the_stream_is_not_shown() -> None:
    """Without the host's word that the answer ended ("stop"), a stream ending inside a word
    the document does not know may have been cut: that word is dropped. A word the document
    uses, or an answer the host ended itself, is kept whole."""
    hole = at("def mean(values):\n    count = len(values)\n    return sum(values) / ║\n")
    cut = StreamStop(hole)
    feed_all(cut, ["<COMPLETION>len(val"])
    assert cut.finish() == "len("
    known = StreamStop(hole)
    feed_all(known, ["count"])
    assert known.finish() == "count"
    ended = StreamStop(hole)
    feed_all(ended, ["len(val"])
    assert ended.finish("stop") == "len(val"


def test_a_repeat_cut_by_the_end_of_the_stream_shows_nothing() -> None:
    """A stream that ends inside a repeat of the line above (or of the cursor line) shows
    nothing of it; after a cut word, what repeats the start of the text after the cursor goes."""
    hole = at("function area(r) {\n  const square = r * r;\n  return ║\n}\n", "javascript")
    echo = StreamStop(hole)
    feed_all(echo, ["<COMPLETION>  const squ"])
    assert echo.finish() == ""
    call = StreamStop(at("def load(path):\n    return open(║, 'rb')\n"))
    feed_all(call, ["<COMPLETION>path, 'r"])
    assert call.finish() == "path"


def test_block_mode_repeat_of_the_line_above_is_not_the_line_below() -> None:
    """In block mode a leading repeat of the `}` above the cursor does not close the stream
    even though the line below the cursor is a `}` too."""
    hole = at("function a() {\n  return 1;\n}\nfunction b() {║\n}\n", "javascript")
    stop = StreamStop(hole)
    used = feed_all(stop, ["}\n", "function b() {\n", "  return 2;\n", "}\n", "more"])
    assert stop.reason == "line below the cursor" and used == 4
    assert stop.finish() == "}\nfunction b() {\n  return 2;"
