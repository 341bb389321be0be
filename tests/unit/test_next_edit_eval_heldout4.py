"""The `heldout4` next-edit corruption family (bench/next_edit_eval/heldout4*.py): seeded and
deterministic, a clean answer judged right, every class drawn (mixes of two or three too),
every damage kept fixable, registered by name only and run on the held-out commits. Cases come
from small synthetic changes (spaces and tabs), not a git history."""

from __future__ import annotations

import random
import re

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from glm_lsp.edits.nextedit.propose import propose
from next_edit_eval.cases import Case, cases_of
from next_edit_eval.corpus import FileChange, Hunk
from next_edit_eval.families import GENERATORS, PARTS
from next_edit_eval.heldout4 import CLASSES, Draft, answer, compose, render
from next_edit_eval.heldout4_shapes import Parts, cut, elide, unchanged, wholefile
from next_edit_eval.judge import judge
from next_edit_eval.report import GROUPS, parse
from next_edit_eval.run import evaluate

PY = (
    "import json",
    "",
    "",
    "class Ledger:",
    "    def __init__(self, path):",
    "        self.path = path",
    "        self.rows = []",
    "",
    "    def add(self, amount, note):",
    "        self.rows.append((amount, note))",
    "        return len(self.rows)",
    "",
    "    def total(self):",
    "        return sum(row[0] for row in self.rows)",
    "",
    "    def save(self):",
    "        with open(self.path, 'w') as out:",
    "            json.dump(self.rows, out)",
    "",
    "    def count(self):",
    "        return len(self.rows)",
)
PY_HUNKS = (
    Hunk(6, ("        self.rows = []",), ("        self.entries = []",)),
    Hunk(
        9,
        ("        self.rows.append((amount, note))",),
        ("        self.entries.append((amount, note))",),
    ),
    Hunk(10, ("        return len(self.rows)",), ("        return len(self.entries)",)),
    Hunk(
        13,
        ("        return sum(row[0] for row in self.rows)",),
        ("        return sum(row[0] for row in self.entries)",),
    ),
    Hunk(
        17,
        ("            json.dump(self.rows, out)",),
        ("            json.dump(self.entries, out)", "            out.write('\\n')"),
    ),
    Hunk(20, ("        return len(self.rows)",), ()),
)
GO = (
    "package queue",
    "",
    "type Queue struct {",
    "\titems []int",
    "\tmax   int",
    "}",
    "",
    "func (q *Queue) Push(v int) bool {",
    "\tif len(q.items) >= q.max {",
    "\t\treturn false",
    "\t}",
    "\tq.items = append(q.items, v)",
    "\treturn true",
    "}",
    "",
    "func (q *Queue) Pop() int {",
    "\tv := q.items[0]",
    "\tq.items = q.items[1:]",
    "\treturn v",
    "}",
)
GO_HUNKS = (
    Hunk(4, ("\tmax   int",), ("\tlimit int",)),
    Hunk(8, ("\tif len(q.items) >= q.max {",), ("\tif len(q.items) >= q.limit {",)),
    Hunk(15, (), ("\tif len(q.items) == 0 {", "\t\treturn -1", "\t}")),
    Hunk(17, ("\tq.items = q.items[1:]",), ("\tq.items = append([]int(nil), q.items[1:]...)",)),
)
WHITESPACE = re.compile(r"\s+")
MARKS = re.compile("|".join(re.escape(m) for m in (CURSOR, REGION_OPEN, REGION_CLOSE)))


def _cases() -> list[Case]:
    py = FileChange("synthetic", "e" * 40, "books/ledger.py", "python", PY, PY_HUNKS)
    go = FileChange("synthetic", "f" * 40, "queue/queue.go", "go", GO, GO_HUNKS)
    return cases_of(py) + cases_of(go)


def _squeezed(text: str) -> str:
    return WHITESPACE.sub("", MARKS.sub("", text))


def test_the_same_seed_gives_the_same_answers_and_another_seed_others() -> None:
    """Runs are reproducible: a seed gives the same classes and raw answers every time, and a
    different seed draws different ones."""
    cases = _cases()
    first = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout4", 5, 3)]
    again = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout4", 5, 3)]
    other = [(o.corruptions, o.raw) for o in evaluate(cases, "heldout4", 6, 3)]
    assert first == again
    assert first != other


def test_a_clean_answer_is_judged_right_and_an_unchanged_one_empty() -> None:
    """With no class the answer is the true rewrite in the tags on lines of their own: propose
    turns it into the true next edit (right), and for a `nothing` case into no edit (empty)."""
    cases = _cases()
    assert {c.klass for c in cases} >= {"nothing", "replace/single", "insert/multi"}
    for case in cases:
        raw = render(Draft(Parts(list(case.rewritten))))
        assert raw == f"<{TAG}>\n" + "\n".join(case.rewritten) + f"\n</{TAG}>"
        got = propose(case.lines, case.region, raw, case.history, *case.cursor)
        want = "empty" if case.klass == "nothing" else "right"
        assert judge(case.lines, case.expected, got) == want, case.label


