"""The parts of the next-edit evaluation (bench/next_edit_eval/): the git replay, the cases,
the strict judge and the corruptions. The gate is test_next_edit_eval_gate.py."""

from __future__ import annotations

import random

import attrs

from glm_lsp.edits.nextedit.prompt import TAG
from next_edit_eval import corpus
from next_edit_eval.cases import Case, cases_of, replay
from next_edit_eval.corruptions import (
    GROUPS,
    Context,
    Draft,
    compose,
    echo_above,
    indent_shift,
    render,
)
from next_edit_eval.dev import DEV
from next_edit_eval.heldout import HELDOUT
from next_edit_eval.judge import apply, blank_whitespace_only, judge


@attrs.frozen
class Edit:
    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str


def _own_changes(count: int) -> list[corpus.FileChange]:
    own = corpus.corpora(include_mirrors=False)
    assert own, "no .git next to bench/: run the tests from a clone with its history"
    return corpus.sample(own[0], count, 7, "all")


def _change(before: list[str], hunks: list[corpus.Hunk]) -> corpus.FileChange:
    return corpus.FileChange("t", "0" * 40, "a.py", "python", tuple(before), tuple(hunks))


def test_replaying_every_hunk_gives_the_file_after_the_commit() -> None:
    """For real changes of this repository, the document after the last hunk is the file as
    the commit left it (with the editor's empty last line): the parser and replay lose nothing."""
    own = corpus.corpora(include_mirrors=False)[0]
    changes = _own_changes(25)
    assert len(changes) == 25, "history too short: git fetch --unshallow (fetch-depth: 0 in CI)"
    for change in changes:
        after = corpus.git(own, "cat-file", "blob", f"{change.commit}:{change.path}").decode()
        assert replay(change)[-1][0] == tuple(after.split("\n")), change.path


def test_patch_reader_reads_inserts_deletes_and_replacements() -> None:
    """`-U0` headers give 0-based starts in the old file: after line a for an insertion
    (count 0), at line a-1 otherwise; binary and no-final-break files are unusable."""
    text = (
        "\x00commit abc\ndiff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
        "@@ -3,0 +4,2 @@ def f():\n+    a\n+    b\n@@ -7 +9 @@\n-old\n+new\n@@ -10,2 +11,0 @@\n"
        "-x\n-y\ndiff --git a/y.bin b/y.bin\nBinary files a/y.bin and b/y.bin differ\n"
        "diff --git a/z.py b/z.py\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"
    )
    parsed = corpus._parse_patch(text)
    assert parsed[0] == (
        "abc",
        "x.py",
        [
            corpus.Hunk(3, (), ("    a", "    b")),
            corpus.Hunk(6, ("old",), ("new",)),
            corpus.Hunk(9, ("x", "y"), ()),
        ],
        True,
    )
    assert [(p[1], p[3]) for p in parsed[1:]] == [("y.bin", False), ("z.py", False)]


def test_cases_expect_the_next_hunk_inside_the_region_and_nothing_outside() -> None:
    """After hunk 1 the cursor is at the end of its text; hunk 2 near it is the expected
    rewrite (the region with it applied), a hunk 200 lines away makes a `nothing` case, and
    the request after the last hunk is `nothing` too."""
    before = [f"line {i}" for i in range(300)]
    hunks = [
        corpus.Hunk(10, ("line 10",), ("LINE 10",)),
        corpus.Hunk(12, ("line 12",), ("LINE 12", "extra")),
        corpus.Hunk(250, ("line 250",), ()),
    ]
    cases = cases_of(_change(before, hunks))
    assert [c.klass for c in cases] == ["replace/multi", "nothing", "nothing"]
    first = cases[0]
    assert first.cursor == (10, len("LINE 10"))
    assert first.expected[12:14] == ("LINE 12", "extra")
    start = first.region.start_line
    assert first.rewritten == first.expected[start : first.region.end_line + 1]
    assert first.history[-1].new_text.startswith("LINE")
    assert cases[1].expected == cases[1].lines
    assert cases[1].rewritten == cases[1].region.lines


