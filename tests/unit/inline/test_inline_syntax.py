"""The light lexer: brackets outside strings and comments, string state at the cursor."""

from __future__ import annotations

from glm_lsp.inline.extract import extract, is_intro, is_sentence
from glm_lsp.inline.syntax import (
    code_part,
    continuation,
    imbalance,
    only_closers,
    scan,
    squeeze,
    statement_breaks,
)


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    """Only code brackets are counted; strays are reported with their positions."""
    result = scan('f("(", x[1]  # )\n) ]', "python")
    assert result.open == [] and result.stray == ["]"]
    assert scan('print("(")', "python").open == []
    tail = scan("a) b]", "python")
    assert tail.stray == [")", "]"] and tail.stray_at == [1, 4]


def test_triple_quoted_strings_span_lines() -> None:
    """A docstring with brackets hides them; an open docstring is reported as a string."""
    assert scan('"""doc (\nmore"""\n(', "python").open == ["("]
    state = scan('def f():\n    """Start (', "python")
    assert state.in_string and state.open == []


def test_comment_styles_by_language() -> None:
    """`#` comments in Python, `//` and `/* */` in C-like languages, `--` in Lua."""
    assert scan("x = 1  # (", "python").in_comment
    assert scan("x = 1; // (", "javascript").open == []
    assert scan("x = 1; /* ( */ (", "javascript").open == ["("]
    assert scan("x = 1 -- (", "lua").open == []


def test_scan_reads_long_runs_and_lone_marks_whole() -> None:
    """Runs of characters that start no token, and marks that start none here (a lone `-`, `/`
    or `#` in Lua), are read past in one step each: the result is the same as token by token,
    and a 200 KB hostile line is read in linear time (asserted by its result)."""
    state = scan("a - b / c -- (", "lua")
    assert state.open == [] and state.in_comment and state.tail_start == 10
    assert scan("x = a - (b / c) # [", "lua").open == ["["]
    assert scan("a-" * 100_000 + "(", "lua").open == ["("]
    assert scan("'" + "a" * 200_000, "python").in_string
    long = scan("x" * 200_000 + ")]", "javascript")
    assert long.stray == [")", "]"] and long.stray_at == [200_000, 200_001]


def test_code_part_and_imbalance() -> None:
    """Trailing comments are removed; a line ending in a string has no code end."""
    assert code_part("def f():  # note:", "python") == "def f():  "
    assert code_part('x = "abc:', "python") is None
    assert imbalance('print("a")', "python") == 0
    assert imbalance('print("a"))', "python") == 1
    assert imbalance('print("a', "python") == 2


def test_continuation_of_an_open_string() -> None:
    """The cursor inside a string: what comes after must be read as that string's rest."""
    assert continuation('x = f("abc ', "python") == '"abc '
    assert continuation("x = f(1, ", "python") == ""
    assert only_closers(")];") and not only_closers("x)")


def test_extract_holds_back_partial_wrappers() -> None:
    """While streaming, a half-arrived tag or fence is not shown; at the end it is text."""
    assert extract("<COMPL", final=False) is None
    assert extract("```pyt", final=False) is None
    found = extract("value</COMPLE", final=False)
    assert found is not None and found.text == "value" and not found.complete
    final = extract("a < b", final=True)
    assert final is not None and final.text == "a < b"


def test_prose_detection() -> None:
    """Intros and explanations are prose; code that starts with similar words is not."""
    assert is_intro("Here is the completion:")
    assert is_intro("Sure! Here's the code that fills the hole:")
    assert not is_intro("ok(value, other)")
    assert not is_intro("here = compute(there)")
    assert is_sentence("This returns twice the value of x.")
    assert not is_sentence("    Return twice the value of x.")
    assert not is_sentence("return self.value(x).")


def _final(raw: str, *, in_text: bool = False) -> str | None:
    found = extract(raw, final=True, in_text=in_text)
    return None if found is None else found.text


