"""Next-edit evaluation on edit sequences replayed from git histories, with composed corruptions.

`python bench/next_edit_eval.py` is the entry point (docs/evaluation.md). Modules: `corpus`
(git histories: commits, `-U0` hunks, the file before), `cases` (requests after each hunk, the
region, the true answer), `corruptions` (the damage, composed), `dev` and `heldout` (the
families' variant pools; authors of `propose` read only `dev`), `families` (both by name),
`judge` (the strict verdict), `run` (`propose` as the engine calls it, tallies), `report` (the
CLI).
"""
