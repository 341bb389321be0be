"""Block answers written with another indentation unit, other whitespace, or after a repeat of
the lines above: each class of sloppy model output, on real code, through the whole pipeline
(`StreamStop` then `postprocess`)."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

from glm_lsp.inline.hole import detect_indent_unit

MONITOR_TS = [
    "export class IframeMonitor {",
    "    private waitForBridge(intervalId: number): void {",
    "        if (this.closed) {",
    "            return;",
    "        }",
    "    }",
    "",
    "    private onTimeout(intervalId: number, reject: Reject): void {",
    "        if (this.pending) {",
    "            ",
    "        }",
    "    }",
    "}",
]
MONITOR_BODY = (
    "window.clearInterval(intervalId);\n"
    "            reject(\n"
    "                new AuthError(\n"
    "                    BrowserAuthErrorCodes.timedOut,\n"
    "                    correlationId\n"
    "                )\n"
    "            );"
)


def test_two_space_answer_in_a_four_space_file_maps_levels() -> None:
    """The model nested with 2 columns where the file uses 4 (its lines at 6/8/10 under a
    first line the editor put at 12): each model level becomes a file level, not a shift that
    keeps 2-column steps (12/14/16)."""
    raw = (
        "<COMPLETION>window.clearInterval(intervalId);\n"
        "      reject(\n"
        "        new AuthError(\n"
        "          BrowserAuthErrorCodes.timedOut,\n"
        "          correlationId\n"
        "        )\n"
        "      );"
    )
    assert _shown(MONITOR_TS, 9, 12, "typescript", raw) == MONITOR_BODY


def test_gnu_tabs_in_a_space_file_read_as_eight_columns() -> None:
    """`\\t    x` (a tab then four spaces) in a file without tabs: the tab is 8 columns, so the
    levels 12/12/16/20 survive instead of collapsing."""
    raw = (
        "<COMPLETION>\t    window.clearInterval(intervalId);\n"
        "\t    reject(\n"
        "\t\tnew AuthError(\n"
        "\t\t    BrowserAuthErrorCodes.timedOut,\n"
        "\t\t    correlationId\n"
        "\t\t)\n"
        "\t    );"
    )
    assert _shown(MONITOR_TS, 9, 12, "typescript", raw) == MONITOR_BODY


PROXY_GO = [
    "package main",
    "",
    "func (p *Proxy) closeOnUpdate() {",
    "\tfor {",
    "\t\t",
    "\t}",
    "}",
    "",
    "func (p *Proxy) run() {",
    "\tif p.ul == nil {",
    "\t\treturn",
    "\t}",
    "}",
]


def test_eight_space_answer_in_a_tab_file_gets_one_tab_per_level() -> None:
    """Go indents with tabs; a model that wrote 8 spaces per level gets one tab per 8 spaces
    (not one per 4, which doubles every level)."""
    raw = (
        "<COMPLETION>                time.Sleep(p.PollUpdateInterval)\n"
        "                if err := p.poll(); err != nil {\n"
        '                        log.Printf("poll: %v", err)\n'
        "                        break\n"
        "                }"
    )
    expected = (
        "time.Sleep(p.PollUpdateInterval)\n"
        "\t\tif err := p.poll(); err != nil {\n"
        '\t\t\tlog.Printf("poll: %v", err)\n'
        "\t\t\tbreak\n"
        "\t\t}"
    )
    assert _shown(PROXY_GO, 4, 2, "go", raw) == expected


SOCKET_GO = [
    "func (s Socket) check() error {",
    "\tfi, err := os.Stat(s.Dir)",
    "\tif err != nil {",
    "\t\treturn err",
    "\t}",
    "\tif !fi.IsDir() {",
    "\t\t",
    "\t}",
    "\treturn nil",
    "}",
]


def test_lines_above_echoed_dedented_as_a_block_are_removed() -> None:
    """The model restarts from two lines up (`}` then the enclosing `if`), all dedented by the
    same amount: the repeat is recognised by the relative indentation, and only the body stays
    (the lone `}` alone would not identify the place)."""
    raw = (
        "<COMPLETION>}\n"
        "if !fi.IsDir() {\n"
        '\treturn fmt.Errorf("socket: want directory for %q", s.Dir)'
    )
    shown = _shown(SOCKET_GO, 6, 2, "go", raw)
    assert shown == 'return fmt.Errorf("socket: want directory for %q", s.Dir)'


def test_a_lone_closing_brace_answer_is_not_taken_for_an_echo() -> None:
    """A single `}` is no evidence of a repeat: an answer made of it is judged as code."""
    raw = "<COMPLETION>}\n"
    assert _shown(SOCKET_GO, 6, 2, "go", raw) != ""


MODULE_JAVA = [
    "/**",
    " * Defines the API for the JavaScript Object.",
    " *",
    " * @moduleGraph",
    " * @since 9",
    " */",
    '@Deprecated(since = "24", forRemoval = true)',
    "module jdk.jsobject {",
    "    ",
    "}",
]


def test_comment_stars_do_not_make_a_one_space_unit() -> None:
    """` * text` lines under `/**` step by one column; they are alignment, not the file's unit."""
    assert detect_indent_unit(MODULE_JAVA) != " "


