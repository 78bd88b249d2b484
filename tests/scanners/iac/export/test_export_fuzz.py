"""Fuzz harness of the export readers: the authored exports of data/ (SOURCES.md) with any node replaced
by any JSON value (or by that value written as JSON text, as AWS Config nests documents) may only give
resources or the readers' own errors, never another exception (which would end the scan with a traceback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from csmguard.scanners.iac.collect import json_file_resources
from csmguard.scanners.iac.collect_documents import NotIac
from csmguard.scanners.iac.collect_exports import map_exports

DATA = Path(__file__).parent / "data"
SEEDS = [json.loads((DATA / p).read_text(encoding="utf-8")) for p in (
    "aws/config-s3-bucket.json", "aws/config-notification-instance.json",
    "aws/variants/config-history-volumes-keys.json", "aws/cli/get-account-authorization-details.json",
    "aws/cli/describe-cluster-public.json",
    "azure/resource-graph.json", "gcp/gke-legacy-abac.json", "gcp/project-audit-configs.json",
    "gcp/compute-instance-metadata.json")]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out += _paths(inner, (*prefix, index))
    return out


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return copy


@given(st.integers(0, len(SEEDS) - 1), st.integers(0, 10_000), JSON_VALUES, st.booleans())
def test_mutated_exports_give_resources_or_reader_errors(seed: int, where: int, value: Any, as_text: bool) -> None:
    doc = SEEDS[seed]
    paths = _paths(doc)
    mutated = _replaced(doc, paths[where % len(paths)], json.dumps(value) if as_text else value)
    try:
        resources, exported = json_file_resources(json.dumps(mutated), "export.json")
    except (NotIac, ValueError):
        return
    if exported is not None:
        resources = map_exports([exported]).resources
    assert all(r.address and r.type for r in resources)
