"""The words of the unseen family `fresh4`: what a chat model writes around the code it was asked
for (reasoning, chat sentences, fence spellings, special tokens). Written for this family alone;
filter authors do not read this module.
"""

from __future__ import annotations

import random

TAG = "<COMPLETION>"
"""The opening tag of the prompt's answer format (the host removes the closing stop string)."""

THOUGHTS = (
    "The cursor sits right after {token}. I only need to supply what is missing there.",
    "Let me look at the surrounding code. The next line already exists, so I must not repeat it.",
    "Okay, the user wants the missing piece. After {token} the natural continuation is short.",
    "I should output only code, no explanation, and keep the file's indentation.",
    "Hmm, {token} is followed by the hole. The variable names above tell me what goes here.",
    "We need to fill the gap. Check the indentation level first, then write the statement.",
    "The function is half written; {token} suggests the next step. Keep it minimal.",
)
"""Reasoning, in the model's voice; `{token}` is the last word before the cursor, in backticks."""

THINK_GAPS = ("", "\n", "\n\n", "\n\n\n")

PROSE_BEFORE = (
    "Sure! Here's the code to fill in:",
    "Here is the missing part:",
    "The completion at the cursor is:",
    "This should go in the gap:",
    "Certainly. Insert the following:",
    "Based on the surrounding context, the hole should contain:",
    "**Completion:**",
    "Here you go:",
)
PROSE_AFTER = (
    "This keeps the existing style of the file.",
    "Let me know if you'd like a different approach!",
    "That completes the statement; the rest of the function stays unchanged.",
    "Note: I assumed the helper defined above is in scope.",
    "This matches how the surrounding code handles the same case.",
    "(Nothing else needs to change.)",
    "Hope this helps.",
)
PROSE_GAPS_BEFORE = ("\n", "\n\n")
PROSE_GAPS_AFTER = ("\n", "\n\n", "\n\n\n")

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "Python", "python3"),
    "javascript": ("javascript", "js", "JavaScript", "jsx"),
    "typescript": ("typescript", "ts", "TypeScript", "tsx"),
    "lua": ("lua", "Lua"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "C++", "cc"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh", "console"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "ruby": ("ruby", "rb"),
}

LEAD_TOKENS = (
    "<|fim_middle|>",
    "<|assistant|>",
    "<|assistant|>\n",
    "<|im_start|>assistant\n",
    "<|fim_middle|>\n",
    "<|code_middle|>",
)
"""Special tokens some chat templates leak before the answer (FIM middle markers, role headers)."""

JUNK = (
    "<|endoftext|>",
    "<|user|>",
    "<|im_end|>",
    "</s>",
    "<|eot_id|>",
    "</completion>",
    "</COMPLETION>",
    "<|fim_pad|><|fim_pad|>",
    "```",
    "<|observation|>",
    "</fim_middle>",
)
JUNK_GAPS = ("", "\n", "\n\n")


def thought(rng: random.Random, token: str) -> str:
    """The text of a `<think>` block: empty as GLM writes it with thinking off, or a few of the
    sentences above, on one line or several."""
    if rng.random() < 0.25:
        return rng.choice(("", "\n", "\n\n"))
    pool = THOUGHTS if token else tuple(t for t in THOUGHTS if "{token}" not in t)
    count = rng.randint(1, 3)
    parts = [t.format(token=f"`{token}`") for t in rng.sample(pool, count)]
    joiner = rng.choice((" ", "\n", "\n\n"))
    return rng.choice(("", "\n")) + joiner.join(parts) + rng.choice(("", "\n"))


def fence_name(language: str, rng: random.Random) -> str:
    """A fence's info string for `language`: one of its usual spellings, or none."""
    if rng.random() < 0.3:
        return ""
    return rng.choice(FENCE_NAMES.get(language, (language,)))
