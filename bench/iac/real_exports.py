"""``python -m bench.iac.real_exports``: run the export readers of ``csmguard scan iac`` over real public
samples of exported cloud configuration, read at run time from local git mirrors (never committed, never
used by the tests), and print per file what the readers made of it: the format recognised, items read,
items mapped, the types not mapped, and errors.

Samples (each read from the mirror's newest commit, which is printed):

- cloud-custodian/cloud-custodian: AWS Config items and events (``tests/data/config``), the Config rule
  events of ``tests/data/cwe`` (their ``invokingEvent`` decoded), and boto3 responses recorded by placebo
  (``tests/data/placebo``) of AWS Config and the ``describe-*`` calls the mapping table knows, written as
  the AWS CLI prints them (response body without ``ResponseMetadata``, datetimes as ISO-8601 text);
- aws/aws-cli: the example output (first ``Output::`` block) of the CLI reference pages of the commands
  the AWS table reads;
- GoogleCloudPlatform/policy-library: the Cloud Asset Inventory exports of ``validator/test/fixtures``;
- Azure/azure-rest-api-specs: the example responses of the resource types the Azure table maps, each
  wrapped in memory in the ``az graph query`` envelope as a Resource Graph row.

Mirrors are the ``owner+name/repo`` git directories the ``fetch`` tool writes (``--mirrors``, default
/work/.mirror); a source without a mirror is reported as not fetched."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.iac.labelled import extract
from csmguard.scanners.iac.collect import json_file_resources
from csmguard.scanners.iac.collect_documents import NotIac
from csmguard.scanners.iac.collect_exports import map_exports
from csmguard.scanners.iac.exportmap import load_map

Converter = Callable[[str, str], str]
"""(path in the repository, file text) → the text given to the readers."""

# Placebo recordings of the calls whose output the AWS table reads (service.Operation).
_PLACEBO_CALLS = (
    "config.GetResourceConfigHistory", "config.BatchGetResourceConfig", "config.SelectResourceConfig",
    "config.DescribeConfigurationRecorders", "config.DescribeConfigurationRecorderStatus",
    "ec2.DescribeVolumes", "ec2.DescribeInstances", "ec2.DescribeSecurityGroups", "ec2.DescribeSubnets",
    "rds.DescribeDBInstances", "rds.DescribeDBClusters", "eks.DescribeCluster", "cloudtrail.DescribeTrails",
    "dynamodb.DescribeTable", "monitoring.DescribeAlarms", "kms.DescribeKey", "ecr.DescribeRepositories",
    "iam.GetAccountAuthorizationDetails", "guardduty.GetDetector",
)
_CALLS = "|".join(re.escape(c) for c in _PLACEBO_CALLS)
_PLACEBO = re.compile(rf"^tests/data/placebo/[^/]+/({_CALLS})_\d+\.json$")


def _iso(value: Any) -> Any:
    """A placebo recording with its ``{"__class__": "datetime", …}`` objects written as ISO-8601 text."""
    if isinstance(value, dict):
        if value.get("__class__") == "datetime":
            year, month, day, hour, minute, second, micro = (
                int(value.get(k, 0)) for k in ("year", "month", "day", "hour", "minute", "second", "microsecond"))
            return datetime(year, month, day, hour, minute, second, micro).isoformat() + "+00:00"
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


class NotAnOutput(Exception):
    """The sample is no command output (a recorded error response): skipped, not counted as an error."""


def placebo_body(_path: str, text: str) -> str:
    """The response body of a placebo recording, as the AWS CLI prints it; NotAnOutput for a recorded error."""
    recorded = json.loads(text)
    status = recorded.get("status_code", 200) if isinstance(recorded, dict) else 200
    if not isinstance(status, int) or not 200 <= status < 300:
        raise NotAnOutput(f"recorded error response (HTTP {status})")
    body = recorded.get("data", recorded) if isinstance(recorded, dict) else recorded
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "ResponseMetadata"}
    return json.dumps(_iso(body))


def config_rule_event(_path: str, text: str) -> str:
    """The configuration item notification an AWS Config rule event carries as ``invokingEvent`` text."""
    event = json.loads(text)
    invoking = event.get("invokingEvent") if isinstance(event, dict) else None
    return invoking if isinstance(invoking, str) else text


def rst_output(_path: str, text: str) -> str:
    """The JSON of the first ``Output::`` block of an AWS CLI example page (reStructuredText)."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == "Output::"), None)
    if start is None:
        return text
    block: list[str] = []
    for line in lines[start + 1:]:
        if line.strip() and not line.startswith((" ", "\t")):
            break
        block.append(line)
    return "\n".join(block).strip()


