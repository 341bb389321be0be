"""URIs and paths, and which texts are not worth sending (binary, minified, huge).

Reading files from disk is `safepath`'s job (the one guarded reader).
"""

from __future__ import annotations

import functools
import os
from urllib.parse import quote, unquote, urlparse

import attrs

MAX_FILE_BYTES = 1_000_000
MINIFIED_AVG_LINE = 300
MINIFIED_MAX_LINE = 2_000


@functools.lru_cache(maxsize=8192)
def uri_to_path(uri_or_path: str) -> str | None:
    """Local path of a `file:` URI (or a plain path); None for other schemes."""
    if "://" not in uri_or_path and not uri_or_path.startswith("file:"):
        return os.path.normpath(os.path.abspath(uri_or_path)) if uri_or_path else None
    parsed = urlparse(uri_or_path)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]
    return os.path.normpath(path)


def path_to_uri(path: str) -> str:
    return "file://" + quote(os.path.abspath(path).replace(os.sep, "/"))


def skip_reason(text: str, path: str | None) -> str | None:
    """Why text should not be used as context: binary, minified or huge (None if fine)."""
    if len(text) > MAX_FILE_BYTES:
        return "too large"
    if "\x00" in text[:8192]:
        return "binary"
    name = os.path.basename(path or "")
    if ".min." in name:
        return "minified"
    if len(text) > 4096:
        lines = text.count("\n") + 1
        if len(text) / lines > MINIFIED_AVG_LINE:
            return "minified"
        longest = max((len(line) for line in text[:65536].split("\n")), default=0)
        if longest > MINIFIED_MAX_LINE and lines < 50:
            return "minified"
    return None


@attrs.frozen
class FileText:
    """Result of reading a file from disk: text or the reason there is none."""

    path: str
    text: str | None
    reason: str | None
    mtime_ns: int = 0
    size: int = 0
