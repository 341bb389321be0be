"""A disk cache for the methods attrs and cattrs generate while the server starts.

attrs writes ``__init__``, ``__repr__``, ``__eq__``... of every class as source text and
compiles it; for lsprotocol's ~600 classes plus ours that compiling is about a third of the
start-up. Compiled code depends only on the source text, the file name, the compiler flags
and the Python version, so, as Python does for modules in ``__pycache__``, we keep it on
disk: inside ``with code_cache():`` the ``compile`` that attrs and cattrs call answers from
the cache when it holds that exact source, name and flags, and compiles otherwise. On the
way out attrs and cattrs get the builtin ``compile`` back, and a moment later (off the
start-up path) the code used this time is saved if it differs from what was loaded. It
always differs a little: attrs salts the ``__hash__`` of hashable classes with a
per-process string hash, so those few are compiled at every start.

The file is per Python version and carries its bytecode magic number and a checksum; a
missing, stale, foreign or damaged file is ignored (everything is compiled as before).
"""

from __future__ import annotations
import __future__

import builtins
import contextlib
import hashlib
import importlib
import importlib.util
import logging
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

__all__ = ["CodeCache", "code_cache", "default_path"]

log = logging.getLogger(__name__)

PATCHED_MODULES = ("attr._make", "cattrs.gen", "cattrs.gen.typeddicts")
"""Modules whose ``compile`` calls go through the cache (by their global name ``compile``)."""

_MAGIC = b"glm-lsp code cache 1\n" + importlib.util.MAGIC_NUMBER
_DIGEST = 32


def default_path() -> Path:
    """``<user cache dir>/glm-lsp/generated-code.<python tag>.bin``."""
    from platformdirs import user_cache_dir

    tag = sys.implementation.cache_tag or "python"
    return Path(user_cache_dir("glm-lsp", appauthor=False)) / f"generated-code.{tag}.bin"


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def _future_flags(module: ModuleType) -> int:
    """The compiler flags a ``compile`` call in ``module`` inherits from its future imports."""
    flags = 0
    for name in __future__.all_feature_names:
        imported = module.__dict__.get(name)
        if imported is not None and imported is getattr(__future__, name):
            flags |= int(imported.compiler_flag)
    return flags


class CodeCache:
    """Code objects by (source, file name, mode, flags), loaded from and saved to ``path``.

    Saving is skipped when the only differences are as many re-salted methods as last time
    (``changed``: a known file name with new source) and their stale versions.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self.changed = 0
        """Misses for a file name the cache knew (its source differed)."""
        self._volatile = 0
        self._loaded: dict[bytes, tuple[bytes, CodeType]] = {}
        self._names: set[bytes] = set()
        self._used: dict[bytes, tuple[bytes, CodeType]] = {}

    def load(self) -> None:
        """Read the file; a missing or unusable one leaves the cache empty."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        head, digest, payload = (
            data[: len(_MAGIC)],
            data[len(_MAGIC) : len(_MAGIC) + _DIGEST],
            data[len(_MAGIC) + _DIGEST :],
        )
        if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
            log.debug("code cache %s is stale or damaged: ignored", self.path)
            return
        try:
            volatile, entries = marshal.loads(payload)
            loaded: dict[bytes, tuple[bytes, CodeType]] = dict(entries)
            names = {name for name, _ in loaded.values()}
        except (EOFError, ValueError, TypeError):
            return
        self._volatile, self._loaded, self._names = int(volatile), loaded, names

    def compiler(self, module: ModuleType) -> Callable[..., Any]:
        """A ``compile`` for ``module``: the builtin's result, from the cache when possible."""
        inherited = _future_flags(module)
        real = builtins.compile

        def compile(  # noqa: A001 - stands in for the builtin
            source: Any,
            filename: Any,
            mode: str,
            flags: int = 0,
            dont_inherit: bool = False,
            optimize: int = -1,
            **kwargs: Any,
        ) -> Any:
            if not dont_inherit:
                flags |= inherited
            if kwargs or not isinstance(source, str) or not isinstance(filename, str):
                return real(source, filename, mode, flags, True, optimize, **kwargs)
            level = optimize if optimize >= 0 else sys.flags.optimize
            name = _digest(f"{mode}\0{flags}\0{level}\0{filename}".encode("utf-8", "replace"))
            key = _digest(name + source.encode("utf-8", "surrogatepass"))
            entry = self._used.get(key) or self._loaded.get(key)
            if entry is not None:
                self.hits += 1
            else:
                result = real(source, filename, mode, flags, True, optimize)
                if not isinstance(result, CodeType):  # an AST was asked for
                    return result
                entry = (name, result)
                self.misses += 1
                self.changed += name in self._names
            self._used[key] = entry
            return entry[1]

        return compile

    def save(self) -> bool:
        """Write the code used this time, if it differs from what was loaded; True if written."""
        new = self.misses - self.changed
        unused = sum(key not in self._used for key in self._loaded)
        if not new and self.changed <= self._volatile and unused <= self._volatile:
            return False
        payload = marshal.dumps((self.changed, self._used))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".code-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            log.debug("code cache not saved to %s: %s", self.path, exc)
            return False
        return True


@contextlib.contextmanager
def code_cache(path: Path | None = None, save_after: float | None = 2.0) -> Iterator[CodeCache]:
    """Serve attrs' and cattrs' ``compile`` calls from the cache at ``path`` inside the block.

    The cache is saved ``save_after`` seconds after the block, in a daemon thread (None: at
    once, before leaving the block).
    """
    cache = CodeCache(default_path() if path is None else path)
    cache.load()
    patched: list[ModuleType] = []
    for name in PATCHED_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if "compile" not in module.__dict__:
            module.__dict__["compile"] = cache.compiler(module)
            patched.append(module)
    try:
        yield cache
    finally:
        for module in patched:
            module.__dict__.pop("compile", None)
        log.debug("code cache: %d hits, %d compiled", cache.hits, cache.misses)
        if save_after is None:
            cache.save()
        else:
            timer = threading.Timer(save_after, cache.save)
            timer.daemon = True
            timer.name = "glm-lsp-code-cache"
            timer.start()
