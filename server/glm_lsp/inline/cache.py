"""Answer keystrokes without a request: a completion cache and in-flight stream reuse.

*Typing through.* When the user types characters that the suggestion on screen begins with, the
rest of that suggestion is still right. `CompletionCache.get` finds the stored completion whose
prefix the current prefix extends by text the completion starts with (the longest such prefix
wins, as in Continue's autocomplete LRU cache) and returns the remainder.

*Stream reuse.* When a new request arrives while the previous one is still streaming and the
user only typed what that stream has already produced, the stream can be kept instead of
cancelled (Continue's GeneratorReuseManager). `reuse_skip` is the pure decision.

Prefixes are compared by their tails: the windows the trigger builds may start at different
lines between two keystrokes, so only the last `PREFIX_KEY_CHARS` characters identify a place.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

PREFIX_KEY_CHARS = 1000
SUFFIX_KEY_CHARS = 256
MAX_TYPED = 400


def typed_since(old_prefix: str, new_prefix: str, max_typed: int = MAX_TYPED) -> str | None:
    """The text appended to `old_prefix` to give `new_prefix`, comparing tails only; None when
    `new_prefix` does not extend `old_prefix` (deletion, edit elsewhere near the cursor)."""
    tail = old_prefix[-PREFIX_KEY_CHARS:]
    if not tail:
        return new_prefix if len(new_prefix) <= max_typed else None
    lowest = max(0, len(new_prefix) - len(tail) - max_typed)
    at = new_prefix.rfind(tail, lowest)
    if at < 0:
        return None
    end = at + len(tail)
    if len(tail) < PREFIX_KEY_CHARS and at != 0:
        return None
    return new_prefix[end:]


@dataclass
class _Entry:
    uri: str
    prefix_tail: str
    suffix_head: str
    completion: str


class CompletionCache:
    """LRU of shown completions keyed by (uri, prefix tail, suffix head)."""

    def __init__(self, max_entries: int = 100) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str, str], _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, uri: str, prefix: str, suffix: str, completion: str) -> None:
        """Remember `completion` (possibly "" for "nothing fits here") at this cursor."""
        key = (uri, prefix[-PREFIX_KEY_CHARS:], suffix[:SUFFIX_KEY_CHARS])
        self._entries[key] = _Entry(uri, key[1], key[2], completion)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def get(self, uri: str, prefix: str, suffix: str) -> str | None:
        """What to show at this cursor without a request, or None to ask the model.

        An exact hit returns the stored completion ("" means the model had nothing here). A
        typed-through hit returns the rest of the completion after what the user typed; once the
        user has typed all of it there is nothing left to reuse and the result is None.
        """
        head = suffix[:SUFFIX_KEY_CHARS]
        exact = self._entries.get((uri, prefix[-PREFIX_KEY_CHARS:], head))
        if exact is not None:
            self._entries.move_to_end((uri, exact.prefix_tail, head))
            return exact.completion
        best: tuple[int, _Entry] | None = None
        for entry in reversed(self._entries.values()):
            if entry.uri != uri or entry.suffix_head != head or not entry.completion:
                continue
            typed = typed_since(entry.prefix_tail, prefix, len(entry.completion))
            if not typed or not entry.completion.startswith(typed):
                continue
            if best is None or len(typed) < best[0]:
                best = (len(typed), entry)
        if best is None:
            return None
        typed_len, entry = best
        self._entries.move_to_end((uri, entry.prefix_tail, entry.suffix_head))
        rest = entry.completion[typed_len:]
        return rest if rest.strip() else None

    def forget(self, uri: str | None = None) -> None:
        """Drop the entries of one document (closed, or changed on disk), or all of them."""
        if uri is None:
            self._entries.clear()
            return
        for key in [k for k in self._entries if k[0] == uri]:
            del self._entries[key]


def reuse_skip(
    pending_prefix: str,
    pending_suffix: str,
    pending_text: str,
    prefix: str,
    suffix: str,
    *,
    single_line: bool,
) -> int | None:
    """Whether a request still streaming for (`pending_prefix`, `pending_suffix`) can serve a new
    request at (`prefix`, `suffix`), and how many characters of its answer to skip.

    `pending_text` is the answer streamed so far (`StreamStop.text`). The stream is reusable when
    the suffix is unchanged and the user typed only characters that answer begins with (none
    also counts: the same cursor). In single-line mode typing a line break ends the line, so the
    stream cannot be reused.
    """
    if suffix[:SUFFIX_KEY_CHARS] != pending_suffix[:SUFFIX_KEY_CHARS]:
        return None
    typed = typed_since(pending_prefix, prefix, max(len(pending_text), 0))
    if typed is None or not pending_text.startswith(typed):
        return None
    if single_line and "\n" in typed:
        return None
    return len(typed)
