"""The one way the server runs git: the repository never gets to run a program.

A repository's own configuration (``.git/config``, files it includes, ``.gitattributes``) can
name programs that git runs while merely reading: an fsmonitor hook on every index refresh,
clean filters when ``status``/``diff`` rehash a file, textconv and external diff drivers, gpg
for ``log.showSignature``, a remote helper such as ``ext::sh -c ...`` when a partial clone
lazily fetches a missing blob. Every git process the server starts is built here:

* a fixed set of ``-c`` overrides (command-line configuration wins over every file);
* one override per driver the effective configuration defines (``filter.<name>.clean`` and
  friends, ``protocol.<name>.allow``), found by listing the configuration first, because git
  has no switch that turns off all filters at once;
* an environment without inherited variables that redirect git (``GIT_DIR``,
  ``GIT_CONFIG_PARAMETERS``, ``GIT_EXTERNAL_DIFF``, ``GIT_EXEC_PATH``, ...);
* stdin from the null device, its own session (no controlling terminal), a kill of the
  whole process group once the time budget is spent, and at most ``MAX_OUTPUT_BYTES`` read.

Diff-shaped commands add ``DIFF_FLAGS`` themselves (``--no-textconv`` and ``--no-ext-diff``
are options of those commands, not of git). Git's own ownership check (``safe.directory``)
stays on: a repository owned by another user is refused unless the user's own global or
system configuration lists it. See ``docs/security-git.md``.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence

__all__ = [
    "DIFF_FLAGS",
    "FIXED_CONFIG",
    "GitSession",
    "git_environment",
    "git_executable",
    "run_git",
]

DEFAULT_TIMEOUT_S = 10.0
MAX_OUTPUT_BYTES = 16 * 1024 * 1024
"""What one git command may print; past it git is killed and callers get the cut output."""

FIXED_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.sshCommand", "false"),
    ("core.askPass", ""),
    ("core.pager", "cat"),
    ("core.editor", ":"),
    ("core.quotePath", "off"),
    ("credential.helper", ""),
    ("protocol.allow", "never"),
    ("log.showSignature", "false"),
    ("status.submoduleSummary", "false"),
    ("safe.bareRepository", "explicit"),
)
"""Overrides passed to every git process, as ``-c key=value``."""

DIFF_FLAGS: tuple[str, ...] = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--no-relative",
    "--ignore-submodules=dirty",
    "--submodule=short",
)
"""Options every ``git diff`` must carry: no external or textconv program, no process
started inside a submodule, and one fixed output shape whatever the repository configures."""

_KEPT_GIT_VARIABLES = frozenset(
    {
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    }
)
_DROPPED_VARIABLES = frozenset({"PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "LESSOPEN"})

_DRIVER_COMMANDS = {
    "filter": {"clean": "", "smudge": "", "process": "", "required": "false"},
    "protocol": {"allow": "never"},
}
"""Per-name settings neutralised wherever a configuration file defines one of them."""


@functools.lru_cache(maxsize=1)
def git_executable() -> str | None:
    """Absolute path of the git found on PATH when first asked, or None."""
    found = shutil.which("git")
    return os.path.abspath(found) if found else None


def git_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every git process: ``base`` (default ``os.environ``) without the
    variables that redirect git or name a program, plus fixed settings."""
    source = os.environ if base is None else base
    env = {
        key: value
        for key, value in source.items()
        if key not in _DROPPED_VARIABLES
        and (
            not key.upper().startswith("GIT_")
            or key in _KEPT_GIT_VARIABLES
            or key.startswith("GIT_TRACE")
        )
    }
    env.update(
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_PAGER="cat",
        GIT_EDITOR=":",
        LC_ALL="C",
    )
    return env


def config_flags(config: Sequence[tuple[str, str]]) -> list[str]:
    flags: list[str] = []
    for key, value in config:
        flags += ["-c", f"{key}={value}"]
    return flags


def run_git(
    cwd: str,
    args: Sequence[str],
    *,
    extra_config: Sequence[tuple[str, str]] = (),
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bytes | None:
    """Stdout of ``git <args>`` run in ``cwd`` under the guard; None on any failure."""
    exe = git_executable()
    if exe is None:
        return None
    argv = [
        exe,
        "--no-pager",
        "--literal-pathspecs",
        *config_flags((*FIXED_CONFIG, *extra_config)),
        *args,
    ]
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=git_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=os.name == "posix",
        )
    except (OSError, ValueError):
        return None
    watchdog = threading.Timer(timeout, _kill, (proc,))
    watchdog.start()
    try:
        out, capped = _read_capped(proc)
        proc.wait()
    finally:
        watchdog.cancel()
    if capped:
        return out
    return out if proc.returncode == 0 else None


def _read_capped(proc: subprocess.Popen[bytes]) -> tuple[bytes, bool]:
    """Stdout until EOF, or its first ``MAX_OUTPUT_BYTES`` (then git is killed)."""
    assert proc.stdout is not None
    chunks: list[bytes] = []
    size = 0
    with proc.stdout:
        while chunk := proc.stdout.read(1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if size >= MAX_OUTPUT_BYTES:
                _kill(proc)
                return b"".join(chunks)[:MAX_OUTPUT_BYTES], True
    return b"".join(chunks), False


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill git and anything it started (its own process group)."""
    if proc.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass


def driver_overrides(config_names: bytes) -> list[tuple[str, str]] | None:
    """Overrides for every filter/protocol driver named in ``git config --list --name-only -z``
    output; None when a name cannot be overridden with ``-c`` (its subsection holds ``=``)."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for raw in config_names.split(b"\0"):
        key = raw.decode("utf-8", errors="surrogateescape")
        section, _, rest = key.partition(".")
        subsection, _, _variable = rest.rpartition(".")
        settings = _DRIVER_COMMANDS.get(section.lower())
        if settings is None or not subsection or (section.lower(), subsection) in seen:
            continue
        if "=" in subsection:
            return None
        seen.add((section.lower(), subsection))
        out += [(f"{section}.{subsection}.{name}", value) for name, value in settings.items()]
    return out


class GitSession:
    """Git commands for one repository, all under the overrides its configuration needs.

    The configuration is listed once, on the first command; a session is meant to live for one
    snapshot or one tool call, not to outlast a change of the repository's configuration.
    """

    def __init__(self, cwd: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.cwd = cwd
        self.timeout = timeout
        self._overrides: list[tuple[str, str]] | None = None
        self._refused = False

    def at(self, cwd: str) -> GitSession:
        """A session in another folder of the same repository, sharing this one's overrides."""
        other = GitSession(cwd, self.timeout)
        other._overrides, other._refused = self._overrides, self._refused
        return other

    def overrides(self) -> list[tuple[str, str]] | None:
        """The per-driver overrides for this repository; None if git must not run here."""
        if self._overrides is None and not self._refused:
            names = run_git(
                self.cwd, ["config", "--list", "--name-only", "-z"], timeout=self.timeout
            )
            found = None if names is None else driver_overrides(names)
            if found is None:
                self._refused = True
            self._overrides = found
        return self._overrides

    def run(self, *args: str) -> bytes | None:
        """Stdout of ``git <args>`` in this repository, or None (failure, timeout, refusal)."""
        extra = self.overrides()
        if extra is None:
            return None
        return run_git(self.cwd, args, extra_config=extra, timeout=self.timeout)

    def text(self, *args: str) -> str:
        """``run`` decoded as UTF-8 (invalid bytes replaced); empty on failure."""
        out = self.run(*args)
        return "" if out is None else out.decode("utf-8", errors="replace")