def test_header_echoed_before_a_module_body_is_removed() -> None:
    """The annotation and the `module` header repeated before the body are dropped, and the
    body keeps the column the editor already typed."""
    raw = (
        '<COMPLETION>@Deprecated(since = "24", forRemoval = true)\n'
        "module jdk.jsobject {\n"
        "    exports netscape.javascript;"
    )
    assert _shown(MODULE_JAVA, 8, 4, "java", raw) == "exports netscape.javascript;"


DISASSEMBLER_JAVA = [
    "class Disassembler {",
    "   private long handleEvent(InstructionVisitor visitor, String event, long arg) {",
    '      if (match(event, "insn")) {',
    "         try {",
    "         } catch (Throwable e) {",
    "            e.printStackTrace();",
    "         }",
    "      }",
    "      return 0;",
    "   }",
    "}",
]


def test_three_space_file_keeps_a_three_space_body() -> None:
    """A file indented by 3 columns: the body after `try {` goes 3 deeper, where the model put
    it (not 4, a guessed step)."""
    lines = list(DISASSEMBLER_JAVA)
    raw = "<COMPLETION>\n            visitor.beginInstruction(arg);"
    assert _shown(lines, 3, 14, "java", raw) == "\n            visitor.beginInstruction(arg);"


PYGMENTS_PY = [
    "def guess_lexer(_text, **options):",
    "    for lexer in _iter_lexer_classes():",
    "        rv = lexer.analyse_text(_text)",
    "        if rv == 1.0:",
    "            return lexer(**options)",
    "    if not best_lexer:",
    "        ",
    "    return best_lexer[1](**options)",
]


def test_dedented_line_after_a_blank_line_is_not_a_unit_change() -> None:
    """Over-generation that leaves the block after a blank line says nothing about the
    model's unit: it is cut, the body stays as written."""
    raw = "<COMPLETION>raise ClassNotFound('no lexer matching the text found')\n\n    setattr(x, 1)"
    shown = _shown(PYGMENTS_PY, 6, 8, "python", raw)
    assert shown == "raise ClassNotFound('no lexer matching the text found')"


SYNC_LUA = [
    "local function get_text(lines, start_range, end_range)",
    "  if start_range.line_idx == end_range.line_idx then",
    "    ",
    "  end",
    "end",
]


def test_line_deeper_than_a_comment_above_it_is_moved_back() -> None:
    """The model put the line under its own comment one step deeper (`-- note` at 4, code at 6):
    nothing opens a block there, so the code goes back to the comment's column."""
    raw = (
        "<COMPLETION>-- string.sub is inclusive, end_range is not\n"
        "      return string.sub(lines[start_range.line_idx], 1, end_range.byte_idx - 1)"
    )
    shown = _shown(SYNC_LUA, 2, 4, "lua", raw)
    assert shown == (
        "-- string.sub is inclusive, end_range is not\n"
        "    return string.sub(lines[start_range.line_idx], 1, end_range.byte_idx - 1)"
    )


