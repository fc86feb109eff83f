#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Build a tiny Linux guest for the end-to-end tests, from Debian's own
# packages, into $GUEST_DIR (default build/guest; never committed):
#   vmlinuz     the kernel of the package linux-image-amd64 points to
#   initrd.gz   busybox-static, the virtio-net modules and what they
#               depend on (from modules.dep), tests/guest/init as /init
#               and tests/guest/scripts/*.sh as /tests/*.sh
# The kernel package is downloaded once (apt-get download) and unpacked
# with dpkg-deb -x; nothing is installed on the host but the tools
# (qemu-system-x86, busybox-static, cpio, kmod) when they are missing.
# The initramfs is rebuilt whenever the init, a guest script or the
# kernel changed (a hash of them is kept beside it). Concurrent runs
# (two test runs at once) take turns on a lock in $GUEST_DIR.
#
# Usage: tests/guest/build.sh [-q]
#   GUEST_DIR=dir           where to build (default <repo>/build/guest)
#   GUEST_KERNEL_PKG=name   a linux-image-* package to use instead
#   GUEST_NO_INSTALL=1      never apt-get install the host tools
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/guest
out=${GUEST_DIR:-$top/build/guest}
quiet=0
[ "${1:-}" = -q ] && quiet=1

# The modules the guest loads, in load order (checked on Debian's 6.1
# kernel: the virtio core and its PCI transport are modules there).
# Their dependencies from modules.dep are added ahead of each one.
GUEST_MODULES="virtio_ring virtio virtio_pci_legacy_dev
	virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"

log() { [ $quiet = 1 ] || printf 'guest-build: %s\n' "$*"; }
die() { printf 'guest-build: error: %s\n' "$*" >&2; exit 1; }

# Install the host tools this needs when one is missing (root only).
host_tools() {
	need=""
	command -v qemu-system-x86_64 > /dev/null || need="$need qemu-system-x86"
	[ -x /bin/busybox ] || need="$need busybox-static"
	command -v cpio > /dev/null || need="$need cpio"
	command -v depmod > /dev/null || need="$need kmod"
	[ -z "$need" ] && return 0
	[ "${GUEST_NO_INSTALL:-0}" = 1 ] && die "missing packages:$need"
	[ "$(id -u)" = 0 ] || die "missing packages:$need (run as root)"
	log "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends $need > /dev/null 2>&1 ||
		{ apt-get update -q > /dev/null &&
		apt-get install -y -q --no-install-recommends $need > /dev/null; } ||
		die "apt-get install$need failed"
}

# The versioned kernel package linux-image-amd64 depends on.
kernel_pkg() {
	if [ -n "${GUEST_KERNEL_PKG:-}" ]; then
		echo "$GUEST_KERNEL_PKG"
		return 0
	fi
	pkg=$(apt-cache depends linux-image-amd64 2> /dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' |
		head -n 1)
	if [ -z "$pkg" ]; then
		apt-get update -q > /dev/null 2>&1 || true
		pkg=$(apt-cache depends linux-image-amd64 2> /dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' |
			head -n 1)
	fi
	[ -n "$pkg" ] || die "cannot tell which kernel linux-image-amd64 points to"
	echo "$pkg"
}

