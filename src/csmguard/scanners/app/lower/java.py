"""Java source → program model (tree-sitter-java).

Classes (nested ``Outer$Inner``, anonymous ``Outer$1`` numbered per enclosing class in order), fields with
their initialisers (a non-constant initialiser is also an assignment in ``<init>``/``<clinit>``), methods
and constructors with their events. Lambda bodies are lowered inline into the enclosing method (the
analysis is flow-insensitive); an anonymous class becomes a class of its own whose ``<init>`` call is the
value. Call owners are resolved from imports, declared types of locals, parameters and fields, and static
calls on a class name.
"""

from __future__ import annotations

import re

from csmguard.scanners.app.lower.base import (
    Budget,
    Events,
    Node,
    Triggers,
    concat,
    end_line,
    first,
    line,
    named,
    parse,
    skipped_events,
    text,
    wanted_methods,
)
from csmguard.scanners.app.program import (
    Array,
    Assign,
    Call,
    ClassModel,
    Const,
    FieldDecl,
    FieldRef,
    Invoke,
    Local,
    MethodModel,
    Param,
    ProgramFile,
    Return,
    This,
    Unknown,
    Value,
    calls_in,
)

_CLASS_TYPES = {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
                "annotation_type_declaration"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "s": " "}
_ESCAPE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-7]{1,3}|.)")
_TYPE_ARGS = re.compile(r"<.*>|\[\]|\.\.\.")


