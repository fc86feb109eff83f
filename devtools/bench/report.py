# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""What a run gives: medians and same-round ratios out of the raw samples,
then table.md, results.json, results.csv and plot.png."""

import csv
import itertools
import json
import os
import statistics
import subprocess
import sys

from . import TOP
from .paths import TWINNABLE, twin_name

L1_OVERHEAD = 20   # preamble + SFD (8) and inter-frame gap (12)

# Ratios printed per frame size and queue count: (numerator, denominator),
# both measured in the same round.
PAIRS = [("pmd-sim", "vhost-split"), ("pmd-sim", "vhost-packed"),
         ("pmd-sim", "memif"), ("pmd-sim-packed", "vhost-packed"),
         ("pmd-sim-packed", "memif"), ("pmd-sim-packed", "pmd-sim"),
         ("vhost-packed", "vhost-split"),
         ("memif", "vhost-split"), ("vdpa-sim", "vdpa-vhost")]

# CSV columns, in order.
CSV_KEYS = ["size", "queues", "path", "runs", "mpps", "mpps_min",
            "mpps_max", "gbps", "gbps_min", "gbps_max", "ratio",
            "cycles_per_pkt", "fwd_cycles_per_pkt", "fwd_busy"]


def fmt(v, digits=2):
    return "n/a" if v is None else "%.*f" % (digits, v)


def gbps(mpps, size, l1):
    return mpps * (size + (L1_OVERHEAD if l1 else 0)) * 8 / 1000.0


def label(path, queues):
    """A path at a queue count, as the plot and the give-ups name it."""
    return "%s %dq" % (path, queues)


def pairs(res):
    """PAIRS, after the A/B ratios "<path>@<label> / <path>" of the
    twins (--plugin-dir-b): the figures those runs are for."""
    o = res["options"]
    if not o.get("plugin_dir_b"):
        return PAIRS
    return [(twin_name(n, o["label_b"]), n) for n in TWINNABLE] + PAIRS


def median_of(samples, key):
    """Median of a per-sample figure over the samples that have it."""
    v = [s[key] for s in samples if s.get(key) is not None]
    return statistics.median(v) if v else None


def by_point(res):
    """{(path, size, queues): {round: sample}} of the samples with a
    figure."""
    by = {}
    for s in res["samples"]:
        if s.get("mpps") is not None:
            by.setdefault((s["path"], s["size"], s["queues"]),
                          {})[s["round"]] = s
    return by


def same_round(a, b):
    """a's rate over b's, round by round, in the rounds both have."""
    return [a[k]["mpps"] / b[k]["mpps"] for k in a
            if k in b and b[k]["mpps"] > 0]


def row_of(o, path, size, queues, got, refs):
    """A table row: medians and ranges of a path at one point."""
    row = {"size": size, "queues": queues, "path": path, "runs": len(got)}
    if not got:
        return row
    m = [s["mpps"] for s in got.values()]
    row.update({"mpps": statistics.median(m), "mpps_min": min(m),
                "mpps_max": max(m)})
    for key in ("cycles_per_pkt", "fwd_cycles_per_pkt", "fwd_busy"):
        row[key] = median_of(got.values(), key)
    for key in ("", "_min", "_max"):
        row["gbps" + key] = gbps(row["mpps" + key], size, o["l1"])
    r = same_round(got, refs)
    if r and path != o["ref"]:
        row["ratio"] = statistics.median(r)
    return row


def ratio_of(pair, size, queues, r):
    # "ahead": rounds in which the first path was faster. On a machine
    # whose rate flips between phases, a count such as 9/10 says more
    # than a median over a range of 0.4-2.4.
    return {"pair": "%s / %s" % pair, "size": size, "queues": queues,
            "median": statistics.median(r), "min": min(r), "max": max(r),
            "rounds": len(r), "ahead": sum(1 for x in r if x > 1)}


def summarize(res):
    """Medians, ranges and same-round ratios from the raw samples, per
    frame size and queue count."""
    o = res["options"]
    by = by_point(res)
    points = list(itertools.product(o["sizes"], o["queues"]))
    rows = [row_of(o, path, size, queues, by.get((path, size, queues), {}),
                   by.get((o["ref"], size, queues), {}))
            for size, queues in points for path in res["paths_run"]]
    ratios = []
    for num, den in pairs(res):
        if num not in res["paths_run"] or den not in res["paths_run"]:
            continue
        for size, queues in points:
            r = same_round(by.get((num, size, queues), {}),
                           by.get((den, size, queues), {}))
            if r:
                ratios.append(ratio_of((num, den), size, queues, r))
    return rows, ratios


def header(res):
    """The conditions of the run, before the table."""
    o = res["options"]
    unit = "L1: frame + 20 B preamble/IFG" if o["l1"] else \
        "L2: whole frame incl. FCS, no preamble/IFG"
    out = ["# virtio-mdev benchmark %s" % res["started"], "",
           "- command: `%s`" % res["command"],
           "- machine: %s" % res["machine"],
           "- DPDK: %s; tree: %s" % (res["dpdk"], res["tree"]),
           "- load average (1 min) at start %s, at end %s: other work "
           "on these CPUs makes the figures vary" %
           (res["load_start"], res.get("load_end", "?")),
           "- CPUs: A=%d (device side: sim engine, vhost/memif server),"
           " B=%d (measured testpmd forwarding lcore)" %
           (o["cpus"][0], o["cpus"][1]),
           "- %d round(s) x %s s measured after %s s warm-up, paths "
           "alternating within each round; `start tx_first %d`; "
           "`--txpkts` = frame size - 4 (FCS)" %
           (o["rounds"], o["duration"], o["warmup"], o["tx_first"])]
    if o.get("plugin_dir_b"):
        out.append("- A/B: `<path>@%s` loads our drivers from B=`%s`, "
                   "`<path>` from A=`%s`, alternating in the same rounds" %
                   (o["label_b"], o["plugin_dir_b"],
                    res.get("plugin_dir_a") or "?"))
    out += ["- queues: queue pairs on both sides of every path "
            "(`--rxq`/`--txq`, vdev `queues=`), served by one "
            "forwarding lcore",
            "- Mpps: packets received per second by the measured "
            "testpmd port (its own counter difference over the "
            "interval); Gbit/s %s" % unit,
            "- dev cyc/pkt: CPU cycles of the device-side thread per "
            "packet (%s); vs %s: median of same-round ratios" %
            (res["cycles_note"], o["ref"]),
            "- fwd cyc/pkt, fwd busy: the measured forwarding lcore's "
            "cycles per packet in bursts that received packets "
            "(testpmd --record-core-cycles; empty polls not counted) "
            "and their share of the interval (near 100 %: that lcore "
            "limits the loop)", ""]
    return out


def table(rows, ref):
    out = ["| frame B | queues | path | Mpps (median) | Mpps min-max |"
           " Gbit/s | vs %s | dev cyc/pkt | fwd cyc/pkt | fwd busy |"
           " runs |" % ref,
           "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if not r["runs"]:
            out.append("| %d | %d | %s | failed | | | | | | | 0 |" %
                       (r["size"], r["queues"], r["path"]))
            continue
        busy = r.get("fwd_busy")
        out.append("| %d | %d | %s | %.2f | %.2f-%.2f | %.2f | %s | %s |"
                   " %s | %s | %d |" % (
                       r["size"], r["queues"], r["path"], r["mpps"],
                       r["mpps_min"], r["mpps_max"], r["gbps"],
                       "ref" if r["path"] == ref else fmt(r.get("ratio")),
                       fmt(r["cycles_per_pkt"], 0),
                       fmt(r.get("fwd_cycles_per_pkt"), 0),
                       "n/a" if busy is None else "%.0f %%" % (100 * busy),
                       r["runs"]))
    return out


def ratio_table(ratios):
    if not ratios:
        return []
    out = ["", "## Same-round ratios (Mpps)", "",
           "| pair | frame B | queues | median | min-max | rounds | ahead |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for q in ratios:
        out.append("| %s | %d | %d | %.2f | %.2f-%.2f | %d | %d/%d |" % (
            q["pair"], q["size"], q["queues"], q["median"], q["min"],
            q["max"], q["rounds"], q["ahead"], q["rounds"]))
    return out


def section(title, items):
    return ["", "## " + title, ""] + ["- " + i for i in items] \
        if items else []


def where(s):
    return "round %d, %d B, %dq, %s" % (s["round"], s["size"], s["queues"],
                                        s["path"])


def problems(res):
    """What did not run, and why."""
    return (section("Skipped paths", ["%s: %s" % kv for kv in
                                      res["skipped"].items()]) +
            section("Paths given up during the run",
                    ["%s: %s" % kv for kv in res["gave_up"].items()]) +
            section("Failed measurements",
                    ["%s: %s" % (where(s), s["error"][:400])
                     for s in res["samples"] if s.get("error")]) +
            section("Processes that crashed",
                    ["%s: %s" % (where(s), s["crashed"])
                     for s in res["samples"] if s.get("crashed")]))


def markdown(res, rows, ratios):
    out = (header(res) + table(rows, res["options"]["ref"]) +
           ratio_table(ratios) + problems(res))
    return "\n".join(out) + "\n"


def write_csv(path, rows):
    """The rows, floats with 4 decimals, an empty field for none."""
    def cell(v):
        if v is None:
            return ""
        return "%.4f" % v if isinstance(v, float) else str(v)

    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_KEYS)
        for r in rows:
            w.writerow([cell(r.get(k)) for k in CSV_KEYS])

PLOT_LS = ["-", "--", ":", "-."]
PLOT_MARKERS = ["o", "s", "^", "D"]


def plot(json_path, png_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(json_path) as f:
        res = json.load(f)
    rows = res["rows"]
    o = res["options"]
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 4.8))
    # One line per path and queue count: a colour per path, a line style
    # and marker per queue count.
    lines = list(itertools.product(enumerate(res["paths_run"]),
                                   enumerate(o["queues"])))
    n = len(lines)
    for i, ((p, path), (q, queues)) in enumerate(lines):
        pts = [r for r in rows if r["path"] == path and
               r["queues"] == queues and r["runs"]]
        if not pts:
            continue
        # A small shift per line keeps the range bars apart.
        shift = 2 ** ((i - (n - 1) / 2.0) * 0.02)
        x = [r["size"] * shift for r in pts]
        style = {"color": "C%d" % (p % 10), "ls": PLOT_LS[q % len(PLOT_LS)],
                 "marker": PLOT_MARKERS[q % len(PLOT_MARKERS)]}
        for ax, key in ((axes[0], "mpps"), (axes[1], "gbps")):
            y = [r[key] for r in pts]
            lo = [r[key] - r[key + "_min"] for r in pts]
            hi = [r[key + "_max"] - r[key] for r in pts]
            ax.errorbar(x, y, yerr=[lo, hi], capsize=3,
                        label=label(path, queues), **style)
    axes[0].set_ylabel("Mpps (median, bars: min-max)")
    axes[1].set_ylabel("Gbit/s (%s)" % ("L1, +20 B/frame" if o["l1"]
                                        else "L2, frame incl. FCS"))
    for ax in axes:
        ax.set_xscale("log", base=2)
        ax.set_xlim(min(o["sizes"]) / 1.5, max(o["sizes"]) * 1.5)
        ax.set_xticks(o["sizes"])
        ax.set_xticklabels([str(s) for s in o["sizes"]])
        ax.set_xlabel("frame size (B)")
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
    # Beside the axes: with a dozen lines it would hide some inside them.
    if axes[0].get_legend_handles_labels()[0]:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="center right",
                   fontsize="small")
    fig.suptitle("virtio-mdev benchmark %s: %d round(s) x %s s" %
                 (res["started"], o["rounds"], o["duration"]))
    fig.tight_layout(rect=(0, 0, 0.86, 1))
    fig.savefig(png_path, dpi=100)




SYSTEM_PYTHON = "/usr/bin/python3"


def system_python_plots():
    """Debian's Python, when this one is another installation (pyenv, a
    venv) that does not see Debian's python3-matplotlib but it does."""
    if sys.executable == SYSTEM_PYTHON or not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import matplotlib"],
                          capture_output=True).returncode == 0


def make_plot(json_path, png_path):
    """plot.png, or why there is none: matplotlib is optional
    (devtools/setup.sh installs Debian's python3-matplotlib)."""
    try:
        import matplotlib
        assert matplotlib
    except ImportError:
        if system_python_plots():
            return plot_elsewhere(json_path, png_path)
        return ("skipped: matplotlib unavailable (devtools/setup.sh "
                "installs python3-matplotlib)")
    try:
        plot(json_path, png_path)
    except Exception as e:  # a plot must never cost the table
        return "plot failed: %s" % e
    return None


def plot_elsewhere(json_path, png_path):
    r = subprocess.run([SYSTEM_PYTHON, os.path.join(TOP, "devtools",
                                                    "bench.py"),
                        "--plot-only", json_path, "--out", png_path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return "plot failed: %s" % r.stderr.strip()[-300:]
    return None


def write_results(out_dir, res, rows, ratios):
    """results.json, results.csv and table.md; the table's text."""
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    write_csv(os.path.join(out_dir, "results.csv"), rows)
    md = markdown(res, rows, ratios)
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write(md)
    return md
