"""Words of the `fresh7` family: what a chat model writes around the code of a ghost-text answer.

Every text here is plainly not code for the hole: sentences in several natural languages,
markdown, reasoning, tag and fence spellings, end-of-turn tokens. The code-like pools (extra
statements, new units) are what a model writes past the hole, never the hole's own text.
"""

from __future__ import annotations

from glm_lsp.inline import InlinePrompt

HOLE_MARKER = InlinePrompt(messages=[]).marker

LEADS = (
    "Here is the completion:",
    "Sure! The missing code is:",
    "Based on the surrounding code, the hole should be filled with:",
    "Of course. Insert the following at the cursor:",
    "I apologize for the confusion in my previous answer. Here is the corrected completion:",
    "Sorry, I misread the file before; this is what belongs there:",
    f"The text that replaces {HOLE_MARKER} is:",
    f"Replacing {HOLE_MARKER} with:",
    "**Completion:**",
    "### Answer",
    "**Suggested code** (matches the file's style):",
    "Voici le code à insérer :",
    "Hier ist die passende Ergänzung:",
    "Aquí tienes el código que falta:",
    "Segue o trecho que completa o código:",
    "Ecco il completamento richiesto:",
    "Вот недостающий фрагмент:",
    "以下是需要补全的代码：",
    "补全如下：",
    "カーソル位置に入るコードは次の通りです：",
    "커서 위치에 들어갈 코드입니다:",
    "Dit is de ontbrekende code:",
    "Okay, looking at the context, the completion would be:",
)
"""A sentence before the code."""

TAILS = (
    "This keeps the existing naming and indentation.",
    "Let me know if you need anything else!",
    "The rest of the function stays unchanged.",
    "Note: no new imports are needed.",
    "**Explanation:** it reuses the variables already defined above.",
    "Notes:\n- follows the file's style\n- does not repeat the code after the cursor",
    "1. Uses the values computed above.\n2. Keeps the current control flow.",
    "> The surrounding code already handles the error case.",
    "Ce code respecte le style du fichier.",
    "Damit ist der Block vollständig.",
    "Con esto se completa la función.",
    "Isso mantém o comportamento original.",
    "Questo mantiene lo stile del file.",
    "Это сохраняет исходное поведение.",
    "这样就补全了该语句。",
    "希望对你有帮助！",
    "これで処理が完結します。",
    "Hope this helps.",
    "I hope this is what you were looking for. Feel free to ask follow-up questions.",
)
"""A sentence (or a short markdown list) after the code."""

GAPS = ("\n", "\n\n", "\n\n", " \n")
"""What separates a sentence from the code."""

THOUGHTS = (
    "The cursor sits inside an existing function. I should only write what is missing and "
    "not repeat the lines around it.",
    "Let me look at the variables in scope first. The code after the hole uses them, so the "
    "completion has to define or use them consistently.",
    "The user wants a fill-in-the-middle answer. Mode and indentation are given in the query; "
    "I will follow them.",
    "Hmm, what does the line before do? `{above}`. So the next statement continues from it.",
    "The line reads `{line}` so far. I need the rest of it, nothing else.",
    "Okay. First, figure out the language: {language}. Then match the surrounding style. "
    "Wait, there is a suffix too, so I must stop before it.",
    "We need to be careful: the prompt says no explanation and no fences. Just the code.",
    "思考：光标在函数内部，只需要补全缺失的部分。",
    "Analyse : le trou se trouve au milieu du fichier, il faut compléter sans répéter.",
)
"""Reasoning contents; `{above}`, `{line}` and `{language}` are filled from the file."""

THINK_WRAPS = (
    ("<think>\n", "\n</think>\n\n"),
    ("<think>", "</think>\n"),
    ("<think>", "</think>"),
    ("", "\n</think>\n\n"),
    ("<thinking>\n", "\n</thinking>\n"),
    ("<reasoning>", "</reasoning>\n\n"),
    ("Thinking...\n> ", "\n\n"),
    ("**Reasoning:** ", "\n\n**Answer:**\n"),
)
"""How a reasoning block opens and closes (the opening tag is sometimes in the template, so
only the closing one arrives)."""

