"""Hand-written secret rules for one line, on top of detect-secrets (see `secrets.py`).

detect-secrets finds vendor shapes and high-entropy strings, but its keyword rules want
quotes or a known file type and miss low-entropy passwords (`PASSWORD=hunter2hunter2`),
CLI flags, HTTP headers, cookies and connection strings. The rule here is by name (which
keys name secrets and which values are literals is decided in `secret_words`).

Every pattern is linear-time on any line: no nested quantifiers, identifier runs matched
atomically (`(?>...)`) and only from the start of a run (a lookbehind), so that no
position of a long line is scanned more than a bounded number of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import secret_words
from .secret_words import (
    is_literal,
    is_plain_word,
    is_secret_key,
    looks_random,
)

Span = tuple[int, int]

# Kinds (detect-secrets file types) whose unquoted values are code, not literals.
CODE_KINDS = frozenset(
    {
        "PYTHON",
        "JAVASCRIPT",
        "GO",
        "JAVA",
        "PHP",
        "SWIFT",
        "C",
        "C_PLUS_PLUS",
        "C_SHARP",
        "OBJECTIVE_C",
        "CLS",
        "TERRAFORM",
    }
)
# A key: a run of name characters starting a run (lookbehind), matched atomically, then
# closing quotes/brackets and an assignment operator (`==`, `::` and `=~` are not ones).
KEY_ASSIGN = re.compile(
    r"(?<![\w.\-$@])-{0,2}(?P<key>(?>[A-Za-z_$@][\w.\-]*))(?P<close>[\"'`\]]{0,2})"
    r"[ \t]*(?P<op>:=|=>|=(?![=~])|:(?!:))"
)
# `keyPassword "x"` (Gradle), `WITH PASSWORD 'x'` (SQL), `IDENTIFIED BY 'x'`.
KEY_SPACE_QUOTE = re.compile(r"(?<![\w.\-$@])(?P<key>(?>[A-Za-z_][\w.\-]*))[ \t]+(?P<q>[\"'])")
FLAG_VALUE = re.compile(r"(?<!\S)--?(?P<flag>(?>[A-Za-z][\w\-]*))[ \t]+(?P<value>[^\s\-]\S*)")
ATTACHED_P = re.compile(r"(?<!\S)-p(?P<value>[^\s\-]\S*)")
SPACED_P = re.compile(r"(?<!\S)-p[ \t]+(?P<value>[^\s\-]\S*)")
USER_COLON = re.compile(r"(?<!\S)(?:-u|--user)(?:[ \t]+|=)[\"']?[^\s:\"'$]+:(?P<value>[^\s\"']+)")
URL_USERINFO = re.compile(
    r"(?i)(?<![a-z0-9+.\-])[a-z][a-z0-9+.\-]*://[^/\s:@'\"]*:(?P<value>[^/\s'\"]+)@"
)
CONN_PAIR = re.compile(
    r"(?i)(?<=[;\"'?&])[ \t]*(?:password|passwd|pwd|pass|accountkey|sharedaccesskey|sig"
    r"|client_secret|secret|access_token|token|api_key|apikey)[ \t]*=(?P<value>[^;\"'&\r\n]+)"
)
AUTH_HEADER = re.compile(
    r"(?i)(?<![\w\-])(?:proxy-)?authorization[\"'\]]{0,2}[ \t]*(?P<sep>[:=,])(?>[ \t]*)"
    r"(?P<quote>f?[\"'`])?(?>[ \t]*)"
    r"(?:(?P<scheme>basic|bearer|token|digest|apikey|key|sso-key|negotiate|ntlm)[ \t]+)?"
    r"(?P<value>[^\s\"'`,]+)"
)
COOKIE_HEADER = re.compile(r"(?i)(?<![\w\-])(?:set-)?cookie[\"']?[ \t]*[:=][ \t]*[\"']?")
COOKIE_PAIR = re.compile(r"[ \t]*(?P<name>[^=;\s\"']{1,100})=(?P<value>[^;\s\"']*)")
XML_ELEMENT = re.compile(r"<(?P<tag>[\w.\-:]{1,100})>(?P<value>[^<\n]{1,500})</(?P=tag)>")
IDENTIFIED_BY = re.compile(r"(?i)\bidentified[ \t]+by[ \t]+(?P<q>['\"])")
NETRC_PASSWORD = re.compile(r"(?i)(?<!\S)password[ \t]+(?P<value>[^\s\"']+)")
# Vendor shapes; a match must start a word (checked in code: a `\b` in front of every
# branch would make the engine try each branch at every position instead of jumping to
# the branches' first characters).
VENDOR = re.compile(
    r"github_pat_[A-Za-z0-9_]{22,}"
    r"|gh[pousr]_[A-Za-z0-9_]{30,}"
    r"|gl(?:pat|dt|ft|rt)-[A-Za-z0-9_\-]{20,}"
    r"|sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{20,}"
    r"|[rs]k_(?:live|test)_[0-9A-Za-z]{16,}"
    r"|xox[abposre]-[A-Za-z0-9\-]{10,}"
    r"|xapp-\d-[A-Za-z0-9\-]{10,}"
    r"|AIza[0-9A-Za-z_\-]{35}"
    r"|npm_[A-Za-z0-9]{36}"
    r"|GOCSPX-[A-Za-z0-9_\-]{20,}"
    r"|hf_[A-Za-z0-9]{30,}"
    r"|dop_v1_[a-f0-9]{64}"
    r"|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"
    r"|sq[pua]_[a-f0-9]{40}"
    r"|hvs\.[A-Za-z0-9_\-]{20,}"
    r"|SG\.[\w\-]{16,}\.[\w\-]{16,}"
    r"|[0-9a-f]{32}\.[A-Za-z0-9]{16}(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"
    r"|-----BEGIN[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[^-\"'\n\\]|\\.)+"
    r"(?:-----END[A-Z ]{0,40}-----)?"
)
BEARER = re.compile(r"(?i)\bbearer[ \t]+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)")
BASE64_LINE = re.compile(r"^[ \t]*(?P<value>[A-Za-z0-9+/]{60,}={0,2})[ \t]*$")

# Lines without any of these (lower-cased) cannot hold a keyed secret.
HINTS = (
    *("pass", "pwd", "secret", "token", "key", "auth", "cred", "cookie", "sig", "://"),
    *("identified", "login", "mysql", "mariadb", "-u", "--user", "</", "name"),
)
HINTS_RE = re.compile("|".join(re.escape(h) for h in HINTS))
_QUOTES = "\"'`"
_TERMINATORS = frozenset(" \t,;)]}\"'`<")
_TOKEN = re.compile(r"[^ \t,;)\]}\"'`<]*")
# Kinds where `key = a b c` (spaces around `=`) gives the whole rest of the line.
_REST_KINDS = frozenset({"YAML", "CONFIG", "INI", "PROPERTIES", "OTHER"})


def _quoted_end(line: str, start: int) -> int:
    """Index of the quote closing the string opened at `start`, or -1."""
    quote = line[start]
    i = start + 1
    while True:
        j = line.find(quote, i)
        if j < 0:
            return -1
        if line[j - 1] != "\\":
            return j
        i = j + 1


def value_span(line: str, pos: int, key: str, kind: str, *, whole_rest: bool) -> Span | None:
    """The span of a secret literal starting at `pos` (after the operator), if any.

    `whole_rest`: an unquoted value runs to the end of the line (YAML/INI `key: a b c`),
    else to the first space or delimiter.
    """
    return _value(line, pos, key, kind, whole_rest)[0]


def _value(line: str, pos: int, key: str, kind: str, whole_rest: bool) -> tuple[Span | None, int]:
    """`value_span`, and where the value read ends (secret or not)."""
    n = len(line)
    while pos < n and line[pos] in " \t":
        pos += 1
    if pos >= n:
        return None, pos
    prefix = (
        line[pos] if line[pos] in "fFrRbBu" and pos + 1 < n and line[pos + 1] in _QUOTES else ""
    )
    if prefix:
        pos += 1
    if line[pos] in _QUOTES:
        return _quoted_value(line, pos, key, prefix)
    code = kind in CODE_KINDS
    end = _TOKEN.match(line, pos).end()  # type: ignore[union-attr]
    token = line[pos:end]
    if not is_literal(token, key, quoted=False, code=code):
        return None, end
    if whole_rest and not code:
        rest = line[pos:]
        hash_at = rest.find(" #")
        if hash_at >= 0:
            rest = rest[:hash_at]
        rest = rest.rstrip()
        if rest and rest[-1] not in ",;":
            return (pos, pos + len(rest)), pos + len(rest)
    return (pos, end), end


def _quoted_value(line: str, pos: int, key: str, prefix: str) -> tuple[Span | None, int]:
    """A string literal opened at `pos` (after a string `prefix` such as `f` or `r`, if any):
    an f-string with fields or a regex-looking raw string is code, not a secret."""
    end = _quoted_end(line, pos)
    if end < 0:
        return None, pos
    value = line[pos + 1 : end]
    if prefix in ("f", "F") and "{" in value:
        return None, end
    if prefix in ("r", "R") and any(c in value for c in "\\[(^$|"):
        return None, end
    if is_literal(value, key, quoted=True):
        return (pos + 1, end), end
    return None, end


def _line_start(line: str, start: int) -> bool:
    if start > 80:
        return False
    prefix = line[:start].strip()
    return prefix in ("", "-", "export", "set", "ENV", "ARG", "readonly", "local", "$env:")


def raw_value(line: str, pos: int) -> str:
    """The quoted or bare word starting at `pos` (after spaces), unchecked."""
    rest = line[pos : pos + 200].lstrip(" \t")
    if rest and rest[0] in _QUOTES:
        end = rest.find(rest[0], 1)
        return rest[1:end] if end > 0 else ""
    return rest[: _TOKEN.match(rest).end()]  # type: ignore[union-attr]


def names_secret(line: str, pos: int) -> bool:
    """Whether the value at `pos` is itself a secret key name (`name: DB_PASSWORD`)."""
    return is_secret_key(raw_value(line, pos))


def keyed_spans(line: str, kind: str) -> Iterator[Span]:
    """Values assigned to secret-named keys, and `value`s paired with a secret `name`.

    A key inside a value already taken (`password=password=...`) is skipped, so that each
    character is read a bounded number of times.
    """
    paired = False
    taken = 0
    for m in KEY_ASSIGN.finditer(line):
        if m.start() < taken:
            continue
        key = m.group("key")
        if paired and key.lower() == "value":
            span, taken = _value(line, m.end(), "", kind, False)
            if span is not None:
                yield span
            paired = False
            continue
        if key.lower() in ("name", "key"):
            paired = names_secret(line, m.end())
            continue
        if not is_secret_key(key):
            continue
        op = m.group("op")
        if op == ":" and not m.group("close") and line[m.start("op") - 1] in " \t":
            continue  # `pass :data:` in prose; YAML and JSON keys touch their colon
        spaced = op == "=" and line[m.start("op") - 1 : m.start("op")] == " "
        whole = _line_start(line, m.start()) and (op == ":" or spaced and kind in _REST_KINDS)
        span, taken = _value(line, m.end(), key, kind, whole)
        if span is not None:
            yield span


def _flag_spans(line: str, lowered: str) -> Iterator[Span]:
    for m in FLAG_VALUE.finditer(line):
        if is_secret_key(m.group("flag")) and not is_plain_word(m.group("value")):
            yield from _literal_group(m, "value", m.group("flag"))
    if "mysql" in lowered or "mariadb" in lowered:
        for m in ATTACHED_P.finditer(line):
            yield from _literal_group(m, "value", "")
    if "sshpass" in lowered or " login" in lowered:
        for m in SPACED_P.finditer(line):
            if not is_plain_word(m.group("value")):
                yield from _literal_group(m, "value", "")
    for m in USER_COLON.finditer(line):
        yield from _literal_group(m, "value", "")
    if "machine" in lowered:
        for m in NETRC_PASSWORD.finditer(line):
            if not is_plain_word(m.group("value")):
                yield from _literal_group(m, "value", "")


def _literal_group(m: re.Match[str], group: str, key: str) -> Iterator[Span]:
    start, end = m.span(group)
    value = m.group(group)
    stripped = value.strip("\"'")
    if stripped and is_literal(stripped, key, quoted=False):
        lead = len(value) - len(value.lstrip("\"'"))
        yield start + lead, start + lead + len(stripped)


def _quoted_after(line: str, quote_at: int, key: str) -> Iterator[Span]:
    end = _quoted_end(line, quote_at)
    value = line[quote_at + 1 : end]
    if end > quote_at + 1 and not is_plain_word(value) and is_literal(value, key, quoted=True):
        yield quote_at + 1, end


def _header_spans(line: str, lowered: str) -> Iterator[Span]:
    if "authorization" in lowered:
        lead = len(line) - len(line.lstrip(" \t"))
        for m in AUTH_HEADER.finditer(line):
            value = m.group("value")
            if m.group("scheme") is None:
                # `headers["Authorization"] = auth`, `("authorization", "cookie")`: code.
                bare = m.group("quote") is None and m.start() != lead
                if bare or m.group("sep") != ":" and m.group("quote") is None:
                    continue
                if not looks_random(value):
                    continue
            elif m.group("quote") is None and m.group("sep") != ":":
                continue
            yield from _literal_group(m, "value", "")
    if "cookie" in lowered:
        for m in COOKIE_HEADER.finditer(line):
            pos = m.end()
            while (pair := COOKIE_PAIR.match(line, pos)) is not None:
                name, value = pair.group("name"), pair.group("value")
                if len(value) >= 8 and (
                    any(w in name.lower() for w in ("sess", "sid", "token", "auth", "jwt"))
                    or len(value) >= 16
                ):
                    yield pair.span("value")
                pos = pair.end()
                if pos < len(line) and line[pos] == ";":
                    pos += 1


def line_spans(line: str, kind: str) -> list[Span]:
    """Secret spans the hand-written rules find in one line."""
    found: list[Span] = [
        m.span()
        for m in VENDOR.finditer(line)
        if m.start() == 0 or not line[m.start() - 1].isalnum() or m.group().startswith("-")
    ]
    for m in BEARER.finditer(line):
        found.append(m.span("value"))
    b64 = BASE64_LINE.match(line)
    if b64 is not None:
        found.append(b64.span("value"))
    lowered = line.lower()
    if HINTS_RE.search(lowered) is None:
        return found
    found += keyed_spans(line, kind)
    found += _quoted_key_spans(line, lowered)
    found += _flag_spans(line, lowered)
    found += _header_spans(line, lowered)
    found += _connection_spans(line)
    return found


def _quoted_key_spans(line: str, lowered: str) -> Iterator[Span]:
    """`password "x"` (a secret key, then a quoted value) and SQL's `IDENTIFIED BY 'x'`."""
    for m in KEY_SPACE_QUOTE.finditer(line):
        if is_secret_key(m.group("key")):
            yield from _quoted_after(line, m.start("q"), m.group("key"))
    if "identified" in lowered:
        for m in IDENTIFIED_BY.finditer(line):
            yield from _quoted_after(line, m.start("q"), "")


def _connection_spans(line: str) -> Iterator[Span]:
    """URL userinfo, `Password=...;` connection-string pairs and `<password>x</password>`."""
    for m in URL_USERINFO.finditer(line):
        yield from _literal_group(m, "value", "")
    for m in CONN_PAIR.finditer(line):
        value = m.group("value").rstrip()
        if is_literal(value, "", quoted=True):
            yield (m.start("value"), m.start("value") + len(value))
    if "</" in line:
        for m in XML_ELEMENT.finditer(line):
            if is_secret_key(m.group("tag")):
                yield from _literal_group(m, "value", m.group("tag"))


# Every regex here and in `secret_words`, by name (tests check their structure;
# bench/secrets.py times them).
# ANCHORED ones only ever run with `match`/`fullmatch` (on one value or at one position).
ANCHORED = frozenset({"COOKIE_PAIR", "BASE64_LINE", "_CODE_HEAD", "_PLACEHOLDER", "_COLOUR"})
PATTERNS: dict[str, re.Pattern[str]] = {
    name: value
    for name, value in {**vars(secret_words), **globals()}.items()
    if isinstance(value, re.Pattern)
}
