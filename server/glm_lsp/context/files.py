"""URIs, paths and careful reads of files that are not open in the editor.

`read_text` is blocking and meant for worker threads: it refuses non-regular
files, huge files, binary files and minified files, and says which.
"""

from __future__ import annotations

import functools
import os
import stat
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


def read_text(path: str) -> FileText:
    """Read a workspace file for context (blocking; run in a thread)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return FileText(path, None, f"unreadable: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return FileText(path, None, "not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        return FileText(path, None, "too large", st.st_mtime_ns, st.st_size)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return FileText(path, None, f"unreadable: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return FileText(path, None, "binary", st.st_mtime_ns, st.st_size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileText(path, None, "binary", st.st_mtime_ns, st.st_size)
    why = skip_reason(text, path)
    if why is not None:
        return FileText(path, None, why, st.st_mtime_ns, st.st_size)
    return FileText(path, text, None, st.st_mtime_ns, st.st_size)
