"""``python -m bench.hostile [--only NAME] [--markdown]``: build the hostile corpus (tests/hostile/make_corpus.py)
in a temporary folder, run each case as a real ``csmguard`` process, and print one row per case: exit code,
errors listed, wall time and peak resident memory, against the budget of 30 s and 500 MB per case.

``scan site`` is measured against the hostile server of tests/hostile/servers.py on 127.0.0.1 (a page that
would send 2 GB, a billion-laughs sitemap). The exit code is 1 when a case is over budget or ends badly."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.hostile.make_corpus import Case, all_cases, write_case
from tests.hostile.runner import Outcome, problems, run_case, run_csmguard
from tests.hostile.servers import hostile_site

WALL_BUDGET_SECONDS = 30.0
RSS_BUDGET_MB = 500.0
# Only a safety net for the machine: the budget is measured, not enforced, here.
MEMORY_LIMIT = 4 * 1024 ** 3


def _errors_listed(outcome: Outcome) -> str:
    report = outcome.report()
    if report is None:
        return "stderr" if outcome.stderr.strip() else "-"
    return str(len(report.get("errors") or []))


def _row(name: str, outcome: Outcome, issues: list[str]) -> tuple[str, ...]:
    over = []
    if outcome.wall_seconds > WALL_BUDGET_SECONDS:
        over.append("time")
    if not outcome.peak_rss_mb <= RSS_BUDGET_MB:
        over.append("memory")
    verdict = "ok" if not over and not issues else "; ".join([*(f"over {o} budget" for o in over), *issues])
    return (name, str(outcome.returncode), _errors_listed(outcome), f"{outcome.wall_seconds:.1f}",
            f"{outcome.peak_rss_mb:.0f}", verdict)


def _site_case(root: Path) -> tuple[str, ...]:
    with hostile_site() as (origin, server):
        outcome = run_csmguard(["scan", "site", origin + "/", "--allow-private", "--format", "json", "--quiet"],
                               MEMORY_LIMIT, root)
        sent_mb = server.state.sent / 2 ** 20
    issues = [] if "MAX_HTTP_BODY_BYTES" in outcome.stdout else ["the cut page is not reported"]
    if "Traceback" in outcome.stderr:
        issues.append("a traceback reached the user")
    name = f"site-2gb-page (server sent {sent_mb:.0f} MB)"
    return _row(name, outcome, issues)


def main() -> None:
    """Build the corpus, run every case, print the table; exit 1 when a case fails its budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run only cases whose name contains this")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    cases: list[Case] = [c for c in all_cases() if not args.only or any(o in c.name for o in args.only)]
    rows: list[tuple[str, ...]] = []
    header = ("case", "exit", "errors", "wall s", "peak MB", "verdict")
    with tempfile.TemporaryDirectory(prefix="csmguard-hostile-") as folder:
        root = Path(folder)
        for case in cases:
            write_case(case, root)
            outcome = run_case(case, root, MEMORY_LIMIT)
            rows.append(_row(case.name, outcome, problems(case, outcome)))
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
        if not args.only or any("site" in o for o in args.only):
            rows.append(_site_case(root))
    _print(header, rows, args.markdown)
    bad = [r for r in rows if r[-1] != "ok"]
    worst_wall = max(float(r[3]) for r in rows)
    worst_rss = max(float(r[4]) for r in rows)
    print(f"\n{len(rows)} cases; slowest {worst_wall:.1f} s, largest {worst_rss:.0f} MB "
          f"(budget {WALL_BUDGET_SECONDS:.0f} s, {RSS_BUDGET_MB:.0f} MB); {len(bad)} over budget or failed")
    sys.exit(1 if bad else 0)


def _print(header: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
