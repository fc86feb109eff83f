#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# A Linux 6.12 guest with the kernel's vDPA simulator, for the vhost_vdpa
# parent's tests (tests/e2e/kvdpa_guest.sh). Idempotent:
#   1. downloads Debian bookworm's 6.12 kernel image, headers and source
#      packages (extracted under the work directory, never installed);
#   2. builds vringh, vdpa_sim and vdpa_sim_net out of tree (Debian's
#      6.12 has vhost_vdpa but not the simulator, nor vringh);
#   3. builds an initramfs: busybox, iproute2's vdpa, dpdk-testpmd and
#      its libraries, DPDK's virtio PMD (for DPDK's own path, side by
#      side), this tree's drivers and mdev-conformance, tests/kvdpa/init.
# Nothing of the kernel is committed: it comes from Debian at set-up.
#
#   tests/kvdpa/setup.sh BUILD_DIR      (work directory BUILD_DIR/kvdpa)
# Env: KVER (default 6.12.118+deb12-amd64).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
build=$(readlink -f "${1:?usage: setup.sh BUILD_DIR}")
W=$build/kvdpa
KVER=${KVER:-6.12.118+deb12-amd64}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$W/debs"
log() { echo "[kvdpa setup $(date +%T)] $*"; }

host_packages() {
	local need=()
	command -v qemu-system-x86_64 > /dev/null || need+=(qemu-system-x86)
	[ -x /bin/busybox ] && /bin/busybox --list | grep -qx usleep ||
		need+=(busybox-static)
	command -v cpio > /dev/null || need+=(cpio)
	command -v xz > /dev/null || need+=(xz-utils)
	[ -x /usr/sbin/vdpa ] || need+=(iproute2)
	command -v x86_64-linux-gnu-gcc-12 > /dev/null || need+=(gcc-12)
	command -v make > /dev/null || need+=(make)
	command -v bc > /dev/null || need+=(bc)
	command -v flex > /dev/null || need+=(flex)
	if [ ${#need[@]} -gt 0 ]; then
		log "apt-get install ${need[*]}"
		apt-get update -qq
		apt-get install -y --no-install-recommends "${need[@]}" > /dev/null
	fi
}

download() {
	local kv=${KVER%%+*} kabi=${KVER#*+} pv
	kabi=${kabi%-amd64}
	ls "$W"/debs/linux-image-"${KVER}"_*.deb > /dev/null 2>&1 &&
		ls "$W"/debs/linux-source-*.deb > /dev/null 2>&1 && return 0
	apt-cache show "linux-image-$KVER" > /dev/null 2>&1 || apt-get update -qq
	if ! apt-cache show "linux-image-$KVER" > /dev/null 2>&1; then
		# The mirror moved on: the newest bookworm 6.12 kernel.
		KVER=$(apt-cache search --names-only \
			'^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
			awk '{ print $1 }' | sed 's/^linux-image-//' | sort -V |
			tail -n 1)
		[ -n "$KVER" ] || { echo "no 6.12 kernel on the mirror" >&2; exit 1; }
		kv=${KVER%%+*}
		log "using $KVER"
	fi
	pv=$(apt-cache show "linux-image-$KVER" | sed -n 's/^Version: //p' |
		head -1)
	log "downloading kernel packages $KVER ($pv)"
	(cd "$W/debs" && apt-get download "linux-image-$KVER" \
		"linux-headers-$KVER" "linux-headers-$kv+$kabi-common" \
		"linux-kbuild-$kv+$kabi" "linux-source-${kv%.*}=$pv" 2>&1 |
		grep -v 'unsandboxed' || true)
}

extract() {
	local kv=${KVER%%+*} hdr=$W/hroot/usr/src/linux-headers-$KVER d
	if [ ! -s "$W/vmlinuz" ] || [ ! -d "$W/kroot/lib/modules/$KVER" ]; then
		log "extracting the kernel image"
		rm -rf "$W/kroot"
		dpkg-deb -x "$W"/debs/linux-image-"${KVER}"_*.deb "$W/kroot"
		depmod -b "$W/kroot" "$KVER"
		cp "$W/kroot/boot/vmlinuz-$KVER" "$W/vmlinuz"
	fi
	if [ ! -f "$hdr/.config" ]; then
		log "extracting the headers"
		rm -rf "$W/hroot"
		for d in "$W"/debs/linux-headers-* "$W"/debs/linux-kbuild-*; do
			dpkg-deb -x "$d" "$W/hroot"
		done
		# The arch Makefile includes the common one by absolute path.
		sed -i "s|^include /usr/src/|include $W/hroot/usr/src/|" \
			"$hdr/Makefile"
	fi
	SRC=$W/src/linux-source-${kv%.*}
	if [ ! -f "$SRC/drivers/vdpa/vdpa_sim/vdpa_sim_net.c" ]; then
		log "extracting vdpa_sim and vringh sources"
		mkdir -p "$W/src"
		dpkg-deb --fsys-tarfile "$W"/debs/linux-source-*.deb |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			xz -dc | tar -x -C "$W/src" --wildcards \
			'*/drivers/vdpa/vdpa_sim/*' '*/drivers/vhost/vringh.c'
	fi
}

modules() {
	local m=$W/mod hdr=$W/hroot/usr/src/linux-headers-$KVER
	[ -f "$m/vdpa_sim_net.ko" ] && return 0
	rm -rf "$m"
	mkdir -p "$m"
	cp "$SRC"/drivers/vdpa/vdpa_sim/vdpa_sim.c \
		"$SRC"/drivers/vdpa/vdpa_sim/vdpa_sim.h \
		"$SRC"/drivers/vdpa/vdpa_sim/vdpa_sim_net.c \
		"$SRC"/drivers/vhost/vringh.c "$m/"
	echo 'obj-m += vringh.o vdpa_sim.o vdpa_sim_net.o' > "$m/Kbuild"
	log "building vringh, vdpa_sim, vdpa_sim_net"
	# No per-module BTF: it needs pahole and loading does not.
	nice -n 10 make -C "$hdr" M="$m" CONFIG_DEBUG_INFO_BTF_MODULES= -j2 \
		modules > "$m/build.log" 2>&1 || { tail -30 "$m/build.log"; exit 1; }
}

# Copy a file and the symlinks leading to it, keeping the chain (EAL
# dlopen()s plugins by path: a second copy of a library it already
# has would be loaded twice).
copy_chain() {
	local f=$1 t
	while [ -L "$f" ]; do
		mkdir -p "$R$(dirname "$f")"
		cp -P "$f" "$R$f"
		t=$(readlink "$f")
		case $t in /*) f=$t ;; *) f=$(dirname "$f")/$t ;; esac
	done
	mkdir -p "$R$(dirname "$f")"
	cp "$f" "$R$f"
}

initramfs() {
	local md=$W/kroot/lib/modules/$KVER m rel f files
	local pmd=/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0
	R=$(mktemp -d "$W/root.XXXX")
	trap 'rm -rf "$R"' EXIT
	mkdir -p "$R"/usr/{bin,sbin,lib,lib64} "$R"/{proc,sys,dev,tmp,etc,var/run}
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$R/$d"; done
	mkdir -p "$R/lib/modules" "$R/usr/lib/mdev"
	cp /bin/busybox "$R/bin/busybox"
	for a in $("$R/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
	done
	: > "$R/etc/modules-load"
	# virtio_vdpa is not loaded: vhost_vdpa binds the device.
	for m in vhost_iotlb vringh vdpa vdpa_sim vdpa_sim_net irqbypass vhost \
			vhost_vdpa; do
		if [ -f "$W/mod/$m.ko" ]; then
			cp "$W/mod/$m.ko" "$R/lib/modules/"
		else
			rel=$(grep -E "(^|/)$m\.ko(\.xz)?:" "$md/modules.dep" |
				head -1 | cut -d: -f1)
			[ -n "$rel" ] || { echo "module $m not found" >&2; exit 1; }
			xz -dc "$md/$rel" > "$R/lib/modules/$m.ko"
		fi
		echo "$m" >> "$R/etc/modules-load"
	done
	files="/usr/sbin/vdpa /usr/bin/dpdk-testpmd"
	for p in librte_bus_vdev librte_net_virtio librte_mempool_ring; do
		files="$files $pmd/$p.so.23.0"
	done
	cp "$build"/drivers/librte_*.so "$R/usr/lib/mdev/"
	cp "$build/app/test-conformance/mdev-conformance" \
		"$build/examples/vdpa/vdpa-mdev" "$R/usr/lib/mdev/"
	for f in $files $(for x in $files "$R"/usr/lib/mdev/*; do ldd "$x"; done |
			awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				$1 ~ /^\// { print $1 }' | sort -u) \
			/lib64/ld-linux-x86-64.so.2; do
		case $f in "$build"/*) continue ;; esac
		copy_chain "$f"
	done
	# Debian keeps driver libraries in the plugin directory, with links
	# to them in the library directory: a plugin's dependencies are
	# found through those links.
	for f in "$R$pmd"/*; do
		f=/usr/lib/x86_64-linux-gnu/$(basename "$f")
		[ -L "$f" ] && [ ! -e "$R$f" ] && cp -P "$f" "$R$f"
	done
	cp "$here/deviations" "$R/etc/kvdpa-deviations"
	cp "$here/init" "$R/init"
	chmod +x "$R/init"
	(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > \
		"$W/initramfs.cpio.gz"
	rm -rf "$R"
	trap - EXIT
	log "initramfs $(du -h "$W/initramfs.cpio.gz" | cut -f1)"
}

host_packages
download
extract
modules
initramfs
log "ready: $W/vmlinuz $W/initramfs.cpio.gz"
