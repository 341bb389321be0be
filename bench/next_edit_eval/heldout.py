"""The `heldout` family's variant pools: the headline figure. Authors of `propose` do not
read this module (the honesty rule of the ghost-text evaluation); tune with `--family dev`."""

from __future__ import annotations

from .corruptions import Pools

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
