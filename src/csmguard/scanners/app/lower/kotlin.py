"""Kotlin source → program model (tree-sitter-kotlin).

Classes, objects (kind ``object``), companion objects (their members belong to the outer class, as static
members), anonymous ``object :`` expressions (``Outer$1``), top-level declarations (a ``file`` class named
``<FileStem>Kt``, as the compiler names it). Primary-constructor ``val``/``var`` parameters are fields
assigned in ``<init>``; ``init`` blocks and property initialisers are ``<init>`` events. Kotlin has no
``new``: a call of a capitalised name is a constructor (``<init>``). A property read on an object is its Java
getter (``et.text`` → ``getText``, ``intent.data`` → ``getData``) and a property write its setter
(``settings.javaScriptEnabled = true`` → ``setJavaScriptEnabled(true)``), which is what Android code and the
checks call them. String templates become concatenations; lambdas are lowered inline.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

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
from csmguard.scanners.app.lower.java import unescape
from csmguard.scanners.app.program import (
    Array,
    Assign,
    Call,
    ClassModel,
    Concat,
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

_TEMPLATE_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ARRAY_OF = frozenset({"arrayOf", "byteArrayOf", "charArrayOf", "intArrayOf", "shortArrayOf", "longArrayOf",
                       "listOf", "mutableListOf", "ubyteArrayOf"})
_ARRAY_NEW = frozenset({"ByteArray", "CharArray", "IntArray", "UByteArray"})
_CLASS_NODES = {"class_declaration", "object_declaration", "interface_declaration"}
_STATEMENT_CONTAINERS = {"block", "statements", "control_structure_body", "catch_block", "finally_block",
                         "when_entry", "else", "for_statement", "while_statement", "do_while_statement",
                         "if_expression", "try_expression", "when_expression"}


class _Scope:
    def __init__(self, params: list[tuple[str, str | None]]) -> None:
        self.params = {name: i for i, (name, _) in enumerate(params)}
        self.types: dict[str, str | None] = dict(params)
        self.locals: set[str] = set()


def _type_name(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "nullable_type":
        node = next(named(node), None)
        if node is None:
            return None
    if node.type == "user_type":
        ids = [text(c) for c in named(node) if c.type in ("identifier", "type_identifier")]
        return ".".join(ids) if ids else None
    return text(node) or None


def _getter(name: str) -> str:
    if name.startswith("is") and name[2:3].isupper():
        return name
    return "get" + name[:1].upper() + name[1:]


def _setter(name: str) -> str:
    if name.startswith("is") and name[2:3].isupper():
        return "set" + name[2:]
    return "set" + name[:1].upper() + name[1:]


class KotlinLowering:
    """Lowers one Kotlin file; see the module docstring."""

    def __init__(self, path: str, source: bytes, triggers: Triggers | None = None) -> None:
        self.path = path
        self.source = source
        self.triggers = triggers
        self.budget = Budget(path)
        self.package = ""
        self.imports: dict[str, str] = {}
        self.classes: list[ClassModel] = []
        self.class_names: list[str] = []
        self.field_types: list[dict[str, str | None]] = []
        self.method_names: list[set[str]] = []
        self.anon_count: list[int] = []
        self.scope = _Scope([])
        self.events = Events()

    # ------------------------------------------------------------------------------------------ structure

    def lower(self) -> ProgramFile:
        """The program model of the file."""
        root = parse("kotlin", self.source)
        top: list[Node] = []
        for node in named(root):
            if node.type == "package_header":
                self.package = text(first(node, "qualified_identifier", "identifier"))
            elif node.type == "import":
                target = text(first(node, "qualified_identifier", "identifier"))
                alias = first(node, "import_alias")
                if target and not text(node).rstrip().endswith("*"):
                    simple = text(first(alias, "identifier", "type_identifier")) if alias else target.rsplit(".", 1)[-1]
                    self.imports[simple] = target
            elif node.type in _CLASS_NODES:
                self._class(node, None)
            elif node.type in ("function_declaration", "property_declaration"):
                top.append(node)
        if top:
            stem = PurePosixPath(self.path).stem
            name = f"{stem[:1].upper()}{stem[1:]}Kt"
            self._members(f"{self.package}.{name}" if self.package else name, "file", root, top, ())
        return ProgramFile(self.path, "kotlin", self.package, self.imports, tuple(self.classes))

    def _qualify(self, name: str | None) -> str | None:
        if not name:
            return name
        head = name.split(".", 1)[0]
        if head in self.imports:
            return self.imports[head] + name[len(head):]
        return name

    def _class(self, node: Node, outer: str | None) -> str:
        simple = text(node.child_by_field_name("name") or first(node, "identifier", "type_identifier"))
        name = f"{outer}${simple}" if outer else (f"{self.package}.{simple}" if self.package else simple)
        kind = "object" if node.type == "object_declaration" else (
            "interface" if node.type == "interface_declaration" or any(
                c.type == "interface" for c in node.children) else "class")
        body = first(node, "class_body", "enum_class_body")
        members = list(named(body)) if body is not None else []
        ctor = first(node, "primary_constructor")
        self._members(name, kind, node, members, self._supertypes(node), ctor)
        return name

    def _supertypes(self, node: Node) -> tuple[str, ...]:
        specs = first(node, "delegation_specifiers")
        out: list[str] = []
        for spec in named(specs) if specs is not None else ():
            inner = first(spec, "constructor_invocation") or spec
            t = _type_name(first(inner, "user_type"))
            if t:
                out.append(self._qualify(t) or t)
        return tuple(out)

    def _members(self, name: str, kind: str, node: Node, members: list[Node], supertypes: tuple[str, ...],
                 ctor: Node | None = None) -> None:
        # companion object members count as the class's own (static) members
        expanded: list[tuple[Node, bool]] = []
        for m in members:
            if m.type == "companion_object":
                body = first(m, "class_body")
                expanded.extend((c, True) for c in (named(body) if body is not None else ()))
            else:
                expanded.append((m, False))
        self.class_names.append(name)
        self.anon_count.append(0)
        types: dict[str, str | None] = {}
        ctor_params: list[tuple[str, str | None]] = []
        ctor_fields: list[tuple[str, int, frozenset[str]]] = []
        if ctor is not None:
            params = first(ctor, "class_parameters")
            for i, p in enumerate(c for c in named(params) if c.type == "class_parameter") if params else ():
                pname = text(first(p, "identifier", "simple_identifier"))
                ptype = self._qualify(_type_name(first(p, "user_type", "nullable_type")))
                ctor_params.append((pname, ptype))
                if any(c.type in ("val", "var") for c in p.children):
                    types[pname] = ptype
                    ctor_fields.append((pname, i, self._modifiers(p)[0]))
        for m, _ in expanded:
            if m.type == "property_declaration":
                decl = first(m, "variable_declaration")
                if decl is not None:
                    types[text(first(decl, "identifier", "simple_identifier"))] = self._qualify(
                        _type_name(first(decl, "user_type", "nullable_type")))
        self.field_types.append(types)
        self.method_names.append({text(m.child_by_field_name("name") or first(m, "identifier"))
                                  for m, _ in expanded if m.type == "function_declaration"})
        fields: list[FieldDecl] = [FieldDecl(n, types.get(n), Param(i, n), line(node), mods)
                                   for n, i, mods in ctor_fields]
        methods: list[MethodModel] = []
        init_events: list[Assign | Invoke] = [Assign(line(node), FieldRef(None, n), Param(i, n))
                                              for n, i, _ in ctor_fields]
        wanted = kind == "anonymous" or self._wanted(node)
        functions = [m for m, _ in expanded if m.type == "function_declaration"]
        bodies = [(text(m.child_by_field_name("name") or first(m, "identifier")), text(m)) for m in functions]
        body = first(node, "class_body", "enum_class_body")
        header = self.source[node.start_byte:body.start_byte].decode("utf-8", "replace") \
            if body is not None and kind != "file" else ""
        selected = None if kind == "anonymous" else wanted_methods(bodies, self.triggers, header)
        own = {n: sum(1 for p in named(first(m, "function_value_parameters") or m) if p.type == "parameter")
               for (n, _), m in zip(bodies, functions, strict=True)}
        for m, static in expanded:
            if m.type in _CLASS_NODES:
                self._class(m, name)
            elif not wanted and m.type != "property_declaration":
                continue
            elif m.type == "property_declaration":
                f = self._property(m, init_events, static)
                if f is not None:
                    fields.append(f)
            elif m.type == "function_declaration" and selected is not None \
                    and text(m.child_by_field_name("name") or first(m, "identifier")) not in selected:
                methods.append(MethodModel(text(m.child_by_field_name("name") or first(m, "identifier")), (), None,
                                           line(m), end_line(m), skipped_events(text(m), set(types), own, name,
                                                                                line(m)),
                                           self._modifiers(m)[0] | {"unanalysed"}))
            elif m.type == "function_declaration":
                methods.append(self._function(m, static))
            elif m.type == "anonymous_initializer":
                self.scope = _Scope(ctor_params)
                self.events = Events()
                self._statements(m)
                init_events.extend(e for e in self.events.items if isinstance(e, Assign | Invoke))
            elif m.type == "secondary_constructor":
                methods.append(self._function(m, False, "<init>"))
        if init_events or ctor_params:
            methods.append(MethodModel("<init>", tuple(ctor_params), None, line(node), end_line(node),
                                       tuple(init_events), frozenset({"synthetic"})))
        self.field_types.pop()
        self.method_names.pop()
        self.anon_count.pop()
        self.class_names.pop()
        self.classes.append(ClassModel(name, kind, line(node), end_line(node), supertypes, tuple(fields),
                                       tuple(methods)))

    def _modifiers(self, node: Node) -> tuple[frozenset[str], tuple[str, ...]]:
        mods = first(node, "modifiers")
        if mods is None:
            return frozenset(), ()
        words: set[str] = set()
        annotations: list[str] = []
        for c in named(mods):
            if c.type == "annotation":
                annotations.append(text(c).lstrip("@").split("(")[0].rsplit(".", 1)[-1])
            else:
                words.add(text(c))
        return frozenset(words), tuple(annotations)

    def _property(self, node: Node, init_events: list[Assign | Invoke], static: bool) -> FieldDecl | None:
        decl = first(node, "variable_declaration")
        if decl is None:
            return None
        name = text(first(decl, "identifier", "simple_identifier"))
        mods, _ = self._modifiers(node)
        if static:
            mods = mods | {"static"}
        declared = self._qualify(_type_name(first(decl, "user_type", "nullable_type")))
        init = self._initializer(node)
        value: Value | None = None
        if init is not None:
            self.scope = _Scope([])
            self.events = Events()
            value = self._expr(init)
            init_events.extend(e for e in self.events.items if isinstance(e, Assign | Invoke))
            if not isinstance(value, Const | Array):
                init_events.append(Assign(line(node), FieldRef(None, name), value, declared))
        return FieldDecl(name, declared or _inferred(value), value, line(node), mods)

    @staticmethod
    def _initializer(node: Node) -> Node | None:
        seen_eq = False
        for c in node.children:
            if c.type == "=":
                seen_eq = True
            elif seen_eq and c.is_named and "comment" not in c.type:
                return c
        delegate = first(node, "property_delegate")
        return delegate

    def _function(self, node: Node, static: bool, name: str | None = None) -> MethodModel:
        mods, annotations = self._modifiers(node)
        if static:
            mods = mods | {"static"}
        name = name or text(node.child_by_field_name("name") or first(node, "identifier", "simple_identifier"))
        params: list[tuple[str, str | None]] = []
        plist = first(node, "function_value_parameters")
        for p in named(plist) if plist is not None else ():
            if p.type == "parameter":
                params.append((text(first(p, "identifier", "simple_identifier")),
                               self._qualify(_type_name(first(p, "user_type", "nullable_type")))))
        returns = None
        for c in named(node):
            if c.type in ("user_type", "nullable_type"):
                returns = self._qualify(_type_name(c))
        self.scope = _Scope(params)
        self.events = Events()
        body = first(node, "function_body", "block")
        if body is not None:
            inner = next(named(body), None) if body.type == "function_body" else body
            if inner is not None and inner.type == "block":
                self._statements(inner)
            elif inner is not None:
                self.events.add(Return(line(inner), self._expr(inner)))
        return MethodModel(name, tuple(params), returns, line(node), end_line(node), tuple(self.events.items),
                           mods, annotations)

    def _wanted(self, node: Node) -> bool:
        """Whether the methods of the class ``node`` are worth lowering (its text holds a trigger)."""
        if self.triggers is None:
            return True
        body = (node.text or b"").decode("utf-8", "replace").lower()
        return any(all(any(word in body for word in group) for group in groups) for groups in self.triggers)

    # ------------------------------------------------------------------------------------------ statements

    def _statements(self, node: Node) -> None:
        for child in named(node):
            self._statement(child)

    def _statement(self, node: Node) -> None:
        kind = node.type
        if kind == "property_declaration":
            decl = first(node, "variable_declaration")
            init = self._initializer(node)
            if decl is None:  # destructuring: the parts are unknown
                multi = first(node, "multi_variable_declaration")
                for v in named(multi) if multi is not None else ():
                    self.scope.locals.add(text(first(v, "identifier", "simple_identifier")))
                if init is not None:
                    self._effect(init)
                return
            name = text(first(decl, "identifier", "simple_identifier"))
            self.scope.locals.add(name)
            declared = self._qualify(_type_name(first(decl, "user_type", "nullable_type")))
            if init is not None:
                value = self._expr(init)
                declared = declared or _inferred(value)
                self.events.add(Assign(line(node), Local(name), value, declared))
            self.scope.types[name] = declared
        elif kind == "assignment":
            self._assign(node)
        elif kind == "return_expression":
            expr = next(named(node), None)
            self.events.add(Return(line(node), self._expr(expr) if expr is not None else None))
        elif kind == "for_statement":
            var = first(node, "variable_declaration")
            parts = [c for c in named(node) if c.type not in ("variable_declaration", "block",
                                                                "control_structure_body")]
            source = self._expr(parts[0]) if parts else Unknown("for")
            if var is not None:
                name = text(first(var, "identifier", "simple_identifier"))
                self.scope.locals.add(name)
                self.events.add(Assign(line(node), Local(name), Unknown("element", (source,))))
            for c in named(node):
                if c.type in ("block", "control_structure_body"):
                    self._statements(c)
        elif kind == "catch_block":
            ident = first(node, "identifier", "simple_identifier")
            if ident is not None:
                self.scope.locals.add(text(ident))
            for c in named(node):
                if c.type == "block":
                    self._statements(c)
        elif kind in _CLASS_NODES:
            self._class(node, self.class_names[-1])
        elif kind == "function_declaration":  # a local function: lowered inline
            body = first(node, "function_body")
            if body is not None:
                self._statements(body)
        elif kind in _STATEMENT_CONTAINERS and kind not in ("if_expression", "when_expression", "try_expression"):
            self._statements(node)
        else:
            self._effect(node)

    def _effect(self, node: Node) -> None:
        """An expression evaluated for its effect."""
        if node.type == "assignment":
            self._assign(node)
            return
        value = self._expr(node)
        if isinstance(value, Call):
            self.events.add(Invoke(line(node), value))
        else:
            self.events.calls_of(value, line(node))

    def _assign(self, node: Node) -> None:
        left = node.child_by_field_name("left") or next(named(node), None)
        right = node.child_by_field_name("right")
        op = text(node.child_by_field_name("operator")) or "="
        value = self._expr(right)
        if left is None:
            self.events.calls_of(value, line(node))
            return
        if left.type == "navigation_expression" and not self._is_this(left):
            receiver_node, prop = self._nav_parts(left)
            static = self._static_owner(receiver_node)
            if static is not None and receiver_node is not None and receiver_node.type == "identifier" \
                    and not self._is_variable(text(receiver_node)):
                self.events.add(Assign(line(node), FieldRef(static, prop), value))
                return
            receiver = self._expr(receiver_node)
            self.events.add(Invoke(line(node), Call(_setter(prop), static or None, receiver, (value,), line(node))))
            return
        target: Local | FieldRef
        if left.type == "navigation_expression":
            target = FieldRef(None, self._nav_parts(left)[1])
        elif left.type in ("identifier", "simple_identifier"):
            name = text(left)
            target = Local(name) if (name in self.scope.locals or name in self.scope.params) else FieldRef(None, name)
        else:
            self.events.calls_of(value, line(node))
            return
        if op == "+=":
            value = concat([target, value])
        elif op != "=":
            value = Unknown(op, (target, value))
        self.events.add(Assign(line(node), target, value))

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
        if kind in ("string_literal", "multiline_string_literal"):
            return self._string(node)
        if kind == "character_literal":
            return Const(unescape(text(node)[1:-1]))
        if kind in ("number_literal", "integer_literal", "hex_literal", "long_literal", "bin_literal",
                    "unsigned_literal"):
            return _number(text(node))
        if kind in ("real_literal", "float_literal"):
            try:
                return Const(float(text(node).rstrip("fF")))
            except ValueError:
                return Unknown("float")
        if kind in ("boolean_literal", "true", "false"):
            return Const(text(node) == "true")
        if kind in ("null", "null_literal"):
            return Const(None)
        if kind == "this_expression":
            return This()
        if kind in ("identifier", "simple_identifier"):
            return self._identifier(text(node))
        if kind in ("parenthesized_expression", "annotated_expression", "labeled_expression"):
            return self._expr(next((c for c in named(node) if c.type not in ("annotation", "label")), None))
        if kind in ("as_expression", "cast_expression"):
            return self._expr(next(named(node), None))
        if kind == "unary_expression" or kind == "postfix_expression":
            op = text(node.child_by_field_name("operator"))
            arg = node.child_by_field_name("argument") or next(named(node), None)
            if op == "!!" or op == "":
                return self._expr(arg)
            return Unknown(op, (self._expr(arg),))
        if kind == "binary_expression":
            return self._binary(node)
        if kind in ("elvis_expression",):
            return Unknown("?:", tuple(self._expr(c) for c in named(node)))
        if kind == "navigation_expression":
            return self._navigation(node)
        if kind == "call_expression":
            return self._call(node)
        if kind == "object_literal":
            return self._object_literal(node)
        if kind in ("lambda_literal", "annotated_lambda", "anonymous_function"):
            return self._lambda(node)
        if kind in ("if_expression", "when_expression", "try_expression"):
            return self._branches(node)
        if kind == "indexing_expression":
            return Unknown("[]", tuple(self._expr(c) for c in named(node)))
        if kind == "callable_reference":
            return Unknown("::")
        if kind == "assignment":
            self._assign(node)
            return Unknown("assignment")
        return Unknown(kind, tuple(self._expr(c) for c in named(node)
                                   if c.type.endswith(("expression", "literal")) or c.type == "identifier"))

    def _branches(self, node: Node) -> Value:
        """An if/when/try used as a value: conditions are effects, each branch's last expression a value."""
        values: list[Value] = []
        for child in named(node):
            if child.type in ("block", "control_structure_body", "when_entry", "catch_block", "finally_block",
                              "else"):
                values.append(self._branch_value(child))
            elif child.type == "when_subject":
                for c in named(child):
                    self._effect(c)
            elif child.type in ("if_expression", "when_expression", "try_expression"):
                values.append(self._branches(child))
            elif child.type == "catch_block":
                self._statement(child)
            else:
                if node.type == "if_expression" and node.child_by_field_name("condition") == child:
                    self._effect(child)
                else:
                    values.append(self._expr(child))
        return Unknown("?:", tuple(values))

    def _branch_value(self, node: Node) -> Value:
        children = [c for c in named(node) if c.type not in ("when_condition",)]
        if node.type == "when_entry":
            for c in named(node):
                if c.type == "when_condition":
                    self._effect(c)
        if node.type == "catch_block":
            ident = first(node, "identifier", "simple_identifier")
            if ident is not None:
                self.scope.locals.add(text(ident))
            children = [c for c in named(node) if c.type == "block"]
        if not children:
            return Unknown()
        if len(children) == 1 and children[0].type in ("block", "control_structure_body", "statements"):
            return self._branch_value(children[0])
        for c in children[:-1]:
            self._statement(c)
        last = children[-1]
        if last.type in ("property_declaration", "assignment", "for_statement", "while_statement",
                         "return_expression"):
            self._statement(last)
            return Unknown()
        return self._expr(last)

    def _string(self, node: Node) -> Value:
        parts: list[Value] = []
        buffer: list[str] = []

        def flush() -> None:
            raw = "".join(buffer)
            buffer.clear()
            pieces = _TEMPLATE_REF.split(raw)
            for i, piece in enumerate(pieces):
                if i % 2:
                    parts.append(self._identifier(piece))
                elif piece:
                    parts.append(Const(piece))

        for child in node.children:
            if child.type == "string_content":
                buffer.append(text(child))
            elif child.type in ("escape_sequence", "character_escape_seq"):
                buffer.append(unescape(text(child)).replace("$", "\x00"))
            elif child.type == "interpolation":
                flush()
                parts.append(self._expr(next(named(child), None)))
        flush()
        value = concat(parts) if parts else Const("")
        if isinstance(value, Const) and isinstance(value.value, str):
            return Const(value.value.replace("\x00", "$"))
        return value

    def _identifier(self, name: str) -> Value:
        if name in ("true", "false"):
            return Const(name == "true")
        if name == "null":
            return Const(None)
        if name in self.scope.locals:
            return Local(name)
        if name in self.scope.params:
            return Param(self.scope.params[name], name)
        return FieldRef(None, name)

    def _binary(self, node: Node) -> Value:
        op = text(node.child_by_field_name("operator"))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if op == "?:":
            return Unknown("?:", (self._expr(left), self._expr(right)))
        if op != "+":
            return Unknown(op, (self._expr(left), self._expr(right)))
        operands: list[Node] = []
        stack: list[Node] = []
        current: Node | None = node
        while current is not None and current.type == "binary_expression" \
                and text(current.child_by_field_name("operator")) == "+":
            r = current.child_by_field_name("right")
            if r is not None:
                stack.append(r)
            current = current.child_by_field_name("left")
        if current is not None:
            operands.append(current)
        operands.extend(reversed(stack))
        values = [self._expr(o) for o in operands]
        if any(isinstance(v, Const) and isinstance(v.value, str) for v in values) or any(
                isinstance(v, Concat) for v in values):
            return concat(values)
        if all(isinstance(v, Const) and isinstance(v.value, int) for v in values):
            return Const(sum(v.value for v in values if isinstance(v, Const) and isinstance(v.value, int)))
        return concat(values)

    def _is_this(self, nav: Node) -> bool:
        first_child = next(named(nav), None)
        return first_child is not None and first_child.type == "this_expression"

    def _nav_parts(self, node: Node) -> tuple[Node | None, str]:
        children = list(named(node))
        if len(children) < 2:
            return (children[0] if children else None), ""
        suffix = children[-1]
        if suffix.type == "navigation_suffix":
            suffix = next(named(suffix), suffix)
        return children[0], text(suffix)

    def _is_variable(self, name: str) -> bool:
        return name in self.scope.types or name in self.scope.locals or name in self.scope.params or any(
            name in types for types in self.field_types)

    def _static_owner(self, obj: Node | None) -> str | None:
        """The class an expression names, or the declared type of a variable it reads."""
        if obj is None:
            return None
        if obj.type in ("identifier", "simple_identifier"):
            name = text(obj)
            if name in self.scope.types:
                return self.scope.types[name] or ""
            for types in reversed(self.field_types):
                if name in types:
                    return types[name] or ""
            if name[:1].isupper() and not self._is_variable(name):
                return self._qualify(name)
            return None
        if obj.type == "navigation_expression":
            whole = text(obj)
            if re.fullmatch(r"[a-z][\w]*(\.[a-z][\w]*)*\.[A-Z]\w*", whole):
                return whole  # a qualified class name
        return None

    def _navigation(self, node: Node) -> Value:
        receiver_node, prop = self._nav_parts(node)
        if receiver_node is not None and receiver_node.type == "this_expression":
            return FieldRef(None, prop)
        owner = self._static_owner(receiver_node)
        if owner and receiver_node is not None and not self._is_variable(text(receiver_node).split(".")[0]) \
                and owner[:1] != "" and (text(receiver_node)[:1].isupper() or "." in text(receiver_node)):
            return FieldRef(owner, prop)
        receiver = self._expr(receiver_node)
        return Call(_getter(prop), owner or None, receiver, (), line(node))

    def _call(self, node: Node) -> Value:
        children = list(named(node))
        callee = children[0] if children else None
        args: list[Value] = []
        for c in children[1:]:
            if c.type == "value_arguments":
                for a in named(c):
                    inner = next((x for x in named(a) if x.type not in ("value_argument_label", "identifier")
                                  or a.child_count == 1), None) if a.type == "value_argument" else a
                    if a.type == "value_argument" and inner is None:
                        inner = next(named(a), None)
                    if a.type == "value_argument" and a.named_child_count > 1:
                        inner = list(named(a))[-1]  # name = value
                    args.append(self._expr(inner))
            elif c.type in ("annotated_lambda", "lambda_literal"):
                args.append(self._lambda(c))
        if callee is None:
            return Unknown("call")
        if callee.type in ("identifier", "simple_identifier"):
            name = text(callee)
            if name in _ARRAY_OF:
                return Array(tuple(args))
            if name in _ARRAY_NEW:
                size = args[0] if args else None
                return Array((), size.value if isinstance(size, Const) and isinstance(size.value, int) else None)
            if name[:1].isupper() and not self._is_variable(name):
                return Call("<init>", self._qualify(name), None, tuple(args), line(node))
            own = name in self.method_names[-1] if self.method_names else False
            return Call(name, self.class_names[-1] if own else None, This() if own else None, tuple(args),
                        line(node))
        if callee.type == "navigation_expression":
            receiver_node, name = self._nav_parts(callee)
            if receiver_node is not None and receiver_node.type == "this_expression":
                return Call(name, self.class_names[-1], This(), tuple(args), line(node))
            owner = self._static_owner(receiver_node)
            is_class = receiver_node is not None and owner is not None and (
                (receiver_node.type in ("identifier", "simple_identifier") and text(receiver_node)[:1].isupper()
                 and not self._is_variable(text(receiver_node)))
                or (receiver_node.type == "navigation_expression" and owner == text(receiver_node)))
            if is_class and name[:1].isupper():  # Outer.Inner(…): a constructor of a nested class
                return Call("<init>", f"{owner}${name}", None, tuple(args), line(node))
            receiver = None if is_class else self._expr(receiver_node)
            return Call(name, owner or None, receiver, tuple(args), line(node))
        return Unknown("call", (self._expr(callee), *args))

    def _object_literal(self, node: Node) -> Value:
        outer = self.class_names[-1] if self.class_names else PurePosixPath(self.path).stem
        self.anon_count[-1] += 1
        name = f"{outer}${self.anon_count[-1]}"
        body = first(node, "class_body")
        saved = (self.scope, self.events)
        self._members(name, "anonymous", node, list(named(body)) if body is not None else [],
                      self._supertypes(node))
        self.scope, self.events = saved
        return Call("<init>", name, None, (), line(node))

    def _lambda(self, node: Node) -> Value:
        """Lower a lambda's body inline; its value is ``Unknown("lambda", (result,))`` with the value of its
        last expression (what it returns)."""
        lam = first(node, "lambda_literal") if node.type == "annotated_lambda" else node
        if lam is None:
            return Unknown("lambda")
        self.scope.locals.add("it")
        body = [c for c in named(lam) if c.type != "lambda_parameters"]
        for c in named(lam):
            if c.type == "lambda_parameters":
                for v in named(c):
                    ident = first(v, "identifier", "simple_identifier") if v.type != "identifier" else v
                    if ident is not None:
                        self.scope.locals.add(text(ident))
        if len(body) == 1 and body[0].type in ("statements", "block"):
            body = list(named(body[0]))
        for c in body[:-1]:
            self._statement(c)
        if not body:
            return Unknown("lambda")
        last = body[-1]
        if last.type in ("property_declaration", "assignment", "for_statement", "while_statement",
                         "return_expression", "function_declaration", *_CLASS_NODES):
            self._statement(last)
            return Unknown("lambda")
        result = self._expr(last)
        if next(calls_in(result), None) is None:
            return Unknown("lambda", (result,))
        if isinstance(result, Call):
            self.events.add(Invoke(line(last), result))
        else:
            self.events.calls_of(result, line(last))
        return Unknown("lambda")  # its calls are events now (each call appears once)


def _inferred(value: Value | None) -> str | None:
    """The type a Kotlin ``val x = …`` gets from a constructor or a factory (``Cipher.getInstance``)."""
    if isinstance(value, Call) and (value.name == "<init>" or value.name in ("getInstance", "getDefault")):
        return value.owner
    return None


def _number(literal: str) -> Value:
    raw = literal.replace("_", "").rstrip("lLuU")
    try:
        if raw.lower().startswith("0x"):
            return Const(int(raw, 16))
        if raw.lower().startswith("0b"):
            return Const(int(raw[2:], 2))
        if any(c in raw for c in ".eEfF"):
            return Const(float(raw.rstrip("fF")))
        return Const(int(raw))
    except ValueError:
        return Unknown("number")


def lower_kotlin(path: str, source: bytes, triggers: Triggers | None = None) -> ProgramFile:
    """The program model of one Kotlin file (``path`` as findings should name it)."""
    return KotlinLowering(path, source, triggers).lower()
