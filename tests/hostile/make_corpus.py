"""Writes the hostile corpus: one folder per case with its input (``in``), a file outside it that symbolic
links point at (``outside``), and the command that reads it. ``python -m tests.hostile.make_corpus DIR``
writes it for a manual run; the tests and ``python -m bench.hostile`` build it in a temporary folder.

Each case names its scanner or importer, the files it holds, and ``must_error``: the inputs that must be
listed in ``errors[]`` (or, for an importer, refused with exit 2). Cases with ``must_error`` empty (huge but
well-formed single lines) only have to finish within the budget without a traceback.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile import payloads as p
from tests.scanners.app.builders import El, encode_axml, encode_dex, encode_proto_xml, manifest

SECRET = "OUTSIDE-SECRET 社群媒體管理政策 不應被讀取"


@dataclass(frozen=True)
class Case:
    """One hostile input: files under ``in``, links from ``in`` to ``outside``, and the command that reads it."""

    name: str
    scanner: str
    files: dict[str, bytes]
    must_error: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)  # link path under in → file name under outside
    targets: tuple[str, ...] = (".",)  # what the command is given, relative to in

    def argv(self, root: Path) -> list[str]:
        """The csmguard arguments that read this case (written under ``root``)."""
        paths = [str(root / self.name / "in" / t) for t in self.targets]
        if self.scanner == "register":
            return ["register", "devices", "import", *paths, "--workspace", str(root / self.name / "ws")]
        return ["scan", self.scanner, *paths, "--format", "json", "--quiet"]


def _axml() -> bytes:
    return encode_axml(manifest(components=[El("activity", {"name": ".Main", "exported": False})]))


def _rand(size: int, seed: int) -> bytes:
    return p.random_bytes(size, seed)


def _iac_cases() -> list[Case]:
    return [
        Case("iac-cfn-alias-bomb", "iac", {"stack.yaml": p.cfn_alias_bomb()}, ("stack.yaml",)),
        Case("iac-k8s-alias-bomb", "iac", {"bomb.yaml": p.k8s_alias_bomb()}, ("bomb.yaml",)),
        Case("iac-deep-json-2k", "iac", {"stack.json": p.deep_cfn_json(2000)}, ("stack.json",)),
        Case("iac-deep-json-200k", "iac", {"stack.json": p.deep_cfn_json(200_000)}, ("stack.json",)),
        Case("iac-deep-yaml-flow", "iac", {"deep.yaml": b"apiVersion: v1\nkind: ConfigMap\ndata: "
                                           + p.deep_json(2000)}, ("deep.yaml",)),
        Case("iac-deep-yaml-block", "iac", {"deep.yaml": p.deep_block_yaml(300)}, ("deep.yaml",)),
        Case("iac-deep-tf", "iac", {"main.tf": p.deep_tf(2000)}, ("main.tf",)),
        Case("iac-deep-tf-blocks", "iac", {"main.tf": p.deep_tf_blocks(2000)}, ("main.tf",)),
        Case("iac-deep-tf-json", "iac", {"main.tf.json": b'{"resource": {"aws_s3_bucket": {"b": {"tags": '
                                         + p.deep_json(2000) + b"}}}}"}, ("main.tf.json",)),
        Case("iac-huge-line", "iac", {"main.tf": b'resource "aws_s3_bucket" "b" {\n  bucket = "'
                                      + b"x" * (4 * p.MB) + b'"\n}\n'}),
        Case("iac-random-bytes", "iac", {f"r.{ext}": _rand(4096, i) for i, ext in
                                         enumerate(("tf", "tf.json", "yaml", "yml", "json", "template"))},
             tuple(f"r.{ext}" for ext in ("tf", "tf.json", "yaml", "yml", "json", "template"))),
        Case("iac-symlink-escape", "iac", {"main.tf": b'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'},
             ("escape.tf",), links={"escape.tf": "secret.tf"}),
    ]


def _app_cases() -> list[Case]:
    axml = _axml()
    dex = encode_dex(["hello"])
    plist = p.binary_plist({"CFBundleIdentifier": "tw.example", "CFBundleExecutable": "App"})
    xml_plist = b'<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleIdentifier</key>'
    return [
        Case("app-apk-zip-bomb", "app", {"bomb.apk": p.zip_bytes({"AndroidManifest.xml": axml},
                                                                 (p.deflate_bomb("classes.dex"),))},
             ("bomb.apk",), targets=("bomb.apk",)),
        Case("app-aab-zip-bomb", "app", {"bomb.aab": p.zip_bytes(
            {"base/manifest/AndroidManifest.xml": encode_proto_xml(manifest())},
            (p.deflate_bomb("base/dex/classes.dex", 512 * p.MB),))}, ("classes.dex",), targets=("bomb.aab",)),
        Case("app-ipa-zip-bomb", "app", {"bomb.ipa": p.zip_bytes({"Payload/App.app/Info.plist": plist},
                                                                 (p.deflate_bomb("Payload/App.app/App", 512 * p.MB),))},
             ("Payload/App.app/App",), targets=("bomb.ipa",)),
        Case("app-apk-lying-header", "app", {"lie.apk": p.zip_bytes(
            {"AndroidManifest.xml": axml, "classes.dex": dex},
            (p.deflate_bomb("classes2.dex", 100 * p.MB, declared_size=4096),))},
             ("classes2.dex",), targets=("lie.apk",)),
        Case("app-ipa-damaged-plist", "app", {"bad.ipa": p.zip_bytes(
            {"Payload/App.app/Info.plist": b"<" + plist[1:], "Payload/App.app/App": b"\x00" * 10})},
             ("Info.plist",), targets=("bad.ipa",)),
        Case("app-ipa-billion-laughs", "app", {"lol.ipa": p.zip_bytes(
            {"Payload/App.app/Info.plist": p.billion_laughs("plist"), "Payload/App.app/App": b"\x00"})},
             ("Info.plist",), targets=("lol.ipa",)),
        Case("app-ipa-xxe", "app", {"xxe.ipa": p.zip_bytes(
            {"Payload/App.app/Info.plist": p.xxe("plist", "/etc/passwd"), "Payload/App.app/App": b"\x00"})},
             ("Info.plist",), targets=("xxe.ipa",)),
        Case("app-source-billion-laughs", "app", {"app/src/main/AndroidManifest.xml": p.billion_laughs("manifest"),
                                                  "ios/App/Info.plist": p.billion_laughs("plist")},
             ("AndroidManifest.xml", "Info.plist")),
        Case("app-source-xxe", "app", {"app/src/main/AndroidManifest.xml": p.xxe("manifest", "/etc/passwd"),
                                       "ios/App/Info.plist": xml_plist + b"&xxe;</dict></plist>"},
             ("AndroidManifest.xml", "Info.plist")),
        Case("app-source-deep-xml", "app", {"app/src/main/AndroidManifest.xml": p.deep_xml(100_000)},
             ("AndroidManifest.xml",)),
        Case("app-random-bytes", "app", {"r.apk": _rand(4096, 1), "r.aab": _rand(4096, 2), "r.ipa": _rand(4096, 3)},
             ("r.apk", "r.aab", "r.ipa"), targets=("r.apk", "r.aab", "r.ipa")),
        Case("app-random-config", "app", {"app/AndroidManifest.xml": _rand(4096, 4), "ios/Info.plist": _rand(4096, 5)},
             ("AndroidManifest.xml", "Info.plist")),
        Case("app-huge-line", "app", {"app/src/main/java/A.java": b"class A { String s = \""
                                      + b"a" * (4 * p.MB) + b'"; }\n'}),
        Case("app-symlink-escape", "app", {"app/src/main/java/A.java": b"class A {}\n"}, ("escape.java",),
             links={"app/src/main/java/escape.java": "secret.java"}),
    ]


def _fleet_cases() -> list[Case]:
    return [
        Case("fleet-deep-json-20k", "fleet", {"devices.json": p.deep_mdm_json(20_000)}, ("devices.json",)),
        Case("fleet-deep-json-200k", "fleet", {"devices.json": p.deep_mdm_json(200_000)}, ("devices.json",)),
        Case("fleet-deep-jsonl-1000", "fleet", {"devices.jsonl": b'{"id": "a", "operatingSystem": '
                                                + p.deep_json(1000) + b"}\n"}, ("devices.jsonl",)),
        Case("fleet-deep-jsonl", "fleet", {"devices.jsonl": b'{"id": "a", "x": ' + p.deep_json(20_000) + b"}\n"},
             ("devices.jsonl",)),
        Case("fleet-random-bytes", "fleet", {"r.json": _rand(4096, 6), "r.csv": _rand(4096, 7),
                                             "r.jsonl": _rand(4096, 8)}, ("r.json", "r.csv", "r.jsonl")),
        Case("fleet-huge-field", "fleet", {"devices.csv": b"device_id,owner\nd1," + b"x" * (20 * p.MB) + b"\n"},
             ("devices.csv",)),
        Case("fleet-long-fields", "fleet", {"devices.json": b'[{"id": "d1", "deviceName": "' + b"n" * 5000
                                            + b'", "osVersion": {"a": ' + b"[1, " * 100 + b"1" + b"]" * 100
                                            + b'}, "operatingSystem": "iOS"}]'}),
        Case("fleet-symlink-escape", "fleet", {"devices.csv": b"device_id,owner\nd1,a\n"}, ("escape.csv",),
             links={"escape.csv": "secret.csv"}),
    ]


def _policydoc_cases() -> list[Case]:
    return [
        Case("policydoc-docx-bomb", "policydoc", {"bomb.docx": p.docx_bytes(raw=(
            p.deflate_bomb("word/document.xml"),))}, ("bomb.docx",)),
        Case("policydoc-docx-lying-header", "policydoc", {"lie.docx": p.docx_bytes(raw=(
            p.deflate_bomb("word/document.xml", p.GB, declared_size=10_000),))}, ("lie.docx",)),
        Case("policydoc-docx-billion-laughs", "policydoc", {"lol.docx": p.docx_bytes(
            p.billion_laughs("w:document"))}, ("lol.docx",)),
        Case("policydoc-docx-xxe", "policydoc", {"xxe.docx": p.docx_bytes(p.xxe("w:document", "/etc/passwd"))},
             ("xxe.docx",)),
        Case("policydoc-pdf-bomb", "policydoc", {"bomb.pdf": p.pdf_flate_bomb()}, ("bomb.pdf",)),
        Case("policydoc-random-bytes", "policydoc", {f"r.{ext}": _rand(4096, 10 + i) for i, ext in
                                                     enumerate(("docx", "pdf", "md", "txt"))},
             ("r.docx", "r.pdf", "r.md", "r.txt")),
        Case("policydoc-huge-line", "policydoc", {"policy.txt": "社群媒體管理政策 ".encode() * (p.MB // 8)}),
        Case("policydoc-huge-text", "policydoc", {"policy.txt": "社群媒體管理政策 ".encode() * (2 * p.MB)},
             ("policy.txt",)),
        Case("policydoc-symlink-escape", "policydoc", {"policy.md": "# 社群媒體管理政策\n\n官方帳號。\n".encode()},
             ("escape.md",), links={"escape.md": "secret.md"}),
    ]


def _messages_cases() -> list[Case]:
    return [
        Case("messages-deep-json", "messages", {"m.json": p.deep_json(20_000)}, ("m.json",)),
        Case("messages-random-bytes", "messages", {f"r.{ext}": _rand(4096, 20 + i) for i, ext in
                                                   enumerate(("json", "jsonl", "csv"))},
             ("r.json", "r.jsonl", "r.csv")),
        Case("messages-huge-line", "messages", {"m.txt": "您的驗證碼 ".encode() * (3 * p.MB)}),
        Case("messages-symlink-escape", "messages", {"m.txt": b"hello\n"}, ("escape.txt",),
             links={"escape.txt": "secret.txt"}),
    ]


def _register_cases() -> list[Case]:
    return [
        Case("register-xlsx-bomb", "register", {"devices.xlsx": p.xlsx_bytes(raw=(
            p.deflate_bomb("xl/worksheets/sheet1.xml"),))}, ("devices.xlsx",), targets=("devices.xlsx",)),
        Case("register-xlsx-billion-laughs", "register", {"devices.xlsx": p.xlsx_bytes(
            p.billion_laughs("worksheet"))}, ("devices.xlsx",), targets=("devices.xlsx",)),
        Case("register-yaml-alias-bomb", "register", {"devices.yaml": ("records:\n" + "\n".join(
            p.alias_bomb_lines()).replace("  a", "  - a", 1) + "\n").encode()},
             ("devices.yaml",), targets=("devices.yaml",)),
        Case("register-random-xlsx", "register", {"devices.xlsx": _rand(4096, 30)}, ("devices.xlsx",),
             targets=("devices.xlsx",)),
    ]


def all_cases() -> list[Case]:
    """Every case of the corpus."""
    return [*_iac_cases(), *_app_cases(), *_fleet_cases(), *_policydoc_cases(), *_messages_cases(),
            *_register_cases()]


def write_case(case: Case, root: Path) -> Path:
    """Write ``case`` under ``root``; its folder."""
    folder = root / case.name
    (folder / "outside").mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        path = folder / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / "in").mkdir(parents=True, exist_ok=True)
    for link, target in case.links.items():
        outside = folder / "outside" / target
        outside.write_text(SECRET + "\n", encoding="utf-8")
        (folder / "in" / link).unlink(missing_ok=True)
        os.symlink(outside, folder / "in" / link)
    return folder


def main() -> None:
    """Write the corpus into the folder given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    for case in all_cases():
        write_case(case, args.folder)
        print(f"{case.name}: csmguard {' '.join(case.argv(args.folder))}")


if __name__ == "__main__":
    main()
