"""The answer's tag read with what surrounds it (issue 14, fresh8/fresh9 samples): a fence
opened before `<COMPLETION>` is the answer's fence, so a closer glued to the last line of code
closes it; a `<COMPLETION>` named inside a sentence of reasoning that lost its opener is no
opener.

Each raw answer streams through `StreamStop` and `postprocess` in small pieces, as the session
runs them. The strings were written for these tests in the shapes real models produce.
"""

from __future__ import annotations

import pytest
from tests.unit.inline.test_extract_shapes import shown

from glm_lsp.inline.extract import extract
from glm_lsp.inline.named_tag import answer_opener

TS_BODY = "export class Keys {\n    static storageKey(thumbprint: string): string {║\n    }\n}\n"
TS_RETURN = "\n        return `${PREFIX}.${JSON.stringify(thumbprint)}`;"
SH_LOOP = 'for WORD in $ALL; do\n\tif ! [[ $prefix == *"$WORD"* ]]; then\n\t\t║\n\tfi\ndone\n'
TS_STRING = "const message = (tagName: string) =>\n  `║`;\n"


@pytest.mark.parametrize("piece", [3, 1000])
def test_fence_before_the_tag_is_closed_by_a_glued_closer(piece: int) -> None:
    """```` ```typescript ```` then `<COMPLETION>` then code ending in three backticks and a
    remark: the backticks close the fence, the remark goes."""
    raw = (
        "Sure! Here's the missing code:\n\n```typescript\n<COMPLETION>"
        + TS_RETURN
        + "```\nEsto completa el fragmento."
    )
    assert shown(TS_BODY, "typescript", raw, piece) == TS_RETURN


def test_fence_before_the_tag_in_shell() -> None:
    """In shell too a glued closer of a fence opened before the tag is markdown, not a
    command substitution."""
    raw = (
        '**Completion:**\n```sh\n<COMPLETION>OUTPUT="$WORD ${OUTPUT:-""}"```\n\nThis completes it.'
    )
    assert shown(SH_LOOP, "shellscript", raw) == 'OUTPUT="$WORD ${OUTPUT:-""}"'


def test_template_literal_after_a_fenced_tag_keeps_its_backtick() -> None:
    """Look-alike: the code's own template literal ends in one backtick before the closer on
    its own line; it stays."""
    raw = "```ts\n<COMPLETION>" + TS_RETURN + "\n```\n</COMPLETION>"
    assert shown(TS_BODY, "typescript", raw) == TS_RETURN


def test_fence_closed_before_the_tag_opens_nothing() -> None:
    """Look-alike: a fenced block closed before the tag (an example quoted first) leaves the
    answer after the tag unfenced: a glued backtick run there is not read as its closer."""
    found = extract("```\nold()\n```\n<COMPLETION>x = `date`", final=True, language="shellscript")
    assert found is not None and found.text == "x = `date`"


@pytest.mark.parametrize("closer", ["</reasoning>", "</think>"])
def test_tag_named_in_reasoning_without_opener_is_no_opener(closer: str) -> None:
    """Reasoning that lost its opener names the tag in a sentence (`inside <COMPLETION>
    tags`): that is no opener; the answer follows the reasoning's closer."""
    raw = (
        "I need to output only the missing code inside <COMPLETION> tags, nothing else.\n"
        f"{closer}\n\n<COMPLETION>value of tag must be in oneOf"
    )
    assert shown(TS_STRING, "typescript", raw) == "value of tag must be in oneOf"


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("Sure, here it is <COMPLETION>value</COMPLETION>", "value"),
        ("Here it is: <COMPLETION> value of tag", " value of tag"),
        ("The text to insert is below. <COMPLETION>value of tag", "value of tag"),
        ("The answer goes in <COMPLETION> value</COMPLETION>", " value"),
    ],
)
def test_tag_after_a_sentence_that_ends_still_opens(raw: str, answer: str) -> None:
    """Look-alikes: a tag after a colon, a full stop, glued to the answer, or with its closer
    on the line opens the answer."""
    found = extract(raw, final=True, in_text=True, language="typescript")
    assert found is not None and found.text == answer


def test_tag_named_with_no_answer_after_it_shows_nothing() -> None:
    """A finished stream whose only tag is named in a sentence has no answer; while it
    arrives, nothing is shown."""
    raw = "I will answer inside <COMPLETION> tags only"
    assert extract(raw, final=False, language="python") is None
    found = extract(raw, final=True, language="python")
    assert found is not None and found.text == ""


def test_long_line_of_named_tags_is_read_in_bounded_steps() -> None:
    """A hostile 200 KB line of tags inside sentences: each tag is looked back from a bounded
    way, and the first one past that bound is no sentence's (it opens the answer)."""
    sentence = "I need to write the code inside <COMPLETION> tags "
    raw = sentence * 4_000 + "\n<COMPLETION>x = 1"
    found, named = answer_opener(raw)
    assert named and found is not None
    assert found.start() == sentence.index("<") + 6 * len(sentence)
