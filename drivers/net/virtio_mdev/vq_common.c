/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/* What every ring layout shares, below them (see vq_common.h). */

#include "virtio_mdev_logs.h"
#include "vq_common.h"

void
vq_mark_broken(struct vmdev_vq *vq, const char *what, uint32_t value)
{
	if (vq->broken)
		return;
	vq->broken = true;
	VMDEV_LOG(ERR, vq->name,
		"virtqueue %u: device returned %s %u; queue stopped until the port restarts",
		vq->qid, what, value);
}