PERF_DLFILTER_H = [
    "struct perf_dlfilter_sample {",
    "\t__u32 size; /* Size of this structure (for compatibility checking) */",
    "\t__u64 ip;",
    "",
    "\t__u64 addr;",
    "};",
]


def test_a_statement_at_column_0_on_an_empty_line_in_a_body_gets_the_bodys_column() -> None:
    """perf_dlfilter.h: the cursor at column 0 of an empty line between two fields, the answer
    written at column 0: column 0 is outside the struct (the next line is deeper), so the
    field goes on the column of the line above."""
    assert _shown(PERF_DLFILTER_H, 3, 0, "c", "<COMPLETION>__u64 time;") == "\t__u64 time;"


LIBRT_TIME_C = [
    "static double time_now(void) {",
    "    struct timeval tv;",
    "    gettimeofday(&tv, NULL);",
    "",
    "}",
]


def test_a_statement_on_the_column_of_the_closing_brace_below_goes_inside_the_block() -> None:
    """mypyc's librt_time.c: the last statement of a function written at column 0, where the
    function's `}` is: it belongs inside, on the column of the statement above."""
    raw = "<COMPLETION>return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;"
    assert _shown(LIBRT_TIME_C, 3, 0, "c", raw) == (
        "    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;"
    )


MEDIA_TYPER_JS = [
    "function MediaType (type, subtype, suffix) {",
    "  ",
    "}",
    "",
    "function format (obj) {",
    "  var subtype = obj.subtype",
    "  var type = obj.type",
    "}",
]


def test_lines_deeper_than_a_complete_statement_above_are_shifted_back() -> None:
    """media-typer's index.js (no semicolons): the first assignment at the cursor, the next two
    one step deeper. A line deeper than a complete statement is no continuation (no open
    bracket, no operator at the end or start): all three are statements of the body."""
    raw = "<COMPLETION>this.type = type\n    this.subtype = subtype\n    this.suffix = suffix"
    assert _shown(MEDIA_TYPER_JS, 1, 2, "javascript", raw) == (
        "this.type = type\n  this.subtype = subtype\n  this.suffix = suffix"
    )


def test_a_chained_call_on_a_deeper_line_keeps_its_column() -> None:
    """A deeper line that starts with `.` continues the statement above (a promise chain):
    it stays where the model put it."""
    raw = "<COMPLETION>return fetch(url)\n    .then(parse)"
    assert _shown(MEDIA_TYPER_JS, 1, 2, "javascript", raw) == (
        "return fetch(url)\n    .then(parse)"
    )


KEYRING_BACKEND_PY = [
    "class KeyringBackendMeta(abc.ABCMeta):",
    '    """Specialized subclass behavior."""',
    "",
    "    def __init__(cls, name, bases, dict):",
    "        ",
    "",
    "",
    "class KeyringBackend(metaclass=KeyringBackendMeta):",
    "    priority: float",
]


def test_a_body_two_steps_under_its_opener_means_the_lines_after_the_first_are_shifted() -> None:
    """keyring's backend.py: the first line at the cursor, the lines after it all one step too
    deep (the body of the first line's `if` two steps under it): they move back together."""
    raw = (
        "<COMPLETION>if not hasattr(cls, '_classes'):\n                cls._classes = set()\n"
        "            classes = cls._classes"
    )
    assert _shown(KEYRING_BACKEND_PY, 4, 8, "python", raw) == (
        "if not hasattr(cls, '_classes'):\n            cls._classes = set()\n"
        "        classes = cls._classes"
    )


FILETYPE_LUA = [
    "    else",
    "      -- on_detect is called before setting the filetype so that it can set any buffer local",
    "      -- variables that may be used the filetype's ftplugin",
    "      if on_detect then",
    "        on_detect(args.buf)",
    "",
    "",
    "      vim._with({ buf = args.buf }, function()",
    "        vim.api.nvim_cmd({ cmd = 'setf', args = { ft } }, {})",
    "      end)",
    "    end",
]


def test_a_lone_closer_at_column_0_goes_on_the_column_of_the_block_it_closes() -> None:
    """Neovim's filetype.lua: the `end` of `if on_detect then` on an empty line, the model's
    copy of the lines above and its `end` under the body: the `end` goes on the `if`'s
    column, not on the column of the statement above it."""
    raw = "<COMPLETION>      if on_detect then\n        on_detect(args.buf)\n        end"
    assert _shown(FILETYPE_LUA, 5, 0, "lua", raw) == "      end"


