"""The `dev` seed family's variant pools: filters are tuned against these (`--family dev`)."""

from __future__ import annotations

from .corruptions import Pools

DEV = Pools(
    prose_before=(
        "Here is the completion:",
        "Sure! Here's the code:",
        "The missing code is:",
        "Completion:",
    ),
    prose_after=(
        "This completes the statement.",
        "Let me know if you need anything else.",
        "This handles the remaining case.",
    ),
    prose_gaps=("\n", "\n\n"),
    prose_inside_tag=0.2,
    thoughts=(
        "The user wants the code at the cursor. I will complete it.",
        "Looking at the surrounding code, the hole needs the rest of this line.",
        "Let me figure out what goes here.\nThe function should return the value.",
    ),
    think_gaps=("", "\n"),
    fence_names={
        "python": ("python",),
        "javascript": ("javascript",),
        "typescript": ("typescript",),
        "lua": ("lua",),
        "c": ("c",),
        "cpp": ("cpp",),
        "java": ("java",),
        "shellscript": ("bash",),
        "go": ("go",),
        "rust": ("rust",),
        "ruby": ("ruby",),
    },
    fence_closes=("\n```",),
    junk=("</COMPLETION>", "```", "<|endoftext|>"),
    junk_gaps=("", "\n"),
    shifts=(1, -1),
    echo_chars=(3, 5, 8),
    echo_styles=("strip_indent", "add_indent", "comma_space"),
    prev_lines=(1,),
    suffix_lines=(1, 2),
    extra_lines=(1, 2),
    tab_width=4,
    delta_sizes=(1, 6),
)
