# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Guest side of the network test, sourced by /init (busybox sh), which
# provides vt_pass, vt_fail, vt_mark, vt_net_up, vt_load_modules.
# The host side is tests/e2e/guest_vdpa.sh; the two meet at these steps:
#   guest: MARK READY       host: pings the guest (64 and 1472 bytes)
#   guest: pings the host   (at the same time)
#   guest: listens on 5001  host: sends a file; guest: MARK rx-md5 SUM LEN
#   guest: sends a file to the host's port 5002: MARK tx-md5 SUM LEN first
#   guest: reloads virtio_net (device reset), MARK RELOADED, pings again
#                           host: pings the guest again, then connects to
#   guest: port 5009        which lets the guest power off.
# Settings (kernel command line vmtest.KEY=VALUE):
#   ip=ADDR/PREFIX (guest address), peer=ADDR (host address),
#   bulk=BYTES (default 4194304), iface=NAME (default eth0),
#   hold=SEC (how long to wait for the host at the end, default 120).

IFACE=${VMTEST_IFACE:-eth0}
BULK=${VMTEST_BULK:-4194304}
HOLD=${VMTEST_HOLD:-120}

# net_ping NAME SIZE: one warm-up ping (ARP), then 3 that must all come
# back at full size.
net_ping() {
	name=$1
	size=$2
	ping -c 1 -W 10 -s "$size" "$VMTEST_PEER" > /dev/null 2>&1 ||
		ping -c 1 -W 10 -s "$size" "$VMTEST_PEER" > /dev/null 2>&1
	out=$(ping -c 3 -W 5 -s "$size" "$VMTEST_PEER" 2>&1)
	got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	full=$(echo "$out" | grep -c "^$((size + 8)) bytes from")
	if [ "$got" = 3 ] && [ "$full" = 3 ]; then
		vt_pass "$name"
	else
		vt_fail "$name" "$got of 3 replies ($full at $((size + 8)) bytes):" \
			"$(echo "$out" | tail -n 2 | tr '\n' ' ')"
	fi
}

# net_wait_pid PID SEC: wait for a background job, at most SEC seconds.
net_wait_pid() {
	i=0
	while kill -0 "$1" 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt $(($2 * 5)) ]; then
			kill "$1" 2> /dev/null
			return 1
		fi
		sleep 0.2
	done
	wait "$1"
}

net_md5() { md5sum "$1" | cut -d' ' -f1; }

# A fifo held open for read and write: a listener's stdin that never
# reaches end of file (busybox nc stops when its stdin ends).
mkfifo /tmp/hold
exec 9<> /tmp/hold

net_test() {
	if ! vt_net_up "$IFACE" "$VMTEST_IP"; then
		vt_fail "net-up" "cannot configure $IFACE with $VMTEST_IP"
		return 1
	fi
	nc -l -p 5001 < /tmp/hold > /tmp/rx &
	rx_pid=$!
	vt_mark READY "$IFACE" "$(cat /sys/class/net/$IFACE/address)" \
		"features=$(cat /sys/class/net/$IFACE/device/features 2> /dev/null)"

	net_ping ping-to-host 56
	net_ping ping-to-host-1472 1472

	# Host to guest: the host compares the checksum.
	if net_wait_pid $rx_pid 120; then
		vt_mark rx-md5 "$(net_md5 /tmp/rx)" "$(wc -c < /tmp/rx)"
	else
		vt_fail bulk-from-host "nothing complete on port 5001 in 120 s" \
			"($(wc -c < /tmp/rx) bytes)"
	fi
	rm -f /tmp/rx

	# Guest to host.
	dd if=/dev/urandom of=/tmp/tx bs=65536 count=$((BULK / 65536)) \
		2> /dev/null
	vt_mark tx-md5 "$(net_md5 /tmp/tx)" "$(wc -c < /tmp/tx)"
	sent=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if nc -w 10 "$VMTEST_PEER" 5002 < /tmp/tx; then
			sent=1
			break
		fi
		sleep 1
	done
	if [ $sent = 1 ]; then
		vt_mark tx-done
	else
		vt_fail bulk-to-host "cannot connect to $VMTEST_PEER:5002"
	fi
	rm -f /tmp/tx

	# Device reset: the driver goes away and comes back.
	ip link set "$IFACE" down
	if ! rmmod virtio_net; then
		vt_fail reload "rmmod virtio_net failed"
		return 1
	fi
	[ -e "/sys/class/net/$IFACE" ] &&
		vt_fail reload "$IFACE still there after rmmod"
	if vt_load_modules && vt_net_up "$IFACE" "$VMTEST_IP"; then
		vt_pass reload
	else
		vt_fail reload "virtio_net did not come back"
		return 1
	fi
	nc -l -p 5009 < /tmp/hold > /dev/null &
	done_pid=$!
	vt_mark RELOADED
	net_ping ping-to-host-after-reload 56
	net_ping ping-to-host-1472-after-reload 1472

	# Stay up until the host has finished its side.
	net_wait_pid $done_pid "$HOLD" ||
		vt_fail host-done "the host did not finish in $HOLD s"
}

net_test
