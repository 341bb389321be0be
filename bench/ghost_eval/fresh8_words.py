"""The wrapping classes of the `fresh8` family: what a chat model writes around the code.

Fences, reasoning blocks, prose and trailing debris, in the spellings chat models use (GLM,
Qwen, DeepSeek, Llama, Mistral, Kimi, GPT, Claude). Everything here is plainly not code: words
of several human languages, markdown, special tokens, tags. Each class takes the `Draft` of the
raw answer and fills its parts: `think` and `before` precede the opening tag, `fence_open` sits
between the tag and the code, `fence_close`, `after` and `junk` follow the code.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import PurePosixPath

from .corruptions import OPEN_TAG, Context, Draft

_FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "Python", "python3"),
    "javascript": ("javascript", "js", "JavaScript", "jsx", "node"),
    "typescript": ("typescript", "ts", "TypeScript", "tsx"),
    "lua": ("lua", "Lua", "luau"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "C++", "cc", "hpp"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh", "Bash"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "ruby": ("ruby", "rb"),
}
_BACKTICK_FREE = frozenset({"python", "c", "cpp", "java", "lua"})
"""Languages where a backtick is never code: an inline code span around the answer is markup."""


def _fence_line(ctx: Context, rng: random.Random) -> tuple[str, str]:
    """An opening fence line (with its line break) and the matching closing marker."""
    names = _FENCE_NAMES.get(ctx.cut.language, (ctx.cut.language,))
    marker = rng.choice(("```", "```", "```", "~~~", "````"))
    style = rng.choice(("name", "name", "bare", "spaced", "file", "colon"))
    name = rng.choice(names)
    filename = PurePosixPath(ctx.cut.label).name
    opener = {
        "name": marker + name,
        "bare": marker,
        "spaced": f"{marker} {name}",
        "file": f'{marker}{name} title="{filename}"',
        "colon": f"{marker}{name}:{filename}",
    }[style]
    return opener + "\n", marker


def fence(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """A markdown fence around the code: inside the tag, opened before the tag (its closing line
    then falls after the stop string), with no tag at all, or, for a one-line answer where a
    backtick is not code, an inline code span."""
    place = rng.choice(("inside", "inside", "before_tag", "no_tag", "inline"))
    one_line = "\n" not in d.body and "`" not in d.body
    if place == "inline" and not (one_line and ctx.cut.language in _BACKTICK_FREE):
        place = "inside"
    if place == "inline":
        ticks = rng.choice(("`", "`", "``"))
        return replace(d, fence_open=d.fence_open + ticks, fence_close=ticks)
    opener, marker = _fence_line(ctx, rng)
    body = d.body
    if body.startswith("\n") and rng.random() < 0.5:
        body = body[1:]
    close = rng.choice(("\n", "\n", "\n\n")) + marker + rng.choice(("", "", "\n"))
    if place == "before_tag":
        gap = rng.choice(("", "\n"))
        return replace(d, body=body, before=d.before + opener + gap)
    if place == "no_tag":
        return replace(d, body=body, tag=False, fence_open=opener, fence_close=close)
    if rng.random() < 0.2:
        close = ""  # the model closes the fence after the stop string
    return replace(d, body=body, fence_open=d.fence_open + opener, fence_close=close)


_BEFORE = (
    "Here is the completion:",
    "Here's the code that goes at the cursor:",
    "Sure! The missing part is:",
    "Certainly. The hole should be filled with:",
    "**Completion:**",
    "### Answer",
    "The text to insert is below.",
    "Based on the surrounding code, this fits:",
    "以下是补全的代码：",
    "根据上下文，应该填入：",
    "Voici le code manquant :",
    "Voilà ce qu'il faut insérer :",
    "Hier ist die Ergänzung:",
    "Der fehlende Teil lautet:",
    "Aquí está el código que falta:",
    "Claro, esto completa la línea:",
    "補完したコードは次のとおりです。",
    "Вот недостающий код:",
    "Aqui está o trecho que falta:",
    "다음 코드를 넣으면 됩니다:",
)
_AFTER = (
    "This completes the statement using the variables already in scope.",
    "Let me know if you need anything else!",
    "**Explanation:** it follows the style of the surrounding code.",
    "Note: the indentation matches the enclosing block.",
    "This should work with the rest of the function as written.",
    "I kept the existing naming conventions.",
    "这样就完成了该函数的剩余部分。",
    "希望这对你有帮助！",
    "Cela complète la fonction sans rien changer d'autre.",
    "Damit ist die Funktion vollständig.",
    "Esto mantiene el mismo estilo que el resto del archivo.",
    "これで関数が完成します。",
    "Этот код завершает функцию.",
    "Isso completa o bloco atual.",
    "Hope this helps.",
)
_GAPS_BEFORE = ("\n", "\n\n", " ", "\n\n")
_GAPS_AFTER = ("\n\n", "\n", "\n\n")


def prose(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Sentences before and/or after the code, in one of several human languages; the one before
    is outside the tag or just inside it, the one after follows the code (and its fence)."""
    where = rng.choice(("before", "before", "after", "both", "inside"))
    if where in ("before", "both"):
        gaps = _GAPS_BEFORE if d.tag and not d.before else _GAPS_AFTER
        d = replace(d, before=rng.choice(_BEFORE) + rng.choice(gaps) + d.before)
    if where == "inside":
        sentence = rng.choice(_BEFORE) + rng.choice(("\n", "\n\n"))
        d = replace(d, fence_open=sentence + d.fence_open)
    if where in ("after", "both"):
        words = rng.choice(_AFTER)
        if rng.random() < 0.3:
            words += " " + rng.choice(_AFTER)
        d = replace(d, after=d.after + rng.choice(_GAPS_AFTER) + words)
    return d


