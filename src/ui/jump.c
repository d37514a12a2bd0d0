/* Jump to the next target miss; see jump.h. */
#include "ui/jump.h"

static bool jump_is_miss(enum target_status st)
{
	return st == STATUS_WARN || st == STATUS_FAIL;
}

int jump_start(struct jump *j, struct monitor *m, int64_t mono_ms)
{
	if (m->src->ops->seek == NULL)
		return -1;
	monitor_update(m, mono_ms);
	j->active = true;
	j->pending = false;
	j->skip = history_get(m->hist, 0) != NULL && jump_is_miss(monitor_status(m));
	return 0;
}

/* Whether the snapshot just handled ends the search. */
static bool jump_found(struct jump *j, struct monitor *m, int64_t mono_ms)
{
	monitor_update(m, mono_ms);
	if (!jump_is_miss(monitor_status(m))) {
		j->skip = false;
		return false;
	}
	return !j->skip;
}

static enum jump_result jump_finish(struct jump *j, enum jump_result r)
{
	j->active = j->pending = false;
	return r;
}

enum jump_result jump_pass(struct jump *j, struct monitor *m, int64_t mono_ms, int max_snaps,
			   bool *moved)
{
	struct source_event ev;
	int snaps = 0;

	*moved = false;
	while (snaps < max_snaps) {
		if (!j->pending) {
			if (source_seek(m->src, SOURCE_SEEK_FORWARD) != 0)
				return jump_finish(j, JUMP_END);
			j->pending = true;
		}
		/* 0: the source has read its share of lines for this pass. */
		if (source_step(m->src, mono_ms, &ev) != 1)
			return JUMP_RUNNING;
		*moved = true;
		switch (monitor_handle(m, &ev)) {
		case SOURCE_END:
			return jump_finish(j, JUMP_END);
		case SOURCE_SNAPSHOT:
			j->pending = false;
			snaps++;
			if (jump_found(j, m, mono_ms))
				return jump_finish(j, JUMP_FOUND);
			break;
		case SOURCE_ERROR:
		case SOURCE_NOTICE:
			break;
		}
	}
	return JUMP_RUNNING;
}
