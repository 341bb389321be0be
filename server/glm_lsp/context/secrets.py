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
lines that changed. detect-secrets' keyword regexes backtrack on long lines, so they only
run on lines up to `LONG_LINE` characters; our rules are linear and run on every line.

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

from . import secret_rules
from .secret_blocks import SecretBlocks, find_blocks

if TYPE_CHECKING:
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

__all__ = ["REDACTED", "Redactor", "SecretBlocks", "Span", "kind_for_path", "private_key_blocks"]

REDACTED = "[REDACTED]"
Span = tuple[int, int]
# detect-secrets' keyword and vendor regexes run only on lines up to this long.
LONG_LINE = 2_000

# IP addresses are not credentials; keyword rules are run separately (below); private-key
# markers are found (with their bodies) by `secret_blocks`, and the plugin's bare-marker
# hits would only hide code that names the markers.
_SKIPPED_PLUGINS = frozenset({"IPPublicDetector", "KeywordDetector", "PrivateKeyDetector"})
# Substrings without which none of a plugin's regexes can match (read off each pattern:
# a mandatory literal, or one per alternative), so that its regexes skip most lines.
# (lower-case the line first?, needles). A unit test checks each pattern names a needle.
_PLUGIN_GATES: Mapping[str, tuple[bool, tuple[str, ...]]] = {
    "ArtifactoryDetector": (False, ("AKC", "AP")),
    "AWSKeyDetector": (True, ("a3t", "abia", "acca", "akia", "asia", "aws")),
    "AzureStorageKeyDetector": (False, ("AccountKey=",)),
    "BasicAuthDetector": (False, ("://",)),
    "CloudantDetector": (True, ("key", "pw", "pass", "token", "cloudant")),
    "GitHubTokenDetector": (False, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "GitLabTokenDetector": (
        False,
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "GR1348941", "glcbt-"),
    ),
    "IbmCloudIamDetector": (True, ("key", "pw", "pass", "token")),
    "IbmCosHmacDetector": (True, ("secret",)),
    "JwtTokenDetector": (False, ("eyJ",)),
    "MailchimpDetector": (False, ("-us",)),
    "NpmDetector": (False, (":_authToken=",)),
    "OpenAIDetector": (False, ("T3BlbkFJ",)),
    "PypiTokenDetector": (False, ("pypi-",)),
    "SendGridDetector": (False, ("SG.",)),
    "SlackDetector": (False, ("xox", "hooks.slack.com")),
    "SoftlayerDetector": (True, ("key", "pw", "pass", "token", "softlayer")),
    "SquareOAuthDetector": (False, ("sq0csp-",)),
    "StripeDetector": (False, ("k_live_",)),
    "TelegramBotTokenDetector": (False, (":",)),
    "TwilioKeyDetector": (False, ("AC", "SK")),
}
# Every detect-secrets keyword (api_?key, db_?pass, passwd, pwd, secret, contraseña, ...)
# contains one of these, so lines without them skip the keyword rules.
_KEYWORD_HINTS = re.compile("key|pass|pwd|secret|contrase|token|credential")
_TOKEN_LEFT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/")
_TOKEN_RIGHT = _TOKEN_LEFT | frozenset("=.")
_EDGE_JUNK = " \t\"'`=:,;"
_HASH_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_HASH_PREFIXES = ("sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:")
# Runs that mark alphabets and counting sequences (`"0123456789abcdef"`), not keys.
_ALPHABET_RUN = re.compile(
    r"012345|123456|234567|345678|456789|abcdef|bcdefg|cdefgh|defghi|opqrst|pqrstu|qrstuv"
    r"|rstuvw|stuvwx|tuvwxy|uvwxyz|ABCDEF|BCDEFG|OPQRST|PQRSTU|TUVWXY|UVWXYZ"
)
_HASH_CONTEXT = ("h1:", "base64,", "md5-", "integrity", "checksum", "digest", "hash", "etag")

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
        # (lower-case first?, gate or None, regexes) per plugin.
        self.regexes: list[tuple[bool, re.Pattern[str] | None, list[re.Pattern[str]]]] = []
        for plugin in self.regex_plugins:
            gate = _PLUGIN_GATES.get(type(plugin).__name__)
            patterns = [r for r in plugin.denylist if isinstance(r, re.Pattern)]
            if gate is None:
                self.regexes.append((False, None, patterns))
            else:
                needles = re.compile("|".join(re.escape(n) for n in gate[1]))
                self.regexes.append((gate[0], needles, patterns))
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


