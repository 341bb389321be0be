"""Which files may never be read into a prompt, and why.

Three layers, checked in this order: a built-in list of secret-bearing file names,
the user's `exclude` globs, and `.gitignore` (plus `.git/info/exclude`) of the
repository or workspace folder that holds the file. The first two are pure string
matching and safe on the event loop; the `.gitignore` layer reads files and runs in
a worker thread (`reason()`), its decisions cached until a `.gitignore` changes.

These rules look at one name. `safepath.PathGuard` applies them to both the name used and
the real path behind links, and is what features call.
"""

from __future__ import annotations

import os
import threading

import pathspec

from .safepath import open_regular

MAX_IGNORE_FILE_BYTES = 1_000_000

BUILTIN_EXCLUDES: tuple[str, ...] = (
    "*.env",
    ".env*",
    ".envrc",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.kdbx",
    "*.gpg",
    "*.asc",
    "*.ovpn",
    "*.tfvars",
    "*.tfstate",
    "*.tfstate.*",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".pgpass",
    ".htpasswd",
    ".git-credentials",
    ".dockercfg",
    ".docker/config.json",
    ".aws/credentials",
    ".aws/config",
    ".ssh/*",
    ".gnupg/*",
    "credentials",
    "credentials.json",
    "credentials.yaml",
    "credentials.yml",
    "credentials.toml",
    "credentials.xml",
    "*credentials*.json",
    "*.credentials",
    "client_secret*.json",
    "service-account*.json",
    "secrets.json",
    "secrets.yaml",
    "secrets.yml",
    "secrets.toml",
    "secrets.ini",
    "*.secrets",
    ".secrets*",
    "*.secret",
)


def _spec(lines: list[str] | tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    # RE2: a repository's .gitignore is hostile too, and a glob like `*a*a*a*a*a*a*a*a*z` on
    # Python's `re` backtracks for minutes on a long file name (holding the GIL).
    kept = [line for line in lines if line.strip()]
    return pathspec.GitIgnoreSpec.from_lines(kept, backend="re2")


class Exclusions:
    """Answers `reason(path)`: None when the file may be read, else why not."""

    def __init__(self) -> None:
        self._builtin = _spec(BUILTIN_EXCLUDES)
        self._user_patterns: tuple[str, ...] = ()
        self._user = _spec(())
        self._match_roots: tuple[str, ...] = ()
        self.roots: tuple[str, ...] = ()
        """Workspace folders as the editor named them."""
        self.real_roots: tuple[str, ...] = ()
        """The same with links resolved."""
        self.generation = 0
        """Bumped whenever every cached decision is dropped (`PathGuard` checks it)."""
        self._ignore_files: dict[str, tuple[int, pathspec.GitIgnoreSpec | None]] = {}
        self._decisions: dict[str, str | None] = {}
        self._lock = threading.Lock()

    # -- configuration -----------------------------------------------------------------------

    def set_patterns(self, patterns: list[str] | tuple[str, ...]) -> None:
        self._user_patterns = tuple(p for p in patterns if p.strip())
        self._user = _spec(self._user_patterns)
        self._forget_all()

    def set_roots(self, roots: list[str] | tuple[str, ...]) -> None:
        self.roots = tuple(dict.fromkeys(os.path.normpath(r) for r in roots))
        # Real paths too, so a file reached through a linked workspace folder (or a link into
        # the workspace) is matched relative to its folder.
        self.real_roots = tuple(os.path.realpath(r) for r in self.roots)
        both = set(self.roots) | set(self.real_roots)
        self._match_roots = tuple(sorted(both, key=len, reverse=True))
        self._forget_all()

    def _forget_all(self) -> None:
        self._decisions.clear()
        self.generation += 1

    def invalidate(self, path: str | None = None) -> None:
        """Forget cached decisions (all of them when a `.gitignore` or unknown path changed)."""
        if path is None or os.path.basename(path) in (".gitignore", "exclude"):
            self._forget_all()
            self._ignore_files.clear()
        else:
            self._decisions.pop(os.path.normpath(path), None)

    # -- queries -----------------------------------------------------------------------------

    def workspace_root(self, path: str) -> str | None:
        for root in self._match_roots:
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                return root
        return None

    def static_reason(self, path: str, repo_root: str | None = None) -> str | None:
        """Built-in list and `exclude` setting only: no I/O, safe anywhere."""
        path = os.path.normpath(path)
        parts = path.split(os.sep)
        if ".git" in parts[:-1]:
            return "inside .git"
        base = self.workspace_root(path) or repo_root
        rel = os.path.relpath(path, base) if base else parts[-1]
        rel = rel.replace(os.sep, "/")
        tail = "/".join(parts[-2:])
        for candidate in (rel, tail, parts[-1]):
            hit = self._builtin.check_file(candidate)
            if hit.include and hit.index is not None:
                return f"built-in pattern {BUILTIN_EXCLUDES[hit.index]}"
        hit = self._user.check_file(rel)
        if hit.include and hit.index is not None:
            return f"exclude setting {self._user_patterns[hit.index]}"
        return None

    def cached(self, path: str) -> tuple[bool, str | None]:
        """(known, reason) from the decision cache, without I/O."""
        path = os.path.normpath(path)
        if path in self._decisions:
            return True, self._decisions[path]
        return False, None

    def reason(self, path: str, repo_root: str | None) -> str | None:
        """Full decision (reads `.gitignore` files): call from a worker thread."""
        path = os.path.normpath(path)
        known, why = self.cached(path)
        if known:
            return why
        generation = self.generation
        why = self.static_reason(path, repo_root)
        if why is None:
            why = self._gitignore_reason(path, repo_root or self.workspace_root(path))
        if self.generation == generation:
            self._decisions[path] = why
        return why

    # -- .gitignore --------------------------------------------------------------------------

    def _ignore_spec(self, file: str) -> pathspec.GitIgnoreSpec | None:
        try:
            mtime = os.stat(file).st_mtime_ns
        except OSError:
            return None
        cached = self._ignore_files.get(file)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        data, _why, _mtime = open_regular(file, MAX_IGNORE_FILE_BYTES)
        spec = None if data is None else _spec(data.decode("utf-8", "replace").splitlines())
        with self._lock:
            self._ignore_files[file] = (mtime, spec)
        return spec

    def _gitignore_reason(self, path: str, root: str | None) -> str | None:
        if root is None:
            return None
        rel_to_root = os.path.relpath(path, root)
        if rel_to_root.startswith(".."):
            return None
        layers: list[tuple[str, str]] = [(os.path.join(root, ".git", "info", "exclude"), root)]
        directory = root
        layers.append((os.path.join(directory, ".gitignore"), directory))
        for part in rel_to_root.split(os.sep)[:-1]:
            directory = os.path.join(directory, part)
            layers.append((os.path.join(directory, ".gitignore"), directory))
        verdict: str | None = None
        for ignore_file, base in layers:
            spec = self._ignore_spec(ignore_file)
            if spec is None:
                continue
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            hit = spec.check_file(rel)
            if hit.include is True:
                shown = os.path.relpath(ignore_file, root).replace(os.sep, "/")
                verdict = f"ignored by {shown}"
            elif hit.include is False:
                verdict = None
        return verdict