def test_every_class_is_drawn_and_mixes_happen() -> None:
    """Across the synthetic cases and many seeds every class appears, some samples are clean,
    many carry two or three classes at once, and the echoed marks are the prompt's own."""
    seen: set[str] = set()
    clean = mixed = total = 0
    marked = ""
    for case in _cases():
        for n in range(40):
            names, raw = answer(case, random.Random(f"t:{n}"))
            seen.update(names)
            clean += not names
            mixed += len(names) >= 2
            total += 1
            assert raw.strip()
            if "markers" in names:
                marked += raw
    assert seen == set(CLASSES)
    assert 0 < clean < total / 4
    assert mixed > total / 4
    assert REGION_OPEN in marked and CURSOR in marked


def test_an_answer_not_cut_nor_elided_holds_the_rewrite() -> None:
    """Fixable: whatever is composed, an answer that is neither cut nor elided holds the true
    rewrite, once the prompt's marks are removed and whitespace is set aside."""
    for case in _cases():
        for n in range(60):
            names, raw = answer(case, random.Random(f"f:{n}"))
            if "cut" in names or "elide" in names:
                continue
            assert _squeezed("\n".join(case.rewritten)) in _squeezed(raw), (names, raw)


def test_elided_runs_are_anchored_in_the_region() -> None:
    """An elided run is one comment line standing for 2 to 8 unchanged lines, between the
    answer's edges or lines found once in the region; filling it back from the region gives
    the true rewrite."""
    elided = 0
    for case in _cases():
        for n in range(12):
            parts = Parts(list(case.rewritten))
            if not elide(parts, case, random.Random(n)):
                continue
            elided += 1
            region = list(case.region.lines)
            filled: list[str] = []
            for i, line in enumerate(parts.code):
                if line in case.rewritten:
                    filled.append(line)
                    continue
                prev = region.index(filled[-1]) + 1 if filled else 0
                nxt = parts.code[i + 1] if i + 1 < len(parts.code) else None
                stop = region.index(nxt) if nxt is not None else len(region)
                assert stop - prev >= 2
                filled += region[prev:stop]
            assert filled == list(case.rewritten), (case.label, parts.code)
    assert elided >= 10


def test_cut_answers_keep_every_change_and_end_on_a_region_line() -> None:
    """A cut answer is the rewrite up to an unchanged line found once in the region, after the
    last change, maybe with a strict beginning of the next line; the region gives the rest."""
    done = 0
    for case in _cases():
        for n in range(12):
            parts = Parts(list(case.rewritten))
            if not cut(parts, case, random.Random(n)):
                continue
            done += 1
            assert parts.cut
            whole = list(parts.code)
            if whole and whole[-1] not in case.rewritten:
                partial = whole.pop()
                assert case.rewritten[len(whole)].startswith(partial)
            assert whole == list(case.rewritten[: len(whole)])
            anchor = whole[-1]
            assert case.region.lines.count(anchor) == 1
            rest = case.region.lines[case.region.lines.index(anchor) + 1 :]
            assert [*whole, *rest] == list(case.rewritten)
            assert f"</{TAG}>" not in render(Draft(parts))
    assert done >= 10


def test_a_whole_file_answer_holds_the_rewrite_between_the_files_own_lines() -> None:
    """The whole-file shape writes the file's own lines above and below the region around the
    true rewrite."""
    case = next(c for c in _cases() if c.klass != "nothing")
    parts = Parts(list(case.rewritten))
    assert wholefile(parts, case, random.Random(0))
    start, end = case.region.start_line, case.region.end_line
    assert parts.above == list(case.lines[:start])
    assert parts.below == list(case.lines[end : end + len(parts.below)])
    assert parts.joined() == [*parts.above, *case.rewritten, *parts.below]


def test_crlf_and_wrapping_leave_the_lines_intact() -> None:
    """Line endings and wrappers (tags, fences, reasoning, prose) change nothing between the
    rewrite's first and last line but the line endings."""
    case = next(c for c in _cases() if c.klass == "insert/multi")
    for n in range(40):
        draft = compose(case, random.Random(n))
        names = set(draft.names)
        if names & {"wholefile", "beyond", "elide", "cut", "markers", "indent", "tabs"}:
            continue
        raw = render(draft).replace("\r\n", "\n")
        assert "\n".join(case.rewritten) in raw
        if "crlf" in names:
            assert "\n" not in render(draft).replace("\r\n", "")


def test_the_rewrite_keeps_the_lines_it_maps() -> None:
    """`unchanged` maps the rewrite's kept lines to the same lines of the region."""
    for case in _cases():
        for j, i in unchanged(case).items():
            assert case.rewritten[j] == case.region.lines[i]


def test_heldout4_is_chosen_by_name_only_and_runs_on_the_held_out_commits() -> None:
    """`--family heldout4` selects the family; the default run and `both` leave it out; it is a
    generator family on the held-out part of the corpus."""
    assert parse(["--family", "heldout4"]).family == "heldout4"
    assert parse([]).family != "heldout4"
    assert "heldout4" not in GROUPS["both"]
    assert "heldout4" in GENERATORS and PARTS["heldout4"] == "heldout"
