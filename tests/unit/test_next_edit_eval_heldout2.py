"""The `heldout2` next-edit corruption family (bench/next_edit_eval/heldout2*.py): seeded and
deterministic, a clean answer judged right, every corruption class drawn, registered by name
but not run by default. Cases come from a small synthetic change, not a git history."""

from __future__ import annotations

import random

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.propose import propose
from next_edit_eval.cases import Case, cases_of
from next_edit_eval.corpus import FileChange, Hunk
from next_edit_eval.heldout2 import CLASSES, Answer, answer, render
from next_edit_eval.heldout2_shapes import cut_tail, elide
from next_edit_eval.judge import judge
from next_edit_eval.report import GROUPS, parse
from next_edit_eval.run import evaluate

BEFORE = (
    '"""A small counter module."""',
    "",
    "from __future__ import annotations",
    "",
    "",
    "class Counter:",
    '    """Counts things by name."""',
    "",
    "    def __init__(self) -> None:",
    "        self.count = 0",
    "        self.names: list[str] = []",
    "",
    "    def add(self, name: str) -> None:",
    "        self.count += 1",
    "        self.names.append(name)",
    "",
    "    def reset(self) -> None:",
    "        self.count = 0",
    "        self.names.clear()",
    "",
    "    def report(self) -> str:",
    '        return f"{self.count} things"',
    "",
    "",
    "def make() -> Counter:",
    "    counter = Counter()",
    '    counter.add("first")',
    "    return counter",
)
HUNKS = (
    Hunk(9, ("        self.count = 0",), ("        self.total = 0",)),
    Hunk(13, ("        self.count += 1",), ("        self.total += 1",)),
    Hunk(17, ("        self.count = 0",), ("        self.total = 0",)),
    Hunk(19, (), ("    def size(self) -> int:", "        return len(self.names)", "")),
    Hunk(
        21, ('        return f"{self.count} things"',), ('        return f"{self.total} things"',)
    ),
    Hunk(26, ('    counter.add("first")',), ()),
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
    spaces = FileChange("synthetic", "a" * 40, "pkg/counter.py", "python", BEFORE, HUNKS)
    tabs = FileChange("synthetic", "b" * 40, "pkg/counter_tabs.py", "python", tabbed, tab_hunks)
    return cases_of(spaces) + cases_of(tabs)


def test_the_same_seed_gives_the_same_answers_and_another_seed_others() -> None:
    """Runs are reproducible: a seed gives the same corruptions and raw answers every time, and
    a different seed draws different ones."""
    cases = _cases()
    first = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout2", 7, 3)]
    again = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout2", 7, 3)]
    other = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout2", 8, 3)]
    assert first == again
    assert first != other


def test_a_clean_answer_is_judged_right_and_an_unchanged_one_empty() -> None:
    """With no corruption the answer is the true rewrite in the tags: propose turns it into
    the true next edit (judged right), and for a `nothing` case into no edit (empty)."""
    cases = _cases()
    assert {c.klass for c in cases} >= {"nothing", "replace/single", "insert/multi"}
    for case in cases:
        raw = render(Answer(list(case.rewritten)))
        assert raw == f"<{TAG}>\n" + "\n".join(case.rewritten) + f"\n</{TAG}>"
        got = propose(case.lines, case.region, raw, case.history, *case.cursor)
        want = "empty" if case.klass == "nothing" else "right"
        assert judge(case.lines, case.expected, got) == want, case.label


def test_every_corruption_class_is_drawn_and_some_samples_are_clean() -> None:
    """Across the synthetic cases and a few hundred seeds every class of the family appears,
    and some samples carry no corruption at all."""
    seen: set[str] = set()
    clean = 0
    for case in _cases():
        for n in range(40):
            names, raw = answer(case, random.Random(f"t:{n}"))
            seen.update(names)
            clean += not names
            assert raw.strip()
    assert seen == set(CLASSES)
    assert clean > 0


def test_damage_stays_fixable_elided_runs_are_anchored_cut_answers_keep_every_change() -> None:
    """An elided run is replaced by one comment line between lines that occur once in the
    region; a cut answer is a prefix of the true rewrite that still holds its last change."""
    case = next(c for c in _cases() if c.klass == "replace/single")
    for n in range(30):
        rng = random.Random(n)
        elided = elide(case, list(case.rewritten), rng)
        assert elided is not None
        marker = next(i for i, line in enumerate(elided) if line not in case.rewritten)
        assert "#" in elided[marker]
        for side in (marker - 1, marker + 1):
            if 0 <= side < len(elided):
                assert case.region.lines.count(elided[side]) == 1
        cut = cut_tail(case, list(case.rewritten), rng)
        if cut is not None:
            changed = max(
                i for i, line in enumerate(case.rewritten) if line not in case.region.lines
            )
            assert tuple(cut) == case.rewritten[: len(cut)] and len(cut) > changed + 1


def test_heldout2_is_chosen_by_name_only() -> None:
    """`--family heldout2` selects the family; the default run and `both` leave it out."""
    assert parse(["--family", "heldout2"]).family == "heldout2"
    assert parse([]).family != "heldout2"
    assert "heldout2" not in GROUPS["both"]


def test_echoed_marks_are_the_prompts_own() -> None:
    """The `marks` class echoes the prompt's own region and cursor marks."""
    found = ""
    for case in _cases():
        for n in range(60):
            names, raw = answer(case, random.Random(f"m:{n}"))
            if "marks" in names:
                found += raw
    assert REGION_OPEN in found and CURSOR in found
