"""fresh6's words: what a chat model writes around the code of a fill-in-the-middle answer.

Sentences before and after the code (several natural languages, markdown headings, bold, lists),
reasoning blocks, fence spellings, tag spellings, end-of-turn tokens, comments that talk about
the answer, lead-ins of a restated answer and the new units a model invents past a block. All of
them are plainly not code for the hole: a careful reader strips them. Written for this family
without reading the other families' pools.
"""

from __future__ import annotations

import random

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3"),
    "javascript": ("javascript", "js", "jsx", "node"),
    "typescript": ("typescript", "ts", "tsx"),
    "lua": ("lua", "luau"),
    "c": ("c", "h", "C"),
    "cpp": ("cpp", "c++", "cc", "hpp"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh", "console"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "ruby": ("ruby", "rb"),
}
GENERIC_FENCE_NAMES = ("code", "text", "plaintext", "txt")

COMMENT_LEADERS: dict[str, str] = {
    "python": "#",
    "shellscript": "#",
    "ruby": "#",
    "lua": "--",
}
C_LIKE = frozenset({"c", "cpp", "java", "javascript", "typescript", "go", "rust"})

PROSE_BEFORE = (
    "Here is the code that goes at the cursor:",
    "Sure! This is what fills the gap:",
    "Based on the surrounding code, the completion is:",
    "**Completion**",
    "### Missing code",
    "## Answer",
    "- Insert this at the marked position:",
    "1. Put the following at the hole:",
    "以下是需要补全的代码：",
    "补全如下：",
    "根据上下文，这里应该填写：",
    "Voici le morceau manquant :",
    "Aquí tienes lo que falta:",
    "Hier ist der fehlende Teil:",
    "カーソル位置に入るコードは次のとおりです。",
    "Вот недостающий фрагмент:",
    "O trecho que falta é este:",
    "Okay, filling in the hole now.",
)
PROSE_AFTER = (
    "This finishes the statement with the names already in scope.",
    "Let me know if you want a different approach!",
    "Note: I kept the file's existing indentation.",
    "**Why:** it mirrors the code right above it.",
    "- keeps the current style\n- needs no new imports",
    "这样就补全了这段逻辑。",
    "这段代码沿用了上面的变量命名。",
    "Cela complète l'instruction en cours.",
    "Con esto queda completa la expresión.",
    "Damit ist die Stelle vollständig.",
    "これで処理が完成します。",
    "Это завершает текущую конструкцию.",
    "Hope this helps.",
    "The rest of the file stays unchanged.",
)
PROSE_INLINE = (
    ("The missing piece is `", "`."),
    ("Insert `", "` at the cursor."),
    ("补全内容为 `", "`。"),
    ("Answer: `", "`"),
    ("You need `", "` there."),
)
PROSE_GAPS_BEFORE = ("\n", "\n\n", " \n")
PROSE_GAPS_AFTER = ("\n", "\n\n", "\n\n---\n")

THOUGHTS = (
    "The user wants only the text at the hole. The surrounding lines show the intent.",
    "Looking at the prefix and the suffix, I should continue the current construct "
    "and nothing else.",
    "光标处缺少代码，结合上下文补全即可，不要重复前后的内容。",
    "Hmm. Mode tells me how much to write. Keep the indentation of the file.",
    "Check the names defined above; reuse them.",
    "",
)
THINK_TAGS = (
    ("<think>", "</think>"),
    ("<think>\n", "\n</think>"),
    ("<thinking>", "</thinking>"),
    ("<reasoning>\n", "\n</reasoning>"),
    ("Thinking...\n", "\n...done thinking."),
    ("Let me reason about this first. ", "\nSo the answer is:\n"),
    ("**Reasoning:** ", "\n\n**Answer:**"),
)
THINK_GAPS = ("", "\n", "\n\n")

TAG_PAIRS = (
    ("<completion>", "</completion>"),
    ("<Completion>", "</Completion>"),
    ("<COMPLETION >", "</COMPLETION >"),
    ("<COMPLETION_TEXT>", "</COMPLETION_TEXT>"),
    ("<FILL>", "</FILL>"),
    ("[COMPLETION]", "[/COMPLETION]"),
    ("<answer>", "</answer>"),
    ('<COMPLETION lang="auto">', "</completion>"),
    ("<|COMPLETION|>", "<|/COMPLETION|>"),
)

