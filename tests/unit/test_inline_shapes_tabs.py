"""Tabs in answers for files indented with spaces: real code, through the whole pipeline."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

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


NINJA_BASH = [
    line.replace("\\t", "\t")
    for line in [
        "_ninja_target() {",
        "    local cur prev targets dir line targets_command OPTIND",
        "",
        "    # When available, use bash_completion to:",
        "    #   1) Complete words when the cursor is in the middle of the word",
        "    #   2) Complete paths with files or directories, as appropriate",
        "    if _get_comp_words_by_ref cur prev &>/dev/null ; then",
        "        ",
        "    else",
        '        cur="${COMP_WORDS[COMP_CWORD]}"',
        "    fi",
        "",
        '    if [[ "$cur" == "--"* ]]; then',
        "        # there is currently only one argument that takes --",
        "\\tCOMPREPLY=($(compgen -P '--' -W 'version' -- \"${cur:2}\"))",
        "    else",
        '\\tdir="."',
        '\\tline=$(echo ${COMP_LINE} | cut -d" " -f 2-)',
        "\\tOPTIND=1",
        "\\twhile getopts :C:f:j:l:k:nvd:t: opt $line; do",
        "\\t    case $opt in",
        '\\t\\tf) dir="$OPTARG" ;;',
        '\\t\\tC) eval dir="$OPTARG" ;;',
        "\\t    esac",
        "\\tdone;",
        "    fi",
        "}",
    ]
]


def test_a_mixed_file_uses_the_whitespace_of_the_lines_next_to_the_cursor() -> None:
    """ninja's bash completion mixes tab-indented and space-indented lines; the lines next to
    the cursor all use spaces, so an answer written with tabs gets the file's spaces there."""
    raw = "case $prev in\n\t\t\t-f)\n\t\t\t\t_filedir\n\t\t\t\treturn 0\n\t\t\t\t;;\n\t\tesac"
    assert _shown(NINJA_BASH, 7, 8, "shellscript", raw) == (
        "case $prev in\n            -f)\n                _filedir\n                return 0\n"
        "                ;;\n        esac"
    )


GSETTINGS_BASH = [
    line.replace("\\t", "\t")
    for line in [
        "__gsettings() {",
        "  local choices coffset schemadir",
        "",
        "  if [ ${COMP_CWORD} -gt 2 ]; then",
        "      ",
        "  else",
        "      coffset=0",
        "  fi",
        "",
        '  case "$((${COMP_CWORD}-$coffset))" in',
        "    2)",
        '      case "${COMP_WORDS[$(($coffset+1))]}" in',
        "\\t--schemadir)",
        "\\t  COMPREPLY=($(compgen -o dirnames -- ${COMP_WORDS[${COMP_CWORD}]}))",
        "\\t  return 0",
        "\\t  ;;",
        "      esac",
        "      ;;",
        "  esac",
        "}",
    ]
]


def test_tab_led_lines_in_a_gnu_file_are_not_re_indented_by_a_guess() -> None:
    """gsettings' bash completion writes depth 3 as a tab then two spaces (8-column tabs): the
    columns of an answer's tab-led lines cannot be read with 4-column tabs, so the answer is
    shown up to the first line a re-indentation would change, never re-indented wrongly."""
    raw = (
        "<COMPLETION>if [ ${COMP_WORDS[1]} = --schemadir ]; then\n\t  coffset=2\n      else\n"
        "\t  coffset=0\n      fi"
    )
    assert _shown(GSETTINGS_BASH, 4, 6, "shellscript", raw) == (
        "if [ ${COMP_WORDS[1]} = --schemadir ]; then"
    )