def test_judge_is_strict() -> None:
    """Right is exactly the true next state; a strict subset of its line pieces is partial; no
    edit is empty; a no-op, an overlap, a stray change or any change where nothing is right is
    harmful."""
    lines = ("a", "b", "c", "d")
    expected = ("A", "b", "C", "d")
    both = [Edit(0, 0, 0, 1, "A"), Edit(2, 0, 2, 1, "C")]
    assert judge(lines, expected, both) == "right"
    assert judge(lines, expected, both[:1]) == "partial"
    assert judge(lines, expected, []) == "empty"
    assert judge(lines, expected, [Edit(1, 0, 1, 1, "b")]) == "harmful"
    assert judge(lines, expected, [Edit(0, 0, 0, 1, "A"), Edit(0, 0, 0, 1, "B")]) == "harmful"
    assert judge(lines, expected, [Edit(3, 0, 3, 1, "D")]) == "harmful"
    assert judge(lines, lines, [Edit(0, 0, 0, 1, "A")]) == "harmful"
    assert judge(lines, expected, [Edit(9, 0, 9, 0, "x")]) == "harmful"
    assert apply(lines, [Edit(1, 1, 2, 0, "\nx\n")]) == ("a", "b", "x", "c", "d")


def test_blank_line_whitespace_is_told_apart_but_stays_harmful() -> None:
    """An edit that is right but for the spaces on a blank line is harmful, and flagged as
    differing only there; a different word is not flagged."""
    lines = ("a", "  ", "c")
    expected = ("A", "  ", "c")
    edit = [Edit(0, 0, 1, 2, "A\n")]
    assert judge(lines, expected, edit) == "harmful"
    assert blank_whitespace_only(lines, expected, edit)
    assert not blank_whitespace_only(lines, expected, [Edit(0, 0, 0, 1, "B")])


def _case() -> Case:
    before = [f"def f{i}():\n    return {i}" for i in range(20)]
    flat = "\n".join(before).split("\n")
    hunks = [corpus.Hunk(1, ("    return 0",), ("    return 0  # a",)), corpus.Hunk(3, (), ("x",))]
    return cases_of(_change(flat, hunks))[0]


def test_clean_answer_is_the_rewritten_region_in_tags() -> None:
    """With no corruption the answer is the true rewritten region inside the prompt's tags."""
    case = _case()
    text = render(Draft(list(case.rewritten)))
    assert text == f"<{TAG}>\n" + "".join(ln + "\n" for ln in case.rewritten) + f"</{TAG}>"


def test_corruptions_keep_the_true_lines_recoverable() -> None:
    """An indentation shift is uniform (undoing it gives the true lines back) and echoed lines
    above are the document's own lines right above the region."""
    case = _case()
    rng = random.Random(3)
    shifted = indent_shift(Draft(list(case.rewritten)), Context(case, DEV), rng)
    assert shifted is not None
    assert [ln[4:] if ln.strip() else ln for ln in shifted.lines] == list(case.rewritten)
    echoed = echo_above(Draft(list(case.rewritten)), Context(case, HELDOUT), random.Random(1))
    if case.region.start_line:
        assert echoed is not None
        head = echoed.lines[: len(echoed.lines) - len(case.rewritten)]
        start = case.region.start_line
        assert tuple(head) == case.lines[start - len(head) : start]


def test_compose_is_deterministic_and_takes_one_per_group() -> None:
    """The same seed composes the same answer; no two corruptions of one group are composed."""
    case = _case()
    group_of = {name: i for i, group in enumerate(GROUPS) for name, _ in group}
    for n in range(60):
        names, draft = compose(Context(case, HELDOUT), random.Random(n))
        again_names, again = compose(Context(case, HELDOUT), random.Random(n))
        assert (names, render(draft)) == (again_names, render(again))
        groups = [group_of[name] for name in names]
        assert len(groups) == len(set(groups))
