"""The cursor line's lead operator written again in a run of sibling lines (fresh8's
`| undefined` after a typed `|` under `| object`).

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

from tests.unit.inline.test_extract_shapes import shown

TS_UNION = (
    "export type AccountInfo = {\n"
    "    idTokenClaims?: {\n"
    "        [key: string]:\n"
    "            | number\n"
    "            | object\n"
    "            |║\n"
    "            | unknown;\n"
    "    };\n"
    "};\n"
)
JS_CONDITION = "function ready(state) {\n  return state.loaded\n    && state.valid\n    &&║\n}\n"
TS_FIRST = "type Value =\n  |║\n"


def test_union_member_with_its_bar_again() -> None:
    """`| undefined` after a typed `|` under `| object`: the bar is the typed one."""
    assert shown(TS_UNION, "typescript", "<COMPLETION>| undefined") == " undefined"


def test_condition_operand_with_its_operator_again() -> None:
    """`&& state.ready` after a typed `&&` under `&& state.valid`: the same shape."""
    assert shown(JS_CONDITION, "javascript", "<COMPLETION>&& state.ready") == " state.ready"


def test_answer_without_the_repeat_stays() -> None:
    """Look-alike: the operand alone, after the typed bar, is shown as it came."""
    assert shown(TS_UNION, "typescript", "<COMPLETION> undefined") == " undefined"


def test_no_sibling_above_keeps_the_answer() -> None:
    """Look-alike: without a line above led by the same operator the answer is not changed
    by this rule (`type Value =` above the first member)."""
    assert shown(TS_FIRST, "typescript", "<COMPLETION>| string") == "| string"


def test_part_of_a_longer_operator_typed_keeps_the_answer() -> None:
    """Look-alike: a typed `&` under `&& state.valid` is no lead of the run: `&& state.ready`
    is not read as its repeat."""
    document = JS_CONDITION.replace("&&║", "&║")
    assert shown(document, "javascript", "<COMPLETION>&& state.ready") == "&& state.ready"


C_MACRO = (
    "#define NS_PUT16(s, cp) do { \\\n\t*t_cp   = t_s; \\\n\t(║) += NS_INT16SZ; \\\n} while (0)\n"
)


def test_respaced_repeat_of_the_line_leaves_no_space_in_brackets() -> None:
    """`\\t( cp` for `\\t(|)`: the typed line written again with a space after its bracket;
    once the repeat goes, its space goes too."""
    assert shown(C_MACRO, "c", "<COMPLETION>\t( cp") == "cp"


def test_space_of_an_answer_without_a_repeat_stays() -> None:
    """Look-alikes: with no repeat of the line the answer's own space stays, and so do the
    spaces of a file that writes `( x )` (the closer after a space)."""
    assert shown(C_MACRO, "c", "<COMPLETION> cp") == " cp"
    spaced = C_MACRO.replace("\t(║)", "\t(║ )")
    assert shown(spaced, "c", "<COMPLETION>\t( cp") == " cp"
