"""Words of the `fresh9` family: what a chat model writes around a fill-in-the-middle answer that
is plainly not code (reasoning, explanations in several human languages, fence spellings, end
tokens and chat-template debris)."""

from __future__ import annotations

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "Python", "python3"),
    "javascript": ("javascript", "js", "JavaScript", "jsx"),
    "typescript": ("typescript", "ts", "TypeScript", "tsx"),
    "lua": ("lua", "Lua"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "C++", "cc"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh"),
    "go": ("go", "golang", "Go"),
    "rust": ("rust", "rs", "Rust"),
    "ruby": ("ruby", "rb", "Ruby"),
}
"""Per language, the info strings models put after a fence (an empty one is drawn too)."""

FENCE_STYLES = (
    ("```{}\n", "\n```"),
    ("```{}\n", "\n```\n"),
    ("``` {}\n", "\n```"),
    ("````{}\n", "\n````"),
    ("~~~{}\n", "\n~~~"),
    ("```{}\n", "```"),
)
"""(opener, closer) spellings; `{}` is the info string. The last one closes glued to the code."""

THINK_SPELLINGS = (
    ("<think>", "</think>"),
    ("<think>\n", "\n</think>"),
    ("<thinking>", "</thinking>"),
    ("<think>\n", "\n</think>\n"),
    ("◁think▷", "◁/think▷"),
    ("[THINK]", "[/THINK]"),
    ("<reasoning>", "</reasoning>"),
)
THINK_GAPS = ("", "\n", "\n\n")

THOUGHTS = (
    "The user wants me to fill in the missing {lang} code at the cursor. I should only output "
    "the part that goes there, without repeating what is already before or after it.",
    "Let me look at the surrounding code. The cursor is inside a {lang} file; the text after "
    "the cursor already exists, so I must not write it again.",
    "Okay, so I need to complete the code. Looking at the context, the most natural "
    "continuation is fairly short. Let me write just that.",
    "用户希望我补全光标处的代码。我需要只输出缺失的部分，不要重复前后已有的内容。",
    "Hmm. What comes next here? Probably the obvious statement given the variables in scope. "
    "I'll keep the existing indentation.",
    "",
    "We are completing {lang} code.\n\nThe prefix ends right at the cursor, and the suffix "
    "continues after it. The answer should fit between them.\n\nAlright, answer now.",
    "El usuario quiere completar el código en la posición del cursor. Responderé solo con el "
    "fragmento que falta.",
)
"""Reasoning contents; `{lang}` is the hole's language."""

PROSE_BEFORE = (
    "Here is the completion:",
    "Sure! Here's the missing code:",
    "**Completion:**",
    "Here's what goes at the cursor:",
    "The missing part is:",
    "以下是补全的代码：",
    "补全如下：",
    "Aquí está el código que falta:",
    "Voici la complétion :",
    "Hier ist die Ergänzung:",
    "Вот недостающий код:",
    "補完したコードは以下の通りです。",
    "Aqui está o trecho que falta:",
    "Certainly. Based on the surrounding context, the code at the cursor should be:",
)
PROSE_AFTER = (
    "This completes the code at the cursor.",
    "Let me know if you need anything else!",
    "Note: I kept the existing indentation and naming style.",
    "这样就完成了该处的代码。",
    "Esto completa el fragmento.",
    "Cela complète le code manquant.",
    "Damit ist der fehlende Teil ergänzt.",
    "Этот фрагмент завершает код.",
    "**Explanation:** the line uses the variables already defined above.",
    "I hope this helps.",
)
PROSE_GAPS = ("\n", "\n\n")

JUNK = (
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "</s>",
    "<|user|>",
    "<|assistant|>",
    "<|observation|>",
    "<｜end▁of▁sentence｜>",
    "[/INST]",
    "<|end|>",
    "</completion>",
    "</code>",
    "<|im_end|>\n<|im_start|>user",
    "<|endoftext|><|endoftext|>",
)
JUNK_GAPS = ("", "", "\n", "\n\n", " ")

TRAILERS: dict[str, tuple[str, ...]] = {
    "python": ('if __name__ == "__main__":', "    main()"),
    "javascript": ("module.exports = {};",),
    "typescript": ("export {};",),
    "lua": ("return M",),
    "c": ("int main(void) {", "    return 0;", "}"),
    "cpp": ("int main() {", "    return 0;", "}"),
    "go": ("func main() {", "}"),
    "rust": ("fn main() {", "}"),
    "java": ("// end of class",),
    "shellscript": ('main "$@"',),
    "ruby": ("__END__",),
}
"""A new unit at column 0 past the end of the code a model sometimes writes when it goes on."""
