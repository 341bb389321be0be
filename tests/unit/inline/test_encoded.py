"""Answers sent in an encoding (JSON wrapper, escaped line breaks, line numbers, entities)."""

from __future__ import annotations

from glm_lsp.inline import Hole, StreamStop, analyze
from glm_lsp.inline.encoded import decoded

FILLER = [f"value_{i} = {i}" for i in range(30)]


def _hole(lines: list[str], line: int, character: int, language: str) -> Hole:
    return analyze(lines, line, character, language=language)


def _blank_python() -> Hole:
    return _hole([*FILLER, "def f(x):", "    ", "    return x"], 31, 4, "python")


def test_json_wrapper_gives_its_string_value() -> None:
    """A compact object with any key, beside short labels, gives its string value."""
    hole = _blank_python()
    assert decoded('{"fill": "y = x + 1"}', hole) == "y = x + 1"
    assert decoded('{"answer": "y = 1", "language": "python"}', hole) == "y = 1"


def test_pretty_json_wrapper_with_escapes() -> None:
    """A pretty object's value is decoded with its escapes (line breaks, quotes)."""
    hole = _blank_python()
    text = '{\n  "completion": "y = \\"a\\"\\n    return y"\n}'
    assert decoded(text, hole) == 'y = "a"\n    return y'


def test_cut_json_wrapper_gives_what_arrived() -> None:
    """An object cut inside its value gives the part that arrived; cut before it, nothing."""
    hole = _blank_python()
    assert decoded('{"text": "y = x +', hole) == "y = x +"
    assert decoded('{"text"', hole) == ""


def test_object_literal_of_the_code_stays() -> None:
    """A one-line dict where the code takes an expression (`config = |`) is code."""
    hole = _hole([*FILLER, "config = "], 30, 9, "python")
    assert decoded('{"name": "demo"}', hole) == '{"name": "demo"}'


def test_json_file_stays() -> None:
    """In a JSON file an object is the document's own text."""
    hole = _hole(["[", "  ", "]"], 1, 2, "json")
    assert decoded('{"text": "x"}', hole) == '{"text": "x"}'


def test_escaped_line_breaks_outside_strings() -> None:
    """A one-line answer whose `\\n` and `\\t` stand between statements becomes lines."""
    hole = _blank_python()
    assert decoded("y = 1\\n    z = 2\\n\\treturn z", hole) == "y = 1\n    z = 2\n\treturn z"


def test_escapes_inside_string_literals_stay() -> None:
    """`printf("a\\n")` keeps its escape; only the one between lines is a line break."""
    hole = _hole(["int main(void) {", "    ", "}"], 1, 4, "c")
    assert decoded('printf("a\\n");', hole) == 'printf("a\\n");'
    assert decoded('printf("a\\n");\\n    return 0;', hole) == 'printf("a\\n");\n    return 0;'


def test_escape_after_a_comment_apostrophe() -> None:
    """A quote inside a line comment opens no string: the break after it is decoded."""
    hole = _blank_python()
    assert decoded("y = 1  # don't\\n    return y", hole) == "y = 1  # don't\n    return y"


def test_numbered_listing_loses_its_marks() -> None:
    """Consecutive numbers in one mark style (`32 | `, `L32: `, `32. `) are removed."""
    hole = _blank_python()
    assert decoded("32 | y = 1\n33 |     return y", hole) == "y = 1\n    return y"
    assert decoded("L32: y = 1\nL33:\nL34:     return y", hole) == "y = 1\n\n    return y"
    assert decoded("  32      y = 1\n  33      z = 2", hole) == "    y = 1\n    z = 2"


def test_numbered_rest_of_the_cursor_line() -> None:
    """After code on the cursor line, the first line is its rest and the next ones numbered."""
    hole = _hole([*FILLER, "total = add(", "print(total)"], 30, 12, "python")
    assert decoded("a, b)\n32: print(a)", hole) == "a, b)\nprint(a)"


def test_code_lines_starting_with_numbers_stay() -> None:
    """A Lua table or C array whose lines start with numbers is code, not a listing."""
    lua = _hole([*FILLER, "local t = {", "  ", "}"], 31, 2, "lua")
    assert decoded("1, 2,\n  3, 4,", lua) == "1, 2,\n  3, 4,"
    c = _hole([*FILLER, "int a[] = {", "    ", "};"], 31, 4, "c")
    assert decoded("10,  20,\n    30,", c) == "10,  20,\n    30,"


def test_small_numbers_far_above_stay() -> None:
    """`0: "a"` lines of a dict far down a file do not read as a listing of its first lines."""
    hole = _hole([*FILLER, "names = {", "    ", "}"], 31, 4, "python")
    assert decoded('0: "a",\n    1: "b",', hole) == '0: "a",\n    1: "b",'


def test_entities_are_decoded() -> None:
    """Named and numeric entities (`&lt;`, `&#60;`, `&#x3C;`, `&quot;`) become characters."""
    hole = _blank_python()
    assert decoded("if x &lt; 1 &amp;&amp; y &gt; 2:", hole) == "if x < 1 && y > 2:"
    assert decoded("a &#60; b &#x3C; c", hole) == "a < b < c"
    assert decoded("print(&quot;hi&quot;)", hole) == 'print("hi")'


def test_entities_in_a_window_that_writes_them_stay() -> None:
    """In a file that writes `&lt;` itself (HTML, JSX text) the answer's entities are its text."""
    lines = ["<p>a &lt; b</p>", "<p>", "</p>"]
    hole = _hole(lines, 1, 3, "html")
    assert decoded("x &lt; y", hole) == "x &lt; y"


