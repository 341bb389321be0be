"""Conventional test-file locations and the edit/tests prompts."""

from __future__ import annotations

import os

from glm_lsp.edits import prompts
from glm_lsp.edits.prompts import ANSWER_TAG, DiagnosticNote, EditTask, edit_request
from glm_lsp.edits.testfile import locate_test_file, python_import

ROOT = "/proj"


def nothing(_: str) -> bool:
    return False


def test_new_test_file_per_language() -> None:
    """Ensure the conventional new test file is chosen for each language."""
    cases = {
        "/proj/src/pkg/calc.py": "/proj/tests/test_calc.py",
        "/proj/web/util.ts": "/proj/web/util.test.ts",
        "/proj/web/App.tsx": "/proj/web/App.test.tsx",
        "/proj/cmd/server.go": "/proj/cmd/server_test.go",
        "/proj/src/main/java/com/x/Calc.java": "/proj/src/test/java/com/x/CalcTest.java",
        "/proj/src/lib.rs": "/proj/tests/lib.rs",
        "/proj/lib/thing.rb": "/proj/spec/thing_spec.rb",
    }
    for source, expected in cases.items():
        target = locate_test_file(source, ROOT, nothing)
        assert (target.path, target.exists) == (expected, False), source


def test_existing_test_file_is_preferred() -> None:
    """Ensure an existing conventional test file (here beside the module) is used."""
    existing = {"/proj/pkg/test_calc.py"}
    target = locate_test_file("/proj/pkg/calc.py", ROOT, existing.__contains__)
    assert (target.path, target.exists) == ("/proj/pkg/test_calc.py", True)
    spec = {"/proj/web/util.spec.ts"}
    assert locate_test_file("/proj/web/util.ts", ROOT, spec.__contains__).exists


def test_python_import_hint_handles_src_layout() -> None:
    """Ensure the module name drops src/ and __init__."""
    assert python_import("/proj/src/pkg/calc.py", ROOT) == "pkg.calc"
    assert python_import("/proj/pkg/__init__.py", ROOT) == "pkg"
    assert python_import("/elsewhere/x.py", ROOT) is None
    assert locate_test_file(os.path.join(ROOT, "a.py"), ROOT, nothing).import_hint == "a"


def test_edit_prompt_carries_selection_diagnostics_and_instruction() -> None:
    """Ensure the edit prompt has the selection in tags, the diagnostics, the instruction, the
    answer tag as stop word and the thinking switch from the settings."""
    task = EditTask(
        action="fix",
        path="pkg/calc.py",
        language_id="python",
        prefix="import os\n",
        selection="def f(:\n    pass\n",
        suffix="\nprint(1)\n",
        first_line=1,
        instruction="keep it short",
        diagnostics=(DiagnosticNote(1, "invalid syntax", "error", "pyright", "E1"),),
        context='<context source="git-diff">\n+x\n</context>\n',
    )
    request = edit_request(task, model="glm-4.6", thinking=False)
    system, user = request.messages
    assert ANSWER_TAG in system["content"]
    body = user["content"]
    assert "import os\n<SELECTION>def f(:\n    pass\n</SELECTION>\nprint(1)" in body
    assert "line 2: error: invalid syntax (pyright E1)" in body
    assert "keep it short" in body
    assert body.index("git-diff") < body.index("<FILE")
    assert request.stop == [f"</{ANSWER_TAG}>"]
    assert request.thinking is False
    assert request.model == "glm-4.6"


def test_tests_prompt_for_new_and_existing_files() -> None:
    """Ensure the tests prompt asks for a whole file or for tests to append."""
    new = prompts.TestsTask("calc.py", "python", "def f(): ...", "tests/test_calc.py", False)
    assert (
        "does not exist yet"
        in prompts.tests_request(new, model="m", thinking=None).messages[1]["content"]
    )
    old = prompts.TestsTask(
        "calc.py", "python", "def f(): ...", "tests/test_calc.py", True, "import calc\n", "calc"
    )
    content = prompts.tests_request(old, model="m", thinking=True).messages[1]["content"]
    assert "append at the end" in content
    assert "import calc\n</TESTFILE>" in content
    assert "Import it in the tests as: calc" in content
