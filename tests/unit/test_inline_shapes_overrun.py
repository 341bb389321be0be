"""Block answers that run past the hole: a closer the document already has, a repeat of lines
above that never reaches the cursor. Real code, through the whole pipeline."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

from glm_lsp.inline import StreamStop, analyze, postprocess

WEBROWSET_JAVA = [
    "public class WebRowSetImpl extends CachedRowSetImpl {",
    "    /**",
    "    * Writes this rowset in XML format.",
    "    */",
    "    public void writeXml(ResultSet rs, java.io.Writer writer)",
    "        throws SQLException {",
    "    }",
    "",
    "    public void readXml(java.io.Reader reader) throws SQLException {",
    "        xmlReader.readXML(this, reader);",
    "    }",
    "}",
]


def test_closer_echoed_from_the_suffix_at_another_column_is_cut() -> None:
    """The method's `}` is already the next line; the model's own `}` (written at column 0)
    would close the class: the body is shown without it."""
    raw = "<COMPLETION>\n            this.populate(rs);\n            this.writeXml(writer);\n}"
    shown = _shown(WEBROWSET_JAVA, 5, 29, "java", raw)
    assert shown == "\n            this.populate(rs);\n            this.writeXml(writer);"


NEW_BLOCK_JS = [
    "function check(opts) {",
    "  const seen = new Set();",
    "  if (typeof opts !== 'object') {",
    "}",
]


def test_closer_of_a_block_the_document_does_not_close_is_kept() -> None:
    """A block just typed (`if (...) {` above the function's `}`): the answer's `}` closes it
    and is kept."""
    raw = "<COMPLETION>\n    throw new TypeError('opts must be an object');\n  }"
    shown = _shown(NEW_BLOCK_JS, 2, 33, "javascript", raw)
    assert shown == "\n    throw new TypeError('opts must be an object');\n  }"


CHANGETRACKING_LUA = [
    "local function next_debounce(debounce, buf_state)",
    "  if debounce == 0 then",
    "    return 0",
    "  end",
    "  local ns_to_ms = 0.000001",
    "  if not buf_state.last_flush then",
    "  end",
    "end",
]


def test_repeat_of_lines_above_cut_before_the_cursor_shows_nothing() -> None:
    """The model restarted from the function header and the stream stopped before it reached
    the cursor: everything it sent is a copy of the lines above, starting left of the block's
    body, so nothing is shown."""
    raw = (
        "<COMPLETION>local function next_debounce(debounce, buf_state)\n"
        "  if debounce == 0 then\n"
        "    return 0"
    )
    assert _shown(CHANGETRACKING_LUA, 5, 34, "lua", raw) is None


def test_code_repeated_in_the_file_written_in_the_body_is_an_answer() -> None:
    """The same two lines appear above (files repeat themselves), written at the body's
    column: that is the answer, not a restart."""
    raw = "<COMPLETION>\n    if debounce == 0 then\n      return 0\n    end"
    assert _shown(CHANGETRACKING_LUA, 5, 34, "lua", raw) == raw[len("<COMPLETION>") :]


def test_short_lines_that_also_appear_above_are_an_answer() -> None:
    """Two short lines that happen to appear above (`return 0` / `end`) identify no place:
    they are judged as code, not dropped as a repeat."""
    raw = "<COMPLETION>\n    return 0"
    assert _shown(CHANGETRACKING_LUA, 5, 34, "lua", raw) == "\n    return 0"


WATCH_LUA = [
    "local function convert(event)",
    "  local change_type",
    "  if event == 'CREATED' then",
    "    change_type = M.FileChangeType.Created",
    "  elseif event == 'MODIFIED' then",
    "    change_type = M.FileChangeType.Changed",
    "  elseif event == 'MOVED_FROM",
    "  end",
    "end",
]


def test_line_above_then_the_cursor_line_cut_short_shows_nothing() -> None:
    """Single-line mode: the model repeated the line above and restarted the cursor line, and
    the stream stopped before the cursor: nothing of it is new."""
    raw = "<COMPLETION>    change_type = M.FileChangeType.Changed\n  elseif event ="
    assert _shown(WATCH_LUA, 6, 29, "lua", raw) is None


LOCATION_JAVA = [
    "class Location {",
    "  static void initialize(TypeDataBase db) {",
    '    TYPE_INVALID = db.lookupIntConstant("Location::invalid").intValue();',
    '    TYPE_NORMAL = db.lookupIntConstant("Location::normal").intValue();',
    "    WHERE_ON_STACK = db",
    "  }",
    "}",
]


def test_start_of_a_line_above_after_typed_code_shows_nothing() -> None:
    """The answer is the start of a line above, cut inside it: appended to the typed code it
    would make `WHERE_ON_STACK = db TYPE_INVALID = ...`."""
    raw = '<COMPLETION>    TYPE_INVALID = db.lookupIntConstant("Location:'
    assert _shown(LOCATION_JAVA, 4, 23, "java", raw) is None


GENERIC_OPS_C = [
    "static int init_methods(PyObject *module, PyMethodDef *defs) {",
    "    for (PyMethodDef *def = defs; ; def++) {",
    "        if (!def || !def->ml_name) {",
    "            ",
    "        }",
    "        add_method(module, def);",
    "    }",
    "    return 0;",
    "}",
]


def test_statement_left_of_a_retyped_first_line_leaves_the_block() -> None:
    """The model wrote whole lines (its first line repeats the editor's 12 columns) and then a
    statement at 8: that statement is outside the block being filled and is cut, not moved
    into it."""
    raw = "<COMPLETION>            continue;\n        return 0;"
    assert _shown(GENERIC_OPS_C, 3, 12, "c", raw) == "continue;"


def test_whole_answer_shifted_by_the_cursor_indentation_is_moved_back() -> None:
    """Every line carries the editor's whitespace again (the model indented the whole block
    by it): the lines after the first move back with it."""
    lines = ["function charsets(req) {", "  ", "}"]
    raw = "<COMPLETION>  const accept = accepts(this);\n    return accept.charsets();"
    shown = _shown(lines, 1, 2, "javascript", raw)
    assert shown == "const accept = accepts(this);\n  return accept.charsets();"


URL_STRING_TS = [
    "export class UrlString {",
    "    static canonicalizeUri(url: string): string {",
    "        if (url) {",
    "            url = url.toLowerCase();",
    "            ",
    "        }",
    "        return url;",
    "    }",
    "}",
]


def test_code_after_a_return_at_its_column_is_cut() -> None:
    """A statement after `return` at the same column is never reached: invented code, cut."""
    raw = "<COMPLETION>return url;\n            return urlComponents;"
    assert _shown(URL_STRING_TS, 4, 12, "typescript", raw) == "return url;"


GUARD_RB = [
    "def name_of(user)",
    "  ",
    "end",
]


def test_code_after_a_conditional_return_is_kept() -> None:
    """`return nil if user.nil?` returns only sometimes: the line after it is reached."""
    raw = "<COMPLETION>return nil if user.nil?\n  user.name"
    assert _shown(GUARD_RB, 1, 2, "ruby", raw) == "return nil if user.nil?\n  user.name"


def test_a_stream_cut_after_an_operator_character_drops_it() -> None:
    """libstdc++'s `__len1 == __len2 ? ...` cut by the token budget after `__len1 =`: the `=`
    may be the start of `==`, so only `__len1` is sure."""
    lines = ["      return __len1 == __len2 ? 0 : -1;", "      int __r = (", ");"]
    hole = analyze(lines, 1, 16, language="cpp")
    stop = StreamStop(hole)
    stop.feed("<COMPLETION>__len1 =")
    assert postprocess(stop.finish("length"), hole) == "__len1"
