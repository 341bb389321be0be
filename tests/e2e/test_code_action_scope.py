"""Code actions without a selection target the function the syntax tree finds (issue 14):
the real server, a JavaScript and a Go document, ranges checked as the client receives them.
Both functions hold a multi-line string at column 0, where the indentation rule (the fallback
without a grammar) would stop and find no function."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.editor_sim import StartEditor, start_editor
from tests.e2e.test_code_actions import as_json, code_actions, command_arg, settings
from tests.glm_endpoint import GlmEndpoint

__all__ = ["start_editor"]

JS = """\
import { load } from "./load.js";

export const total = (items) => {
  const report = `
total: ${items.length}
`;
  return report;
};

function unrelated() {
  return 1;
}
"""

GO = """\
package shop

func (c *Cart) Query() string {
\tq := `
SELECT price
FROM items
`
\tfor _, item := range c.Items {
\t\tq += item.Filter
\t}
\treturn q
}

var unused = 1
"""


def whole_lines(first: int, after_last: int) -> dict[str, Any]:
    return {
        "start": {"line": first, "character": 0},
        "end": {"line": after_last, "character": 0},
    }


async def ranges_at(
    start_editor: StartEditor,
    endpoint: GlmEndpoint,
    path: Path,
    text: str,
    language: str,
    line: int,
) -> list[Any]:
    path.write_text(text)
    client, editor = await start_editor(settings(endpoint))
    uri = path.as_uri()
    editor.open(uri, text, language_id=language)
    actions = await code_actions(client, uri, (line, 4), (line, 4))
    return [as_json(command_arg(action))["range"] for action in actions]


async def test_javascript_arrow_function_assigned_to_a_const_is_the_target(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """A cursor inside `export const total = (items) => {...}` gets the whole declaration,
    from `export` to `};`, for every action."""
    found = await ranges_at(start_editor, glm_endpoint, tmp_path / "cart.js", JS, "javascript", 6)
    assert found and all(r == whole_lines(2, 8) for r in found)


async def test_go_method_is_the_target_and_top_level_code_has_none(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """A cursor inside a loop of a Go method gets the method (receiver line to closing brace);
    a top-level `var` line gets no action."""
    found = await ranges_at(start_editor, glm_endpoint, tmp_path / "cart.go", GO, "go", 8)
    assert found and all(r == whole_lines(2, 12) for r in found)
    outside = await ranges_at(start_editor, glm_endpoint, tmp_path / "more.go", GO, "go", 13)
    assert outside == []
