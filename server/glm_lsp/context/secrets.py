"""Redaction of secret-looking strings before any text reaches a prompt.

Detection is detect-secrets' own plugins (vendor keys, keyword assignments, high
entropy strings, private keys, URLs with passwords), called directly per line so
no global settings or network verification are involved. A few extra patterns
cover what detect-secrets 1.5 misses (fine-grained GitHub tokens, new OpenAI and
Anthropic keys, GLM keys, unquoted `SECRET=...` assignments, bearer tokens and
private-key bodies). Results are cached per line, so re-redacting a document after
a keystroke only scans the lines that changed.

detect-secrets (and the `requests` stack it pulls in) costs a few hundred milliseconds
to import, so it is imported when a `Redactor` first scans a line, not when this module
is; `warm_up()` does it ahead of time in a worker thread. `kind_for_path` uses
a copy of detect-secrets' extension table (a unit test keeps the two equal) so that
the event loop never imports detect-secrets just to name a file type.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

REDACTED = "[REDACTED]"
Span = tuple[int, int]

_SKIPPED_PLUGINS = frozenset({"IPPublicDetector", "KeywordDetector"})
# Every detect-secrets keyword (api_?key, db_?pass, passwd, pwd, secret, contraseña, ...)
# contains one of these, so lines without them skip the keyword rules.
_KEYWORD_HINTS = ("key", "pass", "pwd", "secret", "contrase", "token", "credential")
_TOKEN_LEFT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/")
_TOKEN_RIGHT = _TOKEN_LEFT | frozenset("=.")
_EDGE_JUNK = " \t\"'`=:,;"

# Patterns for secrets detect-secrets 1.5 does not find; group 1 (or the match) is the secret.
_EXTRA_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"github_pat_[A-Za-z0-9_]{22,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9_]{30,}"),
    re.compile(r"\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{20,}"),
    re.compile(r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}"),
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}"),
    re.compile(r"\bxapp-\d-[A-Za-z0-9-]{10,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),
    re.compile(r"\b[0-9a-f]{32}\.[A-Za-z0-9]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"),
    re.compile(r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{16,}=*)"),
    re.compile(r"(?i)\b[a-z][a-z0-9+.\-]*://[^/\s:@'\"]*:([^/\s'\"]+)@"),
    re.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END[A-Z ]*-----|$)"),
    re.compile(r"^\s*([A-Za-z0-9+/]{60,}={0,2})\s*$"),
)
# `NAME_WITH_SECRET = value` without quotes (shell, env-like and CI files).
_UNQUOTED_ASSIGNMENT = re.compile(
    r"(?i)(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|auth[_-]?key|credentials?)[\w.\-]*['\"]?\s*[:=]\s*([A-Za-z0-9+/_\-!@#$%^&*~.=]{12,})"
)
_IDENTIFIER_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

_BLOCK_BEGIN = ("PRIVATE KEY", "PuTTY-User-Key-File")

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


class _Detectors:
    """detect-secrets' plugins and keyword rules, built once (the slow import happens here)."""

    def __init__(self) -> None:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.plugins import keyword
        from detect_secrets.plugins.base import RegexBasedDetector
        from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
        from detect_secrets.util.filetype import FileType

        self.regex_plugins: list[RegexBasedDetector] = []
        self.entropy_plugins: list[HighEntropyStringsPlugin] = []
        classes: list[type[Any]] = list(get_mapping_from_secret_type_to_class().values())
        for cls in classes:
            if cls.__name__ in _SKIPPED_PLUGINS:
                continue
            plugin = cls()
            if isinstance(plugin, RegexBasedDetector):
                self.regex_plugins.append(plugin)
            elif isinstance(plugin, HighEntropyStringsPlugin):
                self.entropy_plugins.append(plugin)
        self.regexes: list[re.Pattern[str]] = [
            r for p in self.regex_plugins for r in p.denylist if isinstance(r, re.Pattern)
        ]
        default = keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
        self.keyword_rules: dict[str, dict[re.Pattern[str], int]] = {
            t.name: keyword.REGEX_BY_FILETYPE.get(t, default) for t in FileType
        }


_detectors: _Detectors | None = None
_detectors_lock = threading.Lock()


def _load_detectors() -> _Detectors:
    global _detectors
    with _detectors_lock:
        if _detectors is None:
            _detectors = _Detectors()
        return _detectors


def warm_up() -> None:
    """Import detect-secrets and build its detectors now (blocking: for a worker thread)."""
    _load_detectors()


def kind_for_path(path: str | None) -> str:
    """The detect-secrets file type name that selects its keyword rules for `path`."""
    if not path:
        return "OTHER"
    return FILE_KINDS.get(os.path.splitext(path)[1], "OTHER")


