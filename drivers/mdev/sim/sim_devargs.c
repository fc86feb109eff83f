/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Devargs of "--vdev mdev_simN,...". Every bad value gets one error line
 * naming the key, the value and what is accepted; keys of the consumer
 * drivers pass through (the bus checks them).
 */

/* CPU_SET and pthread_setaffinity_np are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "sim.h"

/* "class" is the bus's own key: rte_mdev_check_devargs accepts it. */
const char * const sim_devargs_keys[] = {
	"uuid", "queues", "queue_size", "mac", "mtu", "features", "wire",
	"engine", "cpu", "packed_vq", "in_order", "mrg_rxbuf", "event_idx",
	"indirect", "mq", "ctrl_vq", "csum", "tso", "guest_tso", "log_dirty",
	NULL,
};

/* Feature switches, named as DPDK's virtio-user names them. */
static const struct {
	const char *key;
	unsigned int bit;
} sim_feature_args[] = {
	{ "packed_vq", VIRTIO_F_RING_PACKED },
	{ "in_order", VIRTIO_F_IN_ORDER },
	{ "mrg_rxbuf", VIRTIO_NET_F_MRG_RXBUF },
	{ "event_idx", VIRTIO_RING_F_EVENT_IDX },
	{ "indirect", VIRTIO_RING_F_INDIRECT_DESC },
	{ "mq", VIRTIO_NET_F_MQ },
	{ "ctrl_vq", VIRTIO_NET_F_CTRL_VQ },
	/* Both directions: VIRTIO_NET_F_CSUM and VIRTIO_NET_F_GUEST_CSUM. */
	{ "csum", VIRTIO_NET_F_CSUM },
	{ "csum", VIRTIO_NET_F_GUEST_CSUM },
	/* Segmentation, by direction: the device's (tx) and the driver's. */
	{ "tso", VIRTIO_NET_F_HOST_TSO4 },
	{ "tso", VIRTIO_NET_F_HOST_TSO6 },
	{ "guest_tso", VIRTIO_NET_F_GUEST_TSO4 },
	{ "guest_tso", VIRTIO_NET_F_GUEST_TSO6 },
};

struct sim_parse_ctx {
	const char *name;
	struct sim_params *p;
	bool has_cpu;
};

static int
sim_bad(const struct sim_parse_ctx *c, const char *key, const char *value,
		const char *accepted)
{
	SIM_LOG(ERR, "%s: invalid devarg %s=%s (accepted: %s)", c->name, key,
		value != NULL ? value : "", accepted);
	return -EINVAL;
}

