"""The command line and the tables: per drift class and per language, how many cases were
applied exactly, refused cleanly or applied wrongly (the goal is 0 % wrong)."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from ghost_eval.corpus import LANGUAGES

from .drift import CLASSES, REFUSED
from .families import FAMILIES
from .run import Outcome, cases, judge

VERDICTS = ("exact", "refused", "wrong")


def evaluate(
    family: str, per_drift: int, languages: Iterable[str], drifts: tuple[str, ...] = CLASSES
) -> list[Outcome]:
    chosen = FAMILIES[family]
    return [judge(case) for lang in languages for case in cases(lang, chosen, per_drift, drifts)]


def _table(title: str, groups: dict[str, Counter[str]]) -> list[str]:
    rows = [f"{title:<22} {'cases':>6} {'exact':>8} {'refused':>8} {'wrong':>8}"]
    for name, counts in groups.items():
        total = sum(counts.values())
        cells = " ".join(f"{100 * counts[v] / total:7.1f}%" for v in VERDICTS)
        rows.append(f"{name:<22} {total:>6} {cells}")
    return rows


def tables(outcomes: list[Outcome]) -> list[str]:
    by_drift: dict[str, Counter[str]] = defaultdict(Counter)
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    expected: dict[str, Counter[str]] = {"should apply": Counter(), "should refuse": Counter()}
    for outcome in outcomes:
        should = "should refuse" if outcome.case.drift in REFUSED else "should apply"
        expected[should].update([outcome.verdict])
        expect = " (refuse)" if outcome.case.drift in REFUSED else ""
        by_drift[outcome.case.drift + expect].update([outcome.verdict])
        by_lang[outcome.case.language].update([outcome.verdict])
        total.update([outcome.verdict])
    return [
        *_table("drift", dict(by_drift)),
        "",
        *_table("language", dict(by_lang)),
        "",
        *_table("all", {**expected, "all": total}),
    ]


def describe(outcome: Outcome) -> str:
    case = outcome.case
    blocks = "\n".join(f"--- search\n{e.search}--- replace\n{e.replace}" for e in case.edits)
    rules = ", ".join(f"{o.index}:{o.status}/{o.rule}" for o in outcome.result.outcomes)
    return f"{case.language} {case.label} [{case.drift}/{case.kind}] {rules}\n{blocks}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="edit_format_eval", description=__doc__)
    parser.add_argument("--family", choices=sorted(FAMILIES), default="dev")
    parser.add_argument("--cases", type=int, default=12, help="cases per drift class and language")
    parser.add_argument("--lang", default=",".join(LANGUAGES))
    parser.add_argument("--verbose", action="store_true", help="print every wrong case")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    outcomes = evaluate(args.family, args.cases, args.lang.split(","))
    if args.json:
        counts = Counter(o.verdict for o in outcomes)
        print(json.dumps({"family": args.family, "cases": len(outcomes), **counts}))
        return
    print(f"edit_file evaluation, family {args.family}, {len(outcomes)} cases")
    print("\n".join(tables(outcomes)))
    absent = sorted(set(args.lang.split(",")) - {o.case.language for o in outcomes})
    if absent:
        print(f"absent (no usable file on this machine): {', '.join(absent)}")
    if args.verbose:
        for outcome in outcomes:
            if outcome.verdict == "wrong":
                print("\n" + describe(outcome))
