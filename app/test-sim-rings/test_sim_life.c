/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Device life cycle: devargs accepted and refused (with one clear log
 * line), removal through the vdev and through the mdev bus (hot unplug,
 * which must remove the vdev so it can be created again), and the two
 * engines, a thread and a service lcore, moving real packets.
 */

#define _GNU_SOURCE	/* open_memstream */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_log.h>

#include "sim_engine.h"
#include "test_sim.h"

bool have_service_lcore;

/* A stand-in class=net consumer, so that devices can be "probed". */
static int fake_probes, fake_removes;

static int
fake_probe(struct rte_mdev_device *dev)
{
	fake_probes++;
	return dev->ops->get_features(dev) != 0 ? 0 : -EINVAL;
}

static int
fake_remove(struct rte_mdev_device *dev)
{
	fake_removes++;
	dev->ops->set_status(dev, 0);
	return 0;
}

static struct rte_mdev_driver fake_net = {
	.class_id = RTE_MDEV_CLASS_ID_VIRTIO,
	.consumer = RTE_MDEV_CONSUMER_NET,
	.probe = fake_probe,
	.remove = fake_remove,
};
RTE_PMD_REGISTER_MDEV(test_fake_net, fake_net);

/* Probe with args; the log must name the key and what is accepted. */
static int
refused(struct ctx *c, const char *args, const char *key)
{
	char *log = NULL, want[64];
	size_t len = 0;
	FILE *f = open_memstream(&log, &len);
	int ret, ok;

	rte_openlog_stream(f);
	ret = rte_vdev_init("mdev_simX", args);
	rte_openlog_stream(NULL);
	fclose(f);
	snprintf(want, sizeof(want), "devarg %s%s", key,
		strcmp(key, "bogus") == 0 ? "\"" : "=");
	if (strcmp(key, "bogus") == 0)
		snprintf(want, sizeof(want), "unknown devarg \"bogus\"");
	ok = log != NULL && strstr(log, want) != NULL &&
		strstr(log, "accepted") != NULL;
	free(log);
	CHECK(c, ret < 0, "\"%s\" accepted", args);
	CHECK(c, rte_mdev_find("mdev_simX") == NULL, "\"%s\" left a device",
		args);
	CHECK(c, ok, "\"%s\": no log line with \"%s\" and accepted values",
		args, want);
	return 0;
}