def test_entities_beside_raw_characters_stay() -> None:
    """An answer that writes `<` itself and an entity in a string is code about entities."""
    hole = _blank_python()
    text = 'return s.replace("<", "&lt;")'
    assert decoded(text, hole) == text


def test_stream_waits_for_a_json_wrapper_to_close() -> None:
    """The single-line stream does not stop at the `{` line of a pretty JSON wrapper."""
    hole = _hole([*FILLER, "name = "], 30, 7, "python")
    stop = StreamStop(hole)
    closed = False
    for piece in ('{\n  "', 'text": "get_name()"', "\n}", "\nmore"):
        closed = stop.feed(piece)
        if closed:
            break
    assert closed
    assert stop.text == '{\n  "text": "get_name()"\n}'


def test_escape_inside_a_regular_expression_stays() -> None:
    """`text.split(/\\n/)` keeps its escape: it stands inside a regular expression literal."""
    hole = _hole(["function f(text) {", "  ", "}"], 1, 2, "javascript")
    assert decoded("return text.split(/\\n/);", hole) == "return text.split(/\\n/);"


def test_pretty_json_wrapper_in_a_string() -> None:
    """In a string a wrapper written over lines is no string content: its value is the answer,
    and the stream is not cut at its `{` line."""
    hole = _hole(['echo "', 'done"'], 0, 6, "shellscript")
    text = '{\n  "insertText": "$comps"\n}'
    assert decoded(text, hole) == "$comps"
    stop = StreamStop(hole)
    for piece in ("{\n", '  "insertText": "$comps"\n', "}\n", "more"):
        if stop.feed(piece):
            break
    assert stop.text == text


def test_one_line_object_in_a_string_is_content_where_the_code_writes_json() -> None:
    """In a string, a one-member object on one line is the string's JSON text where the code
    around writes objects with quoted keys; where it writes none, it is the model's wrapper."""
    writes_json = ['payload = {"id": 1}', "body = '", "'"]
    assert decoded('{"text": "x"}', _hole(writes_json, 1, 8, "python")) == '{"text": "x"}'
    hole = _hole(['echo "', 'done"'], 0, 6, "shellscript")
    assert decoded('{"text": "x"}', hole) == "x"


def test_one_member_wrapper_as_an_argument_gives_its_value() -> None:
    """At an argument (`shared(|)`, `def clear(|)`) of code that never quotes a key, a
    one-member object on one line is the wrapper; where the code quotes keys it stays."""
    hole = _hole([*FILLER, "    def clear():"], 30, 14, "python")
    assert decoded('{"content": "_"}', hole) == "_"
    quoting = _hole(['opts = {"a": 1}', "run()"], 1, 4, "python")
    assert decoded('{"content": "_"}', quoting) == '{"content": "_"}'


def test_entity_for_the_string_quote_is_decoded_in_a_string() -> None:
    """In a string, entities decode when the decoded answer writes the string's own quote
    (the entity stood for the string's end); a string's text with entities stays."""
    hole = _hole([*FILLER, 'label = f"{name}, /*'], 30, 20, "python")
    assert decoded(" m_slots */&quot;)", hole) == ' m_slots */")'
    assert decoded("Tom &amp; Jerry", hole) == "Tom &amp; Jerry"


def test_address_of_before_a_semicolon_is_no_entity() -> None:
    """C's `&x;` in the window is no HTML entity: the answer's `&quot;` still decodes, and an
    answer `p = &in;` stays as it is."""
    lines = ["int main(void) {", "    int *p = &x;", "    ", "}"]
    hole = _hole(lines, 2, 4, "c")
    assert decoded("puts(&quot;a&quot;);", hole) == 'puts("a");'
    assert decoded("p = &in;", hole) == "p = &in;"


def test_multi_line_object_literal_of_the_code_stays() -> None:
    """A dict of several members written over lines at `data = |` is the code's own object."""
    hole = _hole([*FILLER, "data = ", ""], 30, 7, "python")
    text = '{\n    "name": "demo",\n    "version": "1.0"\n}'
    assert decoded(text, hole) == text


def test_listing_with_arrow_marks_and_escaped_crlf() -> None:
    """An editor tool's listing (`32→code`) loses its numbers; a one-line answer with escaped
    CRLF line breaks (`\\r\\n`) becomes lines without carriage returns."""
    hole = _blank_python()
    assert decoded("    32→    y = 1\n    33→    return y", hole) == "    y = 1\n    return y"
    assert decoded("y = 1\\r\\n    return y", hole) == "y = 1\n    return y"


def test_no_break_spaces_become_spaces() -> None:
    """No-break spaces of an HTML rendering (`&nbsp;` or the character) are plain spaces where
    the window writes none."""
    hole = _blank_python()
    assert decoded("y\u00a0= 1", hole) == "y = 1"
    assert decoded("y&nbsp;= 1", hole) == "y = 1"
    kept = _hole(["s = 'a\u00a0b'", "t = "], 1, 4, "python")
    assert decoded("'c\u00a0d'", kept) == "'c\u00a0d'"


def test_cut_wrapper_in_a_string_of_code_that_writes_no_json() -> None:
    """In a string where the window quotes no key, a wrapper cut before its value or its key
    shows what arrived of the value, or nothing."""
    hole = _hole(['echo "', 'done"'], 0, 6, "shellscript")
    assert decoded('{"text": "', hole) == ""
    assert decoded('{\n  "', hole) == ""


def test_escaped_lines_after_a_c_comment_closer() -> None:
    """C's `*/` is no regular-expression slash: the breaks after it are decoded."""
    hole = _hole(["int main(void) {", "    ", "}"], 1, 4, "c")
    assert decoded(" */\\nint x;\\nint y;", hole) == " */\nint x;\nint y;"
