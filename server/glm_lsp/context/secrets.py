"""Redaction of secret-looking strings before any text reaches a prompt.

Three layers, all applied to every text:

- detect-secrets' own plugins (vendor keys, high-entropy strings, its keyword rules),
  called directly per line so no global settings or network verification are involved;
  entropy hits that are hashes (lock-file checksums, SRI, `h1:` sums, bare hex digests)
  are dropped;
- our line rules (`secret_rules`): any literal given to a secret-named key whatever its
  entropy, CLI flags, HTTP headers, cookies, connection strings, URL userinfo and vendor
  shapes detect-secrets 1.5 misses;
- our block rules (`secret_blocks`), read from the whole text: key bodies, multi-line
  values, secret sections. Callers get them from `private_key_blocks` (the name predates
  the other block kinds) and pass them back to `redact_lines` / `line_spans`.

Per-line results are cached, so re-redacting a document after a keystroke only scans the
lines that changed. The detect-secrets layer (lazy import, gates, hash filter) is in
`secret_detectors`. `kind_for_path` uses
a copy of detect-secrets' extension table (a unit test keeps the two equal) so that
the event loop never imports detect-secrets just to name a file type.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence

from . import secret_rules
from .secret_blocks import SecretBlocks, find_blocks
from .secret_detectors import Detectors, load_detectors, warm_up

__all__ = [
    "REDACTED",
    "Redactor",
    "SecretBlocks",
    "Span",
    "kind_for_path",
    "private_key_blocks",
    "warm_up",
]

REDACTED = "[REDACTED]"
Span = tuple[int, int]
_TOKEN_LEFT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/")
_TOKEN_RIGHT = _TOKEN_LEFT | frozenset("=.")
# detect_secrets.util.filetype.determine_file_type's table, by FileType name.
FILE_KINDS: Mapping[str, str] = {
    ".cls": "CLS",
    ".example": "EXAMPLE",
    ".eyaml": "YAML",
    ".go": "GO",
    ".java": "JAVA",
    ".js": "JAVASCRIPT",
    ".m": "OBJECTIVE_C",
    ".php": "PHP",
    ".py": "PYTHON",
    ".pyi": "PYTHON",
    ".swift": "SWIFT",
    ".tf": "TERRAFORM",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".cs": "C_SHARP",
    ".c": "C",
    ".cpp": "C_PLUS_PLUS",
    ".cnf": "CONFIG",
    ".conf": "CONFIG",
    ".cfg": "CONFIG",
    ".cf": "CONFIG",
    ".ini": "INI",
    ".properties": "PROPERTIES",
    ".toml": "TOML",
}


def kind_for_path(path: str | None) -> str:
    """The detect-secrets file type name that selects its keyword rules for `path`."""
    if not path:
        return "OTHER"
    return FILE_KINDS.get(os.path.splitext(path)[1], "OTHER")


def private_key_blocks(text: str, lines: Sequence[str]) -> SecretBlocks:
    """Every secret that spans lines or needs lines above it (see `secret_blocks`)."""
    return find_blocks(text, lines)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    if not spans:
        return ()
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return tuple(merged)


class Redactor:
    """Finds and replaces secrets; thread-safe, with a bounded per-line cache."""

    def __init__(self, max_cache: int = 300_000) -> None:
        self._detectors: Detectors | None = None
        # kind -> line -> True for clean lines. A dict of only str keys and bool values is
        # never tracked by the garbage collector, so a big cache costs full collections
        # nothing. Keyed by the line itself (no `kind + line` string built per lookup), a
        # line's hash is computed once per string. The rare lines with secrets keep their
        # spans in a second, small dict.
        self._clean: dict[str, dict[str, bool]] = {}
        self._dirty: dict[str, dict[str, tuple[Span, ...]]] = {}
        self._cached = 0
        self._max_cache = max_cache
        self._lock = threading.Lock()

    # -- detection ---------------------------------------------------------------------------

    def _scan(self, line: str, kind: str) -> tuple[Span, ...]:
        detectors = self._detectors
        if detectors is None:
            detectors = self._detectors = load_detectors()
        found = detectors.spans(line, kind)
        found += secret_rules.line_spans(line, kind)
        return _merge(_grow_all(line, [s for s in found if s[1] > s[0]]))

    def spans(self, line: str, kind: str = "OTHER") -> tuple[Span, ...]:
        """Character spans of secrets in one line (cached)."""
        if len(line) < 6 or line.isspace():
            return ()
        clean = self._clean.get(kind)
        if clean is not None and line in clean:
            return ()
        dirty = self._dirty.get(kind)
        hit = dirty.get(line) if dirty is not None else None
        if hit is not None:
            return hit
        result = self._scan(line, kind)
        with self._lock:
            if self._cached >= self._max_cache:
                self._clean, self._dirty, self._cached = {}, {}, 0
            if result:
                self._dirty.setdefault(kind, {})[line] = result
            else:
                self._clean.setdefault(kind, {})[line] = True
            self._cached += 1
        return result

    def line_spans(
        self, lines: Sequence[str], i: int, kind: str, blocks: Sequence[Span] = ()
    ) -> tuple[Span, ...]:
        """Spans of secrets in `lines[i]`, the blocks of its text included."""
        inside = (
            blocks.covers(i)
            if isinstance(blocks, SecretBlocks)
            else any(a <= i <= b for a, b in blocks)
        )
        if inside:
            line = lines[i]
            indent = len(line) - len(line.lstrip(" \t"))
            return ((indent, len(line)),) if indent < len(line) else ()
        own = self.spans(lines[i], kind)
        if isinstance(blocks, SecretBlocks):
            extra = blocks.line_spans(i)
            if extra:
                return _merge([*own, *extra])
        return own

    # -- replacement -------------------------------------------------------------------------

    def redact_lines(
        self,
        lines: Sequence[str],
        start: int,
        end: int,
        *,
        kind: str = "OTHER",
        blocks: Sequence[Span] = (),
    ) -> tuple[list[str], int]:
        """Redacted copies of `lines[start:end]`; `blocks` come from `private_key_blocks`
        on the whole text (whole-line ranges, plus per-line spans in a `SecretBlocks`)."""
        out: list[str] = []
        count = 0
        with_blocks = bool(blocks)
        clean: dict[str, bool] = {} if with_blocks else self._clean.get(kind, {})
        for i in range(max(0, start), min(end, len(lines))):
            line = lines[i]
            if line in clean:
                out.append(line)
                continue
            found = (
                self.line_spans(lines, i, kind, blocks) if with_blocks else self.spans(line, kind)
            )
            if found:
                out.append(apply_spans(line, found))
                count += len(found)
            else:
                out.append(line)
        return out, count

    def redact(self, text: str, *, path: str | None = None) -> str:
        """Redact secrets in any text, reading it as a whole (blocks included)."""
        lines = text.split("\n")
        blocks = private_key_blocks(text, lines)
        out, _ = self.redact_lines(lines, 0, len(lines), kind=kind_for_path(path), blocks=blocks)
        return "\n".join(out)


def _grow_all(line: str, spans: list[Span]) -> list[Span]:
    """Extend spans over adjacent token characters (e.g. a JWT signature), each character
    of the line read at most once (spans already grown over are absorbed)."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
            continue
        floor = out[-1][1] if out else 0
        while start > floor and line[start - 1] in _TOKEN_LEFT and line[start] in _TOKEN_LEFT:
            start -= 1
        while end < len(line) and line[end] in _TOKEN_RIGHT and line[end - 1] in _TOKEN_RIGHT:
            end += 1
        out.append((start, end))
    return out


def apply_spans(text: str, spans: Sequence[Span], offset: int = 0) -> str:
    """Replace `spans` (relative to a line, `text` starting at `offset` in it) with a marker."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        s = max(start - offset, 0)
        e = min(end - offset, len(text))
        if e <= 0 or s >= len(text) or e <= s:
            continue
        if s >= pos:
            out.append(text[pos:s])
        out.append(REDACTED)
        pos = e
    out.append(text[pos:])
    return "".join(out)
