"""Real VS Code (code-server) with the built extension, driven in chromium by Playwright.

One code-server session with a fresh profile and the .vsix installed offline, glm-lsp pointed
at the loopback GLM endpoint (``tests/glm_endpoint.py``). The scenarios run in order in one
workbench: no key (the status bar warns; "GLM: Set API Key" fixes it), then ghost text, the
Refactor code action, Edit Selection and the chat panel with the key from SecretStorage.
Each test checks its scenario's result. Screenshots land in ``ci-artifacts/vscode/vscode/``.
Install first with ``bash editors/vscode/e2e/install.sh``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.vscode.conftest import vscode
from tests.vscode.harness import VsCodeSession, scenario_result

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(300)]

E2E_KEY = "e2e-secret-key-7f3a"

APP = """def add(a, b):
    return a + b
"""

GREET = """def greet(name):
    
"""

TOTAL = """def total(items):
    result = 0
    for item in items:
        result = result + item
    return result
"""

SCALE = """def scale(xs, k):
    return [x * k for x in xs]
"""

GHOST = 'f"Hello, {name}!"'
REFACTORED = "def total(items):\n    return sum(items)"
EDITED = "def scale(values, factor):\n    return [v * factor for v in values]"
CHAT_ANSWER = [
    "`add` returns ",
    "the sum of its ",
    "two arguments.\n\n",
    "```python\n",
    "add(2, 3)  # 5\n",
    "```\n",
]


def _text(body: Any) -> str:
    return json.dumps(body.get("messages", []) if isinstance(body, dict) else body)


def _model(body: Any) -> Reply | None:
    """The loopback model: one scripted answer per feature, told apart by the prompt."""
    text = _text(body)
    if "<QUERY" in text:
        return Reply.stream(["<COMPLETION>", GHOST, "</COMPLETION>"])
    if "<SELECTION>" in text and "rename the parameters" in text:
        return Reply.stream(["<REPLACEMENT>", EDITED, "</REPLACEMENT>"], delay=0.05)
    if "<SELECTION>" in text:
        return Reply.stream(["<REPLACEMENT>", REFACTORED, "</REPLACEMENT>"], delay=0.05)
    if "Explain the selected code" in text:
        return Reply.stream(
            ["`add` adds ", "its two arguments ", "and returns the sum."], delay=0.1
        )
    if "Count to fifty" in text:
        return Reply.stream([f"{n}, " for n in range(1, 51)], delay=0.3)
    if "What does add do" in text:
        return Reply.stream(
            CHAT_ANSWER, reasoning=["The user asks ", "about add."], delay=0.25, first_delay=0.2
        )
    return None


Run = tuple[VsCodeSession, dict[str, Any], GlmEndpoint]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    """One session, scenarios in order: it starts with no key (provider ``zai``, which needs
    one, pointed at the loopback URL), sets the key through "GLM: Set API Key", then uses it for
    ghost text, refactor, edit and chat. One editor and server start serve every test."""
    with GlmEndpoint() as endpoint:
        endpoint.handler = _model
        files = {"app.py": APP, "greet.py": GREET, "total.py": TOTAL, "scale.py": SCALE}
        with vscode(
            "vscode",
            endpoint_url=endpoint.url,
            api_key=None,
            files=files,
            settings={"glm.provider": "zai"},
        ) as session:
            result = session.drive(
                [
                    {"name": "missing_key", "key": E2E_KEY},
                    {
                        "name": "ghost_text",
                        "file": "greet.py",
                        "line": 2,
                        "column": 5,
                        "type": "return ",
                        "expectGhost": GHOST,
                        "expectDocument": f"def greet(name):\n    return {GHOST}",
                    },
                    {
                        "name": "refactor",
                        "file": "total.py",
                        "fromLine": 1,
                        "toLine": 5,
                        "expectDocument": REFACTORED,
                    },
                    {
                        "name": "edit_selection",
                        "file": "scale.py",
                        "fromLine": 1,
                        "toLine": 2,
                        "instruction": "rename the parameters to values and factor",
                        "expectDocument": EDITED,
                    },
                    {
                        "name": "chat",
                        "file": "app.py",
                        "message": "What does add do?",
                        "expectAnswer": "add(2, 3)  # 5",
                        "expectReasoning": "The user asks about add.",
                        "insertExpect": "add(2, 3)  # 5",
                        "stopMessage": "Count to fifty, slowly.",
                        "explainExpect": "and returns the sum.",
                    },
                    {"name": "crash_restart", "serverMarker": str(session.server_log)},
                    {
                        "name": "history",
                        "chatTitle": "What does add do?",
                        "expectAnswer": "add(2, 3)  # 5",
                    },
                ]
            )
            yield session, result, endpoint


def test_missing_key_warns_in_status_bar(run: Run) -> None:
    """With no key anywhere the status bar shows the warning; "GLM: Set API Key" stores the key in
    SecretStorage (never in settings.json), the server pulls it and the warning clears; clicking
    the item prints the glm.status report; every request the model then gets carries that key."""
    session, result, endpoint = run
    got = scenario_result(session, result, "missing_key")
    warn = next(s for s in got["steps"] if "missing-key" in s["name"])
    assert "no API key" in warn["detail"]["text"]
    settings = (session.root / "user-data" / "User" / "settings.json").read_text()
    assert E2E_KEY not in settings
    assert endpoint.requests, "no scenario reached the model"
    assert all(r.headers.get("authorization") == f"Bearer {E2E_KEY}" for r in endpoint.requests)


def test_ghost_text_appears_and_tab_accepts(run: Run) -> None:
    """Typing in a Python file makes VS Code ask glm-lsp for an inline completion; the ghost text
    from the loopback model is drawn and Tab inserts it into the document."""
    session, result, endpoint = run
    scenario_result(session, result, "ghost_text")
    assert any("<QUERY" in _text(r.body) for r in endpoint.requests)


def test_refactor_code_action_changes_document(run: Run) -> None:
    """Selecting a function and choosing "GLM: Refactor" from the code action menu streams the
    model's rewrite into the document."""
    session, result, endpoint = run
    scenario_result(session, result, "refactor")
    assert any("<SELECTION>" in _text(r.body) for r in endpoint.requests)