# Download and unpack the kernel package once; leave $out/kernel/ with
# boot/vmlinuz-* and lib/modules/<ver>/ including a fresh modules.dep.
fetch_kernel() {
	pkg=$1
	stamp=$out/kernel/.package
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pkg" ] &&
			[ -f "$out/vmlinuz" ]; then
		return 0
	fi
	mkdir -p "$out/deb"
	deb=$(ls "$out/deb/${pkg}_"*.deb 2> /dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		log "downloading $pkg"
		# _apt cannot write into a root-only tree: that warning is noise.
		(cd "$out/deb" && apt-get download -q "$pkg" > /dev/null 2>&1) ||
			die "apt-get download $pkg failed"
		deb=$(ls "$out/deb/${pkg}_"*.deb | head -n 1)
		# Kernels linux-image-amd64 pointed to before are not needed.
		find "$out/deb" -name '*.deb' ! -name "${pkg}_*" -delete
	fi
	log "unpacking $(basename "$deb")"
	rm -rf "$out/kernel"
	mkdir -p "$out/kernel"
	dpkg-deb -x "$deb" "$out/kernel"
	kver=$(ls "$out/kernel/lib/modules" | head -n 1)
	[ -n "$kver" ] || die "no lib/modules in $deb"
	# The package ships no modules.dep (its postinst runs depmod).
	depmod -b "$out/kernel" "$kver" ||
		die "depmod -b $out/kernel $kver failed"
	cp "$out/kernel/boot/vmlinuz-$kver" "$out/vmlinuz.tmp" &&
		mv -f "$out/vmlinuz.tmp" "$out/vmlinuz"
	echo "$pkg" > "$stamp"
}

# Print the module files (relative to lib/modules/<ver>) to load for
# GUEST_MODULES, dependencies first, each once.
module_list() {
	dep=$1
	seen=" "
	for m in $GUEST_MODULES; do
		line=$(grep -E "/${m}\.ko(\.[a-z]+)?:" "$dep" | head -n 1)
		[ -n "$line" ] || die "module $m not found in modules.dep"
		file=${line%%:*}
		# modules.dep lists a module's dependencies nearest first:
		# load them in reverse order.
		deps=$(echo "${line#*:}" | tr ' ' '\n' | sed '/^$/d' | tac)
		for f in $deps $file; do
			case $seen in
			*" $f "*) ;;
			*) seen="$seen$f "; echo "$f" ;;
			esac
		done
	done
}

# A hash of everything the initramfs is made of.
initramfs_inputs() {
	{
		cat "$out/kernel/.package"
		echo "$GUEST_MODULES"
		cat "$here/init" "$here"/scripts/*.sh
		for s in ${GUEST_EXTRA_SCRIPTS:-}; do cat "$s"; done
	} | sha256sum | cut -d' ' -f1
}

build_initramfs() {
	sum=$(initramfs_inputs)
	if [ -f "$out/initrd.gz" ] && [ -f "$out/initrd.sum" ] &&
			[ "$(cat "$out/initrd.sum")" = "$sum" ]; then
		return 0
	fi
	kver=$(ls "$out/kernel/lib/modules" | head -n 1)
	mdir=$out/kernel/lib/modules/$kver
	root=$out/initramfs
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" \
		"$root/dev" "$root/tmp" "$root/etc" "$root/lib/modules" \
		"$root/tests" "$root/root"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	: > "$root/lib/modules/order"
	for f in $(module_list "$mdir/modules.dep"); do
		name=$(basename "$f")
		case $name in
		*.ko) cp "$mdir/$f" "$root/lib/modules/$name" ;;
		*.ko.xz) xz -dc "$mdir/$f" > "$root/lib/modules/${name%.xz}" ;;
		*.ko.zst) zstd -qdc "$mdir/$f" > "$root/lib/modules/${name%.zst}" ;;
		*.ko.gz) gzip -dc "$mdir/$f" > "$root/lib/modules/${name%.gz}" ;;
		*) die "unknown module file $f" ;;
		esac
		name=${name%.ko*}.ko
		echo "$name" >> "$root/lib/modules/order"
	done
	echo "$kver" > "$root/etc/kernel-release"
	cp "$here/init" "$root/init"
	chmod 0755 "$root/init"
	for s in "$here"/scripts/*.sh; do
		[ -e "$s" ] || continue
		install -m 0755 "$s" "$root/tests/$(basename "$s")"
	done
	# Extra guest scripts from elsewhere (a test may bake in its own).
	for s in ${GUEST_EXTRA_SCRIPTS:-}; do
		install -m 0755 "$s" "$root/tests/$(basename "$s")"
	done
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 \
		--quiet) | gzip -6 > "$out/initrd.gz.tmp"
	mv -f "$out/initrd.gz.tmp" "$out/initrd.gz"
	echo "$sum" > "$out/initrd.sum"
	log "initramfs $(wc -c < "$out/initrd.gz") bytes, modules:" \
		"$(tr '\n' ' ' < "$root/lib/modules/order")"
}

host_tools
mkdir -p "$out"
# One build at a time; QEMU reads the files only at start, and they are
# replaced by rename, so a running guest is not disturbed.
exec 9> "$out/.lock"
flock -w 600 9 || die "$out/.lock: another build holds it for 10 minutes"
fetch_kernel "$(kernel_pkg)"
build_initramfs
log "ready: $out/vmlinuz $out/initrd.gz"
