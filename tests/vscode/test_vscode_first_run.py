"""First start of the extension in real VS Code (code-server) from a fresh profile.

No ``glm.serverPath``, no ``glm-lsp`` on PATH (PATH holds only system folders): the extension
must create its private venv in its global storage with the system Python, install the wheel the
.vsix carries (real pip, real index) and start it; ghost text then comes from the loopback GLM
endpoint. Without any Python on PATH it must say so in one error notification instead.
Install first with ``bash editors/vscode/e2e/install.sh``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.vscode.conftest import vscode
from tests.vscode.harness import VsCodeSession, scenario_result
from tests.vscode.test_vscode_e2e import GHOST, GREET, _model, _text

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(480)]

KEY = "first-run-key-41c9"
SYSTEM_PATH = "/usr/bin:/bin"
EXTENSION_ID = "glm-lsp.glm-lsp-vscode"


def global_storage(session: VsCodeSession) -> Path:
    """Where VS Code keeps the extension's globalStorageUri for this profile."""
    return session.root / "user-data" / "User" / "globalStorage" / EXTENSION_ID


def first_run_scenario() -> dict[str, object]:
    """The documented steps after installing the .vsix: set the key, open a file, type."""
    return {
        "name": "first_run",
        "key": KEY,
        "file": "greet.py",
        "line": 2,
        "column": 5,
        "type": "return ",
        "expectGhost": GHOST,
        "expectDocument": f"def greet(name):\n    return {GHOST}",
        "installTimeoutMs": 360000,
    }


@pytest.fixture(scope="module")
def first_run() -> Iterator[tuple[VsCodeSession, dict[str, object], GlmEndpoint]]:
    """One fresh session whose only Python is the system one and which has no glm-lsp (the
    extension host also adds the login shell's PATH: /etc/profile's system folders)."""
    assert shutil.which("glm-lsp", path=SYSTEM_PATH) is None, "glm-lsp is on the system PATH"
    with GlmEndpoint() as endpoint:
        endpoint.handler = _model
        with vscode(
            "first_run",
            endpoint_url=endpoint.url,
            api_key=None,
            files={"greet.py": GREET},
            settings={"glm.provider": "zai"},
            server_path=None,
            path=SYSTEM_PATH,
        ) as session:
            result = session.drive([first_run_scenario()], timeout=420)
            yield session, result, endpoint


def test_first_start_installs_the_bundled_server_and_ghost_text_works(
    first_run: tuple[VsCodeSession, dict[str, object], GlmEndpoint],
) -> None:
    """From a fresh profile with no glm-lsp on PATH, the extension shows an install progress
    notification, creates a venv in its global storage, pip-installs the wheel bundled in the
    .vsix, records its version, starts that server with the key set through "GLM: Set API Key",
    and typing shows the model's ghost text, which Tab accepts."""
    session, result, endpoint = first_run
    scenario_result(session, result, "first_run")
    storage = global_storage(session)
    server = storage / "server-venv" / "bin" / "glm-lsp"
    assert server.is_file() and os.access(server, os.X_OK), f"no venv server in {storage}"
    marker = json.loads((storage / "server-install.json").read_text(encoding="utf-8"))
    bundled = next((session.root / "extensions").glob(f"{EXTENSION_ID}-*/server/glm_lsp-*.whl"))
    assert marker["wheel"] == bundled.name
    assert bundled.name.startswith(f"glm_lsp-{marker['version']}-")
    assert session.server_log.exists(), "the installed server never started"
    queries = [r for r in endpoint.requests if "<QUERY" in _text(r.body)]
    assert queries, "no inline completion reached the model"
    assert all(r.headers.get("authorization") == f"Bearer {KEY}" for r in queries)


@pytest.fixture(scope="module")
def no_python() -> Iterator[tuple[VsCodeSession, dict[str, object]]]:
    """A fresh session whose PATH holds node (for code-server) and nothing else. VSCODE_CLI=1
    (VS Code started from a terminal) keeps the extension host from adding the login shell's
    PATH, which on this machine has the system Python."""
    node = shutil.which("node")
    assert node, "node is needed for code-server"
    bin_dir = Path(tempfile.mkdtemp(prefix="glmvs-bin-"))
    (bin_dir / "node").symlink_to(node)
    try:
        with (
            GlmEndpoint() as endpoint,
            vscode(
                "no_python",
                endpoint_url=endpoint.url,
                api_key=KEY,
                files={"greet.py": GREET},
                server_path=None,
                path=str(bin_dir),
                extra_env={"VSCODE_CLI": "1"},
            ) as session,
        ):
            scenario = {"name": "no_python", "expectError": "needs Python 3.10 or newer"}
            yield session, session.drive([scenario])
    finally:
        shutil.rmtree(bin_dir, ignore_errors=True)


def test_without_python_one_error_says_what_to_do(
    no_python: tuple[VsCodeSession, dict[str, object]],
) -> None:
    """With no Python and no glm-lsp reachable, one error notification names the remedy
    (install Python 3.10+ or set glm.serverPath) with Get Python / Open Settings buttons, no
    venv is created and no server starts."""
    session, result = no_python
    got = scenario_result(session, result, "no_python")
    text = str(got["notification"])
    assert "python.org" in text and "glm.serverPath" in text, text
    assert not (global_storage(session) / "server-venv").exists()
    assert not session.server_log.exists()
