#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""devtools/check-layers.py [--build DIR] [DRIVER_DIR ...]

Every driver (each directory under drivers/ that holds C files) must be
drawable as layers: no cycle among its own files, neither in what they
include nor in what they call.

  include graph  node = a file's stem (x.c and x.h are one node); an edge
                 x -> y for each '#include "y.h"' in x.c or x.h naming a
                 file of the same directory.
  call graph     node = an object of the driver's library in
                 <build>/drivers/<lib>.p/; an edge a -> b for each symbol
                 nm shows undefined in a and defined in b (functions and
                 data alike).
  both           the union of the two: x.h included by y and x.c calling
                 y is a cycle too (x is then not one layer); reported when
                 neither graph alone has it.

Prints each cycle (its files and the includes or symbols that make it)
and exits 1; otherwise prints "<driver>: no cycles" for every driver and
exits 0. A driver whose objects are not in the build directory gets its
include graph checked only (said so on the output); --build defaults to
build/ of this tree.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def include_graph(ddir):
    """{node: {node: [why, ...]}} of the directory's own files."""
    graph = {}
    files = sorted(glob.glob(os.path.join(ddir, "*.[ch]")))
    for f in files:
        graph.setdefault(stem(f), {})
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for inc in INCLUDE_RE.findall(text):
            if not os.path.isfile(os.path.join(ddir, inc)):
                continue	# not one of this driver's files
            a, b = stem(f), stem(inc)
            if a == b:
                continue	# x.c including x.h
            why = '%s: #include "%s"' % (os.path.basename(f), inc)
            graph[a].setdefault(b, []).append(why)
    return graph


def nm_symbols(obj, undefined):
    args = ["nm", "-P", "-u" if undefined else "--defined-only", obj]
    out = subprocess.run(args, check=True, capture_output=True,
                         text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if undefined or (kind.isupper() and kind != "U") or kind in "VW":
            syms.add(name)
    return syms


def driver_objects(build, ddir):
    """{object stem: path} of the driver's objects, {} when not built.

    meson names the object of drivers/<d>/<x>.c "<d with / as _>_<x>.c.o"
    in the .p directory of the library it belongs to.
    """
    rel = os.path.relpath(ddir, os.path.join(TOP, "drivers"))
    prefix = rel.replace(os.sep, "_") + "_"
    objs = {}
    for c in sorted(glob.glob(os.path.join(ddir, "*.c"))):
        name = prefix + os.path.basename(c) + ".o"
        for o in glob.glob(os.path.join(build, "drivers", "*.p", name)):
            objs[stem(c)] = o
    return objs


def call_graph(objs):
    defined = {}
    for node, obj in objs.items():
        for s in nm_symbols(obj, False):
            defined.setdefault(s, set()).add(node)
    graph = {node: {} for node in objs}
    for node, obj in objs.items():
        for s in sorted(nm_symbols(obj, True)):
            for other in defined.get(s, ()):
                if other != node:
                    graph[node].setdefault(other, []).append(s)
    return graph


def combine(inc, calls):
    """Both graphs on the same nodes; each edge says where it comes from."""
    both = {}
    for kind, g in (("include", inc), ("call", calls)):
        for a, edges in g.items():
            both.setdefault(a, {})
            for b, why in edges.items():
                both.setdefault(b, {})
                text = "; ".join(why) if kind == "include" else \
                    "calls " + short(why)
                both[a].setdefault(b, []).append(text)
    return both


def sccs(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, {})):
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


def one_cycle(graph, comp):
    """A shortest cycle through the component's first node."""
    start, members = comp[0], set(comp)
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v]):
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


def report(name, kind, graph, comps, fmt):
    for comp in comps:
        cyc = one_cycle(graph, comp)
        print("%s: %s cycle among %s" % (name, kind, ", ".join(comp)))
        print("    e.g. %s" % " -> ".join(cyc))
        for a in comp:
            for b in sorted(graph[a]):
                if b in comp:
                    print("    %s -> %s: %s" % (a, b, fmt(graph[a][b])))


def short(syms, n=6):
    more = len(syms) - n
    return ", ".join(syms[:n]) + (" (+%d more)" % more if more > 0 else "")


def driver_dirs():
    out = []
    for root, dirs, files in os.walk(os.path.join(TOP, "drivers")):
        dirs.sort()
        if any(f.endswith(".c") for f in files):
            out.append(root)
    return sorted(out)


def main(argv):
    ap = argparse.ArgumentParser(
        description="No include or call cycles between a driver's files.")
    ap.add_argument("--build", default=os.path.join(TOP, "build"),
                    help="build directory with the objects (default: "
                    "build/ of this tree)")
    ap.add_argument("drivers", nargs="*",
                    help="driver directories (default: all under drivers/)")
    args = ap.parse_args(argv)
    dirs = [os.path.abspath(d) for d in args.drivers] or driver_dirs()
    bad = False
    for ddir in dirs:
        name = os.path.relpath(ddir, TOP)
        inc = include_graph(ddir)
        inc_comps = sccs(inc)
        report(name, "include", inc, inc_comps, lambda w: "; ".join(w))
        objs = driver_objects(args.build, ddir)
        call_comps = []
        both_comps = []
        if objs:
            calls = call_graph(objs)
            call_comps = sccs(calls)
            report(name, "call", calls, call_comps, short)
            both = combine(inc, calls)
            seen = [set(c) for c in inc_comps + call_comps]
            both_comps = [c for c in sccs(both)
                          if not any(set(c) <= s for s in seen)]
            report(name, "include+call", both, both_comps,
                   lambda w: "; ".join(w))
        else:
            print("%s: no objects in %s: call graph not checked" %
                  (name, os.path.relpath(args.build, os.getcwd())))
        if inc_comps or call_comps or both_comps:
            bad = True
        else:
            print("%s: no cycles" % name)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
