"""Cut streams of issue 14's fresh8/fresh9 samples: what is certainly whole and new.

The operator characters a stream ended in are cut only on the line it ended on; a cut answer
that is only a fence's start, a body begun on a block opener's line and cut before that line
closed, or a distinctive piece of the typed line written again shows nothing.
"""

from __future__ import annotations

from tests.unit.inline.test_cut_stream import cut

C_STRUCT = (
    "typedef struct Tcl_HashSearch {\n"
    "    Tcl_HashEntry *nextEntryPtr;/* Next entry to be enumerated in the current\n"
    "\t\t\t\t * bucket. */\n"
    "} ║\n"
)
C_DECL = "void\nmd2_update(struct md2_ctx *ctx,\n\t   size_t ║\n\t   const uint8_t *data);\n"
CPP_BODY = "  struct hash\n  {\n    size_t\n    operator()(unsigned long __x) const\n    {║\n  };\n"
CPP_LOOP = (
    "int main() {\n"
    "    for (int useMark = 0; useMark <= 1; useMark++) {\n"
    "        for (int createEarly = 0; createEarly <= 1; createEarly++) {║\n"
    "        }\n"
    "    }\n"
    "}\n"
)
PY_FSTRING = (
    "def emit(emitter, slots_name):\n"
    '    emitter.emit_line(f"{slots_name}, /*║\n'
    '    emitter.emit_line("NULL,")\n'
)


def test_a_comment_end_above_a_dropped_line_is_not_cut() -> None:
    """The stream repeats the comment line above (`* bucket. */`), then the typed `} ` and a
    cut word: the `*/` is no operator the stream ended in, the repeat stays whole and, being
    only a line above, shows nothing."""
    assert cut(C_STRUCT, "<COMPLETION>* bucket. */\n} Tcl_HashSear", "c") == ""


def test_operator_the_stream_ended_in_is_still_cut() -> None:
    """Look-alike: operator characters ending the stream's own line still go."""
    document = "def total(a, b):\n    return ║\n"
    assert cut(document, "<COMPLETION>a +") == "a"


def test_only_the_start_of_a_fence_shows_nothing() -> None:
    """`` ``le ``: two backticks of a fence, then a cut word: nothing is shown; the answer's
    own word stays when the stream is not a fence's start."""
    assert cut(C_DECL, "<COMPLETION>``le", "c") == ""
    assert cut(C_DECL, "<COMPLETION>length,", "c") == "length,"


def test_body_cut_on_the_openers_line_shows_nothing() -> None:
    """` return __` after `{`: the model began on the opener's line and the stream was cut
    before that line closed; whether a one-line body was meant is not known."""
    assert cut(CPP_BODY, "<COMPLETION> return __", "cpp") == ""


def test_closed_or_broken_body_of_a_cut_stream_stays() -> None:
    """Look-alikes: a body closed on the opener's line, or begun on a line of its own, stays."""
    assert cut(CPP_BODY, "<COMPLETION> return __x; }\n  };\n\nnamesp", "cpp") == " return __x; }"
    assert cut(CPP_BODY, "<COMPLETION>\n      return __x;\n    }\n  };\nna", "cpp").startswith(
        "\n      return __x;"
    )


def test_piece_of_the_opener_line_written_again_shows_nothing() -> None:
    """`createEarly <= 1; createEarl` on the line of `for (...; createEarly <= 1; ...) {`:
    the stream only wrote the typed line again before it was cut."""
    assert cut(CPP_LOOP, "<COMPLETION>createEarly <= 1; createEarl", "cpp") == ""


def test_body_starting_with_a_name_of_the_condition_stays() -> None:
    """Look-alike: a body line that starts with a name of the opener's line
    (`createEarly.` of a condition naming `createEarly`) is no repeat of it."""
    shown = cut(CPP_LOOP, "<COMPLETION>\n            createEarly.run(useMa", "cpp")
    assert "createEarly" in shown


def test_piece_of_typed_text_left_after_a_cut_shows_nothing() -> None:
    """`` `slots_name}, /* m_slo ``: a markdown backtick (Python writes none), the typed
    `slots_name}, /*` again, then a cut word; what is left only repeats typed text."""
    assert cut(PY_FSTRING, "<COMPLETION>`slots_name}, /* m_slo") == ""


def test_short_or_inner_pieces_left_after_a_cut_stay() -> None:
    """Look-alikes: a single name (`self` of `self._chmod(`) and a word found only inside a
    typed name (`import` of `lazy_importer`) are answers cut short, not repeats."""
    chmod = "class Db:\n    def sync(self):\n        self._chmod(║)\n"
    assert cut(chmod, "<COMPLETION>self._d") == "self"
    lazy = "try:\n    from lazy_importer ║\nexcept ImportError:\n    pass\n"
    assert cut(lazy, "<COMPLETION>import lazy_impo") == "import"


def test_long_typed_line_and_piece_are_read_in_bounded_steps() -> None:
    """A hostile typed line of 200 KB of one letter and a cut answer of 100 KB of it: the
    last word is found by a scan back, and a piece longer than a line is no piece."""
    document = "x = " + "a" * 200_000 + " + ║\n"
    answer = "a" * 100_000 + " * c"
    assert cut(document, "<COMPLETION>" + answer + " + zz", "python") == answer
