/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The mdev_vhost_vdpa vdev driver: "--vdev mdev_vhost_vdpa0,path=
 * /dev/vhost-vdpa-0[,class=net|vdpa]" opens the kernel device and
 * registers it on the mdev bus, with a UUID derived from the kernel's
 * device name (the same device gets the same UUID) and the kernel's
 * management device as its type. Removing either removes both, as for
 * the sim, so testpmd's port detach/attach and OVS's port del/add work.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/vhost.h>
#include <linux/virtio_config.h>

#include <bus_vdev_driver.h>
#include <rte_eal.h>
#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "vhost_vdpa.h"

/* Backend features the parent uses when the kernel offers them. */
#define VV_BACKEND_WANTED \
	((UINT64_C(1) << VHOST_BACKEND_F_IOTLB_MSG_V2) | \
	 (UINT64_C(1) << VHOST_BACKEND_F_IOTLB_BATCH) | \
	 (UINT64_C(1) << VHOST_BACKEND_F_IOTLB_ASID) | \
	 (UINT64_C(1) << VHOST_BACKEND_F_IOTLB_PERSIST) | \
	 (UINT64_C(1) << VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK))

static const char * const vv_keys[] = { "path", NULL };

static void vv_release(struct rte_mdev_device *mdev);

static const struct rte_mdev_parent vv_parent = {
	.name = "vhost_vdpa",
	.release = vv_release,
};

/* The vdevs alive, to find one from rte_vdev_device at remove. */
static TAILQ_HEAD(, vv_node) vv_devs = TAILQ_HEAD_INITIALIZER(vv_devs);
struct vv_node {
	TAILQ_ENTRY(vv_node) next;
	struct vv_dev *d;
};
static pthread_mutex_t vv_devs_lock = PTHREAD_MUTEX_INITIALIZER;

static struct vv_dev *
vv_find(const char *name)
{
	struct vv_node *n;
	struct vv_dev *d = NULL;

	pthread_mutex_lock(&vv_devs_lock);
	TAILQ_FOREACH(n, &vv_devs, next)
		if (strcmp(n->d->name, name) == 0)
			d = n->d;
	pthread_mutex_unlock(&vv_devs_lock);
	return d;
}

bool
vv_user_of(const char *path, char *name, size_t size)
{
	struct vv_node *n;
	bool found = false;

	pthread_mutex_lock(&vv_devs_lock);
	TAILQ_FOREACH(n, &vv_devs, next)
		if (strcmp(n->d->path, path) == 0) {
			strlcpy(name, n->d->name, size);
			found = true;
			break;
		}
	pthread_mutex_unlock(&vv_devs_lock);
	return found;
}

static int
vv_list_add(struct vv_dev *d)
{
	struct vv_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return -ENOMEM;
	n->d = d;
	pthread_mutex_lock(&vv_devs_lock);
	TAILQ_INSERT_TAIL(&vv_devs, n, next);
	pthread_mutex_unlock(&vv_devs_lock);
	return 0;
}

static void
vv_list_del(struct vv_dev *d)
{
	struct vv_node *n;

	pthread_mutex_lock(&vv_devs_lock);
	TAILQ_FOREACH(n, &vv_devs, next)
		if (n->d == d)
			break;
	if (n != NULL)
		TAILQ_REMOVE(&vv_devs, n, next);
	pthread_mutex_unlock(&vv_devs_lock);
	free(n);
}

static int
vv_kv_path(const char *key __rte_unused, const char *value, void *opaque)
{
	struct vv_dev *d = opaque;

	if (value[0] != '/' || strlcpy(d->path, value, sizeof(d->path)) >=
			sizeof(d->path))
		return -1;
	return 0;
}

static int
vv_parse_devargs(struct vv_dev *d, const char *args)
{
	struct rte_kvargs *kv;
	int ret = 0;

	if (rte_mdev_check_devargs(d->name, args, vv_keys) != 0)
		return -EINVAL;
	kv = rte_kvargs_parse(args != NULL ? args : "", NULL);
	if (kv == NULL)
		return -EINVAL;
	if (rte_kvargs_count(kv, "path") != 1) {
		VV_LOG(ERR, "%s: path=/dev/vhost-vdpa-N is required, once",
			d->name);
		ret = -EINVAL;
	} else if (rte_kvargs_process(kv, "path", vv_kv_path, d) != 0) {
		VV_LOG(ERR, "%s: path '%s' is not an absolute path",
			d->name, rte_kvargs_get(kv, "path"));
		ret = -EINVAL;
	} else if (rte_mdev_parse_class(d->name, rte_kvargs_get(kv, "class"),
			&d->mdev.consumer) != 0) {
		ret = -EINVAL;
	}
	rte_kvargs_free(kv);
	return ret;
}