POOLED_CONNECTION_FACTORY_JAVA = [
    "public interface PooledConnectionFactory {",
    "    /**",
    "     * Creates a pooled connection.",
    "     */",
    "    public abstract PooledConnection createPooledConnection(PoolCallback pcb, long timeout)",
    "",
    "}",
]


def test_a_deeper_line_under_an_unfinished_java_declaration_keeps_its_column() -> None:
    """JDK's PooledConnectionFactory.java: the cursor at column 0 under a method declaration
    that has neither `;` nor `{` yet; the model's `throws` two steps deeper continues it."""
    raw = "<COMPLETION>        throws NamingException;"
    assert _shown(POOLED_CONNECTION_FACTORY_JAVA, 5, 0, "java", raw) == (
        "        throws NamingException;"
    )


REMOTE_X86_THREAD_JAVA = [
    "public class RemoteX86Thread extends RemoteThread  {",
    "  public RemoteX86Thread(RemoteDebuggerClient debugger, Address addr) {",
    "     super(debugger, addr);",
    "  }",
    "",
    "  public ThreadContext getContext() throws IllegalThreadStateException {",
    "  }",
    "}",
]


def test_a_body_on_the_files_unit_is_kept_where_a_sibling_uses_another_step() -> None:
    """JDK's RemoteX86Thread.java: a constructor body three columns deep, the file's unit two;
    a body the model writes two deeper than its opener, as the method really is, is kept."""
    raw = (
        "<COMPLETION>\n    RemoteX86ThreadContext context = new RemoteX86ThreadContext(debugger);\n"
        "    return context;"
    )
    assert _shown(REMOTE_X86_THREAD_JAVA, 5, 72, "java", raw) == (
        "\n    RemoteX86ThreadContext context = new RemoteX86ThreadContext(debugger);\n"
        "    return context;"
    )


FETCH_JS = [
    '"use strict";',
    "if (typeof globalObject.fetch === 'function') {",
    "\t",
    "}",
]


def test_lines_written_flat_after_a_first_line_at_the_cursor_are_not_guessed() -> None:
    """node-fetch's entry point: the cursor after the editor's tab in a body, the answer's
    first line there and the next at column 0. Column 0 may be a body written flat or code
    past the block; the depth cannot be read, so only the first line is shown."""
    raw = "<COMPLETION>exports.default = globalObject.fetch.bind(globalObject);\nreturn 0;"
    assert _shown(FETCH_JS, 2, 1, "javascript", raw) == (
        "exports.default = globalObject.fetch.bind(globalObject);"
    )


GETFONT_CC = [
    "class XPFontAPI2 : public XPFontAPI {",
    "public:",
    "    bool valid() {",
    "        ",
    "    }",
    "};",
]


def test_a_continuation_line_left_of_its_statement_is_not_shown() -> None:
    """winpty's GetFont.cc: `return a &&` then the rest of the condition on the column of
    `return`: the continuation's depth is lost, so only the part before it is shown, without
    the dangling `&&` (the code gate keeps the longest part that parses where it is inserted)."""
    raw = (
        "<COMPLETION>        return this->XPFontAPI::valid() &&\n"
        "        m_GetCurrentConsoleFontEx != NULL &&\n        m_SetCurrentConsoleFontEx != NULL;"
    )
    assert _shown(GETFONT_CC, 3, 8, "cpp", raw) == "return this->XPFontAPI::valid()"


def test_items_of_an_enclosing_list_stay_on_their_column() -> None:
    """Entries of a struct literal opened above the cursor, each ending in a comma: the next
    entry on the same column is no lost continuation."""
    lines = ["\tproxy := &httputil.ReverseProxy{", "\t\t", "\t}"]
    raw = "<COMPLETION>FlushInterval: 500 * time.Millisecond,\n\t\tDirector:      director,"
    assert _shown(lines, 1, 2, "go", raw) == (
        "FlushInterval: 500 * time.Millisecond,\n\t\tDirector:      director,"
    )