def unescape(body: str) -> str:
    """A Java string literal's body with its escapes resolved."""
    def one(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc[0] == "u":
            return chr(int(esc.lstrip("u"), 16))
        if esc[0].isdigit() and esc[0] in "01234567":
            return chr(int(esc, 8))
        return _ESCAPES.get(esc, esc)
    return _ESCAPE.sub(one, body) if "\\" in body else body


def base_type(name: str) -> str:
    """``Map<String, X>`` → ``Map``; ``byte[]`` → ``byte``."""
    return _TYPE_ARGS.sub("", name).strip()


class _Scope:
    """Names visible in the method being lowered: parameters and locals with their declared types."""

    def __init__(self, params: list[tuple[str, str | None]]) -> None:
        self.params = {name: i for i, (name, _) in enumerate(params)}
        self.types: dict[str, str | None] = dict(params)
        self.locals: set[str] = set()


class JavaLowering:
    """Lowers one Java file; see the module docstring."""

    def __init__(self, path: str, source: bytes, triggers: Triggers | None = None) -> None:
        self.path = path
        self.source = source
        self.triggers = triggers
        self.budget = Budget(path)
        self.package = ""
        self.imports: dict[str, str] = {}
        self.classes: list[ClassModel] = []
        self.field_types: list[dict[str, str | None]] = []  # per enclosing class, innermost last
        self.class_names: list[str] = []
        self.anon_count: list[int] = []
        self.method_names: list[set[str]] = []
        self.scope = _Scope([])
        self.events = Events()

    # ------------------------------------------------------------------------------------------ structure

    def lower(self) -> ProgramFile:
        """The program model of the file."""
        root = parse("java", self.source)
        for node in named(root):
            if node.type == "package_declaration":
                self.package = text(first(node, "scoped_identifier", "identifier"))
            elif node.type == "import_declaration":
                target = text(first(node, "scoped_identifier", "identifier"))
                if target and not any(c.type == "asterisk" for c in node.children):
                    self.imports[target.rsplit(".", 1)[-1]] = target
        for node in named(root):
            if node.type in _CLASS_TYPES:
                self._class(node, None)
        return ProgramFile(self.path, "java", self.package, self.imports, tuple(self.classes))

    def _qualify(self, name: str) -> str:
        name = base_type(name)
        head = name.split(".", 1)[0]
        if head in self.imports:
            return self.imports[head] + name[len(head):]
        for outer in reversed(self.class_names):  # a nested class of an enclosing class
            if name == outer.rsplit("$", 1)[-1].rsplit(".", 1)[-1]:
                return outer
        return name

    def _class(self, node: Node, outer: str | None, anonymous: str | None = None,
               supertypes: tuple[str, ...] = ()) -> str:
        body: Node | None
        if anonymous is not None:
            name, body, kind = anonymous, node, "anonymous"
        else:
            simple = text(node.child_by_field_name("name"))
            name = f"{outer}${simple}" if outer else (f"{self.package}.{simple}" if self.package else simple)
            body = node.child_by_field_name("body")
            kind = {"interface_declaration": "interface", "enum_declaration": "enum"}.get(node.type, "class")
            supers: list[str] = []
            superclass = node.child_by_field_name("superclass")
            if superclass is not None:
                supers.extend(self._qualify(text(t)) for t in named(superclass))
            for field in ("interfaces", "extends_interfaces"):
                group = node.child_by_field_name(field) or first(node, "super_interfaces", "extends_interfaces")
                if group is not None:
                    type_list = first(group, "type_list") or group
                    supers.extend(self._qualify(text(t)) for t in named(type_list))
                    break
            supertypes = tuple(dict.fromkeys(supers))
        self.class_names.append(name)
        self.anon_count.append(0)
        members = list(named(body)) if body is not None else []
        if body is not None and body.type == "enum_body":
            decls = first(body, "enum_body_declarations")
            members = list(named(decls)) if decls is not None else []
        types: dict[str, str | None] = {}
        for member in members:
            if member.type == "field_declaration":
                t = text(member.child_by_field_name("type"))
                for decl in member.children_by_field_name("declarator"):
                    types[text(decl.child_by_field_name("name"))] = self._qualify(t)
        self.field_types.append(types)
        self.method_names.append({text(m.child_by_field_name("name")) for m in members
                                  if m.type == "method_declaration"})
        fields: list[FieldDecl] = []
        methods: list[MethodModel] = []
        init_events: list[Assign | Invoke] = []
        clinit_events: list[Assign | Invoke] = []
        wanted = anonymous is not None or self._wanted(node)
        bodies = [(text(m.child_by_field_name("name")), text(m)) for m in members if m.type == "method_declaration"]
        header = self.source[node.start_byte:body.start_byte].decode("utf-8", "replace") if body is not None else ""
        selected = None if anonymous is not None else wanted_methods(bodies, self.triggers, header)
        own = {text(m.child_by_field_name("name")): _arity(m) for m in members if m.type == "method_declaration"}
        for member in members:
            if member.type in _CLASS_TYPES:
                self._class(member, name)
            elif member.type == "field_declaration":
                fields.extend(self._field(member, init_events, clinit_events))
            elif not wanted:
                continue
            elif member.type == "method_declaration" and selected is not None \
                    and text(member.child_by_field_name("name")) not in selected:
                methods.append(MethodModel(text(member.child_by_field_name("name")), (), None, line(member),
                                           end_line(member), skipped_events(text(member), set(types), own, name,
                                                                            line(member)),
                                           self._modifiers(member)[0] | {"unanalysed"}))
            elif member.type in ("method_declaration", "constructor_declaration", "compact_constructor_declaration"):
                methods.append(self._method(member))
            elif member.type in ("block", "static_initializer"):
                self.scope = _Scope([])
                self.events = Events()
                self._statement(member)
                (clinit_events if member.type == "static_initializer" else init_events).extend(
                    e for e in self.events.items if isinstance(e, Assign | Invoke))
        for synthetic, events in (("<init>", init_events), ("<clinit>", clinit_events)):
            if events:
                methods.append(MethodModel(synthetic, (), None, line(node), end_line(node), tuple(events),
                                           frozenset({"synthetic"})))
        self.field_types.pop()
        self.method_names.pop()
        self.anon_count.pop()
        self.class_names.pop()
        self.classes.append(ClassModel(name, kind, line(node), end_line(node), supertypes, tuple(fields),
                                       tuple(methods)))
        return name

    def _modifiers(self, node: Node) -> tuple[frozenset[str], tuple[str, ...]]:
        mods = first(node, "modifiers")
        if mods is None:
            return frozenset(), ()
        words = frozenset(c.type for c in mods.children if not c.is_named)
        annotations = tuple(text(a.child_by_field_name("name")).rsplit(".", 1)[-1]
                            for a in mods.named_children if a.type in ("marker_annotation", "annotation"))
        return words, annotations

    def _field(self, node: Node, init_events: list[Assign | Invoke],
               clinit_events: list[Assign | Invoke]) -> list[FieldDecl]:
        modifiers, _ = self._modifiers(node)
        declared = self._qualify(text(node.child_by_field_name("type")))
        out = []
        for decl in node.children_by_field_name("declarator"):
            name = text(decl.child_by_field_name("name"))
            init = decl.child_by_field_name("value")
            value: Value | None = None
            if init is not None:
                self.scope = _Scope([])
                self.events = Events()
                value = self._expr(init)
                target = clinit_events if "static" in modifiers else init_events
                target.extend(e for e in self.events.items if isinstance(e, Assign | Invoke))
                if not isinstance(value, Const | Array):
                    target.append(Assign(line(decl), FieldRef(None, name), value, declared))
            out.append(FieldDecl(name, declared, value, line(decl), modifiers))
        return out

    def _method(self, node: Node) -> MethodModel:
        modifiers, annotations = self._modifiers(node)
        if node.type == "method_declaration":
            name = text(node.child_by_field_name("name"))
            returns: str | None = self._qualify(text(node.child_by_field_name("type")))
        else:
            name, returns = "<init>", None
        params: list[tuple[str, str | None]] = []
        plist = node.child_by_field_name("parameters")
        if plist is not None:
            for p in named(plist):
                if p.type in ("formal_parameter", "spread_parameter"):
                    pname = p.child_by_field_name("name") or first(p, "variable_declarator", "identifier")
                    if pname is not None and pname.type == "variable_declarator":
                        pname = pname.child_by_field_name("name")
                    ptype = p.child_by_field_name("type") or first(p, "type_identifier", "generic_type")
                    params.append((text(pname), self._qualify(text(ptype)) if ptype is not None else None))
        self.scope = _Scope(params)
        self.events = Events()
        body = node.child_by_field_name("body")
        if body is not None:
            self._statement(body)
        return MethodModel(name, tuple(params), returns, line(node), end_line(node), tuple(self.events.items),
                           modifiers, annotations)

    def _wanted(self, node: Node) -> bool:
        """Whether the methods of the class ``node`` are worth lowering (its text holds a trigger)."""
        if self.triggers is None:
            return True
        body = (node.text or b"").decode("utf-8", "replace").lower()
        return any(all(any(word in body for word in group) for group in groups) for groups in self.triggers)

    # ------------------------------------------------------------------------------------------ statements

    def _statement(self, node: Node) -> None:
        kind = node.type
        if kind == "local_variable_declaration":
            declared = self._qualify(text(node.child_by_field_name("type")))
            for decl in node.children_by_field_name("declarator"):
                name = text(decl.child_by_field_name("name"))
                self.scope.locals.add(name)
                self.scope.types[name] = declared
                init = decl.child_by_field_name("value")
                if init is not None:
                    self.events.add(Assign(line(decl), Local(name), self._expr(init), declared))
        elif kind == "expression_statement":
            for child in named(node):
                self._effect(child)
        elif kind == "return_statement":
            expr = next(named(node), None)
            self.events.add(Return(line(node), self._expr(expr) if expr is not None else None))
        elif kind == "enhanced_for_statement":
            name = text(node.child_by_field_name("name"))
            self.scope.locals.add(name)
            self.scope.types[name] = self._qualify(text(node.child_by_field_name("type")))
            iterable = node.child_by_field_name("value")
            source = self._expr(iterable) if iterable is not None else Unknown("for")
            self.events.add(Assign(line(node), Local(name), Unknown("element", (source,))))
            body = node.child_by_field_name("body")
            if body is not None:
                self._statement(body)
        elif kind == "catch_clause":
            param = first(node, "catch_formal_parameter")
            if param is not None:
                self.scope.locals.add(text(param.child_by_field_name("name")))
            body = node.child_by_field_name("body")
            if body is not None:
                self._statement(body)
        elif kind == "resource":
            name_node = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name_node is not None and value is not None:
                name = text(name_node)
                self.scope.locals.add(name)
                self.scope.types[name] = self._qualify(text(node.child_by_field_name("type")))
                self.events.add(Assign(line(node), Local(name), self._expr(value)))
            else:
                self._generic(node)
        elif kind in _CLASS_TYPES:  # a local class
            self._class(node, self.class_names[-1])
        elif kind.endswith("_expression") or kind in ("method_invocation", "object_creation_expression"):
            self._effect(node)
        else:
            self._generic(node)

    def _generic(self, node: Node) -> None:
        """Statements not modelled (if, while, for, try, switch …): their parts, expressions as effects."""
        for child in named(node):
            if child.type in ("block", "switch_block", "switch_block_statement_group", "switch_rule",
                              "catch_clause", "finally_clause", "resource_specification", "resource",
                              "constructor_body", "class_body") or child.type.endswith("statement") \
                    or child.type in ("local_variable_declaration", *_CLASS_TYPES):
                self._statement(child)
            elif child.type in ("identifier", "type_identifier", "label", "modifiers"):
                continue
            else:
                self._effect(child)

    def _effect(self, node: Node) -> None:
        """An expression evaluated for its effect: an assignment or a call becomes an event."""
        kind = node.type
        if kind == "assignment_expression":
            self._assign(node)
        elif kind in ("method_invocation", "object_creation_expression"):
            value = self._expr(node)
            if isinstance(value, Call):
                self.events.add(Invoke(line(node), value))
            else:
                self.events.calls_of(value, line(node))
        elif kind in ("update_expression", "parenthesized_expression", "condition"):
            for child in named(node):
                self._effect(child)
        else:
            self.events.calls_of(self._expr(node), line(node))

    def _assign(self, node: Node) -> Value:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = text(node.child_by_field_name("operator"))
        value = self._expr(right) if right is not None else Unknown()
        target = self._target(left)
        if target is None:
            self.events.calls_of(value, line(node))
            return value
        if op == "+=":
            value = concat([target, value])
        elif op != "=":
            value = Unknown(op, (target, value))
        self.events.add(Assign(line(node), target, value))
        return value

    def _target(self, node: Node | None) -> Local | FieldRef | None:
        if node is None:
            return None
        if node.type == "identifier":
            name = text(node)
            if name in self.scope.locals or name in self.scope.params:
                return Local(name)
            return FieldRef(None, name)
        if node.type == "field_access":
            obj = node.child_by_field_name("object")
            name = text(node.child_by_field_name("field"))
            if obj is not None and obj.type == "this":
                return FieldRef(None, name)
            owner = self._static_owner(obj)
            return FieldRef(owner if owner is not None else "", name)
        return None

    # ------------------------------------------------------------------------------------------ expressions

    def _expr(self, node: Node | None) -> Value:
        if node is None:
            return Unknown()
        self.budget.enter()
        try:
            return self._expr_inner(node)
        finally:
            self.budget.leave()

    def _expr_inner(self, node: Node) -> Value:
        kind = node.type
        if kind == "string_literal":
            body = "".join(text(c) if c.type == "string_fragment" else
                           unescape(text(c)) if c.type == "escape_sequence" else ""
                           for c in node.children)
            if text(node).startswith('"""'):
                body = body.lstrip("\n")
            return Const(body)
        if kind == "character_literal":
            return Const(unescape(text(node)[1:-1]))
        if kind in ("decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
                    "binary_integer_literal"):
            return _int(text(node))
        if kind in ("decimal_floating_point_literal", "hex_floating_point_literal"):
            try:
                return Const(float(text(node).rstrip("fFdD")))
            except ValueError:
                return Unknown("float")
        if kind in ("true", "false"):
            return Const(kind == "true")
        if kind == "null_literal":
            return Const(None)
        if kind == "this":
            return This()
        if kind == "identifier":
            name = text(node)
            if name in self.scope.params and name not in self.scope.locals:
                return Param(self.scope.params[name], name)
            if name in self.scope.locals:
                return Local(name)
            return FieldRef(None, name)
        if kind == "parenthesized_expression":
            inner = next(named(node), None)
            return self._expr(inner)
        if kind == "cast_expression":
            return self._expr(node.child_by_field_name("value"))
        if kind == "binary_expression":
            return self._binary(node)
        if kind == "field_access":
            obj = node.child_by_field_name("object")
            name = text(node.child_by_field_name("field"))
            if obj is not None and obj.type == "this":
                return FieldRef(None, name)
            owner = self._static_owner(obj)
            if owner is not None:
                return FieldRef(owner, name)
            return Unknown(f"field {name}", (self._expr(obj),))
        if kind == "method_invocation":
            return self._call(node)
        if kind == "object_creation_expression":
            return self._new(node)
        if kind == "array_creation_expression":
            init = node.child_by_field_name("value") or first(node, "array_initializer")
            if init is not None:
                return self._expr(init)
            dims = node.children_by_field_name("dimensions")
            size = next((self._expr(next(named(d), None)) for d in dims if d.type == "dimensions_expr"), None)
            return Array((), size.value if isinstance(size, Const) and isinstance(size.value, int) else None)
        if kind == "array_initializer":
            return Array(tuple(self._expr(c) for c in named(node)))
        if kind == "assignment_expression":
            return self._assign(node)
        if kind == "ternary_expression":
            cond = self._expr(node.child_by_field_name("condition"))
            self.events.calls_of(cond, line(node))
            return Unknown("?:", (self._expr(node.child_by_field_name("consequence")),
                                  self._expr(node.child_by_field_name("alternative"))))
        if kind == "lambda_expression":
            return self._lambda(node)
        if kind == "array_access":
            return Unknown("[]", (self._expr(node.child_by_field_name("array")),))
        if kind == "method_reference":
            return Unknown("::")
        if kind == "class_literal":
            return Const(self._qualify(text(next(named(node), None))))
        if kind in ("unary_expression", "update_expression", "instanceof_expression"):
            return Unknown(kind, tuple(self._expr(c) for c in named(node) if not c.type.endswith("type")))
        if kind == "switch_expression":
            self._generic(node)
            return Unknown("switch")
        return Unknown(kind, tuple(self._expr(c) for c in named(node)
                                   if c.type.endswith(("expression", "invocation"))))

    def _binary(self, node: Node) -> Value:
        op = text(node.child_by_field_name("operator"))
        if op != "+":
            return Unknown(op, (self._expr(node.child_by_field_name("left")),
                                self._expr(node.child_by_field_name("right"))))
        # a long chain of + is left-nested: walk it iteratively, then lower the operands
        operands: list[Node] = []
        current: Node | None = node
        stack: list[Node] = []
        while current is not None and current.type == "binary_expression" \
                and text(current.child_by_field_name("operator")) == "+":
            right = current.child_by_field_name("right")
            if right is not None:
                stack.append(right)
            current = current.child_by_field_name("left")
        if current is not None:
            operands.append(current)
        operands.extend(reversed(stack))
        return concat([self._expr(o) for o in operands])

    def _static_owner(self, obj: Node | None) -> str | None:
        """The class an expression names (``Log``, ``android.util.Log``), or the declared type of a local."""
        if obj is None:
            return None
        if obj.type == "identifier":
            name = text(obj)
            if name in self.scope.types:
                return self.scope.types[name] or ""
            for types in reversed(self.field_types):
                if name in types:
                    return types[name] or ""
            if name[:1].isupper():
                return self._qualify(name)
            return None
        if obj.type in ("scoped_identifier", "field_access") and text(obj)[:1].islower() \
                and text(obj).rsplit(".", 1)[-1][:1].isupper():
            return text(obj)
        if obj.type == "field_access":
            inner = obj.child_by_field_name("object")
            if inner is not None and inner.type == "this":
                name = text(obj.child_by_field_name("field"))
                for types in reversed(self.field_types):
                    if name in types:
                        return types[name] or ""
        return None

    def _is_variable(self, name: str) -> bool:
        return name in self.scope.types or any(name in types for types in self.field_types)

    def _call(self, node: Node) -> Value:
        name = text(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        args = self._args(node)
        receiver: Value | None
        if obj is None:
            receiver, owner = This(), (self.class_names[-1] if name in self.method_names[-1] else None)
        elif obj.type in ("this", "super"):
            receiver, owner = This(), self.class_names[-1] if obj.type == "this" else None
        else:
            owner = self._static_owner(obj)
            is_class = obj.type == "identifier" and owner is not None and text(obj)[:1].isupper() \
                and not self._is_variable(text(obj))
            receiver = None if is_class else self._expr(obj)
        return Call(name, owner or None, receiver, args, line(node))

    def _new(self, node: Node) -> Value:
        type_name = self._qualify(text(node.child_by_field_name("type")))
        args = self._args(node)
        body = first(node, "class_body")
        if body is None:
            return Call("<init>", type_name, None, args, line(node))
        self.anon_count[-1] += 1
        outer = self.class_names[-1]
        saved = (self.scope, self.events)
        self._class(body, outer, anonymous=f"{outer}${self.anon_count[-1]}", supertypes=(type_name,))
        self.scope, self.events = saved
        return Call("<init>", f"{outer}${self.anon_count[-1]}", None, args, line(node))

    def _args(self, node: Node) -> tuple[Value, ...]:
        args = node.child_by_field_name("arguments")
        return tuple(self._expr(a) for a in named(args)) if args is not None else ()

    def _lambda(self, node: Node) -> Value:
        """Lower a lambda's body inline; an expression body's value is kept: ``Unknown("lambda", (result,))``."""
        params = node.child_by_field_name("parameters")
        if params is not None:
            names = [params] if params.type == "identifier" else [
                p.child_by_field_name("name") or p for p in named(params)]
            for p in names:
                if p is not None:
                    self.scope.locals.add(text(p))
        body = node.child_by_field_name("body")
        if body is None:
            return Unknown("lambda")
        if body.type == "block":
            self._statement(body)
            return Unknown("lambda")
        result = self._expr(body)
        if next(calls_in(result), None) is None:
            return Unknown("lambda", (result,))
        if isinstance(result, Call):
            self.events.add(Invoke(line(body), result))
        else:
            self.events.calls_of(result, line(body))
        return Unknown("lambda")  # its calls are events now (each call appears once)


def _arity(method: Node) -> int:
    params = method.child_by_field_name("parameters")
    if params is None:
        return 0
    return sum(1 for p in named(params) if p.type in ("formal_parameter", "spread_parameter"))


def _int(literal: str) -> Value:
    raw = literal.replace("_", "").rstrip("lL")
    try:
        if raw.lower().startswith("0x"):
            return Const(int(raw, 16))
        if raw.lower().startswith("0b"):
            return Const(int(raw[2:], 2))
        if len(raw) > 1 and raw.startswith("0"):
            return Const(int(raw, 8))
        return Const(int(raw))
    except ValueError:
        return Unknown("int")


def lower_java(path: str, source: bytes, triggers: Triggers | None = None) -> ProgramFile:
    """The program model of one Java file (``path`` as findings should name it)."""
    return JavaLowering(path, source, triggers).lower()
