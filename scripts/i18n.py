#!/usr/bin/env python3
"""Extract the plugin's translatable strings and write the Qt translation source resources/i18n/ecozoning_zh_CN.ts.

Strings are found by parsing the Python sources (no QGIS needed), each with the context Qt looks it up in:
- ``self.tr("...")`` in a class: the class name (EcoZoningAlgorithm.tr uses ``type(self).__name__``); in the
  algorithm base class the DISPLAY attribute and the help text argument of ``self._add(param, help)`` of every
  subclass go through it too;
- ``GROUPS`` values of the algorithm base class: context ``EcoZoningAlgorithm``;
- ``tr("...")``: the context of the module-level ``tr`` function it resolves to (its ``translate("Ctx", ...)``);
- ``QCoreApplication.translate("Ctx", "...")``: ``Ctx``.
An argument that is a loop variable or an f-string over loop variables is expanded for every value of the loop's
iterable when that is a literal (or a name bound to a literal in the function, the module or a module it imports).

Translations come from resources/i18n/zh_CN.yaml (context -> {source: translation}). A string that is already
bilingual ("中文 English") translates to its Chinese part when the yaml has no entry for it.

    python scripts/i18n.py            # write the .ts, list untranslated strings (exit 0)
    python scripts/i18n.py --check    # exit 1 when a string has no translation or the .ts is out of date
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("ecozoning_core_i18n", ROOT / "core" / "i18n.py")
core_i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(core_i18n)
SOURCES = ["plugin.py", "__init__.py", "dependencies.py", "processing", "ui"]
DICTIONARY = ROOT / "resources" / "i18n" / "zh_CN.yaml"
TS_FILE = ROOT / "resources" / "i18n" / "ecozoning_zh_CN.ts"
BASE_CLASS = "EcoZoningAlgorithm"
DEFAULT_CONTEXT = "EcoZoning"
CJK = core_i18n.CJK
CORE_CONTEXT = "core"  # the messages of core/ (English f-string templates), translated by core.i18n.MessageCatalogue
# calls whose message argument is shown to users: the problems and issues of core/ and its input errors
CORE_MESSAGE_CALLS = {"Problem", "Issue", "InputError", "LibraryError", "RulesError", "TaxonomyError"}


def python_files() -> list[Path]:
    files = []
    for name in SOURCES:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else [])
    return files


class Module:
    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def ancestors(self, node):
        while node in self.parents:
            node = self.parents[node]
            yield node

    def imported_module(self, name: str):
        """The source file of the module ``name`` is imported from (relative imports only), or None."""
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.level and any(a.asname or a.name == name for a in node.names):
                base = self.path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                target = base.joinpath(*(node.module or "").split("."))
                for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                    if candidate.exists():
                        return candidate
        return None


_modules: dict[Path, Module] = {}


def module(path: Path) -> Module:
    if path not in _modules:
        _modules[path] = Module(path)
    return _modules[path]


def literal_of_name(mod: Module, name: str, scope, depth: int = 0):
    """The literal value bound to ``name`` in the function ``scope``, the module or a module it imports."""
    bodies = ([n for n in ast.walk(scope) if isinstance(n, ast.Assign)] if scope is not None else []) + [
        n for n in mod.tree.body if isinstance(n, ast.Assign)
    ]
    for node in bodies:
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return lenient_literal(mod, node.value, scope, depth)
    source = mod.imported_module(name)
    if source is not None and depth < 3:
        return literal_of_name(module(source), name, None, depth + 1)
    return None


def lenient_literal(mod: Module, node, scope, depth: int = 0):
    """A literal, with names resolved through literal_of_name; parts that are no literal become None."""
    if isinstance(node, (ast.Tuple, ast.List)):
        items = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                value = lenient_literal(mod, elt.value, scope, depth)
                items.extend(value if isinstance(value, (tuple, list)) else [None])
            else:
                items.append(lenient_literal(mod, elt, scope, depth))
        return tuple(items)
    if isinstance(node, ast.Name) and depth < 3:
        return literal_of_name(mod, node.id, scope, depth + 1)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def bindings(mod: Module, node) -> list[dict]:
    """Every assignment of the loop variables of the for-loops around ``node`` (literal iterables only)."""
    envs = [{}]
    scope = next((a for a in mod.ancestors(node) if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    for loop in mod.ancestors(node):
        if not isinstance(loop, ast.For):
            continue
        values = lenient_literal(mod, loop.iter, scope)
        if not isinstance(values, (tuple, list)):
            continue
        names = [loop.target] if isinstance(loop.target, ast.Name) else list(getattr(loop.target, "elts", []))
        new_envs = []
        for value in values:
            items = [value] if isinstance(loop.target, ast.Name) else list(value)
            bound = {n.id: v for n, v in zip(names, items) if isinstance(n, ast.Name)}
            new_envs.extend({**env, **bound} for env in envs)
        envs = new_envs
    return envs


def strings_of(mod: Module, arg) -> list[str]:
    """The values an argument expression takes: a literal, a loop variable or an f-string over loop variables."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, (ast.Name, ast.JoinedStr)):
        code = compile(ast.Expression(body=arg), "<i18n>", "eval")
        found = []
        used = {n.id for n in ast.walk(arg) if isinstance(n, ast.Name)}
        for env in bindings(mod, arg):
            if any(env.get(name, "") is None for name in used):
                continue
            try:
                value = eval(code, {"__builtins__": {}}, env)  # noqa: S307 (expressions of our own sources)
            except Exception:  # noqa: BLE001 (not a loop variable: dynamic, reported below)
                continue
            if isinstance(value, str) and value not in found:
                found.append(value)
        return found
    return []


