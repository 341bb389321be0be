"""detect-secrets' plugins and keyword rules, called directly per line.

No global settings or network verification are involved. Entropy hits that are hashes
(lock-file checksums, SRI, `h1:` sums, bare hex digests) are dropped, and a keyword hit counts
only when our rules (`secret_rules`) call its whole key secret and its value a literal.
detect-secrets' keyword regexes backtrack on long lines, so they only run on lines up to
`LONG_LINE` characters.

detect-secrets (and the `requests` stack it pulls in) costs a few hundred milliseconds to
import, so it is imported when the detectors are first needed (`load_detectors`), not when
this module is; `warm_up()` does it ahead of time in a worker thread.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import secret_words as words

if TYPE_CHECKING:
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

__all__ = ["LONG_LINE", "Detectors", "load_detectors", "warm_up"]

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
_EDGE_JUNK = " \t\"'`=:,;"
_HASH_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_HASH_PREFIXES = ("sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:")
# Runs that mark alphabets and counting sequences (`"0123456789abcdef"`), not keys.
_ALPHABET_RUN = re.compile(
    r"012345|123456|234567|345678|456789|abcdef|bcdefg|cdefgh|defghi|opqrst|pqrstu|qrstuv"
    r"|rstuvw|stuvwx|tuvwxy|uvwxyz|ABCDEF|BCDEFG|OPQRST|PQRSTU|TUVWXY|UVWXYZ"
)
_HASH_CONTEXT = ("h1:", "base64,", "md5-", "integrity", "checksum", "digest", "hash", "etag")


class Detectors:
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

    def spans(self, line: str, kind: str) -> list[Span]:
        """Spans of what detect-secrets finds in one line (unmerged, maybe empty)."""
        short = len(line) <= LONG_LINE
        lowered = line.lower()
        found = self._regex_spans(line, lowered) if short else []
        found += self._entropy_spans(line)
        if short and _KEYWORD_HINTS.search(lowered) is not None:
            found += self._keyword_spans(line, kind)
        return found

    def _regex_spans(self, line: str, lowered: str) -> list[Span]:
        found: list[Span] = []
        for on_lower, gate, regexes in self.regexes:
            if gate is not None and gate.search(lowered if on_lower else line) is None:
                continue
            for regex in regexes:
                for m in regex.finditer(line):
                    span = _pick_span(m)
                    if not words.is_placeholder(line[span[0] : span[1]]):
                        found.append(span)
        return found

    def _entropy_spans(self, line: str) -> list[Span]:
        found: list[Span] = []
        for plugin in self.entropy_plugins:
            # Shannon entropy is at most log2(len): shorter strings cannot pass the limit.
            shortest = 2**plugin.entropy_limit
            for m in plugin.regex.finditer(line):
                value = m.group(2)
                if len(value) <= shortest or _is_hash(line, m.span(2)):
                    continue
                if plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                    found.append(m.span(2))
        return found

    def _keyword_spans(self, line: str, kind: str) -> list[Span]:
        found: list[Span] = []
        rules = self.keyword_rules.get(kind)
        if rules is None:
            rules = self.keyword_rules["OTHER"]
        for regex, group in rules.items():
            for m in regex.finditer(line):
                value = m.group(group)
                if value and _keyword_hit_is_secret(line, m.start(), value):
                    found.append(m.span(group))
        return found


_detectors: Detectors | None = None
_detectors_lock = threading.Lock()


def load_detectors() -> Detectors:
    global _detectors
    with _detectors_lock:
        if _detectors is None:
            _detectors = Detectors()
        return _detectors


def warm_up() -> None:
    """Import detect-secrets and build its detectors now (blocking: for a worker thread)."""
    load_detectors()


def _is_hash(line: str, span: Span) -> bool:
    """An entropy hit that is a checksum, digest or alphabet rather than a credential."""
    start, end = span
    value = line[start:end]
    if len(value) in _HASH_LENGTHS and all(c in "0123456789abcdefABCDEF" for c in value):
        return True
    if _ALPHABET_RUN.search(value) is not None or words.is_identifier_like(value):
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
    return words.is_secret_key(key) and words.is_literal(value, key, quoted=True)


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