static int
life_devargs_refused(struct ctx *c)
{
	static const char * const bad[][2] = {
		{ "queues=0", "queues" }, { "queues=17", "queues" },
		{ "queues=1x", "queues" }, { "queue_size=100", "queue_size" },
		{ "queue_size=32", "queue_size" },
		{ "queue_size=65536", "queue_size" }, { "mac=zz", "mac" },
		{ "mac=01:00:5e:00:00:01", "mac" }, { "mtu=67", "mtu" },
		{ "mtu=9001", "mtu" }, { "features=0xffffffff", "features" },
		{ "features=xyz", "features" }, { "wire=tap", "wire" },
		{ "engine=fast", "engine" }, { "uuid=1234", "uuid" },
		{ "class=blk", "class" }, { "cpu=100000", "cpu" },
		{ "bogus=1", "bogus" }, { "packed_vq=2", "packed_vq" },
		{ "in_order=yes", "in_order" }, { "event_idx=-1", "event_idx" },
		{ "mrg_rxbuf=on", "mrg_rxbuf" }, { "indirect=10", "indirect" },
		{ "ctrl_vq=", "ctrl_vq" }, { "mq=1,ctrl_vq=0", "mq" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++)
		if (refused(c, bad[i][0], bad[i][1]) != 0)
			return -1;
	return 0;
}

static int
life_devargs_accepted(struct ctx *c)
{
	static const char args[] = "class=vdpa,"
		"uuid=0e4b8c2a-6f11-4d2e-9a5b-3c7d8e9f0a1b,queues=3,"
		"queue_size=256,mac=02:11:22:33:44:55,mtu=9000,"
		"features=0x1ffff7fff,wire=loopback,engine=thread";
	struct rte_mdev_device *m;
	struct virtio_net_config cfg;
	int ret = 0;

	CHECK(c, rte_vdev_init("mdev_simU", args) == 0, "probe failed");
	m = rte_mdev_find("0e4b8c2a-6f11-4d2e-9a5b-3c7d8e9f0a1b");
	if (m == NULL || m != rte_mdev_find("mdev_simU"))
		ret = snprintf(c->why, sizeof(c->why), "not found by uuid/alias");
	else if (strcmp(m->type, "sim-net") != 0 ||
			m->consumer != RTE_MDEV_CONSUMER_VDPA ||
			m->class_id != RTE_MDEV_CLASS_ID_VIRTIO ||
			strcmp(m->args, args) != 0)
		ret = snprintf(c->why, sizeof(c->why), "type/class/args wrong");
	else if (m->ops->get_vq_num_max(m) != 256 ||
			(m->ops->get_features(m) &
			T_FEAT(VIRTIO_NET_F_MRG_RXBUF)))
		ret = snprintf(c->why, sizeof(c->why),
			"queue_size or features mask not applied");
	if (ret == 0) {
		rte_virtio_mdev_read_config(m, 0, &cfg, sizeof(cfg));
		if (cfg.mac[5] != 0x55 || cfg.mtu != 9000 ||
				cfg.max_virtqueue_pairs != 3)
			ret = snprintf(c->why, sizeof(c->why),
				"config mac/mtu/pairs wrong");
	}
	rte_vdev_uninit("mdev_simU");
	CHECK(c, rte_mdev_find("mdev_simU") == NULL, "still there");
	return ret != 0 ? -1 : 0;
}

/* No uuid=: the same name always gives the same UUID. */
static int
life_derived_uuid(struct ctx *c)
{
	char first[RTE_UUID_STRLEN];
	struct rte_mdev_device *m;

	CHECK(c, rte_vdev_init("mdev_simV", "class=vdpa") == 0, "probe 1");
	m = rte_mdev_find("mdev_simV");
	CHECK(c, m != NULL, "not found");
	snprintf(first, sizeof(first), "%s", m->name);
	rte_vdev_uninit("mdev_simV");
	CHECK(c, rte_vdev_init("mdev_simV", "class=vdpa") == 0, "probe 2");
	m = rte_mdev_find("mdev_simV");
	CHECK(c, m != NULL && strcmp(first, m->name) == 0,
		"UUID changed: %s then %s", first, m ? m->name : "-");
	CHECK(c, strcmp(first, c->dev->name) != 0, "same UUID as mdev_simT");
	rte_vdev_uninit("mdev_simV");
	return 0;
}

/* rte_dev_remove of the mdev device removes the vdev (testpmd detach). */
static int
life_hotplug_release(struct ctx *c)
{
	struct rte_mdev_device *m;
	int i;

	for (i = 0; i < 2; i++) {
		fake_probes = fake_removes = 0;
		CHECK(c, rte_vdev_init("mdev_simR", "class=net") == 0,
			"probe %d failed", i);
		m = rte_mdev_find("mdev_simR");
		CHECK(c, m != NULL && fake_probes == 1, "not bound");
		CHECK(c, rte_dev_remove(&m->device) == 0, "rte_dev_remove");
		CHECK(c, fake_removes == 1, "consumer removed %d times",
			fake_removes);
		CHECK(c, rte_mdev_find("mdev_simR") == NULL, "mdev left");
		CHECK(c, rte_vdev_uninit("mdev_simR") == -ENOENT, "vdev left");
	}
	/* The other order: the vdev goes, taking the bound device along. */
	CHECK(c, rte_vdev_init("mdev_simR", "class=net") == 0, "probe");
	CHECK(c, rte_vdev_uninit("mdev_simR") == 0 && fake_removes == 2,
		"vdev removal did not detach the consumer");
	CHECK(c, rte_mdev_find("mdev_simR") == NULL, "mdev left");
	return 0;
}

/* Packets through a device whose own engine runs the queues. */
static int
engine_run(struct ctx *c, const char *args)
{
	struct ctx e;
	int ret = -1;

	c->ops->set_status(c->dev, 0);	/* the rings are shared */
	memset(&e, 0, sizeof(e));
	sim_engine_set_manual(false);
	ret = rte_vdev_init("mdev_simE", args);
	sim_engine_set_manual(true);
	CHECK(c, ret == 0, "probe \"%s\" failed", args);
	e.dev = rte_mdev_find("mdev_simE");
	e.ops = e.dev->ops;
	e.engine = true;
	ret = -1;
	if (g_map(&e) == 0 && dev_setup(&e, T_BASE_FEATURES |
			T_FEAT(VIRTIO_NET_F_MRG_RXBUF)) == 0) {
		post_rx(&e, 0, 8, 512);
		if (loop_check(&e, 0, 64, 1) > 0 &&
				loop_check(&e, 0, 1500, 3) > 0)
			ret = 0;
		/* Used rings are not polled by the driver: flags tell. */
		if (ret == 0 && !(e.q[1].used->flags & VRING_USED_F_NO_NOTIFY))
			ret = snprintf(e.why, sizeof(e.why),
				"NO_NOTIFY not set on a polled queue") ? -1 : -1;
	}
	memcpy(c->why, e.why, sizeof(c->why));
	rte_vdev_uninit("mdev_simE");
	CHECK(c, rte_mdev_find("mdev_simE") == NULL, "mdev_simE left");
	return ret;
}

static int
life_engine_thread(struct ctx *c)
{
	return engine_run(c, "class=vdpa,queues=2,queue_size=64,engine=thread");
}

static int
life_engine_thread_cpu(struct ctx *c)
{
	return engine_run(c, "class=vdpa,queues=2,queue_size=64,cpu=0");
}

static int
life_engine_service(struct ctx *c)
{
	if (!have_service_lcore) {
		snprintf(c->why, sizeof(c->why), "SKIP: no second CPU");
		return 0;
	}
	return engine_run(c, "class=vdpa,queues=2,queue_size=64,engine=service");
}

/* The virtio-user style feature switches offer or withhold one bit. */
static int
life_devargs_features(struct ctx *c)
{
	static const struct { const char *args; uint64_t on, off; } t[] = {
		{ "", T_FEAT(VIRTIO_RING_F_EVENT_IDX) | T_FEAT(VIRTIO_F_IN_ORDER) |
			T_FEAT(VIRTIO_NET_F_MRG_RXBUF) |
			T_FEAT(VIRTIO_RING_F_INDIRECT_DESC) |
			T_FEAT(VIRTIO_NET_F_MQ) | T_FEAT(VIRTIO_NET_F_CTRL_VQ),
			T_FEAT(VIRTIO_F_RING_PACKED) },
		{ "packed_vq=1,in_order=0,event_idx=0",
			T_FEAT(VIRTIO_F_RING_PACKED),
			T_FEAT(VIRTIO_F_IN_ORDER) |
			T_FEAT(VIRTIO_RING_F_EVENT_IDX) },
		{ "mrg_rxbuf=0,indirect=0,mq=0", T_FEAT(VIRTIO_NET_F_CTRL_VQ),
			T_FEAT(VIRTIO_NET_F_MRG_RXBUF) |
			T_FEAT(VIRTIO_RING_F_INDIRECT_DESC) |
			T_FEAT(VIRTIO_NET_F_MQ) },
		{ "ctrl_vq=0", 0, T_FEAT(VIRTIO_NET_F_CTRL_VQ) |
			T_FEAT(VIRTIO_NET_F_MQ) | T_FEAT(VIRTIO_NET_F_CTRL_RX) },
		{ "packed_vq=1,packed_vq=0", 0, T_FEAT(VIRTIO_F_RING_PACKED) },
	};
	char args[128];
	struct rte_mdev_device *m;
	uint64_t f;
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		snprintf(args, sizeof(args), "class=vdpa%s%s",
			t[i].args[0] ? "," : "", t[i].args);
		CHECK(c, rte_vdev_init("mdev_simF", args) == 0,
			"\"%s\" refused", args);
		m = rte_mdev_find("mdev_simF");
		f = m != NULL ? m->ops->get_features(m) : 0;
		rte_vdev_uninit("mdev_simF");
		CHECK(c, m != NULL, "\"%s\": no device", args);
		CHECK(c, (f & t[i].on) == t[i].on && (f & t[i].off) == 0,
			"\"%s\": features 0x%" PRIx64, args, f);
	}
	return 0;
}

const struct test_case life_cases[] = {
	{ "life_devargs_refused", life_devargs_refused },
	{ "life_devargs_accepted", life_devargs_accepted },
	{ "life_devargs_features", life_devargs_features },
	{ "life_derived_uuid", life_derived_uuid },
	{ "life_hotplug_release", life_hotplug_release },
	{ "life_engine_thread", life_engine_thread },
	{ "life_engine_thread_cpu", life_engine_thread_cpu },
	{ "life_engine_service", life_engine_service },
};
const unsigned int nb_life_cases = RTE_DIM(life_cases);
