/* The key bindings; see keys.h. */
#include "ui/keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define CTRL_L 12

const struct key_binding keys_table[] = {
	{ .codes = { 'q', 'Q' }, .name = "q", .help = "quit",
	  .brief_keys = "q", .brief = "quit", .on_key_line = true, .action = UI_ACT_QUIT },
	{ .codes = { ' ', 'p', 'P' }, .name = "space, p", .help = "pause or resume the source",
	  .brief_keys = "space", .brief = "pause", .on_key_line = true, .action = UI_ACT_PAUSE },
	{ .codes = { 'r', 'R' }, .name = "r", .help = "reset the history (charts, deltas)",
	  .brief_keys = "r", .brief = "reset", .on_key_line = true, .action = UI_ACT_RESET },
	{ .codes = { '+', '=' }, .name = "+", .help = "longer refresh interval (max 60 s)",
	  .brief_keys = "+/-", .brief = "interval", .on_key_line = true,
	  .action = UI_ACT_INTERVAL, .step = 1 },
	{ .codes = { '-', '_' }, .name = "-", .help = "shorter refresh interval (min 0.25 s)",
	  .action = UI_ACT_INTERVAL, .step = -1 },
	{ .codes = { '[', UI_KEY_LEFT }, .name = "[ or Left", .help = "step back one snapshot",
	  .brief_keys = "[ ]", .brief = "step", .action = UI_ACT_SEEK_BACK, .modes = KEY_MODE_STEP },
	{ .codes = { ']', UI_KEY_RIGHT }, .name = "] or Right", .help = "step forward one snapshot",
	  .action = UI_ACT_SEEK_FORWARD, .modes = KEY_MODE_STEP },
	{ .codes = { 'n', 'N' }, .name = "n", .help = "next breaker transition",
	  .brief_keys = "n", .brief = "next transition",
	  .action = UI_ACT_SEEK_TRANSITION, .modes = KEY_MODE_STEP },
	{ .codes = { 'm', 'M' }, .name = "m", .help = "next target miss",
	  .help_more = "skips a miss on screen; any key stops",
	  .brief_keys = "m", .brief = "next miss", .action = UI_ACT_SEEK_MISS, .modes = KEY_MODE_STEP },
	{ .codes = { '<', ',' }, .name = "< or ,", .help = "halve the speed (down to x1/16)",
	  .brief_keys = "</>", .brief = "speed", .on_key_line = true,
	  .action = UI_ACT_SPEED_DOWN, .modes = KEY_MODE_SPEED },
	{ .codes = { '>', '.' }, .name = "> or .", .help = "double the speed (up to x64)",
	  .action = UI_ACT_SPEED_UP, .modes = KEY_MODE_SPEED },
	{ .codes = { 'f', 'F' }, .name = "f", .help = "incident on or off",
	  .brief_keys = "f/b", .brief = "faults", .on_key_line = true,
	  .action = UI_ACT_INCIDENT, .modes = KEY_MODE_INJECT },
	{ .codes = { 'b', 'B' }, .name = "b", .help = "breaker forced open, closed, automatic",
	  .action = UI_ACT_BREAKER, .modes = KEY_MODE_INJECT },
	{ .codes = { CTRL_L }, .name = "Ctrl-L", .help = "repaint the screen", .action = UI_ACT_REDRAW },
	{ .codes = { '?', 'h' }, .name = "?", .help = "this help",
	  .brief_keys = "?", .brief = "help", .on_key_line = true, .action = UI_ACT_HELP },
	{ .name = NULL },
};

bool keys_apply(const struct key_binding *k, unsigned modes)
{
	return (k->modes & modes) == k->modes;
}

static bool keys_has_code(const struct key_binding *k, int code)
{
	for (int i = 0; i < KEY_CODES_MAX && k->codes[i] != 0; i++)
		if (k->codes[i] == code)
			return true;
	return false;
}

static int keys_mode_count(const struct key_binding *k)
{
	int n = 0;

	for (unsigned m = k->modes; m != 0; m &= m - 1)
		n++;
	return n;
}

const struct key_binding *keys_find(int code, unsigned modes)
{
	const struct key_binding *best = NULL, *any = NULL;

	if (code == 0)
		return NULL;
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		if (!keys_has_code(k, code))
			continue;
		if (any == NULL)
			any = k;
		if (keys_apply(k, modes) && (best == NULL || keys_mode_count(k) > keys_mode_count(best)))
			best = k;
	}
	return best != NULL ? best : any;
}

void keys_help_line(const struct key_binding *k, bool more, char *buf, size_t len)
{
	if (more)
		str_printf(buf, len, "%-*s %s", KEYS_NAME_W, "", k->help_more != NULL ? k->help_more : "");
	else
		str_printf(buf, len, "%-*s %s", KEYS_NAME_W, k->name, k->help);
}

/* A bounded writer that keeps counting past its end, as snprintf does. */
struct brief_out {
	char *buf;
	size_t len, used;
	int col;	/* columns on the current line */
};

static void brief_put(struct brief_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void brief_put(struct brief_out *o, const char *fmt, ...)
{
	bool room = o->used < o->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->used : NULL, room ? o->len - o->used : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->used += (size_t)n;
	o->col += n;
}

size_t keys_format_brief(char *buf, size_t len, int indent, int width)
{
	struct brief_out o = { .buf = buf, .len = len };
	bool first = true;

	if (len > 0)
		buf[0] = '\0';
	brief_put(&o, "%*skeys:", indent, "");
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		int item;

		if (k->brief == NULL)
			continue;
		/* " q quit" or ", r reset", and room for a comma after it. */
		item = (first ? 1 : 2) + (int)(strlen(k->brief_keys) + 1 + strlen(k->brief)) + 1;
		if (o.col + item > width) {
			brief_put(&o, first ? "\n" : ",\n");
			o.col = 0;
			brief_put(&o, "%*s%s %s", indent, "", k->brief_keys, k->brief);
		} else {
			brief_put(&o, "%s%s %s", first ? " " : ", ", k->brief_keys, k->brief);
		}
		first = false;
	}
	brief_put(&o, "\n");
	return o.used;
}
