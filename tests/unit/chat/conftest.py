"""Fixtures for the chat tests: a small git workspace and a ChatWorkspace over it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.context import ContextEngine

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository: src/app.py (modified after commit), src/util.py, .env, .gitignore."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("import os\n\n\ndef main():\n    return 'one'\n")
    (root / "src" / "util.py").write_text("def helper():\n    return 42\n")
    (root / ".gitignore").write_text("build/\n*.log\n")
    (root / ".env").write_text("API_KEY=sk-live-SECRETSECRET0123456789\n")
    (root / "build").mkdir()
    (root / "build" / "out.txt").write_text("helper in build output\n")
    (root / "debug.log").write_text("helper in a log\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*GIT, "-C", str(root), "add", "src", ".gitignore"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-m", "init"], check=True)
    (root / "src" / "app.py").write_text("import os\n\n\ndef main():\n    return 'two'\n")
    return root


@pytest.fixture
def engine(repo: Path) -> Iterator[ContextEngine]:
    eng = ContextEngine(workspace_roots=[str(repo)], exclude=["secret/**"])
    yield eng
    eng.close()


@pytest.fixture
def ws(repo: Path, engine: ContextEngine) -> ChatWorkspace:
    return ChatWorkspace(
        [repo.as_uri()],
        excluded=engine.is_excluded,
        redact=lambda text, path: engine.redact(text, path),
    )
