"""The `dev` family's variant pools: tune `propose` against these (`--family dev`)."""

from __future__ import annotations

from .corruptions import Pools

DEV = Pools(
    prose_before=("Here is the rewritten region:", "Sure! Here's the updated code:"),
    prose_after=("This continues your recent edit.", "Let me know if you need more changes."),
    thoughts=(
        "The user renamed a variable. I should update the other uses.",
        "Looking at the recent edits, the next step is clear.",
    ),
    fence_names={
        "python": ("python",),
        "javascript": ("javascript",),
        "typescript": ("typescript",),
        "go": ("go",),
        "rust": ("rust",),
        "lua": ("lua",),
        "shellscript": ("bash",),
    },
    fence_places=("inside", "instead"),
    junk=("<|endoftext|>", "<|user|>"),
    shifts=(1, -1),
    echo_lines=(1, 2),
    echo_labels=(("Original:", "Updated:"),),
    trailing=("spaces", "no_final_break"),
    clean_share=0.15,
)
