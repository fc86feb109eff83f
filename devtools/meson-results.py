#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
"""Result lines of a meson test run, for devtools/test.sh.

  meson-results.py list BUILD SUITE [PATTERN...]
      names of the tests of SUITE in BUILD (all, or those whose name, or
      name + ".sh", contains a PATTERN), one a line
  meson-results.py unregistered BUILD SCRIPT...
      the e2e scripts that are no test of BUILD
  meson-results.py results BUILD LOGBASE PREFIX LOGDIR
      one line per result of BUILD/meson-logs/LOGBASE.json:
      "PASS name", "FAIL name: why" or "SKIP name: why". A test of
      protocol exitcode is one result, named PREFIX + its name; a TAP test
      gives one result per TAP line ("ok", "not ok", "ok ... # SKIP"),
      named by the test itself, and one more, a FAIL, when it timed out
      or ended badly without a failed line. The output of every test goes
      to LOGDIR/<test>.log.
"""

import json
import os
import re
import subprocess
import sys

TAP_RE = re.compile(r'^(not )?ok\b\s*(?:[0-9]+\s*)?(?:-\s*)?([^#]*?)\s*'
                    r'(?:#\s*(.*))?$')
# Lines of the older format (e.g. printed by a script's own code).
OLD_RE = re.compile(r'^(PASS|FAIL|SKIP) (\S+?)(?::\s*(.*))?$')


def introspect(build):
    out = subprocess.run(['meson', 'introspect', '--tests', build],
                         check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    return json.loads(out)


def in_suite(test, suite):
    return any(s == suite or s.endswith(':' + suite) for s in test['suite'])


def cmd_list(build, suite, patterns):
    for t in introspect(build):
        if not in_suite(t, suite):
            continue
        if patterns and not any(p in t['name'] or p in t['name'] + '.sh'
                                for p in patterns):
            continue
        print(t['name'])


def cmd_unregistered(build, scripts):
    known = {c for t in introspect(build) for c in t['cmd']}
    for s in scripts:
        if os.path.realpath(s) not in {os.path.realpath(c) for c in known}:
            print(s)


def tap_lines(stdout):
    """(verdict, name, why) per result line of a TAP test's output."""
    for line in stdout.splitlines():
        line = line.rstrip()
        m = TAP_RE.match(line)
        if m:
            name = m.group(2) or '(unnamed)'
            why = (m.group(3) or '').strip()
            if m.group(1):
                yield 'FAIL', name, why or 'failed'
            elif why[:4].upper() == 'SKIP':
                yield 'SKIP', name, why[4:].strip() or 'skipped'
            else:
                yield 'PASS', name, ''
            continue
        m = OLD_RE.match(line)
        if m:
            yield m.group(1), m.group(2), m.group(3) or ''


def line(verdict, name, why):
    if verdict == 'PASS':
        return 'PASS ' + name
    return '%s %s: %s' % (verdict, name, why or verdict.lower())


def cmd_results(build, logbase, prefix, logdir):
    proto = {t['name']: t for t in introspect(build)}
    path = os.path.join(build, 'meson-logs', logbase + '.json')
    with open(path, encoding='utf-8', errors='replace') as f:
        runs = [json.loads(x) for x in f if x.strip()]
    for r in runs:
        # "project:suite / name" when several suites ran
        name = r['name'].split(' / ', 1)[-1]
        t = proto.get(name, {})
        stdout = r.get('stdout') or ''
        stderr = r.get('stderr') or ''
        log = os.path.join(logdir, name + '.log')
        with open(log, 'w', encoding='utf-8') as f:
            f.write(stderr)
            if stderr and not stderr.endswith('\n'):
                f.write('\n')
            f.write(stdout)
            f.write('# %s: %s (exit status %s) in %.0f s\n' %
                    (name, r['result'], r.get('returncode'),
                     r.get('duration') or 0))
        res = r['result']
        if t.get('protocol') != 'tap':
            tname = prefix + name.replace(' ', '_')
            if res in ('OK', 'EXPECTEDFAIL'):
                print(line('PASS', tname, ''))
            elif res == 'SKIP':
                print(line('SKIP', tname, 'skipped by the test'))
            elif res == 'TIMEOUT':
                print(line('FAIL', tname, 'timed out after %.0f s (see %s)' %
                           (r.get('duration') or 0, log)))
            else:
                print(line('FAIL', tname, '%s (exit status %s, see %s)' %
                           (res, r.get('returncode'), log)))
            continue
        results = list(tap_lines(stdout))
        for v, n, why in results:
            print(line(v, n, why))
        tname = 'e2e/' + name
        failed = any(x[0] == 'FAIL' for x in results)
        if res == 'TIMEOUT':
            print(line('FAIL', tname, 'timed out after %.0f s (see %s)' %
                       (r.get('duration') or 0, log)))
        elif res not in ('OK', 'SKIP', 'EXPECTEDFAIL') and not failed:
            print(line('FAIL', tname, '%s, exit status %s (see %s)' %
                       (res, r.get('returncode'), log)))
        elif not results:
            print(line('FAIL', tname, 'printed no result (see %s)' % log))


def main(argv):
    if len(argv) >= 3 and argv[0] == 'list':
        cmd_list(argv[1], argv[2], argv[3:])
    elif len(argv) >= 2 and argv[0] == 'unregistered':
        cmd_unregistered(argv[1], argv[2:])
    elif len(argv) == 5 and argv[0] == 'results':
        cmd_results(*argv[1:])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