/* The kernel's vhost-vdpa character devices, for error messages. */
static void
vv_list_kernel(char *buf, size_t size)
{
	FILE *p = popen("ls -d /dev/vhost-vdpa-* 2>/dev/null | tr '\\n' ' '",
		"r");
	size_t n = 0;

	buf[0] = '\0';
	if (p != NULL) {
		n = fread(buf, 1, size - 1, p);
		buf[n] = '\0';
		pclose(p);
	}
	if (n == 0)
		strlcpy(buf, "none (is the vhost_vdpa module loaded and a device bound to it?)",
			size);
}

/*
 * The kernel's name of the vDPA device behind the character device
 * ("vdpa0": vhost-vdpa-N is its child in sysfs) and its management
 * device (the vDPA device's parent).
 */
static int
vv_sysfs_names(struct vv_dev *d, const struct stat *st)
{
	char link[PATH_MAX], real[PATH_MAX];
	char *vdpa, *mgmt;

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u",
		major(st->st_rdev), minor(st->st_rdev));
	if (realpath(link, real) == NULL ||
			strncmp(basename(real), "vhost-vdpa-", 11) != 0) {
		VV_LOG(ERR, "%s: %s is not a vhost-vdpa device (char %u:%u is %s)",
			d->name, d->path, major(st->st_rdev),
			minor(st->st_rdev), realpath(link, real) != NULL ?
			basename(real) : "unknown to sysfs");
		return -ENODEV;
	}
	vdpa = dirname(real);
	strlcpy(d->kname, basename(vdpa), sizeof(d->kname));
	mgmt = dirname(vdpa);
	strlcpy(d->mdev.type, basename(mgmt), sizeof(d->mdev.type));
	if (strcmp(d->mdev.type, "devices") == 0)
		strlcpy(d->mdev.type, "vhost-vdpa", sizeof(d->mdev.type));
	return 0;
}

static int
vv_open(struct vv_dev *d)
{
	char list[256];
	struct stat st;
	int ret;

	if (stat(d->path, &st) != 0 || !S_ISCHR(st.st_mode)) {
		vv_list_kernel(list, sizeof(list));
		VV_LOG(ERR, "%s: %s: %s; vhost-vdpa devices here: %s",
			d->name, d->path, errno == 0 || S_ISCHR(st.st_mode) ?
			"not a character device" : strerror(errno), list);
		return -ENODEV;
	}
	ret = vv_sysfs_names(d, &st);
	if (ret != 0)
		return ret;
	d->fd = open(d->path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		ret = -errno;
		VV_LOG(ERR, "%s: cannot open %s (kernel device %s): %s", d->name,
			d->path, d->kname, ret == -EBUSY ?
			"busy: another process (or port) has it open; vhost-vdpa allows one" :
			strerror(-ret));
		return ret;
	}
	if (ioctl(d->fd, VHOST_SET_OWNER, NULL) != 0) {
		ret = -errno;
		VV_LOG(ERR, "%s: VHOST_SET_OWNER on %s: %s", d->name, d->path,
			strerror(-ret));
		return ret;
	}
	return 0;
}

/* An ioctl that reads one value; 0 or -errno (logged with what). */
static int
vv_read(struct vv_dev *d, unsigned long req, void *val, const char *what)
{
	if (ioctl(d->fd, req, val) == 0)
		return 0;
	VV_LOG(ERR, "%s: %s: cannot read %s: %s", d->name, d->path, what,
		strerror(errno));
	return -errno;
}

static int
vv_backend(struct vv_dev *d)
{
	uint64_t f;
	int ret;

	ret = vv_read(d, VHOST_GET_BACKEND_FEATURES, &f, "backend features");
	if (ret != 0)
		return ret;
	if (!(f & (UINT64_C(1) << VHOST_BACKEND_F_IOTLB_MSG_V2))) {
		VV_LOG(ERR, "%s: the kernel lacks IOTLB_MSG_V2 (backend features 0x%" PRIx64 ")",
			d->name, f);
		return -ENOTSUP;
	}
	f &= VV_BACKEND_WANTED;
	if (ioctl(d->fd, VHOST_SET_BACKEND_FEATURES, &f) != 0) {
		VV_LOG(ERR, "%s: backend features 0x%" PRIx64 " refused: %s",
			d->name, f, strerror(errno));
		return -errno;
	}
	d->backend_features = f;
	return 0;
}