_THOUGHTS = (
    "The user wants the text that replaces the hole. Looking at the code above, the variables are"
    " already defined, so I only need to finish this part.",
    "Let me look at the surrounding code.\nThe block is indented consistently, and the code after"
    " the cursor must not be repeated.\nSo the answer is short.",
    "I need to output only the missing code inside <COMPLETION> tags, nothing else.",
    "Okay, so the cursor is in the middle of the file. What comes next? Probably what the names"
    " around it suggest. I'll keep it minimal.",
    "用户希望我补全光标处的代码。看一下上下文，变量已经定义好了，只需要写出缺少的部分。",
    "嗯，这里是一个代码块，我应该保持缩进一致，并且不要重复光标后面的内容。",
    "Je dois compléter le trou sans répéter le code qui suit.",
    "Hmm, mode is single line? Then no line break. Wait, let me check the mode again... fine.",
)
_THINK_TAGS = (
    ("<think>", "</think>"),
    ("<think>", "</think>"),
    ("<thinking>", "</thinking>"),
    ("[THINK]", "[/THINK]"),
    ("◁think▷", "◁/think▷"),
    ("<|begin_of_thought|>", "<|end_of_thought|>"),
    ("<reasoning>", "</reasoning>"),
)


def think(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """A reasoning block before the answer: full, empty (as Qwen and GLM emit with thinking
    off), with only its closing tag (the opening one was in the chat template), or inside the
    answer's tag."""
    opening, closing = rng.choice(_THINK_TAGS)
    thought = rng.choice(_THOUGHTS)
    form = rng.choice(("full", "full", "empty", "closing_only", "inside"))
    gap = rng.choice(("\n", "\n\n", ""))
    if form == "empty":
        block = opening + rng.choice(("\n\n", "", "\n")) + closing
    elif form == "closing_only":
        block = thought + "\n" + closing
    else:
        block = opening + rng.choice(("\n", "")) + thought + rng.choice(("\n", "")) + closing
    if form == "inside":
        return replace(d, fence_open=block + rng.choice(("\n", "")) + d.fence_open)
    return replace(d, think=block + gap + d.think)


_JUNK = (
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "</s>",
    "<|end|>",
    "<｜end▁of▁sentence｜>",
    "<|user|>",
    "<|observation|>",
    "[/INST]",
    "<end_of_turn>",
    "<|return|>",
    "<|end_of_text|>",
    "<|im_end|>\n<|im_start|>assistant",
    "<|im_end|><|endoftext|>",
    "</completion>",
    "</Completion>",
    "</COMPLETION >",
    "< /COMPLETION>",
    "<COMPLETION/>",
    "</code></pre>",
    "</answer>",
)


def junk(d: Draft, ctx: Context, rng: random.Random) -> Draft:
    """Debris after everything: end-of-text and chat-template tokens, a misspelt closing tag the
    host does not stop at, stray HTML or stream markup, a closing fence that was never opened."""
    if rng.random() < 0.12:
        return replace(d, junk="\n" + rng.choice(("```", "```\n")))
    return replace(d, junk=rng.choice(("", "", "\n", "\n\n")) + rng.choice(_JUNK))


def opens_with_tag(d: Draft) -> str:
    """What precedes the code in the stream."""
    return d.think + d.before + (OPEN_TAG if d.tag else "") + d.fence_open
