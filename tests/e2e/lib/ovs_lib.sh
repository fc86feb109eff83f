# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# A private OVS-DPDK instance for end-to-end tests: its own database,
# run, log and config directories under one scratch directory, daemons
# started by hand (never through the package's systemd units), every
# command bounded by timeout, and only the daemons started here stopped.
# POSIX sh; source after devtools/lib.sh.

OVS_VSWITCHD_DPDK=${OVS_VSWITCHD_DPDK:-/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

# Install Debian's openvswitch-switch-dpdk when the DPDK daemon is not
# there. The package's units must not start a system ovs-vswitchd that
# would take CPUs and hugepages from the test: a policy-rc.d answering
# 101 ("action forbidden") is put in place for the install when the
# machine has none, and removed afterwards.
ovs_install_if_missing() {
	if [ -x "$OVS_VSWITCHD_DPDK" ] && command -v ovsdb-server > /dev/null &&
			command -v ovs-vsctl > /dev/null; then
		return 0
	fi
	command -v apt-get > /dev/null || return 1
	made_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d &&
			chmod 0755 /usr/sbin/policy-rc.d && made_policy=1
	fi
	DEBIAN_FRONTEND=noninteractive timeout 240 apt-get install -y -q \
		--no-install-recommends openvswitch-switch-dpdk \
		> "${OVS_INSTALL_LOG:-/dev/null}" 2>&1
	rc=$?
	[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
	[ $rc = 0 ] && [ -x "$OVS_VSWITCHD_DPDK" ]
}

# Is PID a live process (a zombie waiting for its reaper counts as gone)?
ovs_pid_alive() {
	[ -n "$1" ] || return 1
	kill -0 "$1" 2> /dev/null || return 1
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2> /dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Wait up to $2 seconds for PID $1 to be gone.
ovs_wait_gone() {
	n=$(($2 * 10))
	while ovs_pid_alive "$1"; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

ovs_vsctl() {
	timeout -k 2 30 ovs-vsctl --timeout=25 "$@"
}

ovs_ofctl() {
	timeout -k 2 15 ovs-ofctl "$@"
}

ovs_appctl() {
	timeout -k 2 20 ovs-appctl --timeout=15 "$@"
}

# ovs_start DIR DPDK_EXTRA PMD_MASK
# Create DIR/{run,db,log,etc}, start ovsdb-server and the DPDK
# ovs-vswitchd with DPDK initialised (DPDK_EXTRA for EAL, e.g.
# "--no-pci -d <plugin dir>"; 256 MB of hugepages growing to 512 MB)
# and wait until DPDK is up. Mempools are per port: OVS's shared pools
# are sized for many ports (up to 256K mbufs each) and would take the
# whole 512 MB, leaving nothing for a jumbo-MTU pool or for a
# re-added device's rings. Sets OVSDB_PID and VSWITCHD_PID; returns
# non-zero with the reason on stderr.
ovs_start() {
	OVS_DIR=$1
	mkdir -p "$OVS_DIR/run" "$OVS_DIR/db" "$OVS_DIR/log" "$OVS_DIR/etc" ||
		return 1
	OVS_RUNDIR=$OVS_DIR/run
	OVS_DBDIR=$OVS_DIR/db
	OVS_LOGDIR=$OVS_DIR/log
	OVS_SYSCONFDIR=$OVS_DIR/etc
	export OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR
	OVSDB_CTL=$OVS_RUNDIR/ovsdb-server.ctl
	VSWITCHD_CTL=$OVS_RUNDIR/ovs-vswitchd.ctl
	VSWITCHD_LOG=$OVS_LOGDIR/ovs-vswitchd.log
	OVSDB_PID=
	VSWITCHD_PID=

	timeout 20 ovsdb-tool create "$OVS_DBDIR/conf.db" "$OVS_SCHEMA" || {
		echo "ovsdb-tool create failed" >&2
		return 1
	}
	# ovs-vsctl's default database is unix:$OVS_RUNDIR/db.sock.
	timeout 30 ovsdb-server "$OVS_DBDIR/conf.db" \
		--remote="punix:$OVS_RUNDIR/db.sock" \
		--pidfile="$OVS_RUNDIR/ovsdb-server.pid" \
		--unixctl="$OVSDB_CTL" \
		--log-file="$OVS_LOGDIR/ovsdb-server.log" \
		--no-chdir --detach || {
		echo "ovsdb-server did not start" >&2
		return 1
	}
	OVSDB_PID=$(cat "$OVS_RUNDIR/ovsdb-server.pid" 2> /dev/null)
	ovs_vsctl --no-wait init || return 1
	ovs_vsctl --no-wait set Open_vSwitch . \
		other_config:dpdk-init=true \
		other_config:pmd-cpu-mask="$3" \
		other_config:dpdk-socket-mem=256 \
		other_config:dpdk-socket-limit=512 \
		other_config:per-port-memory=true \
		other_config:dpdk-extra="$2" || return 1
	# The daemon names its pidfile and control socket after its binary
	# (ovs-vswitchd-dpdk): give both explicitly.
	timeout 60 "$OVS_VSWITCHD_DPDK" "unix:$OVS_RUNDIR/db.sock" \
		--pidfile="$OVS_RUNDIR/ovs-vswitchd.pid" \
		--unixctl="$VSWITCHD_CTL" \
		--log-file="$VSWITCHD_LOG" \
		--no-chdir --detach
	rc=$?
	VSWITCHD_PID=$(cat "$OVS_RUNDIR/ovs-vswitchd.pid" 2> /dev/null)
	if [ $rc != 0 ]; then
		echo "ovs-vswitchd-dpdk exited with $rc" >&2
		return 1
	fi
	ovs_vsctl wait-until Open_vSwitch . dpdk_initialized=true || {
		echo "DPDK not initialised in ovs-vswitchd" >&2
		return 1
	}
}

# Ask one daemon to exit through its control socket; if it is still
# there after $3 seconds, SIGTERM then SIGKILL that one PID.
ovs_stop_one() {
	pid=$1
	ctl=$2
	secs=$3
	shift 3
	ovs_pid_alive "$pid" || return 0
	ovs_appctl -t "$ctl" exit "$@" > /dev/null 2>&1
	ovs_wait_gone "$pid" "$secs" && return 0
	echo "pid $pid did not exit through $ctl: SIGTERM" >&2
	kill -TERM "$pid" 2> /dev/null
	ovs_wait_gone "$pid" 5 && return 1
	kill -KILL "$pid" 2> /dev/null
	ovs_wait_gone "$pid" 5
	return 1
}

# Stop ovs-vswitchd (with --cleanup: ports are closed, DPDK devices
# detached) then ovsdb-server. Returns non-zero when either needed a
# signal. OVS_STOP_WAIT shortens the wait for each (seconds).
ovs_stop() {
	r=0
	ovs_stop_one "$VSWITCHD_PID" "$VSWITCHD_CTL" \
		"${OVS_STOP_WAIT:-30}" --cleanup || r=1
	ovs_stop_one "$OVSDB_PID" "$OVSDB_CTL" "${OVS_STOP_WAIT:-10}" || r=1
	return $r
}

# ovs_port_counters BRIDGE OFPORT: the live OpenFlow port counters as
# "rx_pkts rx_drop tx_pkts tx_drop rx_bytes tx_bytes" (one line; empty
# when no such port).
ovs_port_counters() {
	ovs_ofctl dump-ports "$1" "$2" 2> /dev/null | awk '
	function get(k,   i, a) {
		for (i = 1; i <= NF; i++)
			if (index($i, k "=") == 1) {
				split($i, a, "=")
				return a[2] + 0
			}
		return 0
	}
	/rx pkts=/ { rp = get("pkts"); rd = get("drop"); rb = get("bytes"); r = 1 }
	/tx pkts=/ { tp = get("pkts"); td = get("drop"); tb = get("bytes") }
	END {
		if (r)
			printf "%.0f %.0f %.0f %.0f %.0f %.0f\n", rp, rd, tp, td, rb, tb
	}'
}

# ovs_iface_get IFACE COLUMN[:KEY]: one column of an Interface row
# (quotes removed), empty on error.
ovs_iface_get() {
	ovs_vsctl --if-exists get Interface "$1" "$2" 2> /dev/null | tr -d '"'
}

# ovs_wait_iface IFACE COLUMN VALUE SECONDS: wait for a column to read
# VALUE.
ovs_wait_iface() {
	n=$(($4 * 2))
	while [ "$(ovs_iface_get "$1" "$2")" != "$3" ]; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.5
	done
	return 0
}

# ---- hugepages ----

hp_meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Default-size hugepages in use that no live process has mapped (kB):
# (Total - Free) * size - sum of every process's HugetlbPages. Files left
# in a hugetlbfs mount count here; memory of running processes does not,
# so the figure does not move when other DPDK programs start or stop.
# Read until two readings agree (processes come and go meanwhile).
ovs_hugepages_unmapped_kb() {
	prev=
	for _ in 1 2 3 4 5; do
		sz=$(hp_meminfo Hugepagesize)
		tot=$(hp_meminfo HugePages_Total)
		free=$(hp_meminfo HugePages_Free)
		mapped=$(cat /proc/[0-9]*/status 2> /dev/null |
			awk '$1 == "HugetlbPages:" { s += $2 } END { print s + 0 }')
		cur=$(((tot - free) * sz - mapped))
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.2
	done
	echo "$cur"
}
