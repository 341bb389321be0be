"""Comments in which the model talks about its answer (`// added code`, `# 补全`), not the code."""

from __future__ import annotations

import re

_WHOLE_COMMENT = re.compile(
    r"^[ \t]*(?://+|#+|--+|/\*+)[ \t]+(?P<text>[^\n]*?)[ \t]*(?:\*+/)?[ \t]*$"
)
_TRAILING_COMMENT = re.compile(
    r"[ \t]*(?P<code>\S.*?)[ \t]+"
    r"(?P<comment>(?://+|#+|--+|/\*+)[ \t]+(?P<text>[^\n]*?)[ \t]*(?:\*+/)?)[ \t]*"
)
_ANSWER_WORDS = frozenset(
    """added add adding completion complete completed completes autocompleted autocomplete
    insert inserted inserting fill filled filling fix fixed missing snippet generated
    placeholder assistant gap answer""".split()
)
"""Words that name the answer or the act of writing it: one of them, or two filler words and
nothing else (`// TODO: check this`), make a meta comment."""
_FILLER_WORDS = frozenset(
    """code todo check this here is the a of for by in line lines new part result output your
    goes begin end start rest statement it that below above done now""".split()
)
_ANSWER_CJK = re.compile(r"补全|补充|填充|填写|插入|修复|缺失|补上|自动完成|完成")
_FILLER_CJK = re.compile(r"代码|这里|此处|部分|的|内容|如下")
_FILE_NAME = re.compile(
    r"(?:(?:file(?:name)?|path|in)[ \t]*[:：\-]?[ \t]*)?"
    r"[\w.\-/\\]{0,120}\w\.[A-Za-z][A-Za-z0-9]{0,5}",
    re.IGNORECASE,
)
"""A comment that only names a file (`close.py`, `filename: src/main.go`), as models head a
code block with."""
_ALLOWED_MARKS = re.compile(r"[^\w\s:.!<>\-,]")
_END_DEBRIS = re.compile(r"(?:</?[A-Za-z]\w{0,30}>|<\|\w{1,30}\|>|\[/?[A-Z]{1,20}\]|`){1,8}\Z")
"""Chat-template or markup debris a model leaves after its last comment (`</code>`, `[/INST]`);
bounded tokens, at most eight of them: each start costs a bounded scan (linear in all)."""


def _is_meta(comment_text: str, *, at_end: bool = False) -> bool:
    """Whether a comment's text is made only of words about the answer itself. `at_end`: the
    comment ends the answer, where a cut stream leaves its start (`// the missin`, `/* here is`):
    then filler words alone and a last word that starts a known one are enough."""
    text = _END_DEBRIS.sub("", comment_text.strip()).strip()
    if _FILE_NAME.fullmatch(text):
        return True  # `# close.py`, `// file: src/main.go`: the file the answer is for
    if not text or _ALLOWED_MARKS.search(text):
        return False
    if _ANSWER_CJK.search(text):
        rest = _FILLER_CJK.sub("", _ANSWER_CJK.sub("", text))
        return not re.search(r"[^\W\d_]", rest)
    if re.search(r"[^\x00-\x7f]", text):
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    if at_end and words and _starts_meta_word(words[-1]):
        words = words[:-1]
        if not words:
            return True
    words = [_stem(word) for word in words]
    if not words or any(w not in _ANSWER_WORDS and w not in _FILLER_WORDS for w in words):
        return False
    return at_end or len(words) >= 2 or any(word in _ANSWER_WORDS for word in words)


def _stem(word: str) -> str:
    """`fills` -> `fill`, `fixes` -> `fix`: the inflections of a label word are label words."""
    for ending in ("es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in _ANSWER_WORDS:
            return word[: -len(ending)]
    return word


def _starts_meta_word(word: str) -> bool:
    return len(word) >= 2 and any(
        known.startswith(word) for known in (*_ANSWER_WORDS, *_FILLER_WORDS)
    )


def _in_file(comment: str, context: str) -> bool:
    """Whether the file around the hole already has this comment (then it is the file's own)."""
    return bool(comment.strip()) and comment.strip() in context


def without_meta_comments(text: str, prefix: str = "", suffix: str = "") -> str:
    """`text` without comments that label the answer instead of describing the code: a first or
    last line that is such a comment, or such a comment trailing a line of code. A comment the
    file itself has (in `prefix` or `suffix`) stays, and so does any comment naming something
    else (`# fix the race on close` has `race`, `close`)."""
    context = prefix[-4000:] + "\n" + suffix[:4000]
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return text
    first, last = filled[0], filled[-1]
    kept = [_without_trailing(line, context, at_end=i == last) for i, line in enumerate(lines)]
    if first == last and _whole_meta(kept[first], context, at_end=True):
        return ""
    if first != last and _whole_meta(kept[last], context, at_end=True):
        kept = kept[:last]
        while len(kept) > 1 and not kept[-1].strip():
            kept.pop()
    if first + 1 < len(kept) and _whole_meta(kept[first], context):
        rest = kept[first + 1 :]
        while len(rest) > 1 and not rest[0].strip():
            rest = rest[1:]
        kept = [*kept[:first], *rest]
    return "\n".join(kept)


def _whole_meta(line: str, context: str, *, at_end: bool = False) -> bool:
    found = _WHOLE_COMMENT.match(line)
    if found is None or _in_file(line, context):
        return False
    return _is_meta(found.group("text"), at_end=at_end)


def _without_trailing(line: str, context: str, *, at_end: bool) -> str:
    found = _TRAILING_COMMENT.fullmatch(line)
    if found is None or _in_file(found.group("comment"), context):
        return line
    if not _is_meta(found.group("text"), at_end=at_end):
        return line
    return line[: found.start("code")] + found.group("code")
