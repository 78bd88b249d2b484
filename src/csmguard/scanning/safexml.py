"""XML and property lists from untrusted files, read through defusedxml: entity declarations (billion
laughs), external entities and DTDs (XXE) are refused, nesting is bounded, and every failure is one
:class:`XmlRefused` with a readable reason instead of an ``ExpatError`` or ``RecursionError``."""

from __future__ import annotations

import plistlib
import struct
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers.expat import ExpatError

import defusedxml  # type: ignore[import-untyped]
import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]

from csmguard.scanning.budget import MAX_NESTING_DEPTH, too_deep


class XmlRefused(ValueError):
    """An XML document or property list that is malformed, unsafe, or past the nesting budget."""


def parse_xml(data: str | bytes, *, allow_doctype: bool = False, max_depth: int = MAX_NESTING_DEPTH) -> ET.Element:
    """The root element of an XML document; XmlRefused when it is malformed, declares entities, names an
    external resource, has a DOCTYPE (unless ``allow_doctype``: plists carry one) or nests past ``max_depth``."""
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=not allow_doctype, forbid_entities=True,
                                             forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise XmlRefused("XML with a DOCTYPE is refused (entity expansion, external entities)") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise XmlRefused("XML with entity declarations is refused (entity expansion)") from exc
    except defusedxml.DefusedXmlException as exc:
        raise XmlRefused(f"XML refused: {exc}") from exc
    except (ET.ParseError, ExpatError) as exc:
        raise XmlRefused(f"not well-formed XML: {exc}") from exc
    except (ValueError, LookupError, RecursionError) as exc:  # LookupError: an unknown declared encoding
        raise XmlRefused(f"not readable XML: {exc}") from exc
    check_element_depth(root, max_depth)
    return root


def check_element_depth(root: ET.Element, max_depth: int = MAX_NESTING_DEPTH) -> None:
    """Refuse an element tree nested deeper than ``max_depth`` (later walks over it recurse)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise XmlRefused(str(too_deep(f"at least {depth}", max_depth)))
        stack.extend((child, depth + 1) for child in element)


def load_plist(data: bytes) -> Any:
    """A property list, binary or XML; an XML one is first read through defusedxml. XmlRefused when it
    is damaged or unsafe."""
    try:
        if data.startswith(b"bplist"):
            return plistlib.loads(data, fmt=plistlib.FMT_BINARY)
        parse_xml(data, allow_doctype=True)
        return plistlib.loads(data, fmt=plistlib.FMT_XML)
    except XmlRefused:
        raise
    except (plistlib.InvalidFileException, ExpatError, ValueError, OverflowError, LookupError, TypeError,
            struct.error, RecursionError) as exc:
        raise XmlRefused(f"not a valid property list: {exc or type(exc).__name__}") from exc
