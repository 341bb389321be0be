"""Exclusions: built-in secret files, the `exclude` setting and .gitignore layers."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctx_helpers import make_repo, write

from glm_lsp.context.exclusions import Exclusions


@pytest.mark.parametrize(
    "name",
    [
        ".env",
        ".env.local",
        "prod.env",
        "server.pem",
        "tls.key",
        "id_rsa",
        "id_ed25519.pub",
        "cert.p12",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".git-credentials",
        "credentials.json",
        "gcp-credentials-prod.json",
        "terraform.tfvars",
    ],
)
def test_builtin_secret_files_are_excluded(tmp_path: Path, name: str) -> None:
    """Well-known secret-bearing files are excluded wherever they are."""
    ex = Exclusions()
    assert ex.static_reason(str(tmp_path / "deep" / "dir" / name)) is not None


def test_aws_credentials_and_ssh_dir_are_excluded(tmp_path: Path) -> None:
    """Path-shaped built-ins (.aws/credentials, .ssh/*) match by their last components."""
    ex = Exclusions()
    assert ex.static_reason(str(tmp_path / "home" / ".aws" / "credentials")) is not None
    assert ex.static_reason(str(tmp_path / "home" / ".ssh" / "config")) is not None


@pytest.mark.parametrize("name", ["main.py", "environment.py", "keys.py", "README.md", "env.ts"])
def test_ordinary_files_are_not_excluded(tmp_path: Path, name: str) -> None:
    """Source files with secret-ish names are still readable."""
    assert Exclusions().static_reason(str(tmp_path / name)) is None


def test_exclude_setting_globs_are_relative_to_workspace_root(tmp_path: Path) -> None:
    """User globs match paths relative to the workspace folder and name the pattern."""
    ex = Exclusions()
    ex.set_roots([str(tmp_path)])
    ex.set_patterns(["private/**", "*.sql"])
    assert ex.static_reason(str(tmp_path / "private" / "a" / "b.py")) == (
        "exclude setting private/**"
    )
    assert ex.static_reason(str(tmp_path / "db" / "dump.sql")) == "exclude setting *.sql"
    assert ex.static_reason(str(tmp_path / "public" / "b.py")) is None


def test_files_inside_dot_git_are_excluded(tmp_path: Path) -> None:
    """Nothing under a .git directory is ever read."""
    assert Exclusions().static_reason(str(tmp_path / ".git" / "config")) == "inside .git"


def test_gitignore_layers_nested_negation_and_info_exclude(tmp_path: Path) -> None:
    """Root and nested .gitignore, negation and .git/info/exclude all apply, deepest last."""
    root = make_repo(tmp_path / "repo", {"README.md": "x\n"})
    write(root, ".gitignore", "build/\n*.log\n")
    write(root, "sub/.gitignore", "!keep.log\ngenerated_*.py\n")
    write(root, ".git/info/exclude", "scratch.py\n")
    ex = Exclusions()
    r = str(root)
    assert ex.reason(str(root / "build" / "out.py"), r) == "ignored by .gitignore"
    assert ex.reason(str(root / "x.log"), r) == "ignored by .gitignore"
    assert ex.reason(str(root / "sub" / "keep.log"), r) is None
    assert ex.reason(str(root / "sub" / "generated_api.py"), r) == "ignored by sub/.gitignore"
    assert ex.reason(str(root / "scratch.py"), r) == "ignored by .git/info/exclude"
    assert ex.reason(str(root / "src" / "main.py"), r) is None


def test_gitignore_decisions_refresh_after_invalidate(tmp_path: Path) -> None:
    """A changed .gitignore takes effect once the engine is told it changed."""
    root = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    ex = Exclusions()
    target = str(root / "a.py")
    assert ex.reason(target, str(root)) is None
    write(root, ".gitignore", "a.py\n")
    assert ex.reason(target, str(root)) is None  # cached until told
    ex.invalidate(str(root / ".gitignore"))
    assert ex.reason(target, str(root)) == "ignored by .gitignore"


def test_gitignore_of_workspace_without_git(tmp_path: Path) -> None:
    """A plain workspace folder's .gitignore still applies (no repository needed)."""
    write(tmp_path, ".gitignore", "secret_dir/\n")
    ex = Exclusions()
    ex.set_roots([str(tmp_path)])
    assert ex.reason(str(tmp_path / "secret_dir" / "a.py"), None) == "ignored by .gitignore"


def test_exclude_setting_uses_workspace_folder_inside_a_bigger_repository(tmp_path: Path) -> None:
    """When the workspace folder sits inside a repository, globs stay folder-relative."""
    ex = Exclusions()
    workspace = tmp_path / "repo" / "service"
    ex.set_roots([str(workspace)])
    ex.set_patterns(["secret/**"])
    target = str(workspace / "secret" / "a.py")
    assert ex.static_reason(target, str(tmp_path / "repo")) == "exclude setting secret/**"
