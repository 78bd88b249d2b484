"""``csmguard demo``: the main job on the embedded example."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from csmguard.cli.common import LangOption, input_errors_exit
from csmguard.cli.scope_cmd import print_scope_table
from csmguard.domain import Lang
from csmguard.services.scope import check_scope


def demo(lang: LangOption = Lang.ZH_TW) -> None:
    """Run the main job on the embedded example firm: decide which requirements apply to it."""
    profile = resources.files("csmguard.demo").joinpath("data", "profile.yaml")
    with input_errors_exit(), resources.as_file(profile) as path:
        report = check_scope(Path(path))
    print_scope_table(report, lang)