def tr_context(mod: Module, depth: int = 0) -> str:
    """The context of the module-level ``tr`` function a module defines or imports."""
    for node in mod.tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "tr":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and _is_translate(call) and _const(call.args[0]) is not None:
                    return _const(call.args[0])
    source = mod.imported_module("tr")
    if source is not None and depth < 3:
        return tr_context(module(source), depth + 1)
    return DEFAULT_CONTEXT


def _const(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_translate(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "translate" and len(call.args) >= 2


def extract() -> tuple[dict[str, set[str]], list[str]]:
    """{context: {source}} and warnings about dynamic strings that cannot be extracted."""
    found: dict[str, set[str]] = {}
    warnings: list[str] = []
    classes: dict[str, tuple[Module, ast.ClassDef]] = {}
    for path in python_files():
        mod = module(path)
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ClassDef):
                classes[node.name] = (mod, node)

    def subclasses_of(name: str) -> list[str]:
        out = []
        for cls_name, (_, cls) in classes.items():
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases]
            if name in bases:
                out.extend([cls_name, *subclasses_of(cls_name)])
        return out

    def add(context: str, values, mod: Module, node):
        if not values:
            where = f"{mod.path.relative_to(ROOT)}:{node.lineno}"
            warnings.append(f"{where}: dynamic string in context {context}: {ast.unparse(node)}")
        for value in values:
            if value.strip():
                found.setdefault(context, set()).add(value)

    for path in python_files():
        mod = module(path)
        plain_context = tr_context(mod)
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) for t in stmt.targets):
                        target = next(t.id for t in stmt.targets if isinstance(t, ast.Name))
                        if target == "DISPLAY" and _const(stmt.value):
                            add(node.name, [stmt.value.value], mod, stmt)
                        elif target == "GROUPS" and node.name == BASE_CLASS and isinstance(stmt.value, ast.Dict):
                            add(BASE_CLASS, [_const(v) for v in stmt.value.values if _const(v)], mod, stmt)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            owner = next((a for a in mod.ancestors(node) if isinstance(a, ast.ClassDef)), None)
            if _is_translate(node):
                context = _const(node.args[0])
                if context is None or (isinstance(node.args[1], ast.Subscript)):
                    continue  # the generic lookups of base.py (GROUPS) and of the tr functions themselves
                if isinstance(node.args[1], ast.Name) and mod.ancestors(node):
                    fn = next((a for a in mod.ancestors(node) if isinstance(a, ast.FunctionDef)), None)
                    if fn is not None and fn.name == "tr":
                        continue
                add(context, strings_of(mod, node.args[1]), mod, node)
            elif isinstance(func, ast.Name) and func.id == "tr" and node.args:
                add(plain_context, strings_of(mod, node.args[0]), mod, node)
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "self"
                and func.attr in ("tr", "_add")
                and owner is not None
            ):
                if func.attr == "tr":
                    arg = node.args[0] if node.args else None
                else:
                    arg = node.args[1] if len(node.args) > 1 else None
                    arg = arg or next((k.value for k in node.keywords if k.arg == "help_text"), None)
                if arg is None:
                    continue
                if owner.name == BASE_CLASS:
                    continue  # self.DISPLAY and help_text: collected per subclass
                contexts = [owner.name, *subclasses_of(owner.name)]
                for context in contexts:
                    add(context, strings_of(mod, arg), mod, node)
    return found, warnings