def private_key_blocks(text: str, lines: Sequence[str]) -> SecretBlocks:
    """Every secret that spans lines or needs lines above it (see `secret_blocks`)."""
    return find_blocks(text, lines)


def _is_hash(line: str, span: Span) -> bool:
    """An entropy hit that is a checksum, digest or alphabet rather than a credential."""
    start, end = span
    value = line[start:end]
    if len(value) in _HASH_LENGTHS and all(c in "0123456789abcdefABCDEF" for c in value):
        return True
    if _ALPHABET_RUN.search(value) is not None or secret_rules.is_identifier_like(value):
        return True
    before = line[max(0, start - 12) : start].lower()
    if before.endswith(_HASH_PREFIXES) or any(c in before for c in ("h1:", "base64,")):
        return True
    return any(c in line[:start].lower() for c in _HASH_CONTEXT)


def _keyword_hit_is_secret(line: str, start: int, value: str) -> bool:
    """A detect-secrets keyword hit, judged by our rules for its whole key and its value
    (its regexes start at the keyword, so `secretName: tls` looks like `secret: tls`)."""
    end = start
    while end < len(line) and end - start < 100 and (line[end].isalnum() or line[end] in "_.-"):
        end += 1
    begin = start
    while (
        begin > 0 and start - begin < 100 and (line[begin - 1].isalnum() or line[begin - 1] in "_")
    ):
        begin -= 1
    key = line[begin:end]
    return secret_rules.is_secret_key(key) and secret_rules.is_literal(value, key, quoted=True)


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
        short = len(line) <= LONG_LINE
        lowered = line.lower()
        if short:
            for on_lower, gate, regexes in detectors.regexes:
                if gate is not None and gate.search(lowered if on_lower else line) is None:
                    continue
                for regex in regexes:
                    for m in regex.finditer(line):
                        span = _pick_span(m)
                        if not secret_rules.is_placeholder(line[span[0] : span[1]]):
                            found.append(span)
        for plugin in detectors.entropy_plugins:
            # Shannon entropy is at most log2(len): shorter strings cannot pass the limit.
            shortest = 2**plugin.entropy_limit
            for m in plugin.regex.finditer(line):
                value = m.group(2)
                if len(value) <= shortest or _is_hash(line, m.span(2)):
                    continue
                if plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                    found.append(m.span(2))
        if short and _KEYWORD_HINTS.search(lowered) is not None:
            rules = detectors.keyword_rules.get(kind)
            if rules is None:
                rules = detectors.keyword_rules["OTHER"]
            for regex, group in rules.items():
                for m in regex.finditer(line):
                    value = m.group(group)
                    if value and _keyword_hit_is_secret(line, m.start(), value):
                        found.append(m.span(group))
        found += secret_rules.line_spans(line, kind)
        return _merge(_grow_all(line, [s for s in found if s[1] > s[0]]))

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
        """Redacted copies of `lines[start:end]`; `blocks` come from `private_key_blocks`
        on the whole text (whole-line ranges, plus per-line spans in a `SecretBlocks`)."""
        out: list[str] = []
        count = 0
        for i in range(max(0, start), min(end, len(lines))):
            line = lines[i]
            found = self.line_spans(lines, i, kind, blocks) if blocks else self.spans(line, kind)
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
