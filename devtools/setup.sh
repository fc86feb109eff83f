#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Prepare a Debian 12 machine (as root) to build and run virtio-mdev:
# packages, DPDK driver-SDK headers from Debian's own dpdk source package
# of exactly the installed version, hugepages and a hugetlbfs mount.
# Idempotent: every step checks whether it is already done.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
sdk=$build/sdk
pages=${HUGEPAGES:-1024}
pkgs="dpdk dpdk-dev libdpdk-dev meson ninja-build libnuma-dev
	python3-pyelftools pkg-config gcc libc6-dev linux-libc-dev xz-utils
	python3-matplotlib"

log() { printf 'setup: %s\n' "$*"; }

install_packages() {
	missing=""
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q $missing >/dev/null
}

# A deb-src entry mirroring the machine's first Debian "deb" source.
ensure_deb_src() {
	if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list \
			/etc/apt/sources.list.d/; then
		return 0
	fi
	log "adding a deb-src entry for bookworm"
	cat > /etc/apt/sources.list.d/virtio-mdev-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt-get update -q >/dev/null
}

# The driver-SDK headers: internal DPDK headers a driver needs but
# libdpdk-dev does not install. Only these files are extracted.
SDK_HEADERS="
lib/eal/include/bus_driver.h
lib/eal/include/dev_driver.h
lib/ethdev/ethdev_driver.h
lib/ethdev/ethdev_vdev.h
lib/vhost/vdpa_driver.h
drivers/bus/vdev/bus_vdev_driver.h
"

fetch_sdk_headers() {
	ver=$(dpkg-query -W -f='${Version}' libdpdk-dev)
	stamp=$sdk/.version
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ]; then
		return 0
	fi
	ensure_deb_src
	dl=$build/sdk-download
	rm -rf "$dl" "$sdk"
	mkdir -p "$dl" "$sdk/include"
	log "fetching Debian's dpdk source package $ver for the SDK headers"
	(cd "$dl" && apt-get source -q --download-only "dpdk=$ver" >/dev/null)
	orig=$(ls "$dl"/dpdk_*.orig.tar.* | head -n 1)
	members=""
	for h in $SDK_HEADERS; do
		members="$members */$h"
	done
	# shellcheck disable=SC2086
	tar -xf "$orig" -C "$dl" --wildcards $members
	for h in $SDK_HEADERS; do
		cp "$(ls "$dl"/*/"$h")" "$sdk/include/"
	done
	rm -rf "$dl"
	echo "$ver" > "$stamp"
}

setup_hugepages() {
	have=$(cat /proc/sys/vm/nr_hugepages)
	if [ "$have" -lt "$pages" ]; then
		log "reserving $pages hugepages of 2 MiB"
		echo "$pages" > /proc/sys/vm/nr_hugepages
	fi
	if ! grep -qs ' hugetlbfs ' /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs nodev /dev/hugepages
	fi
}

install_packages
fetch_sdk_headers
setup_hugepages
log "ready (SDK headers in $sdk/include)"