def chinese_part(source: str):
    """The Chinese of a bilingual "中文 English" string, or None."""
    return core_i18n.chinese_part(source)


def template_of(node) -> str:
    """The msgid of a message of core/: the f-string with its expressions as ``{expression}`` tokens."""
    if isinstance(node, ast.Constant):
        return node.value
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        else:
            parts.append("{" + ast.unparse(value.value) + "}")
    return "".join(parts)


def extract_core() -> set[str]:
    """The message templates of core/: the text argument of CORE_MESSAGE_CALLS and of ``message = f"..."``."""
    found: set[str] = set()

    def text_args(node):
        return [a for a in node.args if isinstance(a, ast.JoinedStr) or (_const(a) is not None and " " in a.value)]

    for path in sorted((ROOT / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in CORE_MESSAGE_CALLS:
                    args = text_args(node)
                    if args:
                        found.add(template_of(args[0]))
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "message" for t in node.targets):
                value = node.value
                if isinstance(value, ast.JoinedStr) or (_const(value) is not None and " " in value.value):
                    found.add(template_of(value))
    return {t for t in found if re.search(r"[A-Za-z]{2}", t) and not CJK.search(t)}


def merge(found: dict[str, set[str]], dictionary: dict) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """{context: {source: translation or ''}} and the untranslated (context, source) pairs: no translation, or
    one that still shows English beside the Chinese ("问题 Problems ({})")."""
    merged: dict[str, dict[str, str]] = {}
    missing = []
    for context in sorted(found):
        entries = dictionary.get(context) or {}
        for source in sorted(found[context]):
            translation = entries.get(source) or chinese_part(source) or ""
            merged.setdefault(context, {})[source] = translation
            if not translation or core_i18n.looks_bilingual(translation):
                missing.append((context, source))
    return merged, missing


def load_dictionary() -> dict:
    return yaml.safe_load(DICTIONARY.read_text(encoding="utf-8")) or {} if DICTIONARY.exists() else {}


def render_ts(merged: dict[str, dict[str, str]]) -> str:
    def text(value: str) -> str:
        return escape(value, {'"': "&quot;", "'": "&apos;"})

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        '<TS version="2.1" language="zh_CN" sourcelanguage="en">',
    ]
    for context in sorted(merged):
        lines += ["<context>", f"    <name>{text(context)}</name>"]
        for source, translation in sorted(merged[context].items()):
            lines += ["    <message>", f"        <source>{text(source)}</source>"]
            if translation:
                lines.append(f"        <translation>{text(translation)}</translation>")
            else:
                lines.append('        <translation type="unfinished"></translation>')
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def unused_entries(found: dict[str, set[str]], dictionary: dict) -> list[tuple[str, str]]:
    return [
        (context, source)
        for context, entries in sorted(dictionary.items())
        if context != CORE_CONTEXT
        for source in sorted(entries or {})
        if source not in found.get(context, set())
    ]


def missing_core(dictionary: dict) -> list[str]:
    """Templates of core/ messages without a Chinese entry (or with English left in it)."""
    entries = dictionary.get(CORE_CONTEXT) or {}
    return sorted(t for t in extract_core() if not entries.get(t) or core_i18n.looks_bilingual(entries[t]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on untranslated strings or a stale .ts")
    args = parser.parse_args(argv)
    found, warnings = extract()
    dictionary = load_dictionary()
    merged, missing = merge(found, dictionary)
    ts = render_ts(merged)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for context, source in unused_entries(found, dictionary):
        print(f"unused translation: [{context}] {source}", file=sys.stderr)
    core_missing = missing_core(dictionary)
    for context, source in missing + [(CORE_CONTEXT, t) for t in core_missing]:
        print(f"untranslated: [{context}] {source}", file=sys.stderr)
    total = sum(len(v) for v in merged.values())
    print(f"{total} strings in {len(merged)} contexts, {len(missing)} untranslated")
    print(f"{len(extract_core())} messages of core/, {len(core_missing)} untranslated")
    if args.check:
        stale = not TS_FILE.exists() or TS_FILE.read_text(encoding="utf-8") != ts
        if stale:
            print(f"{TS_FILE.relative_to(ROOT)} is out of date: run make translations", file=sys.stderr)
        return 1 if missing or core_missing or stale else 0
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TS_FILE.write_text(ts, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
