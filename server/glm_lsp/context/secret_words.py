"""Judging keys and values: does a key name a secret, is a value a literal or code?

The rule is by name: any literal value given to a key whose name says password/secret/token/
credential/api key/private key/auth is a secret, whatever its entropy; code (`getpass()`,
`os.environ[...]`, `${VAR}`, `settings.API_KEY`) and placeholders are not values. Used by the
line rules (`secret_rules`), the block rules (`secret_blocks`) and the detect-secrets layer.
"""

from __future__ import annotations

import re

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
    if _is_filler(value, v) or _names_its_key(v, key):
        return False
    if quoted:
        return True
    return not _is_code(v, code)


def _is_filler(value: str, v: str) -> bool:
    """A stop word, mask, colour, template, placeholder, variable name or path: not a secret."""
    if v.lower() in _STOP_VALUES or set(v) <= set("*xX•.-_#") or _is_masked(v):
        return True
    if _COLOUR.fullmatch(v) or value[:1] in " +" and value.lstrip()[:1] in ("+", ".", ","):
        return True
    if v[0] == "$" or "${" in v or "{{" in v or "$(" in v or "#{" in v or "<%" in v:
        return True
    if _PLACEHOLDER.fullmatch(v) or _ENV_NAME.fullmatch(v):
        return True
    return v.startswith(("/", "~/", "./", "../", "file:", "http://", "https://"))


def _names_its_key(v: str, key: str) -> bool:
    """`password: password`, `api_key = apiKey`: the value repeats the key's name."""
    words = key_words(key)
    return bool(words) and v.lower().replace("-", "").replace("_", "") in (
        "".join(words),
        words[-1],
    )


def _is_code(v: str, code: bool) -> bool:
    """An unquoted value that reads as an expression (a call, an index, a dotted name)."""
    if v[0] in "%{[(<&*!@#\\|>=-":
        return True
    head = _CODE_HEAD.match(v)
    if head is None:
        return False
    rest = v[head.end() :]
    if rest[:1] in ("(", "[") or (head.end() == len(v) and ("." in v or code)):
        return True
    return code and not rest


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
