"""The `heldout` seed family's variant pools: the headline figure. Filter authors do not read
this module (issue 14's honesty rule); tune with `--family dev` only."""

from __future__ import annotations

from .corruptions import Pools

HELDOUT = Pools(
    prose_before=(
        "Okay, filling in the hole:",
        "Below is the code that goes at the cursor.",
        "I'll complete the code for you.",
        "Based on the context, the completion would be:",
    ),
    prose_after=(
        "Explanation: this continues the existing logic.",
        "Note: adjust the names if needed.",
        "The code above fits the surrounding style.",
        "That should work.",
    ),
    prose_gaps=("\n", "\n\n", "\n\n\n"),
    prose_inside_tag=0.4,
    thoughts=(
        "We are in the middle of a call.\nThe arguments are probably `x, y`.\n"
        "So the answer is short.",
        "Hmm. The indentation is 4 spaces and the block is empty; write the body.",
        "首先分析上下文。The previous line sets up the variable, so use it here.",
        "",
    ),
    think_gaps=("", "\n", "\n\n"),
    fence_names={
        "python": ("py", "Python", "python3"),
        "javascript": ("js", "JavaScript", "jsx"),
        "typescript": ("ts", "tsx", "TypeScript"),
        "lua": ("Lua",),
        "c": ("C", "h"),
        "cpp": ("c++", "C++", "cc"),
        "java": ("Java",),
        "shellscript": ("sh", "shell", "zsh"),
        "go": ("golang",),
        "rust": ("rs",),
        "ruby": ("rb",),
    },
    fence_closes=("\n```\n", "\n``` ", "\n```"),
    junk=(
        "</COMPLETION>\n",
        "\n```",
        "<|user|>",
        "</s>",
        "<|im_end|>",
        "<|assistant|>",
        "<|observation|>",
        "<eos>",
    ),
    junk_gaps=("", "\n", " "),
    shifts=(2, -2, 0.5, -0.5),
    echo_chars=(10, 14, 20),
    echo_styles=("tab_indent", "tight_equals", "collapse_spaces", "strip_indent"),
    prev_lines=(1, 2, 3),
    suffix_lines=(2, 3, 5),
    extra_lines=(2, 3, 4),
    tab_width=8,
    delta_sizes=(2, 12),
)
