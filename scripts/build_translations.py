"""Collect translatable strings into the .ts file and build the .qm the console loads.

Why our own extractor instead of pyside6-lupdate: the core (no Qt) raises errors whose
English text is translated by the UI and the CLI; those are calls such as
``ValidationError("inventory", "…")`` that lupdate does not recognise. One extractor finds
both those and the UI's ``self.tr("…")`` / ``QCoreApplication.translate(ctx, "…")`` calls,
so every sentence a user can see has exactly one entry in
``resources/translations/station_console_zh_CN.ts``.

Usage:
  python -m scripts.build_translations            build .qm from the .ts (the set-up step)
  python -m scripts.build_translations --update   re-extract strings into the .ts, then build
  python -m scripts.build_translations --todo     list untranslated strings as TSV
  python -m scripts.build_translations --fill F   apply translations from TSV (ctx, source, zh)
  python -m scripts.build_translations --check    exit 1 if the .ts is stale or incomplete
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "station_console_zh_CN.ts"
QM = TS.with_suffix(".qm")
SCAN = ["main.py", "station_console", "ui", "drivers"]
CONTEXT_RE = re.compile(r"^[a-z][a-z_]*$")

# Calls whose first two arguments are (context, English text).
CONTEXT_CALLS = {"QT_TRANSLATE_NOOP", "translate", "Message", "say"}


def _error_class_names() -> set[str]:
    tree = ast.parse((ROOT / "station_console" / "errors.py").read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.ClassDef)}


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _const_str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class Extractor(ast.NodeVisitor):
    def __init__(self, names: set[str], path: str) -> None:
        self.names = names
        self.path = path
        self.classes: list[str] = []
        self.found: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        args = node.args
        if name == "tr" and isinstance(node.func, ast.Attribute) and args:
            text = _const_str(args[0])
            if text is None:
                self.problems.append(f"{self.path}:{node.lineno}: tr() needs a string literal")
            elif not self.classes:
                self.problems.append(f"{self.path}:{node.lineno}: tr() outside a class")
            else:
                self.found.append((self.classes[-1], text))
        elif name in self.names and len(args) >= 2:
            ctx, text = _const_str(args[0]), _const_str(args[1])
            if ctx is not None and text is not None and CONTEXT_RE.match(ctx):
                self.found.append((ctx, text))
        self.generic_visit(node)


def extract() -> tuple[list[tuple[str, str]], list[str]]:
    names = CONTEXT_CALLS | _error_class_names()
    found: list[tuple[str, str]] = []
    problems: list[str] = []
    for entry in SCAN:
        base = ROOT / entry
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            rel = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            ex = Extractor(names, rel)
            ex.visit(tree)
            found += ex.found
            problems += ex.problems
    seen: set[tuple[str, str]] = set()
    unique = [m for m in found if not (m in seen or seen.add(m))]
    return unique, problems


def read_ts(path: Path = TS) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, source) → (translation, finished)."""
    table: dict[tuple[str, str], tuple[str, bool]] = {}
    if not path.exists():
        return table
    root = ET.parse(path).getroot()  # noqa: S314
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            text = (tr.text or "") if tr is not None else ""
            finished = tr is not None and tr.get("type") is None and bool(text)
            table[(name, msg.findtext("source") or "")] = (text, finished)
    return table


def write_ts(
    messages: list[tuple[str, str]], table: dict[tuple[str, str], tuple[str, bool]]
) -> None:
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    by_ctx: dict[str, list[str]] = {}
    for ctx, text in messages:
        by_ctx.setdefault(ctx, []).append(text)
    for ctx in sorted(by_ctx):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = ctx
        for text in by_ctx[ctx]:
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = text
            translation, finished = table.get((ctx, text), ("", False))
            t = ET.SubElement(m, "translation")
            t.text = translation
            if not finished:
                t.set("type", "unfinished")
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    TS.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def lrelease() -> None:
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([tool, "-silent", str(TS), "-qm", str(QM)], check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--todo", action="store_true")
    ap.add_argument("--fill", type=Path)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    messages, problems = extract()
    for p in problems:
        print(p, file=sys.stderr)
    table = read_ts()
    if args.fill:
        with args.fill.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) >= 3 and row[2].strip():
                    table[(row[0], row[1].replace("\\n", "\n"))] = (
                        row[2].replace("\\n", "\n"),
                        True,
                    )
        args.update = True
    if args.update:
        write_ts(messages, table)
        table = read_ts()
    missing = [m for m in messages if not table.get(m, ("", False))[1]]
    stale = set(table) - set(messages)
    if args.todo:
        w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        for ctx, text in missing:
            w.writerow([ctx, text.replace("\n", "\\n"), ""])
        return 0
    if args.check:
        ok = not missing and not stale and not problems
        if not ok:
            print(
                f"{len(missing)} untranslated, {len(stale)} stale, {len(problems)} problems",
                file=sys.stderr,
            )
        return 0 if ok else 1
    lrelease()
    return 0


if __name__ == "__main__":
    sys.exit(main())
