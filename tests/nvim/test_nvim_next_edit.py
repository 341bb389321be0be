"""Next-edit suggestions in real headless Neovim against glm-lsp and the loopback GLM endpoint.

The endpoint plays the model: it reads the region glm-lsp asks to rewrite out of the prompt and
answers it rewritten the way the user's last edit implies (a renamed parameter renamed at its
uses, an added parameter stored), as a model would, inside the answer's tags.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

SCALE = (
    "def scale(size, factor):\n"
    '    """Multiply the two."""\n'
    "    result = size * factor\n"
    "    return result\n"
)
POINT = "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n"


def _region(body: Any) -> str | None:
    """The region the prompt asks to rewrite (cursor mark removed), or None for another
    request."""
    text = "\n".join(m.get("content", "") for m in body.get("messages", []) if isinstance(m, dict))
    start = text.find(REGION_OPEN + "\n")
    end = text.find(REGION_CLOSE, start)
    if start < 0 or end < 0:
        return None
    return text[start + len(REGION_OPEN) + 1 : end].replace(CURSOR, "")


def _rename_uses(region: str) -> str:
    """The region with the parameters of ``scale`` renamed at their uses as in its header."""
    lines = region.split("\n")
    for i, line in enumerate(lines):
        header = re.match(r"def scale\((\w+), (\w+)\):", line)
        if header:
            renames = dict(zip(("size", "factor"), header.groups(), strict=True))
            for j in range(len(lines)):
                if j != i:
                    for old, new in renames.items():
                        lines[j] = re.sub(rf"\b{old}\b", new, lines[j])
    return "\n".join(lines)


def _store_new_field(region: str) -> str:
    """The region with ``self.z = z`` stored once ``__init__`` takes a ``z``."""
    if "y, z):" not in region or "self.z" in region:
        return region
    return region.replace("        self.y = y\n", "        self.y = y\n        self.z = z\n")


def _answer(endpoint: GlmEndpoint, rewrite: Callable[[str], str]) -> None:
    """Answer every next-edit request with its region rewritten by ``rewrite``."""

    def handler(body: Any) -> Reply | None:
        region = _region(body) if isinstance(body, dict) else None
        if region is None:
            return None
        return Reply.stream([f"<{TAG}>\n", rewrite(region), f"</{TAG}>"])

    endpoint.handler = handler


def _next_edit_requests(endpoint: GlmEndpoint) -> int:
    return sum(1 for r in endpoint.requests if REGION_OPEN in json.dumps(r.body))


@pytest.mark.nvim
def test_rename_previews_the_use_tab_jumps_tab_accepts_esc_dismisses(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure renaming a parameter (ciw in normal mode) makes the plugin ask glm/nextEdit with
    the buffer's uri, version and cursor, and the answer shows at the parameter's use as a
    preview (old name highlighted as deleted, new name inline as added, buffer unchanged);
    <Tab> moves the cursor to the use, <Tab> again applies exactly the rename there, leaves
    the preview gone and sends glm.nextEdit.accepted with the item's id; after a second
    rename <Esc> hides the new preview without touching the buffer. :GlmStatus counts the
    shown and accepted suggestion."""
    _answer(glm_endpoint, _rename_uses)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": SCALE},
        base_url=glm_endpoint.url,
        SCENARIO="flow",
        FILE="scale.py",
    )
    renamed = "def scale(length, factor):"
    assert data["lines_with_preview"][0] == renamed
    assert data["lines_with_preview"][2] == "    result = size * factor"
    request = data["request"]
    assert request["textDocument"]["uri"].endswith("/scale.py")
    assert request["textDocument"]["version"] == data["version"]
    assert request["position"] == {"line": 0, "character": 15}
    assert data["cursor_with_preview"] == [1, 15]
    assert data["preview"] == [
        {"row": 2, "col": 13, "end_row": 2, "end_col": 17, "hl": "GlmNextEditDelete"},
        {"row": 2, "col": 17, "text": "length", "text_hl": "GlmNextEditAdd"},
    ]
    assert data["suggestion"]["textDocument"]["version"] == data["version"]
    assert data["cursor_after_jump"] == [3, 13]
    assert data["preview_after_jump"] == data["preview"]
    assert data["lines_after_jump"] == data["lines_with_preview"]
    assert data["lines_after_accept"] == [
        renamed,
        '    """Multiply the two."""',
        "    result = length * factor",
        "    return result",
    ]
    assert data["cursor_after_accept"] == [3, 18]
    assert data["mode_after_accept"] == "n"
    assert data["preview_after_accept"] == []
    (arguments,) = data["accepted"]
    assert isinstance(arguments[0]["id"], str) and arguments[0]["id"]
    # requests for the text in the middle of typing may have been answered too
    assert re.fullmatch(r"next edit: [1-9]\d* shown, 1 accepted", data["status_line"])
    assert data["second_preview"][1]["text"] == "k"
    assert data["unchanged_by_dismiss"] is True
    assert data["lines_after_dismiss"][2] == "    result = length * factor"
    assert data["mode_after_dismiss"] == "n"
    assert data["visible_after_dismiss"] is False
    assert _next_edit_requests(glm_endpoint) >= 2


