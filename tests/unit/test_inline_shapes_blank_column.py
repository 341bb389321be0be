"""Single-line answers on a blank line with the cursor at column 0, written by the model at a
column that fits nowhere: the nearest column the lines around allow, through the whole
pipeline."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

TRACKER_PY = [
    "class BuildTracker:",
    "    def add(self, req, key):",
    "        entry_path = self._entry_path(key)",
    '        with open(entry_path, "w") as fp:',
    "            fp.write(str(req))",
    "",
    "",
    '        logger.debug("Added %s", req)',
    "",
    "    def remove(self, req):",
    "        pass",
]


def test_line_four_columns_left_of_the_next_line_goes_to_it() -> None:
    """At 4, between a line at 12 (above) and one at 8 (below): one step off the next line's
    column, two off the line above's: the statement goes to 8."""
    raw = "<COMPLETION>    self._entries[key] = req"
    assert _shown(TRACKER_PY, 5, 0, "python", raw) == "        self._entries[key] = req"


def test_line_at_a_plausible_column_is_kept() -> None:
    """At 12 (the `with` body) or 8 (the method body), both read right: kept as written."""
    raw = "<COMPLETION>            self._entries[key] = req"
    assert _shown(TRACKER_PY, 5, 0, "python", raw) == "            self._entries[key] = req"
    raw = "<COMPLETION>        self._entries[key] = req"
    assert _shown(TRACKER_PY, 5, 0, "python", raw) == "        self._entries[key] = req"


def test_column_zero_answer_goes_to_the_line_above() -> None:
    """A line written at column 0 carries no column of its own: it goes where the statement
    above is, as before."""
    raw = "<COMPLETION>self._entries[key] = req"
    assert _shown(TRACKER_PY, 5, 0, "python", raw) == "            self._entries[key] = req"


def test_far_too_deep_line_goes_to_the_line_above() -> None:
    """At 20, nearer the line above (12) than the next line (8): the line above's column."""
    raw = "<COMPLETION>                    self._entries[key] = req"
    assert _shown(TRACKER_PY, 5, 0, "python", raw) == "            self._entries[key] = req"


FACTORY_JAVA = [
    "abstract class PooledConnectionFactory {",
    "    /**",
    "     * Creates a pooled connection.",
    "     */",
    "    public abstract PooledConnection createPooledConnection(long timeout)",
    "",
    "};",
]


def test_tabs_written_one_per_column_at_column_zero_are_columns() -> None:
    """Eight tabs before `throws` in a 4-space file, at a blank line at column 0 under a
    declaration at 4 that goes on: a tab per column (8, a step under the declaration), not
    eight steps."""
    raw = "<COMPLETION>\t\t\t\t\t\t\t\tthrows NamingException;"
    assert _shown(FACTORY_JAVA, 5, 0, "java", raw) == "        throws NamingException;"


def test_one_tab_at_column_zero_is_one_step() -> None:
    """A single tab there is one step of the file (4 columns), as before."""
    raw = "<COMPLETION>\tpublic void close();"
    assert _shown(FACTORY_JAVA, 5, 0, "java", raw) == "    public void close();"


FIELDS_PY = [
    "class UndefinedType:",
    "    def __deepcopy__(self, _):",
    "        return self",
    "",
    "",
    "",
    "",
    "if TYPE_CHECKING:",
    "    from typing import Any",
]


def test_python_line_after_the_top_level_gap_goes_to_column_zero() -> None:
    """After two blank lines, with top-level code next: PEP 8's gap, so a statement the model
    indented by 4 is a top-level one (not the class body's)."""
    raw = "<COMPLETION>    Undefined = UndefinedType()"
    assert _shown(FIELDS_PY, 5, 0, "python", raw) == "Undefined = UndefinedType()"


def test_python_line_after_one_blank_line_keeps_the_class_column() -> None:
    """After a single blank line the class may go on: a line at the class body's column is
    kept."""
    doc = [*FIELDS_PY[:4], *FIELDS_PY[6:]]
    raw = "<COMPLETION>    undefined = None"
    assert _shown(doc, 3, 0, "python", raw) == "    undefined = None"
