"""The `heldout3` next-edit corruption family (bench/next_edit_eval/heldout3*.py): seeded and
deterministic, a clean answer judged right, every corruption class drawn, damage kept fixable,
registered by name but not run by default. Cases come from a small synthetic change, not a
git history."""

from __future__ import annotations

import random

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.propose import propose
from next_edit_eval.cases import Case, cases_of
from next_edit_eval.corpus import FileChange, Hunk
from next_edit_eval.families import GENERATORS, PARTS
from next_edit_eval.heldout3 import CLASSES, Draft, answer, render
from next_edit_eval.heldout3_shapes import Parts, apply
from next_edit_eval.judge import judge
from next_edit_eval.report import GROUPS, parse
from next_edit_eval.run import evaluate

BEFORE = (
    "package store",
    "",
    'import "sort"',
    "",
    "type Shelf struct {",
    "    items []string",
    "    limit int",
    "}",
    "",
    "func (s *Shelf) Put(item string) bool {",
    "    if len(s.items) >= s.limit {",
    "        return false",
    "    }",
    "    s.items = append(s.items, item)",
    "    return true",
    "}",
    "",
    "func (s *Shelf) Sorted() []string {",
    "    out := append([]string(nil), s.items...)",
    "    sort.Strings(out)",
    "    return out",
    "}",
    "",
    "func (s *Shelf) Len() int {",
    "    return len(s.items)",
    "}",
)
HUNKS = (
    Hunk(6, ("    limit int",), ("    capacity int",)),
    Hunk(10, ("    if len(s.items) >= s.limit {",), ("    if len(s.items) >= s.capacity {",)),
    Hunk(14, (), ("    sort.Strings(s.items)",)),
    Hunk(18, ("    out := append([]string(nil), s.items...)", "    sort.Strings(out)"), ()),
    Hunk(20, ("    return out",), ("    return s.items",)),
    Hunk(24, ("    return len(s.items)",), ("    return len(s.items) // count", "    // end")),
)


def _cases() -> list[Case]:
    tabbed = tuple(line.replace("    ", "\t") for line in BEFORE)
    tab_hunks = tuple(
        Hunk(
            h.old_start,
            tuple(x.replace("    ", "\t") for x in h.old),
            tuple(x.replace("    ", "\t") for x in h.new),
        )
        for h in HUNKS
    )
    spaces = FileChange("synthetic", "c" * 40, "store/shelf.go", "go", BEFORE, HUNKS)
    tabs = FileChange("synthetic", "d" * 40, "store/shelf_tabs.go", "go", tabbed, tab_hunks)
    return cases_of(spaces) + cases_of(tabs)


def test_the_same_seed_gives_the_same_answers_and_another_seed_others() -> None:
    """Runs are reproducible: a seed gives the same corruptions and raw answers every time, and
    a different seed draws different ones."""
    cases = _cases()
    first = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout3", 5, 3)]
    again = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout3", 5, 3)]
    other = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout3", 6, 3)]
    assert first == again
    assert first != other


def test_a_clean_answer_is_judged_right_and_an_unchanged_one_empty() -> None:
    """With no corruption the answer is the true rewrite in the tags: propose turns it into the
    true next edit (judged right), and for a `nothing` case into no edit (empty)."""
    cases = _cases()
    assert {c.klass for c in cases} >= {"nothing", "replace/single", "delete/multi"}
    for case in cases:
        raw = render(Draft(list(case.rewritten)))
        assert raw == f"<{TAG}>\n" + "\n".join(case.rewritten) + f"\n</{TAG}>"
        got = propose(case.lines, case.region, raw, case.history, *case.cursor)
        want = "empty" if case.klass == "nothing" else "right"
        assert judge(case.lines, case.expected, got) == want, case.label


def test_every_corruption_class_is_drawn_and_some_samples_are_clean() -> None:
    """Across the synthetic cases and many seeds every class of the family appears, and some
    samples carry no corruption at all; the echoed marks are the prompt's own."""
    seen: set[str] = set()
    clean = 0
    marked = ""
    for case in _cases():
        for n in range(40):
            names, raw = answer(case, random.Random(f"t:{n}"))
            seen.update(names)
            clean += not names
            assert raw.strip()
            if "markers" in names:
                marked += raw
    assert seen == set(CLASSES)
    assert clean > 0
    assert REGION_OPEN in marked and CURSOR in marked


def test_elided_runs_are_anchored_and_cut_answers_end_after_the_last_change() -> None:
    """An elided run becomes one comment line whose neighbours are the answer's edges or lines
    found once in the region; a cut answer is a prefix of the rewrite past its last change."""
    case = next(c for c in _cases() if c.klass == "replace/single")
    elided_some = False
    for n in range(30):
        rng = random.Random(n)
        parts = Parts([], list(case.rewritten), [])
        if apply("elide", parts, case, rng):
            elided_some = True
            marker = next(i for i, line in enumerate(parts.code) if "//" in line or "/*" in line)
            for side in (marker - 1, marker + 1):
                if 0 <= side < len(parts.code):
                    assert case.region.lines.count(parts.code[side]) == 1
        parts = Parts([], list(case.rewritten), [])
        if apply("cut", parts, case, rng):
            changed = max(
                i for i, line in enumerate(case.rewritten) if line not in case.region.lines
            )
            assert tuple(parts.code) == case.rewritten[: len(parts.code)]
            assert len(parts.code) > changed + 1 and parts.cut
    assert elided_some


def test_a_whole_file_answer_holds_the_rewrite_between_the_files_own_lines() -> None:
    """The `wholefile` shape writes the file's lines above and below the region around the
    true rewrite, unchanged."""
    case = next(c for c in _cases() if c.klass != "nothing")
    parts = Parts([], list(case.rewritten), [])
    assert apply("wholefile", parts, case, random.Random(0))
    start, end = case.region.start_line, case.region.end_line
    assert parts.above == list(case.lines[start - len(parts.above) : start])
    assert parts.below == list(case.lines[end : end + len(parts.below)])
    assert parts.joined() == [*parts.above, *case.rewritten, *parts.below]


def test_heldout3_is_chosen_by_name_only_and_runs_on_the_held_out_commits() -> None:
    """`--family heldout3` selects the family; the default run and `both` leave it out; it is a
    generator family on the held-out part of the corpus."""
    assert parse(["--family", "heldout3"]).family == "heldout3"
    assert parse([]).family != "heldout3"
    assert "heldout3" not in GROUPS["both"]
    assert "heldout3" in GENERATORS and PARTS["heldout3"] == "heldout"
