"""A one-line answer in a markdown code span where a backtick also writes a string (JavaScript,
TypeScript, Go, shell): the cursor decides (`inline/code_span.py`); in Python, C or Java the
span is markdown anywhere outside strings.

Each raw answer streams through the whole pipeline in small pieces. The documents and answers
were written for these tests; none comes from an evaluation pool.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

GO_MEMBER = 'package main\n\nimport "os"\n\nfunc size(dir string) {\n\tfi, err := os.║\n}\n'
GO_ARGUMENT = (
    "package main\n\nfunc socket() string {\n\thome := getHome()\n"
    '\treturn filepath.Join(║, "sock")\n}\n'
)
TS_FIELD = "export type Request = {\n    redirectUri║\n};\n"
JS_BODY = "function isGlob(str) {\n  if (!str) {\n    ║\n  }\n  return true;\n}\n"
JS_VALUE = "function greet(name) {\n  const greeting = ║\n  return greeting;\n}\n"
SH_BODY = "_complete() {\n\tlocal cur\n\t║\n}\n"
SH_VALUE = "_complete() {\n\tstamp=║\n}\n"
JAVA_BLOCK = "class A {\n    int f(int x) {\n        ║\n    }\n}\n"


@pytest.mark.parametrize(
    ("document", "language", "raw", "expected"),
    [
        (GO_MEMBER, "go", "`Stat(dir)`", "Stat(dir)"),
        (TS_FIELD, "typescript", "`?: string;`", "?: string;"),
        (TS_FIELD, "typescript", "`?: string;", "?: string;"),
        (JS_BODY, "javascript", "`return false;", "return false;"),
        (JS_BODY, "javascript", "`return false;`", "return false;"),
        (GO_ARGUMENT, "go", "`home`", "home"),
        (
            SH_BODY,
            "shellscript",
            "`cur=${COMP_WORDS[COMP_CWORD]}`",
            "cur=${COMP_WORDS[COMP_CWORD]}",
        ),
        (JAVA_BLOCK, "java", "\n`return x + 1;`\n", "return x + 1;"),
    ],
)
def test_a_span_that_cannot_be_a_string_here_is_markdown(
    document: str, language: str, raw: str, expected: str
) -> None:
    """After a member dot or a name, at a statement's start, when the parse says so, or when
    its inside is a name the window writes, the backticks go (closed or not)."""
    assert shown(document, language, raw) == expected


@pytest.mark.parametrize(
    ("document", "language", "raw"),
    [
        (JS_VALUE, "javascript", "`Hello ${name}!`;"),
        (JS_VALUE, "javascript", "`pending`;"),
        (SH_VALUE, "shellscript", "`date +%s`"),
    ],
)
def test_a_real_template_literal_or_command_substitution_stays(
    document: str, language: str, raw: str
) -> None:
    """Where a string may stand and its inside reads no better as code, or a command
    substitution after `=` in shell, the answer keeps its backticks."""
    assert shown(document, language, raw) == raw


def test_a_span_in_a_comment_stays() -> None:
    """In a comment backticks quote code in prose: the span is the comment's text."""
    document = "function f() {\n  // call ║\n}\n"
    assert shown(document, "javascript", "`init()` first") == "`init()` first"


def test_a_template_literal_the_stream_cut_stays() -> None:
    """`` `Error readin `` as an argument: a template literal cut by the stream, not markdown
    (where a string may stand, an unclosed span keeps its backtick)."""
    document = "function load(path) {\n  throw new Error(║);\n}\n"
    assert shown(document, "javascript", "`Error reading") == "`Error reading"