def test_think_block_keeps_the_answer_leading_space() -> None:
    """Only a line break after `</think>` is formatting; a space there belongs to the answer."""
    assert _final("<think>hmm</think> BaseException as exc:") == " BaseException as exc:"
    assert _final("<think>hmm</think>\nvalue") == "value"


def test_end_tokens_and_stray_backticks_are_junk() -> None:
    """Chat end tokens cut the answer; backticks ending it that pair with nothing are dropped,
    while backticks that close a template literal stay."""
    assert _final("compute(1)<|endoftext|>more") == "compute(1)"
    assert _final("<|assistant|>compute(1)<|im_end|>") == "compute(1)"
    assert _final("compute(1)<｜end▁of▁sentence｜>") == "compute(1)"
    assert _final("compute(1)</s>") == "compute(1)"
    assert _final("compute(1)<|im_e") == "compute(1)"
    assert _final("compute(1)```") == "compute(1)"
    assert _final("compute(1)`") == "compute(1)"
    assert _final("`${name}`") == "`${name}`"
    assert _final("a <|> b") == "a <|> b"
    streaming = extract("compute(1)<|im", final=False)
    assert streaming is not None and streaming.text == "compute(1)"


def test_prose_on_the_code_line_and_right_after_it() -> None:
    """An intro on the code's own line goes; an explanation right after the code (no blank line)
    goes too, unless the cursor is in a comment or string where prose is the answer."""
    assert _final("Here is the code: compute(1)") == "compute(1)"
    assert _final("Sure! compute(1)") == "compute(1)"
    assert _final("ok, err := run()") == "ok, err := run()"
    explained = "return x * 2\nThis doubles the value of x."
    assert _final(explained) == "return x * 2"
    assert _final(explained, in_text=True) == explained


def test_other_chat_wrappers() -> None:
    """`<thinking>`/`<reasoning>` blocks, Gemma and Llama turn markers and a bold or one-word
    intro are wrappers, not code; a subscript that looks like a marker's start is code."""
    assert _final("<thinking>plan</thinking>\nvalue") == "value"
    assert _final("<reasoning>plan</reasoning> x") == " x"
    assert _final("compute(1)<end_of_turn>") == "compute(1)"
    assert _final("compute(1) [/INST]") == "compute(1) "
    assert _final("**Completion:**\ncompute(1)") == "compute(1)"
    assert _final("Output:\ncompute(1)") == "compute(1)"
    assert _final("matrix[I") == "matrix[I"


def test_statement_breaks_skip_strings_comments_and_brackets() -> None:
    """Only a `;` outside strings, comments and the answer's own brackets separates statements;
    after a closer that matches nothing the depth goes below zero."""
    assert statement_breaks("a(); b()", "javascript") == [(3, 0)]
    assert statement_breaks('f("a;b"); // x; y', "javascript") == [(8, 0)]
    assert statement_breaks("for (i = 0; i < n; i++) {", "c") == []
    assert statement_breaks("x); y", "c") == [(2, -1)]


def test_squeeze_ignores_all_whitespace() -> None:
    """A line repeated with other indentation or spacing squeezes to the same text."""
    assert squeeze("    const square = r * r;") == squeeze("const square=r*r;")
    assert squeeze("a b") != squeeze("a.b")


def test_tilde_fences_and_note_lines() -> None:
    """A `~~~` fence wraps code like a backtick fence; an `Explanation:` or `Note:` line at
    column 0 after the code starts prose."""
    assert _final("~~~python\nreturn x\n~~~") == "return x"
    assert _final("return x\nNote: x must be set.") == "return x"
    assert _final("return x\n**Explanation:** doubles it") == "return x"


def test_short_remarks_and_end_markers() -> None:
    """A short remark after the code ("Hope this helps!") is prose; `[END]` and `<EOT>` end
    the answer."""
    assert _final("return x\nHope this helps!") == "return x"
    assert _final("return x[END]") == "return x"
    assert _final("return x<EOT>") == "return x"
    assert _final("if done:\n    Stop.now()") == "if done:\n    Stop.now()"