EMPTY_THINK = ("<think></think>\n", "<think>\n\n</think>\n\n")
"""A reasoning block with thinking switched off."""

TAG_SPELLINGS = (
    ("<completion>", "</completion>"),
    ("<Completion>", "</Completion>"),
    ("<COMPLETION >", "</COMPLETION >"),
    ("< COMPLETION>", ""),
    ("<COMPLETIONS>", "</COMPLETIONS>"),
    ("<|COMPLETION|>", ""),
    ("[COMPLETION]", "[/COMPLETION]"),
    ("<code>", "</code>"),
    ("<answer>", "</answer>"),
    ("<COMPLETION>", "</COMPLETON>"),
)
"""Wrong spellings of the answer tags; the host stops at the exact closing tag only, so a wrong
closing tag arrives in the stream."""

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3", "Python"),
    "javascript": ("javascript", "js", "JavaScript", "jsx"),
    "typescript": ("typescript", "ts", "tsx"),
    "lua": ("lua", "Lua"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "C++", "cc"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "ruby": ("ruby", "rb"),
}
FENCE_MARKS = ("```", "```", "```", "~~~", "````")

JUNK = (
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "</s>",
    "<|user|>",
    "<|end|>",
    "<|assistant|>",
    "[DONE]",
    "</QUERY>",
    "</answer>",
    "\n```",
    "\n`",
    "<｜end▁of▁sentence｜>",
)
JUNK_GAPS = ("", "", "\n", "\n\n")

JSON_KEYS = ("completion", "text", "code", "insertText", "content", "fill")
NUMBER_FORMATS = ("{n}: ", "{n} | ", "{n:>4}  ", "L{n}: ", "{n:>3}│ ", "{n}. ")

STATEMENTS: dict[str, tuple[str, ...]] = {
    "python": (
        "return None",
        'logger.debug("finished %s", name)',
        "self._cache.clear()",
        "count += 1",
        "pass",
    ),
    "c": ("return 0;", "free(buffer);", "count++;", 'printf("done\\n");', "break;"),
    "java": ("return null;", "count++;", 'System.out.println("done");', "break;"),
    "js": ("return null;", "count++;", 'console.log("done");', "this.reset();"),
    "go": ("return nil", "count++", 'fmt.Println("done")', "defer cancel()"),
    "rust": ("return Ok(());", "count += 1;", 'println!("done");'),
    "lua": ("return nil", "count = count + 1", 'print("done")'),
    "shell": ("return 0", 'echo "done"', "shift"),
    "ruby": ("return nil", "count += 1", 'puts "done"'),
}
"""Statements a model adds after a single-line answer."""

NEW_UNITS: dict[str, tuple[str, ...]] = {
    "python": (
        "def _describe(value):\n    return repr(value)",
        "class Helper:\n    def __init__(self):\n        self.items = []",
        'if __name__ == "__main__":\n    main()',
    ),
    "c": (
        "static int helper(int value)\n{\n\treturn value * 2;\n}",
        "int main(void) {\n    return 0;\n}",
    ),
    "java": ("private static int helper(int value) {\n    return value * 2;\n}",),
    "js": (
        "function helper(value) {\n  return value * 2;\n}",
        "export default helper;",
        "module.exports = { helper };",
    ),
    "go": ("func helper(value int) int {\n\treturn value * 2\n}",),
    "rust": ("fn helper(value: i32) -> i32 {\n    value * 2\n}",),
    "lua": ("local function helper(value)\n  return value * 2\nend", "return M"),
    "shell": ('helper() {\n  echo "$1"\n}', 'main "$@"'),
    "ruby": ("def helper(value)\n  value * 2\nend",),
}
"""New top-level code a model writes past the end of the block it was asked for."""

_GROUPS = {
    "python": "python",
    "c": "c",
    "cpp": "c",
    "java": "java",
    "javascript": "js",
    "typescript": "js",
    "go": "go",
    "rust": "rust",
    "lua": "lua",
    "shellscript": "shell",
    "ruby": "ruby",
}


def language_group(language: str) -> str:
    """The pool key for `language` (C-like syntax for an unknown language)."""
    return _GROUPS.get(language, "c")
