"""The two seed families' variant pools: `dev` (tune against it) and `heldout` (the headline).

Authors of `propose`'s filters should read only `DEV`; `HELDOUT` has its own sentences, fence
spellings and places, shift sizes, echo sizes and labels. The corpus is split the same way: dev
runs commits whose hash starts with 0-3, held-out the others (`corpus.sample`).
"""

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

HELDOUT = Pools(
    prose_before=(
        "Okay, applying the next edit:",
        "Based on the recent edits, the region becomes:",
        "I'll update the region accordingly.",
    ),
    prose_after=(
        "Explanation: the change follows the pattern of the previous edit.",
        "Note: only the lines that needed it were changed.",
        "That should be consistent now.",
    ),
    thoughts=(
        "Hmm. The last diff added a parameter.\nOther call sites probably need it too.",
        "首先看最近的修改。Then apply the same change below.",
        "",
    ),
    fence_names={
        "python": ("py", "Python", "python3"),
        "javascript": ("js", "JavaScript"),
        "typescript": ("ts", "TypeScript"),
        "go": ("golang", "Go"),
        "rust": ("rs",),
        "lua": ("Lua",),
        "shellscript": ("sh", "shell"),
    },
    fence_places=("inside", "around", "instead"),
    junk=("</s>", "<|im_end|>", "<|assistant|>", "<|observation|>"),
    shifts=(2, -2, 0.5, -0.5),
    echo_lines=(1, 3, 5),
    echo_labels=(
        ("Current region:", "After the next edit:"),
        ("Before:", "After:"),
    ),
    trailing=("spaces", "no_final_break", "extra_blank"),
    clean_share=0.1,
)

FAMILIES = {"dev": DEV, "heldout": HELDOUT}