/* What the device is: read once. */
static int
vv_describe(struct vv_dev *d)
{
	uint32_t nvqs = 0;
	int ret;

	ret = vv_read(d, VHOST_VDPA_GET_DEVICE_ID, &d->device_id, "device id");
	if (ret == 0)
		ret = vv_read(d, VHOST_GET_FEATURES, &d->kernel_features,
			"features");
	if (ret == 0)
		ret = vv_read(d, VHOST_VDPA_GET_VRING_NUM, &d->vq_num_max,
			"queue size");
	if (ret == 0)
		ret = vv_read(d, VHOST_VDPA_GET_CONFIG_SIZE, &d->config_size,
			"config size");
	if (ret == 0)
		ret = vv_read(d, VHOST_VDPA_GET_VQS_COUNT, &nvqs,
			"queue count");
	if (ret != 0)
		return ret;
	d->nvqs = RTE_MIN(nvqs, (uint32_t)VV_MAX_QUEUES);
	if (nvqs > VV_MAX_QUEUES)
		VV_LOG(WARNING, "%s: %u queues, only the first %u are served",
			d->name, nvqs, VV_MAX_QUEUES);
	if (ioctl(d->fd, VHOST_VDPA_GET_GROUP_NUM, &d->ngroups) != 0)
		d->ngroups = 1;
	d->nas = 1;
	if (d->backend_features & (UINT64_C(1) << VHOST_BACKEND_F_IOTLB_ASID))
		if (ioctl(d->fd, VHOST_VDPA_GET_AS_NUM, &d->nas) != 0)
			d->nas = 1;
	d->ngroups = RTE_MIN(d->ngroups, (uint32_t)VV_MAX_GROUPS);
	d->offered = d->kernel_features &
		~(UINT64_C(1) << VIRTIO_F_ACCESS_PLATFORM);
	return 0;
}

/* A kick and a call eventfd per queue, given to the kernel once. */
static int
vv_queue_fds(struct vv_dev *d)
{
	struct vhost_vring_file f;
	uint32_t q;

	for (q = 0; q < d->nvqs; q++) {
		d->vq[q].kickfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		d->vq[q].callfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->vq[q].kickfd < 0 || d->vq[q].callfd < 0)
			return -errno;
		f.index = q;
		f.fd = d->vq[q].kickfd;
		if (ioctl(d->fd, VHOST_SET_VRING_KICK, &f) != 0)
			return -errno;
		f.fd = d->vq[q].callfd;
		if (ioctl(d->fd, VHOST_SET_VRING_CALL, &f) != 0)
			return -errno;
	}
	return 0;
}

static void
vv_free(struct vv_dev *d)
{
	uint32_t q;

	vv_irq_stop(d);
	for (q = 0; q < VV_MAX_QUEUES; q++) {
		if (d->vq[q].kickfd >= 0)
			close(d->vq[q].kickfd);
		if (d->vq[q].callfd >= 0)
			close(d->vq[q].callfd);
	}
	if (d->fd >= 0) {
		uint8_t s = 0;

		/* Reset: the kernel stops using our memory. */
		(void)ioctl(d->fd, VHOST_VDPA_SET_STATUS, &s);
		close(d->fd);
	}
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->cb_lock);
	free(d->regions);
	free(d);
}

static struct vv_dev *
vv_alloc(const char *name)
{
	struct vv_dev *d = calloc(1, sizeof(*d));
	uint32_t q;

	if (d == NULL)
		return NULL;
	d->regions = calloc(VV_MAX_REGIONS, sizeof(*d->regions));
	if (d->regions == NULL) {
		free(d);
		return NULL;
	}
	strlcpy(d->name, name, sizeof(d->name));
	d->fd = d->epfd = d->stop_fd = d->config_callfd = -1;
	for (q = 0; q < VV_MAX_QUEUES; q++)
		d->vq[q].kickfd = d->vq[q].callfd = -1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->cb_lock, NULL);
	return d;
}

/* Open, describe and wire up the kernel device. */
static int
vv_setup(struct vv_dev *d)
{
	uint8_t s = 0;
	int ret;

	ret = vv_open(d);
	if (ret == 0)
		ret = vv_backend(d);
	if (ret == 0)
		ret = vv_describe(d);
	if (ret != 0)
		return ret;
	/* Start from a reset device, whatever its last user left. */
	if (ioctl(d->fd, VHOST_VDPA_SET_STATUS, &s) != 0)
		return -errno;
	ret = vv_queue_fds(d);
	if (ret == 0)
		ret = vv_irq_start(d);
	if (ret == 0 && ioctl(d->fd, VHOST_VDPA_SET_CONFIG_CALL,
			&d->config_callfd) != 0)
		ret = -errno;
	if (ret != 0)
		VV_LOG(ERR, "%s: cannot set up the eventfds of %s: %s",
			d->name, d->path, strerror(-ret));
	return ret;
}