@pytest.mark.nvim
def test_a_user_edit_drops_the_preview_and_a_stale_one_is_never_applied(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a user edit made while a preview is shown removes it by the time TextChanged
    runs (the answer for the new text brings a new one), and that <Tab> typed right after a
    change (in the same input) never applies the edit shown for the text before it."""
    _answer(glm_endpoint, _rename_uses)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": SCALE},
        base_url=glm_endpoint.url,
        SCENARIO="stale",
        FILE="scale.py",
    )
    assert data["marks_when_text_changed"] and set(data["marks_when_text_changed"]) == {0}
    assert data["lines_after_edit"][0] == "def scale(length, factor):  # scaled"
    assert data["lines_after_edit"][2] == "    result = size * factor"
    assert data["preview_for_new_text"][1]["text"] == "length"
    assert data["cursor_on_use"] == [3, 13]
    assert data["lines_after_stale_tab"][2] == "    result = ize * factor"


@pytest.mark.nvim
def test_typing_in_insert_mode_previews_and_leaving_it_keeps_the_preview(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure typing a rename in insert mode brings the preview while still typing, leaving
    insert mode keeps it and sends no new request (the text is the same), and <Tab> <Tab>
    then applies it."""
    _answer(glm_endpoint, _rename_uses)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": SCALE},
        base_url=glm_endpoint.url,
        SCENARIO="insert",
        FILE="scale.py",
    )
    assert data["mode_with_preview"] == "i"
    # the smallest edit inserts "new_" before the use: nothing is marked deleted
    assert data["preview"] == [{"row": 2, "col": 13, "text": "new_", "text_hl": "GlmNextEditAdd"}]
    assert data["mode_after_esc"] == "n"
    assert data["preview_after_esc"] == data["preview"]
    assert data["requests_after_esc"] == 0
    assert data["lines_after_accept"][2] == "    result = new_size * factor"


@pytest.mark.nvim
def test_moving_beyond_the_suggestion_dismisses_it(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure the preview stays while the cursor moves from where it was towards the
    suggestion (from the renamed header to the line between), is removed when the cursor moves
    beyond it (to the last line), and that moving without changing the text sends no new
    glm/nextEdit request."""
    _answer(glm_endpoint, _rename_uses)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": SCALE},
        base_url=glm_endpoint.url,
        SCENARIO="move",
        FILE="scale.py",
    )
    assert data["cursor_between"][0] == 2
    assert data["marks_between"] == 2
    assert data["cursor_beyond"][0] == 4
    assert data["marks_beyond"] == 0
    assert data["requests_after_moves"] == 0


@pytest.mark.nvim
def test_an_edit_while_the_model_answers_cancels_the_request_upstream(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure an edit made while the model is still answering the previous next-edit request
    makes the plugin cancel that request ($/cancelRequest), the server drops the upstream
    streams it had open for the old text (the endpoint sees the client go away), and the
    preview shown is the one for the new text."""
    mark = tmp_path / "first-request"

    def handler(body: Any) -> Reply | None:
        region = _region(body) if isinstance(body, dict) else None
        if region is None:
            return None
        if "# scaled" not in region:  # every request before the second edit stalls
            mark.write_text("arrived")
            return Reply.stream([f"<{TAG}>\n", region, f"</{TAG}>"], first_delay=30.0)
        return Reply.stream([f"<{TAG}>\n", _rename_uses(region), f"</{TAG}>"])

    glm_endpoint.handler = handler
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": SCALE},
        base_url=glm_endpoint.url,
        SCENARIO="cancel",
        FILE="scale.py",
        MARK=str(mark),
    )
    assert data["preview_while_stalled"] == []
    assert data["cancels"] >= 1
    assert data["lines"][0] == "def scale(length, factor):  # scaled"
    assert data["preview"][1]["text"] == "length"
    stalled = [
        r
        for r in glm_endpoint.requests
        if isinstance(r.body, dict) and "# scaled" not in (_region(r.body) or "# scaled")
    ]
    assert stalled
    assert glm_endpoint.wait_for(lambda _: all(r.gone is not None for r in stalled), 10)


