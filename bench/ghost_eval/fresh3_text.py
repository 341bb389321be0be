"""The words of family `fresh3`: prose, reasoning, special tokens and fence names a chat model
writes around a completion.

Written for fresh3 alone, from what public bug reports show chat models doing when asked to fill
a hole (DeepSeek-Coder answering a FIM prompt with a sentence and a fenced whole program, Qwen3
emitting an empty `<think>` block at the cursor's indentation, R1-style templates that open the
reasoning in the prompt so only `</think>` arrives, Code Llama's ` <EOT>` after one-liners,
ChatML and GLM role tokens leaking after the answer) and from GLM's wire format (its special
tokens `<|endoftext|>`, `<|user|>`, `<|observation|>`, `<|code_middle|>`; Chinese prose from a
model trained mostly on Chinese). `{tail}` in a sentence is replaced by the end of the code before
the cursor, `{lang}` by the language's name, `{marker}` by the prompt's hole marker.
"""

from __future__ import annotations

HOLE_MARKER = "{{FILL_HERE}}"
"""The prompt's hole marker (docs/inline.md), which a model may name in its prose."""

INTROS = (
    "Here is the code that goes at the cursor:",
    "Sure! The missing part is:",
    "Based on the surrounding code, the completion is:",
    "The hole should be filled with:",
    "Completion:",
    "I'll fill in `{marker}` with the following:",
    "Looking at the context, this is what belongs there:",
    "Here's the completed snippet:",
    "To complete this, insert:",
    "**Completion**",
    "The code after `{tail}` should be:",
    "Filling in the {lang} code at the cursor:",
)
INTROS_ZH = (
    "以下是需要补全的代码：",
    "根据上下文，补全内容如下：",
    "补全：",
    "好的，这里是光标处的代码：",
)
OUTROS = (
    "This matches the style of the surrounding code.",
    "This completes the statement at the cursor.",
    "Explanation: the expression reuses the names defined above.",
    "Let me know if you need the rest of the function.",
    "Note that the indentation follows the existing block.",
    "The rest of the file stays unchanged.",
    "**Explanation:** this keeps the behaviour of the original code.",
    "- Uses the existing helper\n- Keeps the same return type",
    "I replaced `{marker}` with the missing {lang} code.",
    "This way the code after `{tail}` keeps working.",
)
OUTROS_ZH = (
    "这段代码完成了光标处的语句。",
    "说明：保持了原有的缩进和命名风格。",
)
COMMENTS = (
    "completion",
    "fill in the missing code",
    "TODO: check this",
    "added code",
)
"""A remark the model writes as a comment line of the file's language before its code."""

THOUGHTS = (
    "The user wants only the code at the cursor.",
    "Let me look at what comes before the cursor: `{tail}`.",
    "The code after the cursor already closes its brackets, so I should not repeat them.",
    "I need to match the indentation of the enclosing block.",
    "This is {lang} code.",
    "So the answer should be short: just the missing part.",
    "Wait, I should check whether that name is defined above.",
    "OK, I'll output just the completion.",
    "Hmm, the hole is marked with `{marker}`.",
    "用户希望补全光标处的代码。",
    "注意缩进要与上一行一致。",
)

TRAILING_TOKENS = (
    "<|endoftext|>",
    "<|user|>",
    "<|observation|>",
    "<|assistant|>",
    "<|im_end|>",
    "<|im_end|>\n<|im_start|>user",
    "</s>",
    "<|eot_id|>",
    " <EOT>",
    "<|EOT|>\n<|EOT|>\n<|EOT|>",
    "<|end_of_text|>",
    "<|file_separator|>",
    "</COMPLETION>",
    "</COMPLETION>\n</QUERY>",
)
LEADING_TOKENS = (
    "<|code_middle|>",
    "<|assistant|>\n",
    "<|fim_middle|>",
    "<|im_start|>assistant\n",
)
TRAILING_SPACE = ("\n\n", "   ", "\n \n", "\n\t")

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3", "Python"),
    "javascript": ("javascript", "js", "jsx", "JavaScript", "node"),
    "typescript": ("typescript", "ts", "tsx", "TypeScript"),
    "lua": ("lua", "Lua"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "cc", "C++", "cxx"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "ruby": ("ruby", "rb"),
}
PLAIN_FENCE_NAMES = ("text", "code", "plaintext")

LANGUAGE_NAMES = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "lua": "Lua",
    "c": "C",
    "cpp": "C++",
    "java": "Java",
    "shellscript": "shell",
    "go": "Go",
    "rust": "Rust",
    "ruby": "Ruby",
}

TAG = "<COMPLETION>"
"""The answer's opening tag the prompt asks for; its closing tag is the stop string, which the
host cuts off, so a well-behaved stream holds only the opening one."""
CLOSE_TAG = "</COMPLETION>"


def comment_marker(language: str) -> str:
    """How a line comment starts in `language`."""
    if language in ("python", "shellscript", "ruby"):
        return "#"
    return "--" if language == "lua" else "//"


def fill(sentence: str, tail: str, language: str) -> str:
    """`sentence` with its placeholders filled (a missing tail names the language instead)."""
    name = LANGUAGE_NAMES.get(language, language)
    text = sentence.replace("{marker}", HOLE_MARKER).replace("{lang}", name)
    return text.replace("{tail}", tail.strip() or name)
