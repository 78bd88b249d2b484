"""The two texts the app rules read from one DEX file, each line located by class, method and source line.

* the DEX text (kind ``dex``): each method's references in order — strings, types, invoked methods and
  accessed fields, as ``Lpkg/Cls;->name`` — then whatever of the pools no code uses (unlocated), for the DEX
  pattern rules and the checks that read DEX strings (provider keys, private keys, ``http://`` URLs);
* the bytecode view (kind ``java``): each app method (library packages, and classes that touch none of the
  APIs the rules read, left out: ``dexflow.RELEVANT_PREFIXES``) as Java-like statements
  from :mod:`dexflow`, between its declaration and a closing brace, for the source rules that have no
  program-model check;

and the app classes in the program model (:mod:`program`), for the program-model (flow) checks.
"""

from __future__ import annotations

from csmguard.scanners.app.dexcode import DexImage
from csmguard.scanners.app.dexflow import MethodView, java_name, lower
from csmguard.scanners.app.facts import DEX_KIND, SiteMap, TextUnit
from csmguard.scanners.app.program import ProgramFile

BYTECODE_VIEW_KIND = "java"


def bytecode_units(image: DexImage, errors: list[str]) -> tuple[TextUnit, TextUnit, ProgramFile]:
    """The DEX text, the bytecode view and the program model of ``image``; methods that cannot be read are
    named in ``errors``."""
    dex_lines: list[str] = []
    dex_sites = SiteMap()
    view_lines: list[str] = []
    view_sites = SiteMap()
    dex_at = view_at = 0
    emitted: set[str] = set()
    lowered = lower(image, errors)
    views: tuple[MethodView, ...] = lowered.views
    for view in views:
        site = (view.signature, java_name(view.cls))
        for line, ref in view.refs:
            dex_sites.add(dex_at, site, line)
            dex_lines.append(ref)
            dex_at += len(ref) + 1
            emitted.add(ref)
        if view.model is None:
            continue  # library code, or app code that touches none of the APIs the rules read
        first = view.statements[0].line if view.statements else None
        for text, line in ((view.header(), first), *((s.text, s.line) for s in view.statements), ("}", None)):
            view_sites.add(view_at, site, line)
            view_lines.append(text)
            view_at += len(text) + 1
    facts = image.facts()
    for ref in (*facts.strings, *facts.types, *facts.methods, *facts.fields):
        if ref not in emitted:
            emitted.add(ref)
            dex_sites.add(dex_at, None)
            dex_lines.append(ref)
            dex_at += len(ref) + 1
    return (TextUnit(image.path, DEX_KIND, "\n".join(dex_lines), dex_sites),
            TextUnit(image.path, BYTECODE_VIEW_KIND, "\n".join(view_lines), view_sites), lowered.program)

