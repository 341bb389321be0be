"""Golden cases for every final filter and for the whole post-processing pipeline."""

from __future__ import annotations

import pytest
from golden_cases import GOLDEN, Case, load

from glm_lsp.inline.filters import FILTERS, PIPELINE, postprocess
from glm_lsp.inline.stream_stop import StreamStop

FILTER_CASES = [case for case in load() if case.stage != "postprocess"]
PIPELINE_CASES = load("postprocess")


@pytest.mark.parametrize("case", FILTER_CASES, ids=lambda case: case.id)
def test_filter_golden(case: Case) -> None:
    """Each filter alone turns the case's raw text into exactly the expected text (or None)."""
    hole = case.hole()
    if "mode" in case.data:
        assert hole.mode.value == case.data["mode"]
    assert FILTERS[case.stage](str(case.data["raw"]), hole) == case.expected


@pytest.mark.parametrize("case", PIPELINE_CASES, ids=lambda case: case.id)
def test_postprocess_golden(case: Case) -> None:
    """The whole pipeline turns a raw model answer into exactly the expected insertion."""
    hole = case.hole()
    if "mode" in case.data:
        assert hole.mode.value == case.data["mode"]
    assert postprocess(str(case.data["raw"]), hole) == case.expected


@pytest.mark.parametrize("case", PIPELINE_CASES, ids=lambda case: case.id)
def test_postprocess_golden_streamed(case: Case) -> None:
    """The same answer streamed in small deltas through the early stop gives the same insertion
    (the stop never cuts what the filters would keep). The host's finish reason is "stop"
    unless the case says otherwise (`finish_reason`; "" for none)."""
    hole = case.hole()
    raw = str(case.data["raw"])
    size = int(case.data.get("chunk", 3))
    stop = StreamStop(hole)
    for start in range(0, len(raw), size):
        if stop.feed(raw[start : start + size]):
            break
    reason = str(case.data.get("finish_reason", "stop")) or None
    assert postprocess(stop.finish(reason), hole) == case.expected


def test_every_filter_has_golden_cases() -> None:
    """Every filter of the pipeline has a golden directory with at least two cases, and every
    golden directory names a filter (or the whole pipeline)."""
    stages = {path.name for path in GOLDEN.iterdir() if path.is_dir()}
    assert stages == set(FILTERS) | {"postprocess"}
    for step in PIPELINE:
        assert len(load(step.__name__)) >= 2, step.__name__
