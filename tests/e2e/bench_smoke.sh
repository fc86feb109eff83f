#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Smoke run of the benchmark (devtools/bench.py): one short round of one
# frame size (64 B) on every path, with 1 and 2 queue pairs. It checks the
# script, not the speed:
#   PASS bench-smoke          the script exited 0 and wrote its table
#   FAIL bench-smoke: why     it did not
#   PASS bench-smoke/<path>   the path gave a figure (whatever the figure)
#                             and its forwarding lcore's cycles per packet
#                             with one queue pair; <path>/2q with two
#   SKIP bench-smoke/<path>   a prerequisite of the path is missing (why)
#   FAIL bench-smoke/<path>   the path could run here but gave no figure
#                             (a process died or printed no statistics)
#   PASS bench-smoke/ab       A/B mode: a second short run of pmd-sim with
#                             --plugin-dir-b (the same drivers) gave a
#                             pmd-sim@b row and a "pmd-sim@b / pmd-sim"
#                             ratio (SKIP when pmd-sim did not run above)
#   PASS bench-smoke/ab-bad-dir  --plugin-dir-b /nonexistent: usage error
# BENCH_SMOKE_ARGS adds options (e.g. "--paths memif", "--queues 1") to
# the first run only.
#
# Bounds: 540 s for the first run, 120 s for the A/B run, 30 s for the
# usage error.
# e2e-timeout: 720
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"

name=bench-smoke
logdir=$BUILD_DIR/test-logs/bench_smoke
rm -rf "$logdir"
mkdir -p "$logdir"
out=$logdir/results
py=python3
command -v "$py" > /dev/null || py=/usr/bin/python3

# shellcheck disable=SC2086
timeout -k 10 540 "$py" "$top/devtools/bench.py" --rounds 1 --sizes 64 \
	--queues 1,2 --duration 1 --warmup 1 --startup-timeout 20 --out "$out" \
	${BENCH_SMOKE_ARGS:-} \
	> "$logdir/bench.out" 2>&1
rc=$?
# The progress and the table, for the log devtools/test.sh keeps.
cat "$logdir/bench.out" >&2

if [ "$rc" -ne 0 ]; then
	fail "$name" "bench.py $(status_words $rc) (see $logdir/bench.out)"
	e2e_exit
fi
if [ ! -s "$out/table.md" ] || [ ! -s "$out/results.json" ]; then
	fail "$name" "bench.py wrote no table in $out (see $logdir/bench.out)"
	e2e_exit
fi

# One line per path and queue count from the results; exit status 1 when
# one failed.
if ! "$py" - "$out/results.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
failed = 0
for path, why in res["skipped"].items():
    print("SKIP bench-smoke/%s: %s" % (path, why))
for path in res["paths_run"]:
    for q in res["options"]["queues"]:
        name = path if q == 1 else "%s/%dq" % (path, q)
        mine = [s for s in res["samples"]
                if s["path"] == path and s["queues"] == q]
        got = [s for s in mine if s.get("mpps") is not None]
        errs = [s["error"] for s in mine if s.get("error")]
        fwd = [s for s in got if (s.get("fwd_cycles_per_pkt") or 0) > 0
               and 0 < (s.get("fwd_busy") or 0) <= 1]
        if fwd:
            print("PASS bench-smoke/%s" % name)
        elif got:
            print("FAIL bench-smoke/%s: a figure but no forwarding cycles "
                  "(testpmd --record-core-cycles, show fwd stats all)" % name)
            failed = 1
        else:
            why = errs[-1] if errs else "no measurement"
            print("FAIL bench-smoke/%s: gave no figure: %s" %
                  (name, why.replace("\n", " ")[:300]))
            failed = 1
sys.exit(failed)
PY
then
	FAILS=$((FAILS + 1))
fi
if [ ! -s "$out/plot.png" ]; then
	echo "note: no plot.png ($(grep 'no plot' "$logdir/bench.out"))" >&2
fi
pass "$name"

# A/B mode: pmd-sim against its twin pmd-sim@b, here on the same drivers.
why=$("$py" - "$out/results.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
if "pmd-sim" not in res["paths_run"]:
    print(res["skipped"].get("pmd-sim", "pmd-sim not selected"))
PY
)
ab=$logdir/ab
if [ -n "$why" ]; then
	skip "$name/ab" "pmd-sim did not run: $why"
elif ! plugins=$(plugin_dir "$BUILD_DIR" 2> "$logdir/plugin-dir.err"); then
	fail "$name/ab" "no plugin directory: $(cat "$logdir/plugin-dir.err")"
else
	timeout -k 10 120 "$py" "$top/devtools/bench.py" --rounds 1 \
		--sizes 64 --duration 1 --warmup 1 --startup-timeout 20 \
		--paths pmd-sim --plugin-dir-b "$plugins" --out "$ab" \
		> "$logdir/bench-ab.out" 2>&1
	rc=$?
	cat "$logdir/bench-ab.out" >&2
	if [ "$rc" -ne 0 ]; then
		fail "$name/ab" "bench.py $(status_words $rc) (see $logdir/bench-ab.out)"
	elif ! grep -Eq '^\| 64 \| 1 \| pmd-sim@b \| [0-9]+\.[0-9]+ \|' \
			"$ab/table.md"; then
		fail "$name/ab" "no pmd-sim@b row with a figure in $ab/table.md"
	elif ! grep -Eq '^\| pmd-sim@b / pmd-sim \| 64 \| 1 \| [0-9]' \
			"$ab/table.md"; then
		fail "$name/ab" "no ratio line pmd-sim@b / pmd-sim in $ab/table.md"
	else
		pass "$name/ab"
	fi
fi

# A driver directory that does not exist is a usage error (status 2).
timeout -k 5 30 "$py" "$top/devtools/bench.py" --paths pmd-sim \
	--plugin-dir-b /nonexistent --out "$logdir/ab-bad" \
	> "$logdir/bench-ab-bad.out" 2>&1
rc=$?
if [ "$rc" -ne 2 ]; then
	fail "$name/ab-bad-dir" "bench.py $(status_words $rc), not 2 (see $logdir/bench-ab-bad.out)"
elif ! grep -q "/nonexistent" "$logdir/bench-ab-bad.out"; then
	fail "$name/ab-bad-dir" "the usage error does not name the directory"
else
	pass "$name/ab-bad-dir"
fi
e2e_exit
