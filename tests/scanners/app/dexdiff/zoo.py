"""Writes ``Zoo.smali``: one class whose methods use most of the Dalvik instruction set, for the differential
tests of the DEX reader. Only smali source is written here; the DEX is assembled by smali (Debian's
libsmali-java), so the bytes under test come from the Android tool chain, not from this project."""

from __future__ import annotations

BINOPS = ("add", "sub", "mul", "div", "rem", "and", "or", "xor", "shl", "shr", "ushr")
FLOAT_BINOPS = ("add", "sub", "mul", "div", "rem")
UNOPS = ("neg-int", "not-int", "neg-long", "not-long", "neg-float", "neg-double", "int-to-long", "int-to-float",
         "int-to-double", "long-to-int", "long-to-float", "long-to-double", "float-to-int", "float-to-long",
         "float-to-double", "double-to-int", "double-to-long", "double-to-float", "int-to-byte", "int-to-char",
         "int-to-short")
LIT16 = ("add-int/lit16", "rsub-int", "mul-int/lit16", "div-int/lit16", "rem-int/lit16", "and-int/lit16",
         "or-int/lit16", "xor-int/lit16")
LIT8 = ("add-int/lit8", "rsub-int/lit8", "mul-int/lit8", "div-int/lit8", "rem-int/lit8", "and-int/lit8",
        "or-int/lit8", "xor-int/lit8", "shl-int/lit8", "shr-int/lit8", "ushr-int/lit8")
KINDS = (("", "I"), ("-wide", "J"), ("-object", "Ljava/lang/Object;"), ("-boolean", "Z"), ("-byte", "B"),
         ("-char", "C"), ("-short", "S"))
CLS = "Lcom/example/zoo/Zoo;"


def _method(name: str, body: list[str], *, registers: int = 16, static: bool = True, ret: str = "V") -> str:
    flags = "public static" if static else "public"
    lines = [f".method {flags} {name}()" + ret, f"    .registers {registers}"]
    lines += [f"    {line}" for line in body]
    lines.append(".end method")
    return "\n".join(lines)


def _arithmetic() -> list[str]:
    body = [f"{op} v0, v2" for op in UNOPS]
    body += [f"{op}-int v0, v1, v2" for op in BINOPS]
    body += [f"{op}-long v0, v2, v4" for op in BINOPS]
    body += [f"{op}-float v0, v1, v2" for op in FLOAT_BINOPS]
    body += [f"{op}-double v0, v2, v4" for op in FLOAT_BINOPS]
    body += [f"{op}-int/2addr v0, v1" for op in BINOPS]
    body += [f"{op}-long/2addr v0, v2" for op in BINOPS]
    body += [f"{op}-float/2addr v0, v1" for op in FLOAT_BINOPS]
    body += [f"{op}-double/2addr v0, v2" for op in FLOAT_BINOPS]
    body += [f"{op} v0, v1, 0x1234" for op in LIT16]
    body += [f"{op} v0, v1, 0x12" for op in LIT8]
    body += ["cmpl-float v0, v1, v2", "cmpg-float v0, v1, v2", "cmpl-double v0, v2, v4", "cmpg-double v0, v2, v4",
             "cmp-long v0, v2, v4", "return-void"]
    return body


def _constants_and_moves() -> list[str]:
    return ["const/4 v0, 0x7", "const/16 v0, 0x3e8", "const v0, 0x186a0", "const/high16 v0, 0x7f000000",
            "const-wide/16 v0, 0x1", "const-wide/32 v0, 0x186a0", "const-wide v0, 0x123456789abcdefL",
            "const-wide/high16 v0, 0x4000000000000000L", 'const-string v2, "zoo"',
            'const-string/jumbo v2, "jumbo"', f"const-class v2, {CLS}", "move v3, v2", "move/from16 v3, v2",
            "move/16 v3, v2", "move-wide v4, v0", "move-wide/from16 v4, v0", "move-wide/16 v4, v0",
            "move-object v3, v2", "move-object/from16 v3, v2", "move-object/16 v3, v2", "nop", "return-void"]


