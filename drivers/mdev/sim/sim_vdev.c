/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The mdev_sim vdev driver: each "--vdev mdev_simN,..." creates one mdev
 * device on the mdev bus; removing the vdev removes it. Removing the mdev
 * device (hot unplug, testpmd "port detach") removes the vdev too, so the
 * same devargs can be probed again ("port attach mdev_sim0").
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_string_fns.h>

#include "sim.h"
#include "sim_engine.h"

static struct sim_dev *
sim_devs_find(const char *name)
{
	struct sim_dev *d;

	sim_devs_lock();
	TAILQ_FOREACH(d, &sim_devs, next)
		if (strcmp(d->name, name) == 0)
			break;
	sim_devs_unlock();
	return d;
}

static void sim_release(struct rte_mdev_device *mdev);

static const struct rte_mdev_parent sim_parent = {
	.name = "sim",
	.release = sim_release,
};

static void
sim_dev_free(struct sim_dev *d)
{
	uint16_t i;

	for (i = 0; i < SIM_MAX_QUEUES; i++) {
		free(d->vq[i].segs);
		free(d->vq[i].shadow);
	}
	free(d->bounce);
	free(d);
}

/* Stop and free a device that is off the mdev bus. */
static void
sim_dev_destroy(struct sim_dev *d)
{
	sim_devs_lock();
	TAILQ_REMOVE(&sim_devs, d, next);
	sim_devs_unlock();
	/* The consumer is gone; make sure nothing runs on its memory. */
	sim_dev_reset(d);
	sim_engine_stop(d);
	sim_wire_close(d);
	sim_dev_free(d);
}

static void
sim_mdev_fill(struct sim_dev *d, struct rte_vdev_device *vdev,
		const char *args)
{
	struct rte_mdev_device *m = &d->mdev;

	rte_uuid_copy(m->uuid, d->p.uuid);
	strlcpy(m->alias, d->name, sizeof(m->alias));
	strlcpy(m->type, "sim-net", sizeof(m->type));
	m->class_id = RTE_MDEV_CLASS_ID_VIRTIO;
	m->consumer = d->p.consumer;
	m->numa_node = vdev->device.numa_node;
	strlcpy(m->args, args != NULL ? args : "", sizeof(m->args));
	m->parent = &sim_parent;
	m->parent_dev = &vdev->device;
	m->ops = &sim_ops;
	m->parent_priv = d;
}

static int
sim_check_lengths(const char *name, const char *args)
{
	if (strlen(name) >= RTE_MDEV_NAME_LEN) {
		SIM_LOG(ERR, "%s: name longer than %d characters", name,
			RTE_MDEV_NAME_LEN - 1);
		return -EINVAL;
	}
	if (args != NULL && strlen(args) >= RTE_MDEV_ARGS_LEN) {
		SIM_LOG(ERR, "%s: devargs longer than %d characters", name,
			RTE_MDEV_ARGS_LEN - 1);
		return -EINVAL;
	}
	return 0;
}

static int
sim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *args = rte_vdev_device_args(vdev);
	char uuid[RTE_UUID_STRLEN];
	struct sim_dev *d;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		SIM_LOG(ERR, "%s: only the primary process can create it", name);
		return -ENOTSUP;
	}
	ret = sim_check_lengths(name, args);
	if (ret != 0)
		return ret;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	d->bounce = malloc(SIM_BOUNCE_MAX);
	if (d->bounce == NULL) {
		free(d);
		return -ENOMEM;
	}
	strlcpy(d->name, name, sizeof(d->name));
	ret = sim_parse_devargs(name, args, &d->p);
	if (ret != 0)
		goto fail;
	sim_dev_init_state(d);
	sim_mdev_fill(d, vdev, args);
	ret = sim_wire_open(d);
	if (ret != 0)
		goto fail;
	ret = sim_engine_start(d);
	if (ret != 0)
		goto fail_engine;
	sim_devs_lock();
	TAILQ_INSERT_TAIL(&sim_devs, d, next);
	sim_devs_unlock();
	ret = rte_mdev_device_register(&d->mdev);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: mdev bus refused the device: %s", name,
			strerror(-ret));
		sim_dev_destroy(d);
		return ret;
	}
	rte_uuid_unparse(d->p.uuid, uuid, sizeof(uuid));
	SIM_LOG(INFO, "%s: created mdev %s, %u queue pair(s) of up to %u, class=%s",
		name, uuid, d->p.queues, d->p.queue_size,
		rte_mdev_consumer_name(d->p.consumer));
	return 0;
fail_engine:
	sim_engine_stop(d);
	sim_wire_close(d);
fail:
	sim_dev_free(d);
	return ret;
}

static int
sim_remove(struct rte_vdev_device *vdev)
{
	struct sim_dev *d = sim_devs_find(rte_vdev_device_name(vdev));
	int ret;

	if (d == NULL)
		return 0;
	d->removing = true;
	ret = rte_mdev_device_unregister(&d->mdev);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: consumer refused to detach: %s", d->name,
			strerror(-ret));
		d->removing = false;
		return ret;
	}
	sim_dev_destroy(d);
	return 0;
}

/*
 * The bus removes the mdev device (its consumer is already detached):
 * remove the vdev as well, which comes back to sim_remove. When the vdev
 * removal is what got us here, it owns the teardown.
 */
static void
sim_release(struct rte_mdev_device *mdev)
{
	struct sim_dev *d = sim_dev_of(mdev);
	char name[RTE_DEV_NAME_MAX_LEN];
	int ret;

	if (d->removing)
		return;
	strlcpy(name, d->name, sizeof(name));
	ret = rte_vdev_uninit(name);
	if (ret == -ENOENT && sim_devs_find(name) == d) {
		/* No vdev behind it (any more): tear down here. */
		d->removing = true;
		rte_mdev_device_unregister(mdev);
		sim_dev_destroy(d);
	} else if (ret != 0) {
		SIM_LOG(ERR, "%s: cannot remove the vdev: %s", name,
			strerror(-ret));
	}
}

static struct rte_vdev_driver sim_vdev_driver = {
	.probe = sim_probe,
	.remove = sim_remove,
};

RTE_PMD_REGISTER_VDEV(mdev_sim, sim_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(mdev_sim,
	"uuid=<uuid> "
	"class=net|vdpa "
	"queues=<1-16> "
	"queue_size=<64-32768, power of 2> "
	"mac=<xx:xx:xx:xx:xx:xx> "
	"mtu=<68-9000> "
	"features=<hex mask> "
	"wire=loopback|<ethdev port name> "
	"engine=auto|service|thread "
	"cpu=<cpu id>");