def _entropy_ok(text: str) -> bool:
    distinct = len(set(text))
    return distinct >= 8 and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


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
        self._detectors = _detectors
        # (kind + line) -> True for clean lines. A dict of only str keys and bool values is
        # never tracked by the garbage collector, so a big cache costs full collections
        # nothing. The rare lines with secrets keep their spans in a second, small dict.
        self._clean: dict[str, bool] = {}
        self._dirty: dict[str, tuple[Span, ...]] = {}
        self._max_cache = max_cache
        self._lock = threading.Lock()

    # -- detection ---------------------------------------------------------------------------

    def _scan(self, line: str, kind: str) -> tuple[Span, ...]:
        detectors = self._detectors
        if detectors is None:
            detectors = self._detectors = _load_detectors()
        found: list[Span] = []
        for regex in detectors.regexes:
            for m in regex.finditer(line):
                found.append(_pick_span(m))
        for plugin in detectors.entropy_plugins:
            for m in plugin.regex.finditer(line):
                value = m.group(2)
                if plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                    found.append(m.span(2))
        lowered = line.lower()
        if any(hint in lowered for hint in _KEYWORD_HINTS):
            rules = detectors.keyword_rules.get(kind)
            if rules is None:
                rules = detectors.keyword_rules["OTHER"]
            for regex, group in rules.items():
                for m in regex.finditer(line):
                    if m.group(group):
                        found.append(m.span(group))
            for m in _UNQUOTED_ASSIGNMENT.finditer(line):
                value = m.group(1)
                if not _IDENTIFIER_PATH.fullmatch(value) and _entropy_ok(value):
                    found.append(m.span(1))
        for regex in _EXTRA_PATTERNS:
            for m in regex.finditer(line):
                found.append(_pick_span(m))
        return _merge([_grow(line, s) for s in found if s[1] > s[0]])

    def spans(self, line: str, kind: str = "OTHER") -> tuple[Span, ...]:
        """Character spans of secrets in one line (cached)."""
        if len(line) < 6 or line.isspace():
            return ()
        key = kind + "\0" + line
        if key in self._clean:
            return ()
        hit = self._dirty.get(key)
        if hit is not None:
            return hit
        result = self._scan(line, kind)
        if len(self._clean) + len(self._dirty) >= self._max_cache:
            with self._lock:
                self._clean.clear()
                self._dirty.clear()
        if result:
            self._dirty[key] = result
        else:
            self._clean[key] = True
        return result

    # -- replacement -------------------------------------------------------------------------

    def redact_line(self, line: str, kind: str = "OTHER") -> tuple[str, int]:
        """The line with each secret replaced, and how many were replaced."""
        found = self.spans(line, kind)
        if not found:
            return line, 0
        return apply_spans(line, found), len(found)

    def redact_lines(
        self,
        lines: Sequence[str],
        start: int,
        end: int,
        *,
        kind: str = "OTHER",
        blocks: Sequence[Span] = (),
    ) -> tuple[list[str], int]:
        """Redacted copies of `lines[start:end]`; `blocks` are private-key body line ranges."""
        out: list[str] = []
        count = 0
        for i in range(max(0, start), min(end, len(lines))):
            if blocks and _in_blocks(i, blocks):
                out.append(REDACTED)
                count += 1
                continue
            text, n = self.redact_line(lines[i], kind)
            out.append(text)
            count += n
        return out, count

    def redact(self, text: str, *, path: str | None = None) -> str:
        """Redact secrets in any text (one-off use; for documents prefer `redact_lines`)."""
        lines = text.split("\n")
        blocks = private_key_blocks(text, lines)
        out, _ = self.redact_lines(lines, 0, len(lines), kind=kind_for_path(path), blocks=blocks)
        return "\n".join(out)


def _pick_span(m: re.Match[str]) -> Span:
    """The secret's span in a match: the last sizeable group, else the whole match."""
    for g in range(m.re.groups, 0, -1):
        start, end = m.span(g)
        if start >= 0 and end - start >= 8:
            return start, end
    start, end = m.span(0)
    text = m.group(0)
    lead = len(text) - len(text.lstrip(_EDGE_JUNK))
    trail = len(text) - len(text.rstrip(_EDGE_JUNK))
    return start + lead, end - trail


def _grow(line: str, span: Span) -> Span:
    """Extend a span over adjacent token characters (e.g. a JWT signature)."""
    start, end = span
    while start > 0 and line[start - 1] in _TOKEN_LEFT and line[start] in _TOKEN_LEFT:
        start -= 1
    while end < len(line) and line[end] in _TOKEN_RIGHT and line[end - 1] in _TOKEN_RIGHT:
        end += 1
    return start, end


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


def _in_blocks(i: int, blocks: Sequence[Span]) -> bool:
    return any(a <= i <= b for a, b in blocks)


def private_key_blocks(text: str, lines: Sequence[str]) -> list[Span]:
    """Inclusive line ranges of private-key bodies (between BEGIN and END lines)."""
    if not any(marker in text for marker in _BLOCK_BEGIN):
        return []
    blocks: list[Span] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        putty = "PuTTY-User-Key-File" in line
        if ("BEGIN" in line and "PRIVATE KEY" in line and "END" not in line) or putty:
            j = i + 1
            while j < n:
                if ("END" in lines[j] and "PRIVATE KEY" in lines[j]) or (
                    putty and lines[j].startswith("Private-MAC")
                ):
                    break
                j += 1
            end = j if putty and j < n else j - 1
            if end >= i + 1:
                blocks.append((i + 1, min(end, n - 1)))
            i = j + 1
        else:
            i += 1
    return blocks
