"""Tabs in answers for files indented with spaces: real code, through the whole pipeline."""

from __future__ import annotations

from glm_lsp.inline import StreamStop, analyze, postprocess


def _shown(lines: list[str], line: int, character: int, language: str, raw: str) -> str | None:
    hole = analyze(lines, line, character, language=language)
    stop = StreamStop(hole)
    for start in range(0, len(raw), 5):
        if stop.feed(raw[start : start + 5]):
            break
    return postprocess(stop.finish("stop"), hole)


DOCUTILS_PY = [
    "class CliSettingsSpec(docutils.SettingsSpec):",
    "    config_section = 'docutils application'",
    "",
    "",
    "def main() -> None:",
    "    if sys.argv[0].endswith('__main__.py'):",
    "    try:",
    "        publish_cmdline()",
    "    except Exception as e:",
    "        print(e)",
]


def test_tab_led_lines_mixed_with_space_led_ones_get_the_files_step() -> None:
    """A block whose lines alternate between tabs and spaces (the model's tabs mixed into lines
    copied with spaces) in a spaces file: each tab is one of the file's steps."""
    raw = (
        "<COMPLETION>\n\t\t# fix usage message\n"
        "        sys.argv[0] = '%s -m docutils' % sys.executable"
    )
    shown = _shown(DOCUTILS_PY, 5, 43, "python", raw)
    assert shown == (
        "\n        # fix usage message\n        sys.argv[0] = '%s -m docutils' % sys.executable"
    )


MODULE_INFO_JAVA = [
    "/*",
    " * Defines the API for the JavaScript Object.",
    " */",
    "module jdk.jsobject {",
    "}",
]


def test_tabs_in_a_file_without_indented_lines_follow_the_languages_habit() -> None:
    """Nothing indented in view: a Java answer's tab becomes the language's usual four spaces."""
    raw = "<COMPLETION>\n\texports netscape.javascript;"
    assert _shown(MODULE_INFO_JAVA, 3, 21, "java", raw) == "\n    exports netscape.javascript;"


PERF_DLFILTER_H = [
    "struct perf_dlfilter_sample {",
    "\t__u64 ip;",
    "\t__s32 pid;",
    "",
    "\t__u64 addr;",
    "};",
]


def test_blank_line_at_column_0_between_two_lines_at_one_column_takes_theirs() -> None:
    """The cursor at column 0 of an empty line inside a struct whose lines above and below sit
    one tab in: a line the model indented two tabs goes one tab in."""
    raw = "<COMPLETION>\t\t__u64 time;\n\t__u64 addr;"
    assert _shown(PERF_DLFILTER_H, 3, 0, "c", raw) == "\t__u64 time;"


SETPRIV_SH = [
    "_setpriv_module() {",
    "\tfor WORD in $INHERIT_ALL; do",
    "\t\tfor prefix in $CAPS; do",
    "\t\t\tif true; then",
    "\t\t\t\t",
    "\t\t\tfi",
    "\t\tdone",
    "\tdone",
    "}",
]


def test_space_led_lines_mixed_into_an_answer_for_a_tab_file_get_tabs() -> None:
    """A tab-indented file, an answer whose lines alternate between tabs and the model's own
    4-space steps: the space-led lines get one tab per step."""
    raw = (
        '<COMPLETION>if ! [[ $prefix == *"$WORD"* ]]; then\n'
        '                    INHERIT="$WORD ${INHERIT:-""}"\n\t\t\t\tfi'
    )
    shown = _shown(SETPRIV_SH, 4, 4, "shellscript", raw)
    assert shown == (
        'if ! [[ $prefix == *"$WORD"* ]]; then\n'
        '\t\t\t\t\tINHERIT="$WORD ${INHERIT:-""}"\n\t\t\t\tfi'
    )
