# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Guest side of the loopback-wire check, sourced by /init (busybox sh).
# For a device whose wire is a loopback (the mdev sim's wire=loopback):
# every frame the guest transmits must come back to it. The guest sends
# ICMP echo requests at 64 and 1472 bytes of payload to an address whose
# neighbour entry is its own MAC (so no ARP, and nothing answers), and
# checks that the interface counted at least as many frames and bytes
# received as sent. Then it reloads virtio_net (device reset) and checks again.
# Needs nothing on the host side. Settings (vmtest.KEY=VALUE):
#   ip=ADDR/PREFIX, iface=NAME (default eth0), count=N (default 20)

IFACE=${VMTEST_IFACE:-eth0}
COUNT=${VMTEST_COUNT:-20}
# Any address of the guest's subnet other than its own.
LOOP_DST=${VMTEST_IP%%/*}
LOOP_DST=${LOOP_DST%.*}.9

loop_stat() { cat "/sys/class/net/$IFACE/statistics/$1"; }

# loop_check NAME SIZE: COUNT frames out, as many frames and bytes in.
loop_check() {
	name=$1
	tp=$(loop_stat tx_packets); tb=$(loop_stat tx_bytes)
	rp=$(loop_stat rx_packets); rb=$(loop_stat rx_bytes)
	ping -q -c "$COUNT" -i 0.05 -W 1 -s "$2" -p a5 "$LOOP_DST" \
		> /dev/null 2>&1
	# Frames in flight come back within a moment.
	i=0
	while [ $i -lt 20 ]; do
		[ $(($(loop_stat rx_packets) - rp)) -ge \
			$(($(loop_stat tx_packets) - tp)) ] && break
		sleep 0.1
		i=$((i + 1))
	done
	dtp=$(($(loop_stat tx_packets) - tp)); dtb=$(($(loop_stat tx_bytes) - tb))
	drp=$(($(loop_stat rx_packets) - rp)); drb=$(($(loop_stat rx_bytes) - rb))
	# At least as much in as out: a frame the guest sent just before the
	# window (it sends a few of its own) may come back inside it.
	if [ $dtp -ge "$COUNT" ] && [ $drp -ge $dtp ] && [ $drb -ge $dtb ]; then
		vt_pass "$name"
	else
		vt_fail "$name" "sent $dtp frames $dtb bytes, got back" \
			"$drp frames $drb bytes (rx dropped" \
			"$(loop_stat rx_dropped), tx errors $(loop_stat tx_errors))"
	fi
}

loop_up() {
	vt_wait_iface "$IFACE" 20 || return 1
	# No IPv6 chatter (router solicitations, DAD) next to the counted
	# frames.
	echo 1 > "/proc/sys/net/ipv6/conf/$IFACE/disable_ipv6" 2> /dev/null
	vt_net_up "$IFACE" "$VMTEST_IP" || return 1
	# busybox ip has no "neigh add": arp -s makes a permanent entry.
	arp -i "$IFACE" -s "$LOOP_DST" "$(cat /sys/class/net/$IFACE/address)"
}

loop_test() {
	if ! loop_up; then
		vt_fail "net-up" "cannot configure $IFACE with $VMTEST_IP"
		return 1
	fi
	vt_mark READY "$IFACE" "$(cat /sys/class/net/$IFACE/address)" \
		"features=$(cat /sys/class/net/$IFACE/device/features 2> /dev/null)"
	loop_check loop-64 56
	loop_check loop-1472 1472

	ip link set "$IFACE" down
	if ! rmmod virtio_net; then
		vt_fail reload "rmmod virtio_net failed"
		return 1
	fi
	if vt_load_modules && loop_up; then
		vt_pass reload
	else
		vt_fail reload "virtio_net did not come back"
		return 1
	fi
	vt_mark RELOADED
	loop_check loop-64-after-reload 56
	loop_check loop-1472-after-reload 1472
}

loop_test
