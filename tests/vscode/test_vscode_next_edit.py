"""Next-edit suggestions in real VS Code (code-server) with the built extension.

The loopback GLM endpoint plays the model as in the Neovim suite: it reads the region glm-lsp
asks to rewrite out of the prompt and answers it with the parameters of ``scale`` renamed at
their uses as in its header. The extension writes what it shows to the file named by
``GLM_E2E_NEXT_EDIT_STATE`` (a test hook); the driver also checks what the editor draws (the
struck-through old name, the new name after it, the gutter icon), the cursor from the status
bar and the document text. Install first with ``bash editors/vscode/e2e/install.sh``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from glm_lsp.edits.nextedit.prompt import CURSOR, REGION_CLOSE, REGION_OPEN, TAG
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.vscode.conftest import vscode
from tests.vscode.harness import VsCodeSession, scenario_result

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(300)]

SCALE = (
    "def scale(size, factor):\n"
    '    """Multiply the two."""\n'
    "    result = size * factor\n"
    "    return result\n"
)


def _region(body: Any) -> str | None:
    """The region the prompt asks to rewrite (cursor mark removed), or None for another
    request."""
    messages = body.get("messages", []) if isinstance(body, dict) else []
    text = "\n".join(m.get("content", "") for m in messages if isinstance(m, dict))
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


def _complete_sum(region: str) -> str:
    """The region with a ``return a +`` line completed to ``return a + b``."""
    return re.sub(r"return a \+$", "return a + b", region, flags=re.MULTILINE)


def _model(body: Any) -> Reply | None:
    """Next-edit requests get their region rewritten; everything else the empty default."""
    region = _region(body)
    if region is None:
        return None
    return Reply.stream([f"<{TAG}>\n", _complete_sum(_rename_uses(region)), f"</{TAG}>"])


ADD = "def add(a, b):\n    return a\n"

Run = tuple[VsCodeSession, dict[str, Any], GlmEndpoint]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One session with the key in the environment and the next-edit scenario."""
    state = tmp_path_factory.mktemp("next_edit") / "state.json"
    with GlmEndpoint() as endpoint:
        endpoint.handler = _model
        with vscode(
            "vscode_next_edit",
            endpoint_url=endpoint.url,
            api_key="e2e-key",
            files={"scale.py": SCALE, "stale.py": SCALE, "add.py": ADD},
            # ghost text would take Tab first (as in Copilot); this session is about next edits
            settings={"glm.inline.enabled": False},
            extra_env={"GLM_E2E_NEXT_EDIT_STATE": str(state)},
        ) as session:
            result = session.drive(
                [
                    {"name": "next_edit", "file": "scale.py", "stateFile": str(state)},
                    {"name": "next_edit_stale", "file": "stale.py", "stateFile": str(state)},
                    {
                        "name": "next_edit_inline",
                        "file": "add.py",
                        "line": 2,
                        "column": 13,
                        "type": " +",
                        "expectText": " b",
                        "expectGhost": "b",
                        "expectLine": "    return a + b",
                        "stateFile": str(state),
                    },
                ]
            )
            yield session, result, endpoint


def test_rename_previews_use_tab_jumps_tab_accepts_esc_dismisses(run: Run) -> None:
    """Ensure renaming a parameter in the header makes the extension ask glm/nextEdit and show
    the rename at its use as a decoration (old name struck through, new name after it, gutter
    icon, document unchanged); Tab moves the cursor there, Tab again applies exactly the rename
    and sends glm.nextEdit.accepted; after a second rename Escape hides the preview without
    touching the document; an edit by hand while a preview is shown drops it for good; "GLM:
    Show Status" then reports the one accepted suggestion (glm.status's nextEdit counters)."""
    session, result, endpoint = run
    got = scenario_result(session, result, "next_edit")
    assert any(REGION_OPEN in json.dumps(r.body) for r in endpoint.requests)
    counted = next(
        s for s in got["steps"] if s["name"] == "glm.status counts the accepted suggestion"
    )
    assert re.fullmatch(r"next edit\s+[1-9]\d* shown, 1 accepted", counted["detail"].strip())


def test_tab_right_after_a_change_types_a_tab_and_applies_nothing(run: Run) -> None:
    """Ensure a Tab typed right after a change (while the suggestion for the text before it may
    still be bound to Tab) goes into the text and never applies that stale suggestion."""
    session, result, _ = run
    scenario_result(session, result, "next_edit_stale")


def test_edit_at_cursor_is_ghost_text_and_tab_accepts(run: Run) -> None:
    """Ensure a suggested edit at the cursor (completing ``return a +``) is offered through
    VS Code's inline completions (ghost text replacing the edit's range, no decoration), that
    Tab accepts it into the document, and that the accept reaches the server's counters."""
    session, result, _ = run
    got = scenario_result(session, result, "next_edit_inline")
    counted = next(
        s for s in got["steps"] if s["name"] == "glm.status counts the inline accept too"
    )
    assert re.fullmatch(r"next edit\s+[1-9]\d* shown, 2 accepted", counted["detail"].strip())