END_TOKENS = (
    "<|endoftext|>",
    "<|user|>",
    "<|assistant|>",
    "<|observation|>",
    "<|im_end|>",
    "</s>",
    "<eos>",
    "<|end|>",
    "<｜end▁of▁sentence｜>",
    "[/INST]",
)
STRAY = ("```", "</code>", "</answer>", "</pre>", "<COMPLETION>", "</QUERY>")
JUNK_GAPS = ("", "", "\n", " ")

COMMENT_WORDS = (
    "completion",
    "filled in here",
    "the missing code",
    "added: rest of the statement",
    "<- completed",
    "autocompleted",
    "补全",
    "inserted by the assistant",
    "here is the fix for the gap",
)

RESTATE_LEADS = (
    "\n\nOr, written out in full:\n",
    "\n\nThe complete line reads:\n",
    "\n\n完整写法：\n",
    "\n\nSame thing again, for clarity:\n",
    "\nIn context:\n",
)

NEW_UNITS: dict[str, tuple[str, ...]] = {
    "python": (
        "def _helper(value):\n{u}return value",
        "class Placeholder:\n{u}pass",
        'if __name__ == "__main__":\n{u}main()',
    ),
    "javascript": (
        "function helper(value) {\n{u}return value;\n}",
        "module.exports.helper = helper;",
    ),
    "typescript": ("export function helper(value: unknown): unknown {\n{u}return value;\n}",),
    "c": ("static int helper(int value)\n{\n{u}return value;\n}",),
    "cpp": ("static int helper(int value) {\n{u}return value;\n}",),
    "java": ("private static int helper(int value) {\n{u}return value;\n}",),
    "go": ("func helper(value int) int {\n{u}return value\n}",),
    "lua": ("local function helper(value)\n{u}return value\nend",),
    "shellscript": ('helper() {\n{u}echo "$1"\n}',),
    "rust": ("fn helper(value: i32) -> i32 {\n{u}value\n}",),
    "ruby": ("def helper(value)\n{u}value\nend",),
}


def fence_name(language: str, diff: bool, rng: random.Random) -> str:
    """The info string of a fence: the language under one of its names, a generic word, `diff`
    for an answer written as a diff, a name with the file's path, or nothing."""
    if diff and rng.random() < 0.7:
        return "diff"
    roll = rng.random()
    names = FENCE_NAMES.get(language, GENERIC_FENCE_NAMES)
    if roll < 0.25:
        return ""
    if roll < 0.35:
        return rng.choice(GENERIC_FENCE_NAMES)
    return rng.choice(names)


def fence(language: str, label: str, diff: bool, rng: random.Random) -> tuple[str, str]:
    """An opening fence line (with its line break) and the closing one (with the line break
    before it): backticks or tildes, three or four, with or without a name."""
    mark = rng.choice(("```", "```", "```", "~~~", "````"))
    name = fence_name(language, diff, rng)
    if name and rng.random() < 0.15:
        name = f"{name}:{label.rsplit('/', 1)[-1]}"
    space = " " if name and rng.random() < 0.2 else ""
    return f"{mark}{space}{name}\n", f"\n{mark}"


def comment(language: str, rng: random.Random) -> str:
    """A comment that talks about the answer, in the language's line-comment syntax."""
    leader = COMMENT_LEADERS.get(language, "//")
    return f"{leader} {rng.choice(COMMENT_WORDS)}"


def block_comment(rng: random.Random) -> str:
    return f"/* {rng.choice(COMMENT_WORDS)} */"


def new_unit(language: str, unit: str, lead: str, rng: random.Random) -> str | None:
    """A new top-level unit a model invents past the block, indented at `lead`."""
    shapes = NEW_UNITS.get(language)
    if not shapes:
        return None
    text = rng.choice(shapes).replace("{u}", unit)
    return "\n".join(lead + line if line else line for line in text.split("\n"))
