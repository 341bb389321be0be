"""Markup tags a model leaves around its code (`inline/stray_tags.py`): a closer of any name
ending the answer's line, an opener of the same name starting it or alone on its first line;
and the tags the file can hold, which stay.

Each raw answer streams through the whole pipeline in small pieces. The strings were written
for these tests in the shapes chat models produce; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.stray_tags import MARKUP, tag_names, without_stray_tags

PY_CALL = "def area(r):\n    return math.pi * ║\n"
LUA_VALUE = "local function next_index(self)\n  return ║\nend\n"
GO_BODY = "func run() error {\n\tif err := ║; err != nil {\n\t\treturn err\n\t}\n}\n"
C_BODY = "int main(void) {\n\t║\n\treturn 0;\n}\n"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        (PY_CALL, "python", "r ** 2</code>", "r ** 2"),
        (PY_CALL, "python", "<COMPLETION>r ** 2 </pre>", "r ** 2"),
        (PY_CALL, "python", "r ** 2</samp></div>", "r ** 2"),
        (LUA_VALUE, "lua", "self.index + 1</output> Hope this helps.", "self.index + 1"),
        (GO_BODY, "go", "start()</Code>\n\nThis starts the server.", "start()"),
        (C_BODY, "c", 'puts("ready");</pre>\n\tfflush(stdout);', 'puts("ready");'),
    ],
)
def test_a_closing_tag_the_file_cannot_hold_ends_the_answer(
    document: str, language: str, raw: str, expected: str
) -> None:
    """A closer of a name the window never writes, with no opener in the answer, ending its
    line (or followed by a sentence or another closer): the answer ends before it."""
    assert shown(document, language, raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "<code>r ** 2</code>",
        "<pre>\nr ** 2\n</pre>",
        "<pre><code>r ** 2</code></pre>",
        '<pre><code class="language-python">\nr ** 2\n</code></pre>',
        "<output>r ** 2",
    ],
)
def test_an_opening_tag_of_the_same_kind_goes_with_it(raw: str) -> None:
    """An opener of an unknown name starting the answer (nested ones too: `<pre><code>`) goes
    when its closer is debris, or when it stands alone on the first line; `<output>r ** 2`
    with neither is left as it is (a comparison or a generic may start so)."""
    expected = raw if raw.startswith("<output>") else "r ** 2"
    assert without_stray_tags(raw, frozenset(), "python")[0].strip() == expected


def test_a_stray_closer_inside_a_char_literal_that_never_closes_goes() -> None:
    """`'\\0 </pre>`: the quote never closes on the line, so the tag is no string content."""
    text, done = without_stray_tags("{ VK_HOME, '\\0 </pre>", frozenset(), "cpp")
    assert (text, done) == ("{ VK_HOME, '\\0", True)


@pytest.mark.parametrize(
    ("text", "known", "language"),
    [
        ('label = "</b>" + name', frozenset(), "python"),
        ("html += '<li>' + item + '</li>'", frozenset(), "javascript"),
        ("  </Modal>", frozenset({"Modal", MARKUP}), "typescriptreact"),
        ("  </section>", frozenset({"div", MARKUP}), "javascript"),
        ("return x;</div>", frozenset({"div"}), "java"),
        ("List<String> names = new ArrayList<>();", frozenset(), "java"),
        ("vector<int> v;", frozenset(), "cpp"),
        ('map("<C-n>", next)', frozenset(), "lua"),
    ],
)
def test_tags_the_file_can_hold_stay(text: str, known: frozenset[str], language: str) -> None:
    """A closer inside a string closed after it, one opened in the answer, one of a name the
    window writes, any tag of a markup language in a window with markup, generics and key
    names in strings: all stay."""
    assert without_stray_tags(text, known, language) == (text, False)


def test_tag_names_reads_elements_generics_and_markup() -> None:
    """`tag_names` collects every name after `<` or `</` (a comparison's too), and MARKUP for
    real markup (a closer, a self-closing tag, an element not glued to a name), never for a
    generic alone."""
    assert tag_names("List<String> xs; a < b") == frozenset({"String", "b"})
    assert tag_names("return <div className='x'>{y}</div>;") == frozenset({"div", MARKUP})
    assert MARKUP in tag_names("const a = <Icon />;")
    assert tag_names("x = 1") == frozenset()


@pytest.mark.parametrize(
    "raw",
    ["Here it is:\n<pre>\nr ** 2\n</pre>\nDone.", "Here:\n<code>r ** 2</code>"],
)
def test_markup_around_the_code_after_a_lead_goes(raw: str) -> None:
    """An opener starting a line after a lead sentence, with its closer ending the code: both
    go, and the lead with them."""
    assert shown(PY_CALL, "python", raw) == "r ** 2"


def test_a_generic_alone_on_a_line_inside_code_stays() -> None:
    """`<T>` alone on a line after code (no lead ending in a colon before it): code."""
    text = "a = 1\n    <T>\nb"
    assert without_stray_tags(text, frozenset(), "java") == (text, False)


LUA_LOOP = (
    "local function find(paths)\n  for _, p in ipairs(paths) do\n    if ok(p) then\n"
    "      return p\n    ║\n  end\nend\n"
)
JAVA_IF = "class A {\n  void f(int i) {\n    if║ {\n    }\n  }\n}\n"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        (
            LUA_LOOP,
            "lua",
            "<code>end\n    -- the next lines.\n    table.insert(t, p)</code>",
            "end",
        ),
        (PY_CALL, "python", "<pre>r ** 2", "r ** 2"),
        (PY_CALL, "python", "<samp>r ** 2\n    x = 1", "r ** 2"),
        (JAVA_IF, "java", "<code> (i > 0)</code>", " (i > 0)"),
    ],
)
def test_an_html_code_element_opening_the_answer_goes_before_its_closer(
    document: str, language: str, raw: str, expected: str
) -> None:
    """`<code>`, `<pre>`, `<samp>` opening the answer wrap it even when the single-line stream
    stops before the closer arrives; the spaces inside an inline element are the code's."""
    assert shown(document, language, raw) == expected


def test_a_code_element_inside_a_comment_stays() -> None:
    """In a comment (a Javadoc's `<code>`) the element is the comment's own text."""
    text = "<code>null</code> when absent"
    assert without_stray_tags(text, frozenset(), "java", in_text=True)[0].startswith("<code>")