static void
vv_mdev_fill(struct vv_dev *d, struct rte_vdev_device *vdev,
		const char *args)
{
	struct rte_mdev_device *m = &d->mdev;
	char id[96];

	snprintf(id, sizeof(id), "vhost_vdpa:%s", d->kname);
	rte_mdev_uuid_from_name(id, m->uuid);
	strlcpy(m->alias, d->name, sizeof(m->alias));
	m->class_id = RTE_MDEV_CLASS_ID_VIRTIO;
	m->numa_node = vdev->device.numa_node;
	strlcpy(m->args, args != NULL ? args : "", sizeof(m->args));
	m->parent = &vv_parent;
	m->parent_dev = &vdev->device;
	m->ops = &vv_ops;
	m->parent_priv = d;
}

static int
vv_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const char *args = rte_vdev_device_args(vdev);
	struct vv_dev *d;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		VV_LOG(ERR, "%s: only the primary process can create it", name);
		return -ENOTSUP;
	}
	if (strlen(name) >= RTE_MDEV_NAME_LEN ||
			(args != NULL && strlen(args) >= RTE_MDEV_ARGS_LEN)) {
		VV_LOG(ERR, "%s: name or devargs too long (at most %d, %d)",
			name, RTE_MDEV_NAME_LEN - 1, RTE_MDEV_ARGS_LEN - 1);
		return -EINVAL;
	}
	d = vv_alloc(name);
	if (d == NULL)
		return -ENOMEM;
	ret = vv_parse_devargs(d, args);
	if (ret == 0)
		ret = vv_setup(d);
	if (ret == 0)
		ret = vv_list_add(d);
	if (ret != 0) {
		vv_free(d);
		return ret;
	}
	vv_mdev_fill(d, vdev, args);
	ret = rte_mdev_device_register(&d->mdev);
	if (ret != 0) {
		VV_LOG(ERR, "%s: mdev bus refused the device: %s", name,
			strerror(-ret));
		vv_list_del(d);
		vv_free(d);
		return ret;
	}
	VV_LOG(INFO, "%s: %s (kernel %s, %s): device id %u, %u queues of up to %u, features 0x%" PRIx64 ", backend features 0x%" PRIx64 ", %u groups, %u address spaces, class=%s",
		name, d->path, d->kname, d->mdev.type, d->device_id, d->nvqs,
		d->vq_num_max, d->offered, d->backend_features, d->ngroups,
		d->nas, rte_mdev_consumer_name(d->mdev.consumer));
	return 0;
}

static void
vv_destroy(struct vv_dev *d)
{
	vv_list_del(d);
	vv_free(d);
}

static int
vv_remove(struct rte_vdev_device *vdev)
{
	struct vv_dev *d = vv_find(rte_vdev_device_name(vdev));
	int ret;

	if (d == NULL)
		return 0;
	d->removing = true;
	ret = rte_mdev_device_unregister(&d->mdev);
	if (ret != 0) {
		VV_LOG(ERR, "%s: consumer refused to detach: %s", d->name,
			strerror(-ret));
		d->removing = false;
		return ret;
	}
	vv_destroy(d);
	return 0;
}

/* The bus removes the mdev device: remove the vdev (see vv_remove). */
static void
vv_release(struct rte_mdev_device *mdev)
{
	struct vv_dev *d = vv_dev_of(mdev);
	char name[RTE_DEV_NAME_MAX_LEN];
	int ret;

	if (d->removing)
		return;
	strlcpy(name, d->name, sizeof(name));
	ret = rte_vdev_uninit(name);
	if (ret == -ENOENT && vv_find(name) == d) {
		d->removing = true;
		rte_mdev_device_unregister(mdev);
		vv_destroy(d);
	} else if (ret != 0) {
		VV_LOG(ERR, "%s: cannot remove the vdev: %s", name,
			strerror(-ret));
	}
}

static struct rte_vdev_driver vv_vdev_driver = {
	.probe = vv_probe,
	.remove = vv_remove,
};

RTE_PMD_REGISTER_VDEV(mdev_vhost_vdpa, vv_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(mdev_vhost_vdpa,
	"path=/dev/vhost-vdpa-<N> "
	"class=net|vdpa");
