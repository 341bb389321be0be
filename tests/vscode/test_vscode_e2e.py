"""Real VS Code (code-server) with the built extension, driven in chromium by Playwright.

Each test starts a fresh code-server, installs the .vsix offline, points glm-lsp at the loopback
GLM endpoint and runs one scenario of ``editors/vscode/e2e/drive.mjs``. Screenshots land in
``ci-artifacts/vscode/<scenario>/``. Install first with ``bash editors/vscode/e2e/install.sh``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.vscode.conftest import SessionFactory
from tests.vscode.harness import describe_failure

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(240)]

E2E_KEY = "e2e-secret-key-7f3a"

SAMPLE = """def add(a, b):
    return a + b


def total(items):
    result = 0
    for item in items:
        result = result + item
    return result


def greet(name):
    
"""


def _messages_text(body: Any) -> str:
    return json.dumps(body.get("messages", []) if isinstance(body, dict) else body)


def _run(session_factory: SessionFactory, scenario: str, endpoint: GlmEndpoint, **kw: Any) -> Any:
    steps = kw.pop("steps", {})
    session = session_factory(scenario, endpoint_url=endpoint.url, **kw)
    result = session.drive(steps)
    assert result["ok"] and result["rc"] == 0, describe_failure(session, result)
    return session, result


def test_missing_key_warns_in_status_bar(
    vscode_session: SessionFactory, glm_endpoint: GlmEndpoint
) -> None:
    """With no key anywhere the status bar shows the warning; "GLM: Set API Key" stores the key in
    SecretStorage (never in settings.json), the server pulls it and the warning clears.

    The provider is ``zai`` (pointed at the loopback URL): a ``custom`` host may need no key."""
    session, result = _run(
        vscode_session,
        "missing_key",
        glm_endpoint,
        api_key=None,
        files={"app.py": SAMPLE},
        settings={"glm.provider": "zai"},
        steps={"key": E2E_KEY},
    )
    warn = next(s for s in result["steps"] if "missing-key" in s["name"])
    assert "no API key" in warn["detail"]["text"]
    settings = (session.root / "user-data" / "User" / "settings.json").read_text()
    assert E2E_KEY not in settings
    assert not glm_endpoint.requests


def test_ghost_text_appears_and_tab_accepts(
    vscode_session: SessionFactory, glm_endpoint: GlmEndpoint
) -> None:
    """Typing in a Python file makes VS Code ask glm-lsp for an inline completion; the ghost text
    from the loopback model is drawn and Tab inserts it."""

    def handler(body: Any) -> Reply | None:
        if "<QUERY" in _messages_text(body):
            return Reply.stream(["<COMPLETION>", 'f"Hello, {name}!"', "</COMPLETION>"])
        return None

    glm_endpoint.handler = handler
    _run(
        vscode_session,
        "ghost_text",
        glm_endpoint,
        api_key=E2E_KEY,
        files={"app.py": SAMPLE},
        steps={
            "file": "app.py",
            "line": 13,
            "column": 5,
            "type": "return ",
            "expectGhost": 'f"Hello, {name}!"',
            "expectLine": 'return f"Hello, {name}!"',
        },
    )
    assert any("<QUERY" in _messages_text(r.body) for r in glm_endpoint.requests)


def test_refactor_code_action_changes_document(
    vscode_session: SessionFactory, glm_endpoint: GlmEndpoint
) -> None:
    """Selecting a function and choosing "GLM: Refactor" from the code action menu streams the
    model's rewrite into the document."""
    rewritten = "def total(items):\n    return sum(items)"
    glm_endpoint.handler = lambda body: (
        Reply.stream(["```python\n", rewritten, "\n```"])
        if "<QUERY" not in _messages_text(body)
        else None
    )
    _run(
        vscode_session,
        "refactor",
        glm_endpoint,
        api_key=E2E_KEY,
        files={"app.py": SAMPLE},
        steps={"file": "app.py", "fromLine": 5, "toLine": 9, "expectText": "return sum(items)"},
    )


def test_chat_streams_answer_with_reasoning_collapsed(
    vscode_session: SessionFactory, glm_endpoint: GlmEndpoint
) -> None:
    """A message typed into the chat panel streams the model's answer (markdown with a code block)
    into the panel as it arrives; the reasoning is shown in a collapsed section."""
    answer = [
        "`add` returns ",
        "the sum of its ",
        "two arguments.\n\n",
        "```python\n",
        "add(2, 3)  # 5\n",
        "```\n",
    ]

    def handler(body: Any) -> Reply | None:
        if "What does add do" in _messages_text(body):
            return Reply.stream(
                answer, reasoning=["The user asks ", "about add."], delay=0.25, first_delay=0.2
            )
        return None

    glm_endpoint.handler = handler
    _run(
        vscode_session,
        "chat",
        glm_endpoint,
        api_key=E2E_KEY,
        files={"app.py": SAMPLE},
        steps={
            "file": "app.py",
            "message": "What does add do?",
            "expectAnswer": "add(2, 3)  # 5",
            "expectReasoning": "The user asks about add.",
        },
    )
