"""The `fresh` seed family's variant pools (`--family fresh`): a second held-out family, written
after the filters and by someone who read neither them nor `heldout.py`, so that no filter was
tuned to any of its variants. Filter authors do not read this module either.

The variants are what chat models (GLM-4.6/4.7 and other OpenAI-compatible hosts) emit when asked
to fill a code hole, deliberately worded and sized unlike the `dev` family's.
"""

from __future__ import annotations

from .corruptions import Pools

FRESH = Pools(
    prose_before=(
        "Okay, so the line should be:",
        "Here you go —",
        "**Filled-in code**",
        "Based on the surrounding context, the missing part is",
        "sure, here's what goes at the cursor",
        "### Code",
        "I'll complete it using the variables that are already in scope.",
        "Certainly! Below is the code that fits at the cursor position.",
        "To fill in the gap:",
    ),
    prose_after=(
        "**Explanation**: this reuses the helper defined above and keeps the same error handling.",
        "This should slot in without any other changes.",
        "(I kept the indentation of the surrounding block.)",
        "**Why:** the code after the cursor expects this value to be ready.",
        "Happy coding!",
        "If you'd prefer a different approach (e.g. a loop instead), let me know.",
        "That's it — nothing else needs to change.",
        "The `return` value matches what the callers expect.",
    ),
    prose_gaps=("\n\n", " \n", "\n\n\n"),
    prose_inside_tag=0.35,
    thoughts=(
        "Okay, the cursor is right after the opening of a block.\n"
        "I need to write the body, matching the indentation of the lines around it.\n"
        "The names used below are already defined, so reuse them.",
        "Let me look at what's before the cursor: it ends mid-expression.\n"
        "The text after the cursor already closes the call, so I shouldn't repeat `)`.\n"
        "Just the missing arguments then.",
        "Hmm. The user wants only the code for the gap, wrapped in <COMPLETION> tags, no "
        "explanation.\nWhat comes next here? Probably a `return` of the computed value.",
        "The nearby code looks like:\n```\nif (err) {\n  return err;\n}\n```\n"
        "So the missing piece is the same check for the next call.",
        "short one: finish the statement.",
        "First, which language? The syntax tells.\n"
        "Second: don't repeat the line before the cursor.\n"
        "Third — one statement, unless a block is open.",
    ),
    think_gaps=("\n\n", " ", "\n"),
    fence_names={
        "python": ("py", "Python", "python3"),
        "javascript": ("js", "jsx", "JavaScript"),
        "typescript": ("ts", "tsx", "TypeScript"),
        "lua": ("Lua", "luau"),
        "c": ("C", "h"),
        "cpp": ("c++", "C++", "cc", "hpp"),
        "java": ("Java",),
        "shellscript": ("sh", "shell", "Bash", "zsh"),
        "go": ("golang", "Go"),
        "rust": ("rs", "Rust"),
        "ruby": ("rb", "Ruby"),
    },
    fence_closes=("\n```\n", "\n\n```", "\n``` "),
    junk=(
        "<|im_start|>",
        "<|user|>",
        "<|eom_id|>",
        "<|end|>",
        "```\n",
        "<|observation|>",
        "<|eot_id|>",
        "</completion>",
    ),
    junk_gaps=("\n\n", " ", "\n"),
    shifts=(0.5, -0.5, 2.0, -2.0, 0.25),
    echo_chars=(2, 4, 6, 11, 16),
    echo_styles=("tab_indent", "tight_equals", "collapse_spaces"),
    prev_lines=(2, 3),
    suffix_lines=(0, 3, 4),
    extra_lines=(3, 4, 6),
    tab_width=8,
    delta_sizes=(2, 17),
)
