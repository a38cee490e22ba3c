#!/usr/bin/env python3
"""Lists the import cycles in apiward's sources: between top-level modules (src/http,
src/audit, ...) and between files. Prints nothing when there are none; exit 1 when there are.

A file depends on another when it names an item of it through a `crate::` or `super::` path
(in a `use` or inline). `mod x;` and `pub use` re-exports are a module's facade, not a use, so
they make no edge. Test code (`*_tests.rs`, `tests.rs`, anything after `#[cfg(test)]`) is left
out. Usage: scripts/cycles.py [--top]  (--top: top-level modules only)
"""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def module_of(path: Path) -> tuple:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def code_of(path: Path) -> str:
    text = path.read_text()
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def expand(prefix: str, body: str) -> list:
    """`a::{b, c::{d, e}}` into a::b, a::c::d, a::c::e."""
    body = body.strip()
    if not body.startswith("{"):
        return [prefix + body]
    out, depth, start = [], 0, 1
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if (ch == "," and depth == 1) or (ch == "}" and depth == 0):
            item = body[start:i].strip()
            start = i + 1
            if not item:
                continue
            m = re.match(r"([\w:]*?)(::)?(\{.*\})$", item, flags=re.S)
            if m and m.group(3):
                out += expand(prefix + m.group(1) + "::", m.group(3))
            else:
                out.append(prefix + item)
    return out


def paths_in(code: str) -> list:
    found = []
    for m in re.finditer(r"(?<!pub )\buse\s+((?:crate|super|self)(?:::\w+)*::)(\{.*?\}|[\w*]+)\s*(?:as\s+\w+\s*)?;", code, flags=re.S):
        found += expand(m.group(1), m.group(2))
    # Inline paths (not in `use` lines): crate::a::b and super::a.
    for line in code.splitlines():
        if re.match(r"\s*(pub(\([^)]*\))?\s+)?use\b", line):
            continue
        found += re.findall(r"\b(?:crate|super)(?:::\w+)+", line)
    return found


def resolve(module: tuple, path: str, modules: set):
    """The file module a path names: the longest prefix of it that is one."""
    parts = path.replace(" ", "").split("::")
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    elif parts[0] in ("super", "self"):
        base = module
        while parts and parts[0] in ("super", "self"):
            if parts[0] == "super":
                base = base[:-1]
            parts = parts[1:]
        rest = parts
    else:
        return None
    for n in range(len(rest), -1, -1):
        cand = tuple(base) + tuple(rest[:n])
        if cand in modules:
            return cand
    return None


def main() -> int:
    top_only = "--top" in sys.argv
    files = [p for p in SRC.rglob("*.rs") if not p.name.endswith("_tests.rs")
             and p.name != "tests.rs" and p.name != "main.rs"]
    modules = {module_of(p): p for p in files}
    graph = {m: set() for m in modules}
    for m, p in modules.items():
        for path in paths_in(code_of(p)):
            target = resolve(m, path, set(modules))
            if target is None or target == m:
                continue
            if top_only:
                a, b = m[:1], target[:1]
                if a and b and a != b:
                    graph.setdefault(a, set()).add(b)
            else:
                graph[m].add(target)
    if top_only:
        graph = {k: v for k, v in graph.items() if len(k) == 1}
    # Tarjan's strongly connected components.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    for comp in sorted(sccs, key=len):
        names = sorted("::".join(c) or "crate" for c in comp)
        print(f"cycle of {len(names)}: " + ", ".join(names))
    return 1 if sccs else 0


if __name__ == "__main__":
    sys.exit(main())
