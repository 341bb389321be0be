"""Region boundaries (stable, so the prompt prefix and the provider's cache stay warm) and the
prompt built around them."""

from __future__ import annotations

from glm_lsp.edits.nextedit.history import Hunk
from glm_lsp.edits.nextedit.prompt import (
    CURSOR,
    REGION_CLOSE,
    REGION_OPEN,
    SYSTEM,
    build_messages,
    render_hunk,
)
from glm_lsp.edits.nextedit.region import BLOCK_LINES, region_around

DOC = [f"line {i} = {i}" for i in range(100)]


def test_cursor_moves_inside_a_block_keep_the_boundaries() -> None:
    """Ensure every cursor line inside one block gives the same region, which contains it."""
    regions = {
        (r.start_line, r.end_line)
        for r in (region_around(DOC, line) for line in range(40, 40 + BLOCK_LINES))
    }
    assert len(regions) == 1
    start, end = regions.pop()
    assert start % BLOCK_LINES == 0 and end % BLOCK_LINES == 0 and start < 40 < end


def test_region_always_contains_the_cursor_line() -> None:
    """Ensure the region holds the cursor's line at the start, the end and past the end."""
    for line in (0, 1, 57, 99, 150):
        region = region_around(DOC, line)
        assert region.contains_line(min(line, 99))
        assert list(region.lines) == DOC[region.start_line : region.end_line]


def test_region_of_an_empty_document_and_line_breaks() -> None:
    """Ensure an empty document gives an empty region and line breaks are not kept."""
    assert region_around([], 3).lines == ()
    region = region_around(["a\n", "b\r\n", "c"], 1)
    assert region.lines == ("a", "b", "c") and region.text == "a\nb\nc\n"


def test_long_lines_shrink_the_region_around_the_cursor() -> None:
    """Ensure a region over max_chars drops lines far from the cursor but keeps the cursor."""
    doc = ["x" * 99] * 60
    region = region_around(doc, 30, max_chars=1000)
    assert region.contains_line(30)
    assert len(region.text) <= 1000
    assert region.end_line - region.start_line == 10


def test_prompt_prefix_is_identical_while_typing_in_a_block() -> None:
    """Ensure two requests with the cursor in the same block share everything before the region
    (the provider's prompt cache hits), and that the cursor mark sits in the region."""
    first = build_messages([], region_around(DOC, 41), "a.py", "python", cursor=(41, 3), lines=DOC)
    second = build_messages([], region_around(DOC, 44), "a.py", "python", cursor=(44, 0), lines=DOC)
    assert first[0] == second[0] == {"role": "system", "content": SYSTEM}
    one, two = first[1]["content"], second[1]["content"]
    prefix = one.split(REGION_OPEN)[0]
    assert prefix == two.split(REGION_OPEN)[0]
    region_part = one.split(REGION_OPEN)[1].split(REGION_CLOSE)[0]
    assert "lin" + CURSOR + "e 41 = 41" in region_part


def test_prompt_shows_related_context_and_history_last() -> None:
    """Ensure the related snippets come first and the edit history after the file, most recent
    last, each as a unified diff of whole lines."""
    doc = list(DOC)
    doc[10] = "line 10 = ten"
    older = Hunk("u", 3, "a", "b", 0.0, 1, 0)
    newer = Hunk("u", 10, "10", "ten", 1.0, 2, 10)
    content = build_messages(
        [older, newer],
        region_around(doc, 11),
        "pkg/a.py",
        "python",
        [("pkg/b.py", "def helper(): ...")],
        cursor=(11, 0),
        lines=doc,
    )[1]["content"]
    assert content.index("def helper") < content.index(REGION_OPEN) < content.index("-a\n+b")
    assert content.index("-a\n+b") < content.index("-line 10 = 10\n+line 10 = ten")


def test_render_hunk_falls_back_to_the_changed_text() -> None:
    """Ensure a hunk whose text is no longer where it says is shown as the changed text only."""
    hunk = Hunk("u", 2, "old", "new", 0.0, None, 4)
    assert render_hunk(hunk, "a.py", ["x", "y", "zzzz other"]).endswith("-old\n+new\n")
    whole = render_hunk(hunk, "a.py", ["x", "y", "abc new!"])
    assert whole.endswith("-abc old!\n+abc new!\n") and "@@ -3,1 +3,1 @@" in whole
