"""The `<COMPLETION>` tag written again by the model: real code, through the whole pipeline."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

DATA_STREAM_JS = [
    "DataStream.prototype.end = function end(data) {",
    "  if (data)",
    "    this.write(data);",
    "  this.emit('end', data);",
    "  this.emit('close');",
    "  this.writable = false;",
    "  this.readable = false;",
    "};",
]


def test_a_tag_repeated_inside_the_answer_is_dropped_and_the_code_around_it_kept() -> None:
    """jws' data-stream.js: `<COMPLETION>` again at the start of the answer's fourth line is
    the tag echoed, not code; the lines before and after it are all the answer."""
    lines = [DATA_STREAM_JS[0], "  ", DATA_STREAM_JS[7]]
    raw = (
        "<COMPLETION>if (data)\n    this.write(data);\n  this.emit('end', data);\n"
        "<COMPLETION>  this.emit('close');\n  this.writable = false;"
    )
    assert _shown(lines, 1, 2, "javascript", raw) == (
        "if (data)\n    this.write(data);\n  this.emit('end', data);\n"
        "  this.emit('close');\n  this.writable = false;"
    )


def test_a_doubled_tag_before_the_answer_is_dropped() -> None:
    """`<COMPLETION><COMPLETION>` then the rest of the line (to-regex-range's `compare(a, b)`):
    the second tag is not code glued before the answer."""
    lines = ["function compare(a, b) {", "  return a > b ? 1 : b > a ? -1 : 0;", "}"]
    raw = "<COMPLETION><COMPLETION>a > b ? 1 : b > a ? -1 : 0;"
    assert _shown(lines[:1] + ["  return "] + lines[2:], 1, 9, "javascript", raw) == (
        "a > b ? 1 : b > a ? -1 : 0;"
    )


def test_a_tag_alone_on_a_line_goes_with_its_line() -> None:
    """Lua (LuaJIT's dis_x86.lua): a tag on a line of its own inside a body leaves no blank
    line behind."""
    lines = [
        "local function disass_ins(ctx)",
        "\tlocal op = byte(ctx.code, ctx.pos+1)",
        "end",
        "local function disass_block(ctx, ofs, len)",
        "",
        "end",
    ]
    raw = (
        "<COMPLETION>\n\tif not ofs then ofs = 0 end\n\tlocal stop = len and ofs+len or #ctx.code\n"
        "<COMPLETION>\n\tctx.pos = ofs"
    )
    assert _shown(lines, 3, 42, "lua", raw) == (
        "\n\tif not ofs then ofs = 0 end\n\tlocal stop = len and ofs+len or #ctx.code"
        "\n\tctx.pos = ofs"
    )


def test_a_fill_in_the_middle_marker_ends_the_answer() -> None:
    """A code model's `</fim_middle>` after the answer (msal-common's SilentFlowClient.ts
    import list) is a marker, never code."""
    lines = ["import {", "    ", '} from "../telemetry/server/ServerTelemetryManager.js";']
    raw = "<COMPLETION>ServerTelemetryManager,</fim_middle>"
    assert _shown(lines, 1, 4, "typescript", raw) == "ServerTelemetryManager,"


def test_a_few_words_ending_in_a_colon_before_the_code_are_an_announcement() -> None:
    """bash-completion's `pidof`-style loop, a single-line hole: "Here you go:" then a blank
    line then the rest of the line: the sentence is not shown, the code is."""
    lines = ["\tfor pid in $pids; do", "\t\tawk '", "\tdone"]
    raw = (
        "<COMPLETION>Here you go:\n\n{print $4}' /proc/$pid/stat\n\n(Nothing else needs to change.)"
    )
    assert _shown(lines, 1, 7, "shellscript", raw) == "{print $4}' /proc/$pid/stat"


def test_blank_lines_after_a_think_block_are_not_the_answers() -> None:
    """Neovim's treesitter health check: `</think>` then three blank lines then the body of
    `language.add`'s check; only the last line break can be the answer's own, so no blank line
    opens the body."""
    lines = ["local function has_parser(lang)", "end"]
    raw = "<think>Check the indentation first.</think>\n\n\n\n  return vim._ts_has_language(lang)"
    assert _shown(lines, 0, 31, "lua", raw) == "\n  return vim._ts_has_language(lang)"


def test_a_comment_that_only_labels_the_answer_is_not_shown() -> None:
    """minipass-style JavaScript, a blank line at column 0: `// TODO: check this` before the
    statement is the model labelling its answer (only words about the answer), so the
    statement is shown, on the column of the line above."""
    lines = ["'use strict'", "const proc = typeof process === 'object' && process", "", "x()"]
    raw = "<COMPLETION>// TODO: check this\nconst EE = require('events').EventEmitter\nconst a = 1"
    assert _shown(lines, 2, 0, "javascript", raw) == "const EE = require('events').EventEmitter"


def test_a_comment_about_the_code_before_it_is_kept() -> None:
    """A comment with words about the code (`// handle the error`) is the answer's own: in a
    block body it stays with the code after it."""
    lines = ["function read(err) {", "}"]
    raw = "<COMPLETION>\n  // handle the error\n  if (err) throw err"
    assert (
        _shown(lines, 0, 20, "javascript", raw) == "\n  // handle the error\n  if (err) throw err"
    )


def test_backticks_around_an_answer_inside_a_quoted_string_are_markdown() -> None:
    """iconv-lite's encodings table: the cursor inside `require('|')`; the model's
    `` `./dbcs-data` `` is markdown around the path, not a template literal inside a string."""
    lines = ["module.exports = {", "    _dbcs: require(''),", "};"]
    assert _shown(lines, 1, 20, "javascript", "<COMPLETION>`./dbcs-data`") == "./dbcs-data"


def test_a_reply_opening_with_an_interjection_is_talk_whatever_its_end() -> None:
    """A bash completion's `compgen -W "|"`: "Sure — the missing part is" has no colon, but a
    reply that opens with "Sure —" is talk; the line after it is the answer."""
    lines = ["_comp() {", '\tCOMPREPLY=( $(compgen -W "" -- "$cur") )', "}"]
    raw = "<COMPLETION>Sure — the missing part is\n$comps\n\n**Explanation:** it mirrors the code."
    assert _shown(lines, 1, 27, "shellscript", raw) == "$comps"
