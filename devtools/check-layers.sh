#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Check that the files of each driver form layers: no cycle of includes
# or calls between the files of one driver.
#
#   devtools/check-layers.sh [-v] [DRIVER_DIR...]
#
# Every driver directory under drivers/ (one with a meson.build), or the
# ones given. A node is a file name without its extension: x.c and x.h
# are one node. Edges: x includes "y.h" (a file of the same driver), and
# x.c references a symbol y.c defines (from nm on the objects of
# BUILD_DIR, default build/, so build first). A cycle fails the check:
# it is printed with the include or the symbols behind each edge. Without
# cycles the layers are printed, bottom first (-v: with every edge).
# Exit status: 0 no cycle, 1 a cycle, 2 usage or missing objects.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

exec python3 - "$top" "$build" "$@" <<'PY'
import glob
import os
import re
import subprocess
import sys

top, build = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
verbose = False
dirs = []
for a in args:
    if a == "-v":
        verbose = True
    elif a in ("-h", "--help"):
        print("usage: devtools/check-layers.sh [-v] [DRIVER_DIR...]")
        sys.exit(0)
    elif a.startswith("-"):
        print("check-layers: unknown option " + a, file=sys.stderr)
        sys.exit(2)
    else:
        dirs.append(os.path.relpath(os.path.abspath(a), top))
if not dirs:
    dirs = sorted(os.path.relpath(os.path.dirname(m), top) for m in
                  glob.glob(os.path.join(top, "drivers", "*", "*",
                                         "meson.build")))

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def node_of(path):
    return os.path.splitext(path)[0]


def sources(d):
    files = []
    for root, _, names in os.walk(os.path.join(top, d)):
        for n in names:
            if n.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(root, n),
                                             os.path.join(top, d)))
    return sorted(files)


def include_edges(d, files):
    """(from, to) -> [why]: x includes "y.h", y.h a file of d."""
    edges = {}
    by_name = {}
    for f in files:
        by_name.setdefault(os.path.basename(f), f)
    for f in files:
        with open(os.path.join(top, d, f), errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            target = os.path.normpath(os.path.join(os.path.dirname(f), inc))
            if target not in files:
                target = by_name.get(os.path.basename(inc))
            if target is None:
                continue
            a, b = node_of(f), node_of(target)
            if a != b:
                edges.setdefault((a, b), []).append(
                    '%s includes "%s"' % (f, inc))
    return edges


def nm(obj, undefined):
    opt = ["--undefined-only"] if undefined else ["--defined-only"]
    out = subprocess.run(["nm", "-P"] + opt + [obj], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        # Global definitions only: upper case (and weak / unique).
        if undefined or kind.isupper() or kind in "uvw":
            syms.add(name)
    return syms


def call_edges(d, files):
    """(from, to) -> [symbols]; None when objects are missing."""
    prefix = d.split(os.sep, 1)[1].replace(os.sep, "_")
    objs = {}
    for f in files:
        if not f.endswith(".c"):
            continue
        name = "%s_%s.o" % (prefix, f.replace(os.sep, "_"))
        found = glob.glob(os.path.join(build, "drivers", "*.p", name))
        if not found:
            return None, f
        objs[node_of(f)] = found[0]
    defined = {}
    for n, o in objs.items():
        for s in nm(o, False):
            defined.setdefault(s, n)
    edges = {}
    for n, o in objs.items():
        for s in sorted(nm(o, True)):
            m = defined.get(s)
            if m is not None and m != n:
                edges.setdefault((n, m), []).append(s)
    return edges, None


def sccs(nodes, succ):
    """Tarjan's strongly connected components."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ.get(v, ()):
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
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def a_cycle(comp, succ):
    """A shortest cycle through the first node of a component."""
    start = comp[0]
    members = set(comp)
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(succ.get(v, ())):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return comp + [comp[0]]


def why(edge, inc, calls):
    parts = []
    if edge in inc:
        parts.append("includes")
    if calls is not None and edge in calls:
        syms = calls[edge]
        more = "" if len(syms) <= 4 else ", ... %d more" % (len(syms) - 4)
        parts.append("uses " + ", ".join(syms[:4]) + more)
    return "; ".join(parts)


def layers(nodes, succ):
    """Level of each node: 0 depends on nothing, else 1 + max below."""
    level = {}

    def lv(v):
        if v not in level:
            level[v] = 0
            level[v] = 1 + max([lv(w) for w in succ.get(v, ())], default=-1)
        return level[v]

    for v in nodes:
        lv(v)
    out = {}
    for v, l in level.items():
        out.setdefault(l, []).append(v)
    return [sorted(out[l]) for l in sorted(out)]


status = 0
for d in dirs:
    files = sources(d)
    if not files:
        continue
    nodes = sorted({node_of(f) for f in files})
    inc = include_edges(d, files)
    calls, missing = call_edges(d, files)
    if calls is None:
        print("%s: no object for %s in %s/drivers (build first)" %
              (d, missing, build))
        status = max(status, 2)
        calls_used = {}
    else:
        calls_used = calls
    succ = {}
    for (a, b) in list(inc) + list(calls_used):
        succ.setdefault(a, set()).add(b)
    cycles = [c for c in sccs(nodes, succ) if len(c) > 1]
    print("%s: %d nodes, %d include edges, %d call edges: %s" %
          (d, len(nodes), len(inc), len(calls_used),
           "%d cycle(s)" % len(cycles) if cycles else "no cycle"))
    for comp in cycles:
        status = 1
        path = a_cycle(comp, succ)
        print("  CYCLE among %s:" % " ".join(comp))
        for a, b in zip(path, path[1:]):
            print("    %s -> %s (%s)" % (a, b, why((a, b), inc, calls)))
    if not cycles:
        for i, layer in enumerate(layers(nodes, succ)):
            print("  layer %d: %s" % (i, " ".join(layer)))
    if verbose:
        for (a, b) in sorted(set(inc) | set(calls_used)):
            print("    %s -> %s (%s)" % (a, b, why((a, b), inc, calls)))
sys.exit(status)
PY