def as_is(_path: str, text: str) -> str:
    """The file unchanged."""
    return text


_SEGMENT = re.compile(r"/resourcegroups/([^/]+)/", re.IGNORECASE)


def _graph_row(resource: dict[str, Any]) -> dict[str, Any]:
    """An ARM resource as a Resource Graph row: type in lower case, subscription and group columns."""
    ident = str(resource.get("id", ""))
    parts = ident.split("/")
    group = _SEGMENT.search(ident)
    return {**resource, "type": str(resource.get("type", "")).lower(),
            "subscriptionId": parts[2] if len(parts) > 2 and parts[1].lower() == "subscriptions" else "",
            "resourceGroup": group.group(1) if group else ""}


def graph_envelope(_path: str, text: str) -> str:
    """The resources of an azure-rest-api-specs example response (one resource, or a ``value`` list), as
    the ``az graph query`` output."""
    example = json.loads(text)
    rows: list[dict[str, Any]] = []
    responses = example.get("responses", {}) if isinstance(example, dict) else {}
    for status in ("200", "201"):
        body = responses.get(status, {}).get("body") if isinstance(responses.get(status), dict) else None
        if isinstance(body, dict):
            value = body.get("value")
            found: list[Any] = value if isinstance(value, list) else [body]
            rows = [_graph_row(r) for r in found if isinstance(r, dict) and "id" in r and "type" in r]
            break
    return json.dumps({"count": len(rows), "data": rows, "skip_token": None, "total_records": len(rows)})


def _azure_example(path: str) -> bool:
    """Whether ``path`` is a stable example of a resource provider whose types the Azure table maps."""
    if "/stable/" not in path or "/examples/" not in path or not path.endswith(".json"):
        return False
    providers = {t.split("/")[0] for t in load_map("azure").types}
    return any(f"/{p}/" in path.lower() for p in providers)


@dataclass(frozen=True)
class Source:
    """A public repository, the files of it that are exports (or hold one), and how to hand them over."""

    repo: str
    kinds: tuple[tuple[str, Callable[[str], bool], Converter], ...]


SOURCES = (
    Source("cloud-custodian/cloud-custodian", (
        ("AWS Config item/event", lambda p: p.startswith("tests/data/config/") and p.endswith(".json"), as_is),
        ("AWS Config rule event", lambda p: re.match(r"^tests/data/cwe/event-config-rule-.*\.json$", p) is not None,
         config_rule_event),
        ("placebo response", lambda p: _PLACEBO.match(p) is not None, placebo_body),
    )),
    Source("aws/aws-cli", (
        ("CLI reference example output",
         lambda p: re.match(r"^awscli/examples/(iam/get-account-authorization-details|ec2/describe-(volumes|instances|"
                            r"security-groups|subnets)|rds/describe-db-(instances|clusters)|eks/describe-cluster|"
                            r"configservice/(get-resource-config-history|describe-configuration-recorders))\.rst$",
                            p) is not None, rst_output),
    )),
    Source("GoogleCloudPlatform/policy-library", (
        ("CAI export", lambda p: p.startswith("validator/test/fixtures/") and "/assets/" in p
         and p.endswith(".json"), as_is),
    )),
    Source("Azure/azure-rest-api-specs", (
        ("REST example in graph envelope", _azure_example, graph_envelope),
    )),
)


@dataclass
class Outcome:
    """What the readers made of one file."""

    path: str
    kind: str
    recognised: str = ""
    items: int = 0
    mapped: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    error: str = ""
    skipped: str = ""


