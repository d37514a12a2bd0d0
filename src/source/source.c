/* Dispatch helpers for the source interface, and the wait at the heart of the loop. */
#include "source/source.h"

#include <stdlib.h>

#include "util.h"

#define SOURCE_MAX_FDS 64

struct source *source_new(const struct source_ops *ops, void *self, int64_t interval_ms)
{
	struct source *src = xcalloc(1, sizeof(*src));

	src->ops = ops;
	src->self = self;
	src->interval_ms = interval_ms;
	return src;
}

void source_describe(struct source *src, char *buf, size_t len)
{
	if (src->ops->describe != NULL)
		src->ops->describe(src->self, buf, len);
	else
		str_printf(buf, len, "%s", src->ops->name);
}

int source_step(struct source *src, int64_t mono_ms, struct source_event *ev)
{
	/* Flags only the sources that drill set: everyone else's events come without. */
	ev->restart = false;
	ev->aside = false;
	return src->ops->step(src->self, mono_ms, ev);
}

int64_t source_clock(struct source *src, int64_t mono_ms)
{
	return src->ops->clock != NULL ? src->ops->clock(src->self, mono_ms) : mono_ms;
}

int source_position(struct source *src, struct source_position *out)
{
	return src->ops->position != NULL ? src->ops->position(src->self, out) : -1;
}

bool source_clock_known(struct source *src)
{
	return src->ops->clock_known == NULL || src->ops->clock_known(src->self);
}

int64_t source_clock_start(struct source *src, int64_t at_ms)
{
	return src->ops->clock_start != NULL ? src->ops->clock_start(src->self, at_ms) : at_ms;
}

void source_set_interval(struct source *src, int64_t interval_ms)
{
	src->interval_ms = interval_ms;
	if (src->ops->set_interval != NULL)
		src->ops->set_interval(src->self, interval_ms);
}

void source_set_paused(struct source *src, bool paused, int64_t mono_ms)
{
	if (src->ops->set_paused != NULL)
		src->ops->set_paused(src->self, paused, mono_ms);
}

void source_free(struct source *src)
{
	if (src == NULL)
		return;
	if (src->ops->destroy != NULL)
		src->ops->destroy(src->self);
	free(src);
}

int source_seek(struct source *src, enum source_seek where)
{
	return src->ops->seek != NULL ? src->ops->seek(src->self, where) : -1;
}

int source_set_speed(struct source *src, double speed, int64_t mono_ms)
{
	if (src->ops->set_speed == NULL)
		return -1;
	src->ops->set_speed(src->self, speed, mono_ms);
	return 0;
}

int source_inject(struct source *src, enum source_inject what, const char *row, char *msg,
		  size_t len)
{
	if (src->ops->inject != NULL)
		return src->ops->inject(src->self, what, row, msg, len);
	str_printf(msg, len, "no faults to inject: only the simulated router takes them");
	return -1;
}

const char *source_row_noun(const struct source *src)
{
	const char *noun = src->ops->row_noun != NULL ? src->ops->row_noun(src->self) : NULL;

	return noun != NULL && noun[0] != '\0' ? noun : "upstream";
}

int source_drill(struct source *src, const char *row, size_t points, char *msg, size_t len)
{
	if (src->ops->drill != NULL)
		return src->ops->drill(src->self, row, points, msg, len);
	str_printf(msg, len, "nothing to drill into: only a fleet's instances have rows of their own");
	return -1;
}

const char *source_drilled(const struct source *src)
{
	return src->ops->drilled != NULL ? src->ops->drilled(src->self) : NULL;
}

bool source_speed_ok(double speed)
{
	return speed == 0 || (speed >= SOURCE_SPEED_MIN && speed <= SOURCE_SPEED_MAX);
}

int source_wait_fds(struct source *src, const int *extra, int n_extra, int64_t max_wait_ms)
{
	struct pollfd fds[SOURCE_MAX_FDS];
	int n = 0, timeout = -1, rc, mask = 0;
	int64_t now = clock_monotonic_ms(), wake = SOURCE_NO_WAKEUP;

	if (n_extra > SOURCE_EXTRA_FDS)
		n_extra = SOURCE_EXTRA_FDS;
	for (int i = 0; i < n_extra; i++)
		fds[n++] = (struct pollfd){ .fd = extra[i], .events = POLLIN };
	if (src->ops->pollfds != NULL)
		n += src->ops->pollfds(src->self, fds + n, SOURCE_MAX_FDS - n);
	if (src->ops->next_wakeup != NULL)
		wake = src->ops->next_wakeup(src->self, now);
	if (max_wait_ms >= 0 && (wake == SOURCE_NO_WAKEUP || now + max_wait_ms < wake))
		wake = now + max_wait_ms;
	if (wake != SOURCE_NO_WAKEUP) {
		int64_t d = wake - now;

		timeout = d < 0 ? 0 : (d > 3600000 ? 3600000 : (int)d);
	}
	rc = poll(fds, (nfds_t)n, timeout);
	if (rc < 0)
		return 0; /* EINTR: let the caller look at its signal flags */
	for (int i = 0; i < n_extra; i++)
		if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
			mask |= 1 << i;
	return mask;
}

int source_wait(struct source *src, int extra_fd, int64_t max_wait_ms)
{
	return source_wait_fds(src, &extra_fd, extra_fd >= 0 ? 1 : 0, max_wait_ms) != 0;
}

void source_active_faults(struct source *src, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (src->ops->active_faults != NULL)
		src->ops->active_faults(src->self, buf, len);
}

int source_next_chapter(struct source *src, int64_t mono_ms, char *msg, size_t len)
{
	if (src->ops->next_chapter != NULL)
		return src->ops->next_chapter(src->self, mono_ms, msg, len);
	str_printf(msg, len, "no chapters to skip: only routertop demo tells a story");
	return -1;
}
