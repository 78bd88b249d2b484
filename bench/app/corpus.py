"""Deterministic benchmark inputs: a Java/Kotlin source tree of a given size and an APK with large DEX files."""

from __future__ import annotations

import random
from pathlib import Path

from tests.scanners.app.builders import El, encode_axml, encode_dex, manifest, write_zip

_JAVA_BODY = '''
    public {rtype} {name}{i}({ptype} input, int count) {{
        if (input == null || count < 0) {{
            throw new IllegalArgumentException("bad input for {name}{i}: " + count);
        }}
        StringBuilder builder = new StringBuilder();
        for (int k = 0; k < count; k++) {{
            builder.append(input.toString()).append(',').append(k * {i});
        }}
        Map<String, Object> values = new HashMap<>();
        values.put("result", builder.toString());
        values.put("size", builder.length());
{extra}        return ({rtype}) convert(values.get("result"), {i});
    }}
'''
_KOTLIN_BODY = '''
    fun {name}{i}(input: {ptype}?, count: Int): {rtype} {{
        require(input != null && count >= 0) {{ "bad input for {name}{i}: $count" }}
        val parts = (0 until count).map {{ k -> "${{input}}-${{k * {i}}}" }}
        val values = mutableMapOf<String, Any>("result" to parts.joinToString(","), "size" to parts.size)
        return convert(values["result"], {i}) as {rtype}
    }}
'''
_VULNS_JAVA = [
    '        Log.d("Auth", "password=" + password);\n',
    '        db.rawQuery("SELECT * FROM orders WHERE id = " + orderId, null);\n',
    '        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");\n',
    '        String endpoint = "http://quote.broker-example.com.tw/api/v{i}";\n',
    '        String awsKey = "AKIA{key}";\n',
    '        webView.addJavascriptInterface(new Bridge(), "Native");\n',
    '        prefs.edit().putString("access_token", token).apply();\n',
]
_NAMES = ["load", "save", "fetch", "render", "update", "compute", "parse", "format", "merge", "check"]
_TYPES = ["String", "Object", "Integer", "Long", "Quote", "Order", "Account"]


def _key(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def source_tree(root: Path, megabytes: float, seed: int = 7) -> int:
    """Write a Java/Kotlin tree of about ``megabytes`` MB under ``root``; returns its size in bytes."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    total = 0
    n = 0
    while total < target:
        kotlin = n % 3 == 2
        package = f"tw/example/trade/module{n % 40}"
        folder = root / "app" / "src" / "main" / ("kotlin" if kotlin else "java") / package
        folder.mkdir(parents=True, exist_ok=True)
        cls = f"Service{n}"
        end = "" if kotlin else ";"
        parts = [f"package {package.replace('/', '.')}{end}\n\nimport java.util.*{end}\n\n"]
        parts.append(f"class {cls} {{\n" if kotlin else f"public class {cls} {{\n")
        for i in range(rng.randint(15, 30)):
            body = _KOTLIN_BODY if kotlin else _JAVA_BODY
            extra = rng.choice(_VULNS_JAVA).format(i=i, key=_key(rng)) if not kotlin and rng.random() < 0.04 else ""
            parts.append(body.format(name=rng.choice(_NAMES), i=i, rtype=rng.choice(_TYPES),
                                     ptype=rng.choice(_TYPES), extra=extra))
        parts.append("}\n")
        content = "".join(parts).encode("utf-8")
        (folder / f"{cls}.{'kt' if kotlin else 'java'}").write_bytes(content)
        total += len(content)
        n += 1
    return total


def apk(path: Path, megabytes: float, filler_mb: float = 5.0, seed: int = 11) -> int:
    """Write an APK whose DEX files total about ``megabytes`` MB of strings and references, plus ``filler_mb`` MB
    of images and native code; returns the size of the APK file."""
    rng = random.Random(seed)
    dexes: dict[str, bytes] = {}
    per_dex = 4 * 1024 * 1024
    remaining = int(megabytes * 1024 * 1024)
    index = 0
    while remaining > 0:
        strings: list[str] = []
        methods: list[tuple[str, str]] = []
        size = 0
        budget = min(per_dex, remaining)
        while size < budget:
            cls = f"Ltw/example/trade/m{rng.randint(0, 500)}/C{rng.randint(0, 5000)};"
            name = f"{rng.choice(_NAMES)}{rng.randint(0, 999)}"
            methods.append((cls, name))
            text = f"msg.{rng.randint(0, 10**9)}.{_key(rng)}.{rng.choice(_NAMES)}"
            if rng.random() < 0.001:
                text = rng.choice(["http://quote.broker-example.com.tw/ws", "AES/ECB/PKCS5Padding",
                                   "AKIA" + _key(rng)])
            strings.append(text)
            size += len(cls) + len(name) + len(text) + 24
        methods.append(("Landroid/webkit/WebView;", "addJavascriptInterface"))
        dexes["classes.dex" if index == 0 else f"classes{index + 1}.dex"] = encode_dex(strings, methods)
        remaining -= budget
        index += 1
    components = [El("service", {"name": ".S", "exported": True})]
    app_manifest = manifest(app_attrs={"allowBackup": True}, components=components)
    # Images and native code are incompressible and not read by the scanner, as in a real APK.
    entries = {"AndroidManifest.xml": encode_axml(app_manifest), **dexes,
               "res/drawable/bg.png": rng.randbytes(int(filler_mb * 1024 * 1024 * 0.4)),
               "lib/arm64-v8a/libnative.so": rng.randbytes(int(filler_mb * 1024 * 1024 * 0.6))}
    write_zip(path, entries)
    return path.stat().st_size
