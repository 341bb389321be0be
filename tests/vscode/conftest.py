"""Fixtures for the real-VS-Code suite: code-server sessions with a fresh profile each."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.vscode.harness import VsCodeSession, missing_prerequisites


@contextmanager
def vscode(name: str, **kwargs: Any) -> Iterator[VsCodeSession]:
    """A started session; stopped (whole process group) and removed afterwards.

    The profile lives in a short /tmp path: chromium's and VS Code's unix sockets go under
    TMPDIR/XDG_RUNTIME_DIR and a socket path may not exceed 107 bytes. When install.sh has not
    run, the test fails (it never skips) and says so.
    """
    missing = missing_prerequisites()
    if missing:
        pytest.fail(
            "the VS Code suite needs `bash editors/vscode/e2e/install.sh` first; missing: "
            + ", ".join(missing),
            pytrace=False,
        )
    root = Path(tempfile.mkdtemp(prefix="glmvs-"))
    session = VsCodeSession(root / "s", name, **kwargs)
    try:
        session.start()
        yield session
    finally:
        session.stop()
        shutil.rmtree(root, ignore_errors=True)