def test_edit_selection_rewrites_with_instruction(run: Run) -> None:
    """ "GLM: Edit Selection…" asks for an instruction in an input box and sends it with the
    selection to glm.edit; the model's rewrite replaces the selection."""
    session, result, endpoint = run
    scenario_result(session, result, "edit_selection")
    assert any("rename the parameters" in _text(r.body) for r in endpoint.requests)


def test_chat_streams_answer_with_reasoning_collapsed(run: Run) -> None:
    """A message typed into the chat panel streams the model's answer (markdown with a code block)
    into the panel while it arrives; the reasoning sits in a collapsed section. A slow answer
    stops with the panel's Stop button (glm.chat.cancel), a code block's Insert button puts its
    code at the cursor, and the "GLM: Explain" code action lands its answer in the panel as a
    new chat."""
    session, result, endpoint = run
    scenario_result(session, result, "chat")
    slow = [r for r in endpoint.requests if "Count to fifty" in _text(r.body)]
    assert len(slow) == 1 and slow[0].gone is not None, "the cancelled stream was not closed"


def test_crashed_server_restarts_with_message(run: Run) -> None:
    """When glm-lsp dies (SIGKILL), a notification says it stopped and is restarting, a new
    process starts, and the status bar returns to ready with the stored key."""
    session, result, _ = run
    scenario_result(session, result, "crash_restart")


def test_chats_come_back_from_the_server_after_reload(run: Run) -> None:
    """After "Developer: Reload Window" (new extension host, new glm-lsp) the chat list comes from
    glm.chat.list and choosing a chat shows its turns from glm.chat.history, reasoning collapsed."""
    session, result, _ = run
    scenario_result(session, result, "history")