def _objects_and_arrays() -> list[str]:
    body = [f"new-instance v0, {CLS}", f"invoke-direct {{v0}}, {CLS}-><init>()V", "monitor-enter v0",
            "monitor-exit v0", f"check-cast v0, {CLS}", f"instance-of v1, v0, {CLS}", "const/4 v1, 0x3",
            "new-array v2, v1, [I", "array-length v3, v2", "filled-new-array {v1, v1}, [I",
            "move-result-object v2", "filled-new-array/range {v1 .. v3}, [I", "move-result-object v2"]
    for suffix, desc in KINDS:
        body += [f"aget{suffix} v4, v2, v1", f"aput{suffix} v4, v2, v1",
                 f"iget{suffix} v4, v0, {CLS}->f{desc.strip('L;').replace('/', '_')}:{desc}",
                 f"iput{suffix} v4, v0, {CLS}->f{desc.strip('L;').replace('/', '_')}:{desc}",
                 f"sget{suffix} v4, {CLS}->s{desc.strip('L;').replace('/', '_')}:{desc}",
                 f"sput{suffix} v4, {CLS}->s{desc.strip('L;').replace('/', '_')}:{desc}"]
    body += ["return-void"]
    return body


def _invokes() -> list[str]:
    return [f"new-instance v0, {CLS}", f"invoke-direct {{v0}}, {CLS}-><init>()V",
            f"invoke-virtual {{v0}}, {CLS}->hashCode()I", "move-result v1",
            "invoke-super {v0}, Ljava/lang/Object;->toString()Ljava/lang/String;", "move-result-object v2",
            "invoke-static {}, Lcom/example/zoo/Zoo;->wide()J", "move-result-wide v4",
            "invoke-interface {v2}, Ljava/lang/CharSequence;->length()I",
            f"invoke-virtual/range {{v0 .. v0}}, {CLS}->hashCode()I",
            "invoke-super/range {v0 .. v0}, Ljava/lang/Object;->hashCode()I",
            f"invoke-direct/range {{v0 .. v0}}, {CLS}-><init>()V",
            "invoke-static/range {v1 .. v2}, Ljava/lang/String;->valueOf(I)Ljava/lang/String;",
            "invoke-interface/range {v2 .. v2}, Ljava/lang/CharSequence;->length()I", "return-void"]


def _branches() -> list[str]:
    body = ["const/4 v0, 0x1", "const/4 v1, 0x2"]
    for i, cond in enumerate(("eq", "ne", "lt", "ge", "gt", "le")):
        body += [f"if-{cond} v0, v1, :l{i}", f":l{i}", f"if-{cond}z v0, :z{i}", f":z{i}"]
    body += ["goto :g1", ":g1", "goto/16 :g2", ":g2", "goto/32 :g3", ":g3", ":try_start",
             "new-instance v2, Ljava/lang/IllegalStateException;",
             "invoke-direct {v2}, Ljava/lang/IllegalStateException;-><init>()V", "throw v2", ":try_end",
             ".catch Ljava/lang/IllegalStateException; {:try_start .. :try_end} :handler",
             ".catchall {:try_start .. :try_end} :any", ":handler", "move-exception v3", "return-void", ":any",
             "move-exception v3", "throw v3"]
    return body


def zoo_smali() -> str:
    """The smali source of ``com.example.zoo.Zoo``."""
    fields = []
    for _, desc in KINDS:
        name = desc.strip("L;").replace("/", "_")
        fields += [f".field public f{name}:{desc}", f".field public static s{name}:{desc}"]
    methods = [
        _method("<init>", ["invoke-direct {p0}, Ljava/lang/Object;-><init>()V", "return-void"], registers=1,
                static=False).replace("public <init>", "public constructor <init>"),
        _method("arithmetic", _arithmetic()),
        _method("constants", _constants_and_moves(), registers=300),
        _method("objects", _objects_and_arrays()),
        _method("invokes", _invokes()),
        _method("branches", _branches()),
        _method("wide", ["const-wide v0, 0x1L", "return-wide v0"], ret="J"),
        _method("number", ["const/4 v0, 0x1", "return v0"], ret="I"),
        _method("object", ["const/4 v0, 0x0", "return-object v0"], ret="Ljava/lang/Object;"),
    ]
    return "\n".join([f".class public {CLS}", ".super Ljava/lang/Object;", '.source "Zoo.java"', "", *fields, "",
                      *methods, ""])
