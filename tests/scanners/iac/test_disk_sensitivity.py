"""CSM-7.5: an untagged unencrypted disk is undecided, unless the firm says every disk holds sensitive
data (--all-disks-sensitive); a disk tagged as not sensitive stays out of scope only while that option
is off."""

from __future__ import annotations

from pathlib import Path

from csmguard.rules.contract import registry, run_checks
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import load_iac_rules

FIXTURES = Path(__file__).parents[2] / "rules" / "IAC-001"


def test_all_disks_sensitive_turns_untagged_unencrypted_disks_into_failures() -> None:
    facts = collect([FIXTURES], progress=NoProgress())
    findings = run_checks([load_iac_rules().get("IAC-001")], registry("iac", IacFacts, IacOptions), facts,
                          IacOptions(all_disks_sensitive=True))
    got = {f.location.resource: f.status.value for f in findings}
    assert got["aws_ebs_volume.untagged_plain"] == "fail"
    assert got["CfnTemplate"] == "fail"
    assert got["aws_ebs_volume.public_plain"] == "fail"
    assert got["aws_ebs_volume.encrypted"] == "pass"
