/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Devargs shared by every parent: "class=" picks the consumer, and a
 * parent accepts its own keys plus those of any loaded consumer.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_kvargs.h>

#include "mdev_private.h"

int
rte_mdev_parse_class(const char *who, const char *value,
		enum rte_mdev_consumer *consumer)
{
	unsigned int i;

	if (value == NULL || value[0] == '\0') {
		*consumer = RTE_MDEV_CONSUMER_NET;
		return 0;
	}
	for (i = 0; i <= RTE_MDEV_CONSUMER_VDPA; i++) {
		if (strcmp(value, rte_mdev_consumer_name(i)) == 0) {
			*consumer = i;
			return 0;
		}
	}
	MDEV_LOG(ERR, "%s: invalid devarg class=%s (accepted: net, vdpa)",
		who, value);
	return -EINVAL;
}

static bool
key_in(const char *key, const char * const *keys)
{
	if (keys == NULL)
		return false;
	for (; *keys != NULL; keys++)
		if (strcmp(key, *keys) == 0)
			return true;
	return false;
}

static bool
key_known(const char *key, const char * const *parent_keys)
{
	const struct rte_mdev_driver *drv;

	if (strcmp(key, "class") == 0 || key_in(key, parent_keys))
		return true;
	TAILQ_FOREACH(drv, &mdev_drivers, next)
		if (key_in(key, drv->devargs_keys))
			return true;
	return false;
}

static void
append_keys(char *buf, size_t size, const char * const *keys)
{
	size_t len;

	for (; keys != NULL && *keys != NULL; keys++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", *keys);
	}
}

static void
log_unknown_key(const char *who, const char *key,
		const char * const *parent_keys)
{
	static const char * const class_key[] = { "class", NULL };
	const struct rte_mdev_driver *drv;
	char accepted[512] = "";

	append_keys(accepted, sizeof(accepted), parent_keys);
	append_keys(accepted, sizeof(accepted), class_key);
	TAILQ_FOREACH(drv, &mdev_drivers, next)
		append_keys(accepted, sizeof(accepted), drv->devargs_keys);
	MDEV_LOG(ERR, "%s: unknown devarg \"%s\" (accepted: %s)", who, key,
		accepted);
}

int
rte_mdev_check_devargs(const char *who, const char *args,
		const char * const *parent_keys)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	if (args == NULL || args[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		MDEV_LOG(ERR, "%s: cannot parse devargs \"%s\" (expected key=value,...)",
			who, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count; i++) {
		if (!key_known(kv->pairs[i].key, parent_keys)) {
			log_unknown_key(who, kv->pairs[i].key, parent_keys);
			ret = -EINVAL;
			break;
		}
	}
	rte_kvargs_free(kv);
	return ret;
}

uint64_t
rte_mdev_name_hash(const char *name, uint64_t seed)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;

	for (; *name != '\0'; name++) {
		h ^= (uint8_t)*name;
		h *= UINT64_C(0x100000001b3);
	}
	/* splitmix64's finaliser: spread every input bit over the output. */
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	return h ^ (h >> 31);
}

void
rte_mdev_uuid_from_name(const char *name, rte_uuid_t uuid)
{
	uint64_t a = rte_mdev_name_hash(name, 0);
	uint64_t b = rte_mdev_name_hash(name, a ^ UINT64_C(0xcbf29ce484222325) ^
		UINT64_C(0x9e3779b97f4a7c15));
	int i;

	for (i = 0; i < 8; i++) {
		uuid[i] = a >> (56 - 8 * i);
		uuid[8 + i] = b >> (56 - 8 * i);
	}
	/* RFC 9562 version 8 (vendor-specific), RFC 4122 variant. */
	uuid[6] = (uuid[6] & 0x0f) | 0x80;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
}