/* Unsigned integer in [min, max], the whole string, in the given base. */
static int
sim_uint(const char *value, int base, uint64_t min, uint64_t max,
		uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (value == NULL || value[0] == '\0' || value[0] == '-' ||
			value[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(value, &end, base);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
sim_arg_uuid(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;

	if (value == NULL || rte_uuid_parse(value, c->p->uuid) != 0)
		return sim_bad(c, key, value,
			"a UUID, 8-4-4-4-12 hexadecimal digits");
	c->p->has_uuid = true;
	return 0;
}

static int
sim_arg_queues(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	uint64_t v;

	if (sim_uint(value, 10, 1, SIM_MAX_PAIRS, &v) != 0)
		return sim_bad(c, key, value, "1 to " RTE_STR(SIM_MAX_PAIRS));
	c->p->queues = v;
	return 0;
}

static int
sim_arg_queue_size(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	uint64_t v;

	if (sim_uint(value, 10, SIM_QSIZE_MIN, SIM_QSIZE_MAX, &v) != 0 ||
			!rte_is_power_of_2(v))
		return sim_bad(c, key, value, "a power of two from "
			RTE_STR(SIM_QSIZE_MIN) " to " RTE_STR(SIM_QSIZE_MAX));
	c->p->queue_size = v;
	return 0;
}

static int
sim_arg_mac(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	struct rte_ether_addr *mac = &c->p->mac;

	if (value == NULL || rte_ether_unformat_addr(value, mac) != 0 ||
			!rte_is_valid_assigned_ether_addr(mac))
		return sim_bad(c, key, value,
			"a unicast, non-zero MAC address xx:xx:xx:xx:xx:xx");
	c->p->has_mac = true;
	return 0;
}

static int
sim_arg_mtu(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	uint64_t v;

	if (sim_uint(value, 10, SIM_MTU_MIN, SIM_MTU_MAX, &v) != 0)
		return sim_bad(c, key, value, RTE_STR(SIM_MTU_MIN) " to "
			RTE_STR(SIM_MTU_MAX));
	c->p->mtu = v;
	return 0;
}

static int
sim_arg_features(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	uint64_t v;

	if (sim_uint(value, 16, 0, UINT64_MAX, &v) != 0)
		return sim_bad(c, key, value,
			"a hexadecimal feature mask such as 0x1ffffffff");
	if (!(v & (UINT64_C(1) << VIRTIO_F_VERSION_1)))
		return sim_bad(c, key, value,
			"a mask keeping bit 32, VIRTIO_F_VERSION_1: the device has no legacy mode");
	c->p->features = v;
	return 0;
}

static int
sim_arg_wire(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;

	/* The port itself is looked up at probe (sim_wire_open). */
	if (value == NULL || value[0] == '\0' ||
			strlen(value) >= sizeof(c->p->wire) ||
			strcmp(value, c->name) == 0)
		return sim_bad(c, key, value,
			"loopback, or the name of an ethdev port created earlier on the command line such as net_tap0");
	if (strcmp(value, "loopback") == 0)
		c->p->wire[0] = '\0';
	else
		strlcpy(c->p->wire, value, sizeof(c->p->wire));
	return 0;
}

static int
sim_arg_engine(const char *key, const char *value, void *opaque)
{
	static const char * const names[] = {
		[SIM_ENGINE_AUTO] = "auto",
		[SIM_ENGINE_SERVICE] = "service",
		[SIM_ENGINE_THREAD] = "thread",
	};
	struct sim_parse_ctx *c = opaque;
	unsigned int i;

	for (i = 0; value != NULL && i < RTE_DIM(names); i++) {
		if (strcmp(value, names[i]) == 0) {
			c->p->engine = i;
			return 0;
		}
	}
	return sim_bad(c, key, value, "auto, service, thread");
}

static int
sim_arg_cpu(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	char accepted[64];
	uint64_t v;

	if (ncpu < 1 || ncpu > CPU_SETSIZE)
		ncpu = CPU_SETSIZE;
	snprintf(accepted, sizeof(accepted), "a CPU number from 0 to %ld",
		ncpu - 1);
	if (sim_uint(value, 10, 0, ncpu - 1, &v) != 0)
		return sim_bad(c, key, value, accepted);
	c->p->cpu = v;
	c->has_cpu = true;
	return 0;
}

/* packed_vq=0|1 ...: offer (1) or withhold (0) one feature. */
static int
sim_arg_feature(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;
	unsigned int i;
	uint64_t bit;

	for (i = 0; i < RTE_DIM(sim_feature_args); i++)
		if (strcmp(key, sim_feature_args[i].key) == 0)
			break;
	if (i == RTE_DIM(sim_feature_args) || value == NULL ||
			(strcmp(value, "0") != 0 && strcmp(value, "1") != 0))
		return sim_bad(c, key, value,
			"0 (withhold the feature) or 1 (offer it)");
	/* A key may name several features (csum, tso, guest_tso). */
	bit = 0;
	for (; i < RTE_DIM(sim_feature_args); i++)
		if (strcmp(key, sim_feature_args[i].key) == 0)
			bit |= UINT64_C(1) << sim_feature_args[i].bit;
	if (value[0] == '1') {
		c->p->feat_on |= bit;
		c->p->feat_off &= ~bit;
	} else {
		c->p->feat_off |= bit;
		c->p->feat_on &= ~bit;
	}
	return 0;
}

/*
 * log_dirty=0|1: offer (default) or withhold RTE_VIRTIO_MDEV_F_LOG_DIRTY,
 * so that consumers' fallbacks (the vDPA driver's used ring relay) can
 * be tested.
 */
static int
sim_arg_log_dirty(const char *key, const char *value, void *opaque)
{
	struct sim_parse_ctx *c = opaque;

	if (value == NULL ||
			(strcmp(value, "0") != 0 && strcmp(value, "1") != 0))
		return sim_bad(c, key, value,
			"0 (no dirty page logging) or 1 (log dirty pages)");
	c->p->no_log_dirty = value[0] == '0';
	return 0;
}

static const struct {
	const char *key;
	arg_handler_t fn;
} sim_handlers[] = {
	{ "uuid", sim_arg_uuid },
	{ "queues", sim_arg_queues },
	{ "queue_size", sim_arg_queue_size },
	{ "mac", sim_arg_mac },
	{ "mtu", sim_arg_mtu },
	{ "features", sim_arg_features },
	{ "wire", sim_arg_wire },
	{ "engine", sim_arg_engine },
	{ "cpu", sim_arg_cpu },
	{ "packed_vq", sim_arg_feature },
	{ "in_order", sim_arg_feature },
	{ "mrg_rxbuf", sim_arg_feature },
	{ "event_idx", sim_arg_feature },
	{ "indirect", sim_arg_feature },
	{ "mq", sim_arg_feature },
	{ "ctrl_vq", sim_arg_feature },
	{ "csum", sim_arg_feature },
	{ "tso", sim_arg_feature },
	{ "guest_tso", sim_arg_feature },
	{ "log_dirty", sim_arg_log_dirty },
};

static void
sim_params_default(struct sim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->consumer = RTE_MDEV_CONSUMER_NET;
	p->queues = 1;
	p->queue_size = SIM_QSIZE_DEF;
	p->mtu = SIM_MTU_DEF;
	p->features = UINT64_MAX;
	p->engine = SIM_ENGINE_AUTO;
	p->cpu = -1;
}

static int
sim_parse_kvargs(struct sim_parse_ctx *c, const char *args)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		SIM_LOG(ERR, "%s: cannot parse devargs \"%s\" (expected key=value,...)",
			c->name, args);
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(sim_handlers) && ret == 0; i++)
		ret = rte_kvargs_process(kv, sim_handlers[i].key,
			sim_handlers[i].fn, c);
	if (ret == 0 && rte_mdev_parse_class(c->name,
			rte_kvargs_get(kv, "class"), &c->p->consumer) != 0)
		ret = -EINVAL;
	rte_kvargs_free(kv);
	return ret < 0 ? -EINVAL : 0;
}

/*
 * The specification makes segmentation depend on the checksum feature of
 * its direction (HOST_TSO on CSUM, GUEST_TSO on GUEST_CSUM): asking for
 * one without the other is refused. Left at its default, TSO simply
 * goes with csum=0 (sim_dev_init_state).
 */
static int
sim_check_tso(const char *name, const struct sim_params *p)
{
	uint64_t csum = UINT64_C(1) << VIRTIO_NET_F_CSUM;
	uint64_t tso = UINT64_C(1) << VIRTIO_NET_F_HOST_TSO4;
	uint64_t gtso = UINT64_C(1) << VIRTIO_NET_F_GUEST_TSO4;

	if ((p->feat_off & csum) && (p->feat_on & tso)) {
		SIM_LOG(ERR, "%s: invalid devarg tso=1 with csum=0 (accepted: tso=1 only with csum=1, as HOST_TSO4/6 require VIRTIO_NET_F_CSUM)",
			name);
		return -EINVAL;
	}
	if ((p->feat_off & csum) && (p->feat_on & gtso)) {
		SIM_LOG(ERR, "%s: invalid devarg guest_tso=1 with csum=0 (accepted: guest_tso=1 only with csum=1, as GUEST_TSO4/6 require VIRTIO_NET_F_GUEST_CSUM)",
			name);
		return -EINVAL;
	}
	return 0;
}

int
sim_parse_devargs(const char *name, const char *args, struct sim_params *p)
{
	struct sim_parse_ctx c = { .name = name, .p = p };

	sim_params_default(p);
	if (args != NULL && args[0] != '\0') {
		if (rte_mdev_check_devargs(name, args, sim_devargs_keys) != 0 ||
				sim_parse_kvargs(&c, args) != 0)
			return -EINVAL;
	}
	if ((p->feat_on & (UINT64_C(1) << VIRTIO_NET_F_MQ)) &&
			(p->feat_off & (UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ))) {
		SIM_LOG(ERR, "%s: invalid devarg mq=1 with ctrl_vq=0 (accepted: mq=1 only with ctrl_vq=1, the queue that sets the pairs)",
			name);
		return -EINVAL;
	}
	if (sim_check_tso(name, p) != 0)
		return -EINVAL;
	if (c.has_cpu && p->engine == SIM_ENGINE_SERVICE) {
		SIM_LOG(ERR, "%s: invalid devarg combination engine=service,cpu=%d (accepted: cpu= with engine=thread or engine=auto)",
			name, p->cpu);
		return -EINVAL;
	}
	if (!p->has_uuid)
		sim_derive_uuid(name, p->uuid);
	if (!p->has_mac)
		sim_derive_mac(name, &p->mac);
	return 0;
}

void
sim_derive_uuid(const char *name, rte_uuid_t uuid)
{
	rte_mdev_uuid_from_name(name, uuid);
}

void
sim_derive_mac(const char *name, struct rte_ether_addr *mac)
{
	uint64_t h = rte_mdev_name_hash(name, 0);
	int i;

	/* Locally administered unicast: 02:xx:xx:xx:xx:xx. */
	mac->addr_bytes[0] = 0x02;
	for (i = 1; i < RTE_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = h >> (8 * i);
}
