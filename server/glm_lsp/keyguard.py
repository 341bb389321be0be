"""The key guard: every text that leaves the server is masked here first, then cut.

A message cut before masking can keep part of a key (a 300-character cut through a key echoed
by the host left its first 20 characters in place). So whatever shows or stores a message
(errors, ``glm/status``, notices, logs, ``doctor``) calls ``mask_secrets`` before anything
else, and ``mask_then_cut`` where it also shortens. The guard knows:

* every key registered with ``remember`` (the settings in force, every settings layer, even a
  wrongly typed ``apiKey``: each string inside it) and the key variables of the environment;
* pieces of those keys: a word that shares 8 characters with a key, and a word that begins or
  ends with 6 or more of a key's first or last characters (a key another program cut, or
  showed as ``sk-ab…yz``) are masked whole;
* credentials a host echoes that no setting names: ``Authorization:`` and similar header
  values, ``Bearer …`` tokens, ``key=``/``token=`` URL parameters and passwords in URLs.

Keys shorter than ``MIN_KEY_CHARS`` are not remembered (masking every "abc" would wreck logs).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "KEY_ENV_VARS",
    "MASK",
    "MIN_KEY_CHARS",
    "KeyGuard",
    "MaskingWriter",
    "key_guard",
    "mask_secrets",
    "mask_then_cut",
    "remember",
    "remember_environ",
]

MASK = "****"
MIN_KEY_CHARS = 6
"""Shorter keys are not remembered."""
WRITER_MIN_KEY_CHARS = 16
"""Shorter keys are masked in messages but not by ``MaskingWriter``, which also sees code and
answers: a placeholder key such as ``ollama`` for a local host must not turn every "ollama"
in an edit into asterisks. Real provider keys are 32 characters or more."""
SHARED_CHARS = 8
"""A word sharing this many consecutive characters with a key is masked."""
EDGE_CHARS = 6
"""A word ending with this many first characters of a key (or starting with its last) is masked."""

KEY_ENV_VARS = (
    "GLM_API_KEY",
    "ZAI_API_KEY",
    "ZHIPUAI_API_KEY",
    "DEEPINFRA_TOKEN",
    "TOGETHER_API_KEY",
    "OPENROUTER_API_KEY",
)
"""Every environment variable a provider reads its key from (tests check it against presets)."""

_WORD = re.compile(rf"[A-Za-z0-9_.~+/=-]{{{EDGE_CHARS},}}")
_WORD_EDGES = "._~+/=-"
_CREDENTIALS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # (words one of which the lower-cased text must hold, pattern)
    (
        ("authorization", "api-key"),
        re.compile(
            r"(?i)\b((?:proxy-)?authorization|x-api-key|api-key|x-goog-api-key)"
            r"(\\?[\"']?\s*[:=]\s*\\?[\"']?\s*)"
            r"((?:bearer|basic|token)\s+(?!\*)[^\s\"'\\,;]+"
            r"|(?!(?:bearer|basic|token)\b)(?!\*)[^\s\"'\\,;]+)"
        ),
    ),
    (("bearer",), re.compile(r"(?i)\b(bearer)(\s+)((?!\*)[A-Za-z0-9_.~+/=:-]{6,})")),
    (
        ("key=", "token=", "auth="),
        re.compile(r"(?i)([?&](?:api[_-]?key|key|token|access_token|auth)=)()([^&\s\"'#]+)"),
    ),
    (("@",), re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)()([^/\s:@]*:[^/\s@]+(?=@))")),
)


class KeyGuard:
    """The keys to mask and the masking itself (thread-safe: logging runs in threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: tuple[str, ...] = ()
        self._key_bytes: tuple[bytes, ...] = ()
        self._grams: frozenset[str] = frozenset()
        self._heads: tuple[str, ...] = ()
        self._tails: tuple[str, ...] = ()
        self._probes: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The remembered keys, longest first."""
        return self._keys

    def remember(self, value: object) -> None:
        """Mask ``value`` from now on: a string, or every string inside a list or mapping.

        Surrounding whitespace is dropped (a key pasted with its newline is still the key).
        """
        found = [s for s in _strings(value) if len(s) >= MIN_KEY_CHARS]
        found += [s.strip() for s in found if len(s.strip()) >= MIN_KEY_CHARS]
        with self._lock:
            new = set(found) - set(self._keys)
            if not new:
                return
            keys = tuple(sorted({*self._keys, *new}, key=len, reverse=True))
            self._keys = keys
            self._key_bytes = tuple(
                k.encode("utf-8", "surrogatepass") for k in keys if len(k) >= WRITER_MIN_KEY_CHARS
            )
            self._grams = frozenset(
                k[i : i + SHARED_CHARS] for k in keys for i in range(len(k) - SHARED_CHARS + 1)
            )
            self._heads = tuple({k[:n] for k in keys for n in range(EDGE_CHARS, len(k) + 1)})
            self._tails = tuple({k[-n:] for k in keys for n in range(EDGE_CHARS, len(k) + 1)})
            self._probes = tuple({p for k in keys for p in _probes(k)})

    def remember_environ(self, environ: Mapping[str, str]) -> None:
        """Remember the keys in ``environ``'s provider key variables."""
        for name in KEY_ENV_VARS:
            self.remember(environ.get(name))

    def mask_bytes(self, data: bytes) -> bytes:
        """``data`` with every whole key of ``WRITER_MIN_KEY_CHARS`` or more replaced by as
        many ``*``: lengths stay the same."""
        for key in self._key_bytes:
            if key in data:
                data = data.replace(key, b"*" * len(key))
        return data

    def mask(self, text: str) -> str:
        """``text`` with every key, piece of a key and echoed credential replaced by ``MASK``."""
        keys, grams, heads, tails = self._keys, self._grams, self._heads, self._tails
        for key in keys:
            if key in text:
                text = text.replace(key, MASK)
        lowered = text.lower()
        for words, pattern in _CREDENTIALS:
            if any(word in lowered for word in words):
                text = pattern.sub(_masked_value, text)
        if not any(probe in text for probe in self._probes):
            return text

        def word(match: re.Match[str]) -> str:
            found = match.group()
            if _holds_piece(found, grams, heads, tails):
                return MASK
            return found

        return _WORD.sub(word, text)

    def mask_then_cut(self, text: str, limit: int, ellipsis: str = "…") -> str:
        """``text`` masked, then cut to ``limit`` characters (``ellipsis`` marks a cut)."""
        masked = self.mask(text)
        if len(masked) <= limit:
            return masked
        return masked[: max(limit - len(ellipsis), 0)] + ellipsis


class MaskingWriter:
    """A transport writer whose every ``write`` passes ``mask_bytes`` first.

    The last net under everything the server sends (a handler's traceback in a JSON-RPC error
    included). The mask keeps byte lengths, so a ``Content-Length`` header already written into
    the same buffer stays true.
    """

    def __init__(self, inner: Any, guard: KeyGuard | None = None) -> None:
        self._inner = inner
        self._guard = guard or key_guard

    def write(self, data: bytes) -> Any:
        return self._inner.write(self._guard.mask_bytes(data))

    def close(self) -> Any:
        return self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


def _probes(key: str) -> list[str]:
    """Substrings of ``key`` of which any piece the guard masks holds at least one.

    Every ``SHARED_CHARS`` window of the key holds one of its ``EDGE_CHARS``-grams that start
    at a multiple of ``SHARED_CHARS - EDGE_CHARS + 1``; a cut end holds the first or last
    ``EDGE_CHARS`` characters. Text holding none of them needs no word-by-word look.
    """
    step = SHARED_CHARS - EDGE_CHARS + 1
    found = [key[i : i + EDGE_CHARS] for i in range(0, len(key) - EDGE_CHARS + 1, step)]
    return [*found, key[:EDGE_CHARS], key[-EDGE_CHARS:]]


def _masked_value(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{MASK}"


def _holds_piece(
    word: str, grams: frozenset[str], heads: tuple[str, ...], tails: tuple[str, ...]
) -> bool:
    """True when ``word`` shares ``SHARED_CHARS`` with a key, or begins or ends with at least
    ``EDGE_CHARS`` of a key's first or last characters (a key cut, or shown as ``sk-ab…yz``)."""
    for i in range(len(word) - SHARED_CHARS + 1):
        if word[i : i + SHARED_CHARS] in grams:
            return True
    bare = word.strip(_WORD_EDGES)
    for candidate in {word, bare}:
        if candidate.endswith(heads) or candidate.startswith(tails):
            return True
        if candidate.startswith(heads) or candidate.endswith(tails):
            return True
    return False


key_guard = KeyGuard()
"""The process-wide guard."""


def mask_secrets(text: str) -> str:
    """``text`` with every known key (and pieces of it) masked; call before cutting."""
    return key_guard.mask(text)


def mask_then_cut(text: str, limit: int, ellipsis: str = "…") -> str:
    """Mask ``text``, then cut it to ``limit`` characters: never the other way round."""
    return key_guard.mask_then_cut(text, limit, ellipsis)


def remember(value: object) -> None:
    """Mask ``value`` (a key, or the strings in a wrongly typed key) from now on."""
    key_guard.remember(value)


def remember_environ(environ: Mapping[str, str]) -> None:
    """Mask the keys in ``environ``'s provider key variables from now on."""
    key_guard.remember_environ(environ)
