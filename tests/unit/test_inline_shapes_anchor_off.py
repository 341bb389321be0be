"""Whole-line answers whose first line sits at the cursor but whose other lines the model moved,
where the answer's own anchors show it (`anchors.anchor_off`): the closer of the first line's
bracket off both the first line's column and the line above it, the body of the first line's
block off the file's step. Through the whole pipeline; look-alikes written right are kept."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

MAIN_PY = [
    "def main():",
    '    if sys.platform == "win32":',
    "        import subprocess",
    "",
    "        try:",
    "            ",
    "        except KeyboardInterrupt:",
    "            sys.exit(2)",
    "",
    "        sys.exit(completed_process.returncode)",
]

TREE_PY = [
    "class Tree:",
    "    def __contains__(self, item):",
    "        if isinstance(item, IndexObject):",
    "            ",
    "        # END handle item is index object",
    "        else:",
    "            return False",
    "",
    "    def __len__(self):",
    "        return len(self._cache)",
]


def test_call_closer_between_the_first_line_and_the_arguments_moves_back() -> None:
    """`)` at 16 under arguments at 20, the call at the cursor's 12: the closer belongs on the
    call's column, so the arguments move back by as much."""
    raw = (
        "<COMPLETION>completed_process = subprocess.run(\n"
        "                    [uv, *sys.argv[1:]], env=env, check=False\n                )"
    )
    want = (
        "completed_process = subprocess.run(\n"
        "                [uv, *sys.argv[1:]], env=env, check=False\n            )"
    )
    assert _shown(MAIN_PY, 5, 12, "python", raw) == want


def test_call_closer_under_its_arguments_is_kept() -> None:
    """Look-alike: `)` on the arguments' column (a style PEP 8 allows) is where the model meant
    it; the answer stays as written."""
    raw = (
        "<COMPLETION>completed_process = subprocess.run(\n"
        "                [uv, *sys.argv[1:]], env=env, check=False\n                )"
    )
    want = (
        "completed_process = subprocess.run(\n"
        "                [uv, *sys.argv[1:]], env=env, check=False\n                )"
    )
    assert _shown(MAIN_PY, 5, 12, "python", raw) == want


def test_body_off_the_files_step_moves_under_its_opener() -> None:
    """`for ...:` at the cursor's 12, its body 5 columns in and every later line one column
    too deep: off the file's 4-column steps, the body goes one step in and the rest follows."""
    raw = (
        "<COMPLETION>for info in self._cache:\n                 if item.binsha == info[0]:\n"
        "                     return True\n             # END for each entry"
    )
    want = (
        "for info in self._cache:\n                if item.binsha == info[0]:\n"
        "                    return True\n            # END for each entry"
    )
    assert _shown(TREE_PY, 3, 12, "python", raw) == want


def test_body_two_steps_under_its_opener_is_not_off_the_step() -> None:
    """Look-alike: a body on the file's step grid is left to the other rules (two steps in is
    a whole number of steps; here the line is kept one step in as before)."""
    raw = "<COMPLETION>for info in self._cache:\n                return True"
    want = "for info in self._cache:\n                return True"
    assert _shown(TREE_PY, 3, 12, "python", raw) == want
