"""Fixtures for the real-VS-Code suite: one fresh code-server session per test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.vscode.harness import VsCodeSession, missing_prerequisites

SessionFactory = Callable[..., VsCodeSession]


@pytest.fixture
def vscode_session() -> Iterator[SessionFactory]:
    """Call it with (scenario, endpoint_url=..., api_key=..., files=...) to get a started session.

    The profile lives in a short /tmp path: chromium's and VS Code's unix sockets go under
    TMPDIR/XDG_RUNTIME_DIR and a socket path may not exceed 107 bytes.
    """
    missing = missing_prerequisites()
    if missing:
        pytest.fail(
            "the VS Code suite needs `bash editors/vscode/e2e/install.sh` first; missing: "
            + ", ".join(missing),
            pytrace=False,
        )
    sessions: list[VsCodeSession] = []
    root = Path(tempfile.mkdtemp(prefix="glmvs-"))

    def start(scenario: str, **kwargs: Any) -> VsCodeSession:
        session = VsCodeSession(root / scenario[:8], scenario, **kwargs)
        sessions.append(session)
        session.start()
        return session

    try:
        yield start
    finally:
        for session in sessions:
            session.stop()
        shutil.rmtree(root, ignore_errors=True)