@pytest.mark.nvim
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_positions_after_non_ascii_text_are_converted_for_preview_and_accept(
    tmp_path: Path, glm_endpoint: GlmEndpoint, encoding: str
) -> None:
    """Ensure, in either position encoding the client may negotiate, an edit on a line with
    multi-byte characters before it (é: 2 bytes, 1 UTF-16 unit; 𝔁: 4 bytes, 2 UTF-16 units)
    is previewed over exactly the old name's bytes, the jump lands on its first byte, and
    accepting replaces exactly that name."""
    text = "def scale(size, factor):\n    résultat_𝔁 = size * factor\n    return résultat_𝔁\n"
    _answer(glm_endpoint, _rename_uses)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"scale.py": text},
        base_url=glm_endpoint.url,
        SCENARIO="accept",
        FILE="scale.py",
        ROW="1",
        COL="10",
        KEYS="ciwlength<Esc>",
        ENCODING=encoding,
    )
    assert data["client_encoding"] == encoding
    start = len("    résultat_𝔁 = ".encode())
    assert data["preview"] == [
        {"row": 1, "col": start, "end_row": 1, "end_col": start + 4, "hl": "GlmNextEditDelete"},
        {"row": 1, "col": start + 4, "text": "length", "text_hl": "GlmNextEditAdd"},
    ]
    assert data["cursor_after_jump"] == [2, start]
    assert data["lines_after_accept"] == [
        "def scale(length, factor):",
        "    résultat_𝔁 = length * factor",
        "    return résultat_𝔁",
    ]
    assert data["accepted"] == 1


@pytest.mark.nvim
def test_keys_keep_their_normal_meaning_without_a_suggestion(tmp_path: Path) -> None:
    """Ensure with no next-edit suggestion shown normal-mode <Tab> jumps forward in the
    jumplist as Neovim's own <Tab> does, normal-mode <Esc> runs the mapping the user had on it
    before setup(), and insert-mode <Tab> still inserts a tab."""
    data = run_nvim(
        "next_edit.lua", tmp_path, files={"scale.py": SCALE}, SCENARIO="fallback", FILE="scale.py"
    )
    assert data["cursor_after_back"] == [1, 0]
    assert data["cursor_after_tab"][0] == 4
    assert data["user_esc"] == 1
    assert data["mode_after_esc"] == "n"
    assert data["first_line"] == "\tdef scale(size, factor):"
    assert data["normal_tab_desc"] == "glm: jump to or accept next-edit suggestion"
    assert data["normal_esc_desc"] == "glm: dismiss next-edit suggestion"


@pytest.mark.nvim
def test_an_added_line_previews_as_a_virtual_line_and_is_accepted_exactly(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure adding a parameter to __init__ brings a suggestion that stores it on a new line:
    the preview is that line as a virtual line below the last assignment (in GlmNextEditAdd,
    nothing marked deleted), <Tab> jumps to it and <Tab> inserts exactly that line."""
    _answer(glm_endpoint, _store_new_field)
    data = run_nvim(
        "next_edit.lua",
        tmp_path,
        files={"point.py": POINT},
        base_url=glm_endpoint.url,
        SCENARIO="lines",
        FILE="point.py",
    )
    (mark,) = data["preview"]
    assert mark["lines"] == ["        self.z = z"]
    assert mark["lines_hl"] == "GlmNextEditAdd"
    assert mark["row"] == 3
    assert "hl" not in mark
    assert data["lines_after_accept"] == [
        "class Point:",
        "    def __init__(self, x, y, z):",
        "        self.x = x",
        "        self.y = y",
        "        self.z = z",
    ]
    assert data["preview_after_accept"] == []
