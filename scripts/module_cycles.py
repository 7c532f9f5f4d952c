#!/usr/bin/env python3
"""Import cycles between the source files of a Rust crate.

Sluice keeps its crates layered: wiring (context, settings) below the features, shared kits
below the features that use them, and no two files that need each other. This check reads
every `crate::`, `super::` and `self::` path in a crate's `src/` (tests excluded), resolves
each to the file that defines it (following `pub use` re-exports, which are facades and not
dependencies of their own), and fails when the resulting graph has a cycle.

usage: module_cycles.py <crate>/src [...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
USE_RE = re.compile(r"^\s*(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.M | re.S)
PATH_RE = re.compile(rf"\b(crate|super|self)((?:::{IDENT})+)")


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    """`a/b.rs` and `a/b/mod.rs` are module a::b; lib.rs and main.rs are the root."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod tests { … }` and everything after it, and comments."""
    m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text)
    if m:
        text = text[: m.start()]
    text = re.sub(r"//[^\n]*", "", text)
    return text


def expand_use_tree(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> [`a::b`, `a::c::d`, `a::c::e`]."""
    tree = re.sub(r"\s+", "", tree)
    out: list[str] = []

    def walk(prefix: str, t: str) -> None:
        if "{" not in t:
            for item in split_top(t):
                item = item.split("as")[0] if re.search(r"\bas\b", item) else item
                out.append(prefix + item)
            return
        head, _, rest = t.partition("{")
        inner = rest[: rest.rfind("}")]
        for item in split_top(inner):
            walk(prefix + head, item)

    for top in split_top(tree):
        walk("", top)
    return out


def split_top(t: str) -> list[str]:
    depth, cur, items = 0, "", []
    for ch in t:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        items.append(cur)
    return [i for i in items if i]


def absolute(mod: tuple[str, ...], path: str) -> tuple[str, ...] | None:
    segs = path.split("::")
    head, rest = segs[0], segs[1:]
    if head == "crate":
        base: tuple[str, ...] = ()
    elif head == "self":
        base = mod
    elif head == "super":
        base = mod[:-1]
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    else:
        return None
    return base + tuple(r for r in rest if r not in ("self", "*"))


class Crate:
    def __init__(self, src: Path) -> None:
        self.src = src
        self.files = {module_of(src, f): f for f in src.rglob("*.rs")}
        self.texts = {m: strip_tests(f.read_text()) for m, f in self.files.items()}
        self.reexports: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        for m, text in self.texts.items():
            table: dict[str, tuple[str, ...]] = {}
            for vis, tree in USE_RE.findall(text):
                if not vis:
                    continue
                for p in expand_use_tree(tree):
                    full = absolute(m, p) if p.split("::")[0] in ("crate", "self", "super") else m + tuple(p.split("::"))
                    if full:
                        table[full[-1]] = full
            self.reexports[m] = table

    def resolve(self, path: tuple[str, ...], depth: int = 0) -> tuple[str, ...]:
        """The module file that defines `path` (a module or an item in one)."""
        for n in range(len(path), -1, -1):
            m = path[:n]
            if m in self.files:
                rest = path[n:]
                if rest and depth < 8 and rest[0] in self.reexports.get(m, {}):
                    target = self.reexports[m][rest[0]]
                    if target != path:
                        return self.resolve(target + rest[1:], depth + 1)
                return m
        return ()

    def edges(self) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
        graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in self.files}
        for m, text in self.texts.items():
            body = USE_RE.sub(lambda u: "" if u.group(1) else u.group(0), text)
            refs: list[str] = []
            for vis, tree in USE_RE.findall(body):
                refs += expand_use_tree(tree)
            body = USE_RE.sub("", body)
            refs += [h + p for h, p in PATH_RE.findall(body)]
            for r in refs:
                if r.split("::")[0] not in ("crate", "self", "super"):
                    continue
                full = absolute(m, r)
                if full is None:
                    continue
                target = self.resolve(full)
                if target != m and target in self.files:
                    graph[m].add(target)
        return graph


def cycles(graph: dict[tuple[str, ...], set[tuple[str, ...]]]) -> list[list[tuple[str, ...]]]:
    """Strongly connected components with more than one file (Tarjan)."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on: set = set()
    out: list = []
    counter = [0]

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
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def name(m: tuple[str, ...]) -> str:
    return "/".join(m) or "lib"


def main(argv: list[str]) -> int:
    failed = False
    for arg in argv:
        crate = Crate(Path(arg))
        graph = crate.edges()
        for comp in cycles(graph):
            failed = True
            members = set(comp)
            print(f"{arg}: import cycle between {', '.join(name(m) for m in comp)}")
            for m in comp:
                for t in sorted(graph[m] & members):
                    print(f"    {name(m)} -> {name(t)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
