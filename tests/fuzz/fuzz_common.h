/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/*
 * Shared by the libFuzzer harnesses of tests/fuzz: a cursor over the
 * input that reads zeros once the input is used up (so that short inputs
 * are still whole ones), EAL set up once, quietly, without hugepages.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fz {
	const uint8_t *p;
	size_t left;
};

static inline void
fz_init(struct fz *f, const uint8_t *data, size_t size)
{
	f->p = data;
	f->left = size;
}

static inline uint8_t
fz_u8(struct fz *f)
{
	if (f->left == 0)
		return 0;
	f->left--;
	return *f->p++;
}

static inline uint16_t
fz_u16(struct fz *f)
{
	uint16_t v = fz_u8(f);

	return v | (uint16_t)fz_u8(f) << 8;
}

static inline uint32_t
fz_u32(struct fz *f)
{
	uint32_t v = fz_u16(f);

	return v | (uint32_t)fz_u16(f) << 16;
}

/* Copy up to len bytes of what is left; zero the rest of dst. */
static inline size_t
fz_bytes(struct fz *f, void *dst, size_t len)
{
	size_t n = len < f->left ? len : f->left;

	memcpy(dst, f->p, n);
	memset((uint8_t *)dst + n, 0, len - n);
	f->p += n;
	f->left -= n;
	return n;
}

/*
 * rte_eal_init once, in memory only (no hugepages, no shared files, no
 * PCI), logs off unless FUZZ_VERBOSE is set in the environment.
 * Exits the process on failure.
 */
void fuzz_eal_init(const char *prog);

/* Logs off (or on with FUZZ_VERBOSE), without EAL. */
void fuzz_quiet_logs(void);

#endif /* FUZZ_COMMON_H */