def read_one(path: str, kind: str, text: str) -> Outcome:
    """Run the readers over one file's text the way ``scan iac`` does, mapping its items alone."""
    out = Outcome(path, kind)
    try:
        resources, exported = json_file_resources(text, path)
    except NotIac as exc:
        out.error = f"not recognised: {exc}"
        return out
    except ValueError as exc:
        out.error = f"not JSON: {exc}"
        return out
    except Exception as exc:  # the point of the run: find crashes in the readers
        out.error = f"CRASH {type(exc).__name__}: {exc}"
        return out
    if exported is None:
        out.recognised = f"not an export ({len(resources)} plan/template/manifest resources)"
        return out
    out.recognised = f"{exported.provider}/{exported.source}"
    out.items = len(exported.items)
    try:
        read = map_exports([exported])
    except Exception as exc:  # likewise
        out.error = f"CRASH while mapping {type(exc).__name__}: {exc}"
        return out
    out.unmapped = read.unmapped
    out.mapped = out.items - sum(read.unmapped.values())
    return out


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, text=True,
                          check=True).stdout


def run_source(source: Source, mirrors: Path, limit: int) -> Iterator[Outcome]:
    """The outcome of every selected file of ``source`` (at most ``limit`` per kind; 0: all)."""
    git_dir = mirrors / source.repo.replace("/", "+") / "repo"
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    print(f"\n## {source.repo} @ {commit}")
    names = [n for n in _git(git_dir, "ls-tree", "-r", "--name-only", commit).split("\n") if n]
    chosen: list[tuple[str, str, Converter]] = []
    for kind, wanted, convert in source.kinds:
        matched = [n for n in names if wanted(n)]
        chosen += [(n, kind, convert) for n in (matched[:limit] if limit else matched)]
    if not chosen:
        return
    root = extract(source.repo, commit, [n for n, _, _ in chosen], mirrors)
    for name, kind, convert in chosen:
        try:
            text = convert(name, (root / name).read_text(encoding="utf-8"))
        except NotAnOutput as exc:
            yield Outcome(name, kind, skipped=str(exc))
            continue
        except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
            yield Outcome(name, kind, error=f"could not prepare the sample: {exc}")
            continue
        yield read_one(name, kind, text)


def _line(o: Outcome) -> str:
    unmapped = ", ".join(f"{t} ×{n}" for t, n in sorted(o.unmapped.items())) or "—"
    state = o.error or (f"skipped: {o.skipped}" if o.skipped else o.recognised)
    return f"| {o.path} | {o.kind} | {state} | {o.items} | {o.mapped} | {unmapped} |"


def main() -> None:
    """Print the per-file table of every source with a mirror, then totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"), help="owner+name/repo git dirs")
    parser.add_argument("--limit", type=int, default=0, help="at most this many files per kind (0: all)")
    args = parser.parse_args()
    totals: Counter[str] = Counter()
    for source in SOURCES:
        if not (args.mirrors / source.repo.replace("/", "+") / "repo").is_dir():
            print(f"\n## {source.repo}: not fetched (no mirror under {args.mirrors}); skipped")
            continue
        header = False
        for outcome in run_source(source, args.mirrors, args.limit):
            if not header:
                print("| File | Sample | Recognised as | Items | Mapped | Unmapped types |\n|---|---|---|---|---|---|")
                header = True
            print(_line(outcome))
            totals["files"] += 1
            totals["skipped"] += bool(outcome.skipped)
            totals["recognised"] += bool(outcome.recognised.startswith(("aws/", "azure/", "gcp/")))
            totals["items"] += outcome.items
            totals["mapped"] += outcome.mapped
            totals["errors"] += bool(outcome.error)
            totals["crashes"] += outcome.error.startswith("CRASH")
    print(f"\nfiles {totals['files']} (skipped, no output: {totals['skipped']}), "
          f"recognised as exports {totals['recognised']}, items {totals['items']}, mapped {totals['mapped']}, "
          f"errors {totals['errors']} (crashes {totals['crashes']})")


if __name__ == "__main__":
    main()
