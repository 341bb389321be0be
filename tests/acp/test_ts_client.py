"""``glm-lsp acp`` driven by the TypeScript ACP SDK (``@agentclientprotocol/sdk`` from npm).

``ts/drive.mjs`` is the client: one prompt whose turn reads a file through ``fs/read_text_file``
and edits it, which asks ``session/request_permission`` and lands through
``fs/write_text_file``. ``ts/install.sh`` (run by scripts/test.sh) installs the pinned SDK.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.acp.harness import agent_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

TS = Path(__file__).parent / "ts"


def test_typescript_client_prompt_with_one_permission(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """The TypeScript client sees a read and an edit tool call, is asked once, allows it,
    receives the new text through fs/write_text_file, and the prompt ends with end_turn."""
    node = shutil.which("node")
    assert node is not None, "node is not on PATH: install Node.js 18 or newer"
    assert (TS / "node_modules" / "@agentclientprotocol" / "sdk").is_dir(), (
        "the TypeScript ACP SDK is not installed: run tests/acp/ts/install.sh"
    )
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("X = 1\n", encoding="utf-8")
    edit = {"path": "a.py", "edits": [{"search": "X = 1", "replace": "X = 2"}]}
    glm_endpoint.enqueue(
        Reply.tool_calls([("r1", "read_file", json.dumps({"path": "a.py"}))]),
        Reply.tool_calls([("e1", "edit_file", json.dumps(edit))]),
        Reply.stream(["X is 2 now"]),
    )
    done = subprocess.run(
        [node, str(TS / "drive.mjs"), sys.executable, str(root), "set X to 2"],
        capture_output=True,
        text=True,
        env=agent_env(glm_endpoint, tmp_path),
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["agent"] == "glm-lsp"
    assert seen["stopReason"] == "end_turn"
    assert seen["text"] == "X is 2 now"
    assert [t["kind"] for t in seen["tools"]] == ["read", "edit"]
    assert seen["permissions"] == ["e1"]
    assert str(root / "a.py") in seen["reads"]
    assert seen["writes"] == [[str(root / "a.py"), "X = 2\n"]]
