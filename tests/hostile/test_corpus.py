"""Every scanner and importer, as a real process under a 2 GiB address-space limit, on every case of the
hostile corpus: the case ends with its hostile inputs listed in errors[] (exit 2, or 0/1 with the error
listed), never with a traceback, a crash or a file read through a link out of the scanned folder.
Time and memory are measured by ``python -m bench.hostile``, not asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.make_corpus import Case, all_cases, write_case
from tests.hostile.runner import problems, run_case

MEMORY_LIMIT = 2 * 1024 ** 3
CASES = all_cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case_ends_with_listed_errors_and_no_traceback(case: Case, corpus: Path) -> None:
    write_case(case, corpus)
    outcome = run_case(case, corpus, MEMORY_LIMIT)
    assert problems(case, outcome) == [], (outcome.returncode, outcome.stderr[-2000:], outcome.stdout[-2000:])


def test_the_corpus_covers_every_scanner_that_reads_files_and_the_importer() -> None:
    assert {c.scanner for c in CASES} == {"iac", "app", "fleet", "policydoc", "messages", "register"}
    kinds = ("alias-bomb", "deep", "zip-bomb", "docx-bomb", "xlsx-bomb", "lying-header", "billion-laughs", "xxe",
             "huge-line", "random-bytes", "symlink-escape")
    assert all(any(kind in c.name for c in CASES) for kind in kinds)
    assert len({c.name for c in CASES}) == len(CASES)
