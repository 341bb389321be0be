"""Real hostile repositories for the git guard tests: each arms one way a repository (or the
environment the editor passes on) gets git to run a program of its choosing.

A trap is an executable script that records its name under ``marks/`` when run. Every vector
is built with the real git CLI and checked to be live (``Hostile.arm``: plain git, run the way
a careless tool would, springs the trap) before the server ever sees the repository.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import attrs

APP_OLD = "def answer():\n    return 1\n"
APP_NEW = "def answer():\n    return 2  # guarded change\n"
DIFF_LINE = "+    return 2  # guarded change"


class Hostile:
    """A repository under construction in ``tmp_path/repo`` with traps in ``tmp_path/traps``."""

    def __init__(self, tmp_path: Path) -> None:
        self.base = tmp_path
        self.root = tmp_path / "repo"
        self.marks = tmp_path / "marks"
        self.traps = tmp_path / "traps"
        self.home = tmp_path / "git-home"
        for folder in (self.marks, self.traps, self.home):
            folder.mkdir()

    def env(self, **extra: str) -> dict[str, str]:
        """Git's environment for building: no user or system configuration."""
        keep = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        return {**keep, "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", **extra}

    def git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=cwd or self.root,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        return done.stdout

    def trap(self, name: str, then: str = "cat") -> str:
        """Path of a script that records ``name`` as sprung, then runs ``then``."""
        path = self.traps / name
        path.write_text(f'#!/bin/sh\ntouch "{self.marks / name}"\n{then}\n')
        path.chmod(0o755)
        return str(path)

    def sprung(self) -> list[str]:
        return sorted(p.name for p in self.marks.iterdir())

    def make_repo(self, root: Path | None = None, attributes: str = "") -> Path:
        """A repository with ``app.py`` committed and then modified in the working tree."""
        root = root or self.root
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main", cwd=root)
        (root / "app.py").write_text(APP_OLD)
        (root / "other.py").write_text("OTHER = 1\n")
        if attributes:
            (root / ".gitattributes").write_text(attributes)
        self.git("add", "-A", cwd=root)
        self.git("commit", "-q", "-m", "initial", cwd=root)
        (root / "app.py").write_text(APP_NEW)
        return root

    def config(self, key: str, value: str, cwd: Path | None = None) -> None:
        self.git("config", key, value, cwd=cwd)

    def arm(self, args: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
        """Run plain ``git <args>`` as a careless tool would; return the traps it sprang and
        reset them."""
        subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self.env(**(env or {})),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        sprung = self.sprung()
        for mark in self.marks.iterdir():
            mark.unlink()
        return sprung


@attrs.frozen
class Vector:
    """One way to get git to run a program, and what the guarded server still shows."""

    build: Callable[[Hostile], None]
    arm: tuple[str, ...]
    shows_diff: bool = True
    shows_git: bool = True
    after_arm: Callable[[Hostile], None] | None = None


def _fsmonitor(h: Hostile) -> None:
    h.make_repo()
    h.config("core.fsmonitor", h.trap("fsmonitor", "exit 1"))


def _textconv(h: Hostile) -> None:
    h.make_repo(attributes="*.py diff=tc\n")
    h.config("diff.tc.textconv", h.trap("textconv", 'cat "$1"'))


def _external_diff(h: Hostile) -> None:
    h.make_repo()
    h.config("diff.external", h.trap("external", "true"))


def _diff_driver_command(h: Hostile) -> None:
    h.make_repo(attributes="*.py diff=dc\n")
    h.config("diff.dc.command", h.trap("diff-command", "true"))


def _clean_filter(h: Hostile) -> None:
    h.make_repo(attributes="*.py filter=ev\n")
    h.config("filter.ev.clean", h.trap("clean", "cat"))
    h.config("filter.ev.required", "true")


def _process_filter(h: Hostile) -> None:
    h.make_repo(attributes="*.py filter=proc\n")
    h.config("filter.proc.process", h.trap("process", "exit 1"))


def _filter_name_with_equals(h: Hostile) -> None:
    h.make_repo(attributes="*.py filter=e=v\n")
    h.config("filter.e=v.clean", h.trap("clean-equals", "cat"))


def _include_path(h: Hostile) -> None:
    h.make_repo()
    (h.root / "extra.cfg").write_text(f"[core]\n\tfsmonitor = {h.trap('included', 'exit 1')}\n")
    h.config("include.path", "../extra.cfg")


def _include_if(h: Hostile) -> None:
    h.make_repo()
    (h.base / "branch.cfg").write_text(f"[diff]\n\texternal = {h.trap('include-if', 'true')}\n")
    h.config("includeIf.onbranch:main.path", str(h.base / "branch.cfg"))


def _signed_log(h: Hostile) -> None:
    h.make_repo()
    tree = h.git("rev-parse", "HEAD^{tree}").strip()
    parent = h.git("rev-parse", "HEAD").strip()
    signed = (
        f"tree {tree}\nparent {parent}\nauthor t <t@example.com> 0 +0000\n"
        "committer t <t@example.com> 0 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        "\nsigned commit\n"
    )
    (h.base / "commit.txt").write_text(signed)
    commit = h.git("hash-object", "-t", "commit", "-w", str(h.base / "commit.txt")).strip()
    h.git("update-ref", "HEAD", commit)
    h.config("log.showSignature", "true")
    h.config("gpg.program", h.trap("gpg", "exit 1"))


def _hook(h: Hostile, configured: bool) -> None:
    h.make_repo()
    hooks = h.base / "hooks" if configured else h.root / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    name = "hooks-path" if configured else "hook"
    (hooks / "post-index-change").write_text(f"#!/bin/sh\nexec {h.trap(name, 'true')}\n")
    (hooks / "post-index-change").chmod(0o755)
    if configured:
        h.config("core.hooksPath", str(hooks))
    _stale_stat(h)


def _stale_stat(h: Hostile) -> None:
    """Give an unchanged tracked file a new mtime, so an index refresh has something to write."""
    stamp = os.stat(h.root / "other.py").st_mtime - 1000
    os.utime(h.root / "other.py", (stamp, stamp))


def _lazy_fetch(h: Hostile, url: str, settings: dict[str, str]) -> None:
    """A partial clone whose committed app.py blob is missing: diffing it fetches it."""
    h.make_repo()
    blob = h.git("rev-parse", "HEAD:app.py").strip()
    (h.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    h.config("core.repositoryFormatVersion", "1")
    h.config("extensions.partialClone", "origin")
    h.config("remote.origin.promisor", "true")
    h.config("remote.origin.url", url)
    for key, value in settings.items():
        h.config(key, value)


def _lazy_fetch_ext(h: Hostile) -> None:
    mark = h.marks / "ext-remote"
    _lazy_fetch(h, f"ext::sh -c touch% {mark}", {"protocol.ext.allow": "always"})


def _lazy_fetch_ssh(h: Hostile) -> None:
    _lazy_fetch(h, "ssh://example.invalid/x.git", {"core.sshCommand": h.trap("ssh", "exit 1")})


def _lazy_fetch_git_proxy(h: Hostile) -> None:
    _lazy_fetch(h, "git://example.invalid/x.git", {"core.gitProxy": h.trap("proxy", "exit 1")})


def _submodule_filter(h: Hostile) -> None:
    lib = h.base / "lib"
    h.make_repo(lib, attributes="*.py filter=sub\n")
    h.make_repo()
    h.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "lib")
    h.git("commit", "-q", "-m", "add lib")
    sub = h.root / "lib"
    h.config("filter.sub.clean", h.trap("submodule-clean", "cat"), cwd=sub)
    (sub / "app.py").write_text(APP_NEW)


def _foreign_owner(h: Hostile) -> None:
    h.make_repo()
    h.config("core.fsmonitor", h.trap("foreign-fsmonitor", "exit 1"))
    for folder, _dirs, files in os.walk(h.root):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            os.lchown(name, 4242, 4242)


def _plain(h: Hostile) -> None:
    h.make_repo()


def _after_hook_arm(h: Hostile) -> None:
    _stale_stat(h)


VECTORS: dict[str, Vector] = {
    "core.fsmonitor": Vector(_fsmonitor, ("status",)),
    "diff.<driver>.textconv": Vector(_textconv, ("diff",)),
    "diff.external": Vector(_external_diff, ("diff",)),
    "diff.<driver>.command": Vector(_diff_driver_command, ("diff",)),
    "filter.<driver>.clean (required)": Vector(_clean_filter, ("status",)),
    "filter.<driver>.process": Vector(_process_filter, ("status",)),
    "filter named with '='": Vector(
        _filter_name_with_equals, ("status",), shows_diff=False, shows_git=False
    ),
    "include.path": Vector(_include_path, ("status",)),
    "includeIf onbranch": Vector(_include_if, ("diff",)),
    "log.showSignature + gpg.program": Vector(_signed_log, ("log", "-n1")),
    ".git/hooks/post-index-change": Vector(
        lambda h: _hook(h, configured=False), ("status",), after_arm=_after_hook_arm
    ),
    "core.hooksPath": Vector(
        lambda h: _hook(h, configured=True), ("status",), after_arm=_after_hook_arm
    ),
    "lazy fetch over ext::": Vector(_lazy_fetch_ext, ("diff",), shows_diff=False),
    "lazy fetch with core.sshCommand": Vector(_lazy_fetch_ssh, ("diff",), shows_diff=False),
    "lazy fetch with core.gitProxy": Vector(_lazy_fetch_git_proxy, ("diff",), shows_diff=False),
    "submodule's own clean filter": Vector(_submodule_filter, ("status",)),
    "inherited GIT_EXTERNAL_DIFF": Vector(_plain, ("diff",)),
    "inherited GIT_CONFIG_PARAMETERS": Vector(_plain, ("status",)),
    "inherited GIT_CONFIG_COUNT": Vector(_plain, ("diff",)),
}
"""Every vector; the inherited-environment ones get their environment in ``environment_for``."""

FOREIGN_OWNER = Vector(
    _foreign_owner, ("-c", "safe.directory=*", "status"), shows_diff=False, shows_git=False
)
"""Needs root (to give the repository to another user); plain git is armed by trusting it."""


def environment_for(name: str, h: Hostile) -> dict[str, str]:
    """The variables an editor's environment carries into the server for ``name``."""
    if name == "inherited GIT_EXTERNAL_DIFF":
        return {"GIT_EXTERNAL_DIFF": h.trap("env-external", "true")}
    if name == "inherited GIT_CONFIG_PARAMETERS":
        return {"GIT_CONFIG_PARAMETERS": f"'core.fsmonitor={h.trap('env-params', 'exit 1')}'"}
    if name == "inherited GIT_CONFIG_COUNT":
        return {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "diff.external",
            "GIT_CONFIG_VALUE_0": h.trap("env-count", "true"),
        }
    return {}


def arm_env_for(name: str) -> dict[str, str]:
    """Plain git needs the index lock to run a post-index-change hook; the rest run without."""
    return {} if "hook" in name else {"GIT_OPTIONAL_LOCKS": "0"}
