"""Helpers for the context engine tests: real git repositories made with the git CLI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from glm_lsp.context import ContextEngine
from glm_lsp.context.files import path_to_uri

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return stdout (raises on failure)."""
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    out = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_repo(root: Path, files: dict[str, str], message: str = "initial commit") -> Path:
    """A git repository at `root` with `files` committed."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for rel, text in files.items():
        write(root, rel, text)
    if files:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


def uri(path: Path) -> str:
    return path_to_uri(str(path))


def open_file(eng: ContextEngine, path: Path, language_id: str = "python") -> str:
    """Open `path` in the engine as the editor would (didOpen with its disk text)."""
    u = uri(path)
    eng.open_document(u, path.read_text(), language_id, 1)
    return u
