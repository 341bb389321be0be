"""Hand-written secret rules for one line, on top of detect-secrets (see `secrets.py`).

detect-secrets finds vendor shapes and high-entropy strings, but its keyword rules want
quotes or a known file type and miss low-entropy passwords (`PASSWORD=hunter2hunter2`),
CLI flags, HTTP headers, cookies and connection strings. The rule here is by name: any
literal value given to a key whose name says password/secret/token/credential/api key/
private key/auth is a secret, whatever its entropy; code (`getpass()`, `os.environ[...]`,
`${VAR}`, `settings.API_KEY`) and placeholders are not values.

Every pattern is linear-time on any line: no nested quantifiers, identifier runs matched
atomically (`(?>...)`) and only from the start of a run (a lookbehind), so that no
position of a long line is scanned more than a bounded number of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_STRONG = frozenset(
    {"password", "passwd", "passphrase", "pass", "pwd", "pw", "secret", "token", "auth"}
    | {"credential", "credentials", "apikey", "privatekey", "secretkey", "contrasena"}
)
_SUFFIXES = ("password", "passwd", "passphrase", "secret", "token", "pwd", "apikey")
_KEY_QUALIFIERS = frozenset(
    {"api", "private", "secret", "signing", "encryption", "master", "client", "app"}
    | {"account", "session", "jwt", "hmac", "shared", "subscription", "storage", "auth"}
    | {"service", "db", "database", "priv", "webhook"}
)
# Trailing words that do not change what a key holds (`SECRET_KEY_BASE`, `password2`).
_NEUTRAL_TAIL = frozenset(
    {"base", "value", "val", "confirmation", "confirm", "plain", "plaintext", "raw"}
    | {"b64", "base64", "hex", "old", "new", "current", "prod", "production", "dev"}
    | {"test", "staging", "local", "default", "encoded"}
)
SECTION_PARENTS = frozenset({"credentials", "credential", "secrets", "secret"})
# Child keys under a secret section that name, not hold, things.
BENIGN_CHILDREN = frozenset(
    {"name", "source", "target", "file", "path", "type", "kind", "provider", "enabled"}
    | {"mode", "id", "username", "user", "login", "email", "host", "port", "url", "uri"}
    | {"region", "scope", "scopes", "issuer", "audience", "algorithm", "external", "uid"}
    | {"gid", "description", "label", "labels", "format", "version", "driver", "backend"}
)
_STOP_VALUES = frozenset(
    {"true", "false", "yes", "no", "on", "off", "null", "none", "nil", "undefined"}
    | {"required", "optional", "enabled", "disabled", "basic", "bearer", "digest", "oauth"}
    | {"oauth2", "jwt", "token", "password", "passwd", "secret", "string", "str", "int"}
    | {"bool", "boolean", "number", "bytes", "text", "hidden", "env", "file", "vault"}
    | {"new-password", "current-password", "one-time-code", "any", "object", "unknown"}
    | {"secretstr", "optional[str]", "nullable", "sensitive"}
)
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_ENV_NAME = re.compile(r"(?<![A-Z0-9_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_CODE_HEAD = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|\?\.|::|->)[A-Za-z_$][\w$]*)*")
_PLACEHOLDER = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|%\(?\w*\)?[sd]")
_QUOTES = "\"'`"
_TERMINATORS = frozenset(" \t,;)]}\"'`<")
_TOKEN = re.compile(r"[^ \t,;)\]}\"'`<]*")
# Kinds where `key = a b c` (spaces around `=`) gives the whole rest of the line.
_REST_KINDS = frozenset({"YAML", "CONFIG", "INI", "PROPERTIES", "OTHER"})


def key_words(key: str) -> list[str]:
    """`DB_PASSWORD` -> [db, password]; `apiKey` -> [api, key]; `X-Api-Key` -> [x, api, key]."""
    words: list[str] = []
    for part in _SPLIT.split(key[:100]):
        words += [w.lower() for w in _WORD.findall(part)]
    return words


def _trimmed(words: list[str]) -> list[str]:
    while len(words) > 1 and (words[-1] in _NEUTRAL_TAIL or words[-1].isdigit()):
        words = words[:-1]
    return words


def is_secret_key(key: str) -> bool:
    """Whether a value assigned to `key` is a secret (decided by its last word)."""
    words = _trimmed(key_words(key))
    if not words:
        return False
    last = words[-1]
    if last in _STRONG or last.endswith(_SUFFIXES):
        return True
    if last == "key" and len(words) > 1:
        return any(w in _KEY_QUALIFIERS or w in _STRONG for w in words[:-1])
    return False


def is_section_parent(key: str) -> bool:
    """Keys whose nested values are all secrets (`credentials:`, `secrets:`)."""
    words = key_words(key)
    return bool(words) and words[-1] in SECTION_PARENTS


def is_benign_child(key: str) -> bool:
    words = key_words(key)
    return not words or words[-1] in BENIGN_CHILDREN


def is_placeholder(value: str) -> bool:
    """A template, a `<placeholder>`, a masked value or a type word instead of a secret."""
    v = value.strip()
    return (
        v.lower() in _STOP_VALUES
        or _is_masked(v)
        or "${" in v
        or "{{" in v
        or "$(" in v
        or _PLACEHOLDER.fullmatch(v) is not None
    )


def is_literal(value: str, key: str = "", *, quoted: bool, code: bool = False) -> bool:
    """Whether `value` (given to `key`) is a literal secret rather than code or a placeholder."""
    v = value.strip()
    if len(v) < 3 or v.isdigit() and len(v) < 6:
        return False
    lowered = v.lower()
    if lowered in _STOP_VALUES or set(v) <= set("*xX•.-_#") or _is_masked(v):
        return False
    if _COLOUR.fullmatch(v) or value[:1] in " +" and value.lstrip()[:1] in ("+", ".", ","):
        return False
    if v[0] == "$" or "${" in v or "{{" in v or "$(" in v or "#{" in v or "<%" in v:
        return False
    if _PLACEHOLDER.fullmatch(v) or _ENV_NAME.fullmatch(v):
        return False
    if v.startswith(("/", "~/", "./", "../", "file:", "http://", "https://")):
        return False
    words = key_words(key)
    if words and lowered.replace("-", "").replace("_", "") in (
        "".join(words),
        words[-1],
    ):
        return False
    if quoted:
        return True
    if v[0] in "%{[(<&*!@#\\|>=-":
        return False
    head = _CODE_HEAD.match(v)
    if head is not None:
        rest = v[head.end() :]
        if rest[:1] in ("(", "[") or (head.end() == len(v) and ("." in v or code)):
            return False
        if code and not rest:
            return False
    return True


def _is_masked(value: str) -> bool:
    """`****`, `SKxxxxxxxxxxxxxxxx`, `:****`: a value shown with its characters hidden."""
    hidden = value.count("*") + value.count("x") + value.count("X") + value.count("•")
    return 2 * hidden >= len(value)


def is_identifier_like(value: str) -> bool:
    """`NFCISO15693ReadMultipleBlocksConfiguration`: long words, not random characters."""
    if not value.replace("_", "").isalnum():
        return False
    return len(_WORD.findall(value)) * 5 <= len(value)


def looks_random(value: str) -> bool:
    """Token-like: long enough, with letters and digits (what a bare credential looks like)."""
    return len(value) >= 12 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def is_plain_word(value: str) -> bool:
    """A lower-case word (`options`, `path`): prose after `--password`, not a password."""
    return value.isalpha() and value.islower()


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
    fstring = line[pos] in "fFrRbBu" and pos + 1 < n and line[pos + 1] in _QUOTES
    if fstring:
        pos += 1
    if line[pos] in _QUOTES:
        end = _quoted_end(line, pos)
        if end < 0:
            return None, pos
        value = line[pos + 1 : end]
        if fstring and line[pos - 1] in "fF" and "{" in value:
            return None, end
        if fstring and line[pos - 1] in "rR" and any(c in value for c in "\\[(^$|"):
            return None, end
        if is_literal(value, key, quoted=True):
            return (pos + 1, end), end
        return None, end
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
    for m in KEY_SPACE_QUOTE.finditer(line):
        if is_secret_key(m.group("key")):
            found += _quoted_after(line, m.start("q"), m.group("key"))
    if "identified" in lowered:
        for m in IDENTIFIED_BY.finditer(line):
            found += _quoted_after(line, m.start("q"), "")
    found += _flag_spans(line, lowered)
    found += _header_spans(line, lowered)
    for m in URL_USERINFO.finditer(line):
        found += _literal_group(m, "value", "")
    for m in CONN_PAIR.finditer(line):
        value = m.group("value").rstrip()
        if is_literal(value, "", quoted=True):
            found.append((m.start("value"), m.start("value") + len(value)))
    if "</" in line:
        for m in XML_ELEMENT.finditer(line):
            if is_secret_key(m.group("tag")):
                found += _literal_group(m, "value", m.group("tag"))
    return found


# Every regex above, by name (tests check their structure; bench/secrets.py times them).
# ANCHORED ones only ever run with `match`/`fullmatch` (on one value or at one position).
ANCHORED = frozenset({"COOKIE_PAIR", "BASE64_LINE", "_CODE_HEAD", "_PLACEHOLDER", "_COLOUR"})
PATTERNS: dict[str, re.Pattern[str]] = {
    name: value for name, value in dict(globals()).items() if isinstance(value, re.Pattern)
}
