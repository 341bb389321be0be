"""The whole pipeline in the order the LSP glue calls it, on holes cut from this project's code."""

from __future__ import annotations

import random
from pathlib import Path

from glm_lsp import inline
from glm_lsp.inline import CompletionCache, Mode, StreamStop, analyze, build_prompt, postprocess

SOURCES = sorted((Path(inline.__file__).parent).glob("*.py"))


def stream(stop: StreamStop, raw: str, size: int = 5) -> int:
    """Feed `raw` in deltas of `size` characters; how many characters were read."""
    for start in range(0, len(raw), size):
        if stop.feed(raw[start : start + size]):
            return start + size
    return len(raw)


def test_one_request_end_to_end_then_typing_through() -> None:
    """analyze -> cache miss -> prompt -> stream with early stop -> postprocess -> cache put;
    then the user types the first characters and the cache answers with the rest."""
    lines = ["def area(radius):", "    ", "", "", "def main():", "    print(area(2))"]
    hole = analyze(lines, 1, 4, language="python", path="geometry.py")
    assert hole.mode is Mode.MULTI_LINE
    cache = CompletionCache()
    assert cache.get("file:///geometry.py", hole.prefix, hole.suffix) is None
    prompt = build_prompt(hole, [("consts.py", "PI = 3.14159")])
    assert prompt.stop == "</COMPLETION>"
    raw = "<COMPLETION>return PI * radius ** 2\n\n\ndef main():\n    print(area(2))\n" + "x" * 500
    stop = StreamStop(hole)
    read = stream(stop, raw)
    assert stop.reason == "line below the cursor" and read < len(raw) // 2
    text = postprocess(stop.finish(), hole)
    assert text == "return PI * radius ** 2"
    cache.put("file:///geometry.py", hole.prefix, hole.suffix, text)
    typed = analyze(["def area(radius):", "    return PI", *lines[2:]], 1, 13)
    assert cache.get("file:///geometry.py", typed.prefix, typed.suffix) == " * radius ** 2"


def test_clean_and_wrapped_answers_rebuild_real_lines() -> None:
    """For lines of this package's own sources, cut mid-line, a clean answer and the same
    answer fenced or tagged all give back exactly the removed text."""
    rng = random.Random(4)
    checked = 0
    for path in SOURCES:
        lines = path.read_text(encoding="utf-8").split("\n")
        for number in rng.sample(range(len(lines)), min(12, len(lines))):
            text = lines[number]
            if len(text.strip()) < 16 or not text.rstrip().endswith(")"):
                continue
            end = len(text.rstrip(")"))
            cuts = [
                c for c in range(len(text) - len(text.lstrip()), end - 4) if text[c - 1] in " (.,="
            ]
            if not cuts:
                continue
            cut = cuts[-1]
            truth, tail = text[cut:end], text[end:]
            doc = [*lines[:number], text[:cut] + tail, *lines[number + 1 :]]
            hole = analyze(doc, number, cut, language="python")
            if hole.mode is not Mode.SINGLE_LINE or len(truth.strip()) < 4:
                continue
            baseline = postprocess(truth, hole)
            if baseline != truth:
                continue
            for raw in (f"<COMPLETION>{truth}</COMPLETION>", f"```python\n{truth}\n```"):
                stop = StreamStop(hole)
                stream(stop, raw, 3)
                assert postprocess(stop.finish(), hole) == truth, (path.name, number, raw)
            checked += 1
    assert checked >= 10
