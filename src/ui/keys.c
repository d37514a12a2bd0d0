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
	  .brief_keys = "space", .brief = "pause", .on_key_line = true, .line_prio = 2,
	  .action = UI_ACT_PAUSE },
	{ .codes = { 'r', 'R' }, .name = "r", .help = "reset the history (charts, deltas)",
	  .brief_keys = "r", .brief = "reset", .on_key_line = true, .line_prio = 4,
	  .action = UI_ACT_RESET },
	/* Pairs share a row (ui_state_key tells their keys apart), so the help fits 80x24. */
	{ .codes = { '+', '=', '-', '_' }, .name = "+, -", .help = "longer or shorter refresh interval",
	  .brief_keys = "+/-", .brief = "interval", .on_key_line = true, .line_prio = 4,
	  .action = UI_ACT_INTERVAL },
	{ .codes = { '[', UI_KEY_LEFT, ']', UI_KEY_RIGHT }, .name = "[, ]",
	  .help = "step back or forward (Left, Right)",
	  .brief_keys = "[ ]", .brief = "step", .action = UI_ACT_SEEK_BACK, .modes = KEY_MODE_STEP },
	{ .codes = { 'n', 'N' }, .name = "n", .help = "next breaker transition",
	  .brief_keys = "n", .brief = "next transition",
	  .action = UI_ACT_SEEK_TRANSITION, .modes = KEY_MODE_STEP },
	/* One row for both ends (ui_state_key tells them apart), so the help fits beside the rows' keys. */
	{ .codes = { UI_KEY_HOME, UI_KEY_END, 'g', 'G' }, .name = "Home, End",
	  .help = "the first or the last snapshot (g, G)", .brief_keys = "Home/End", .brief = "ends",
	  .action = UI_ACT_SEEK_START, .modes = KEY_MODE_STEP },
	{ .codes = { 'n', 'N' }, .name = "n", .help = "next chapter of the story",
	  .brief_keys = "n", .brief = "next chapter", .on_key_line = true,
	  .action = UI_ACT_CHAPTER, .modes = KEY_MODE_DEMO },
	{ .codes = { 'm', 'M' }, .name = "m", .help = "next target miss",
	  .help_more = "skips a miss on screen; any key stops",
	  .brief_keys = "m", .brief = "next miss", .action = UI_ACT_SEEK_MISS, .modes = KEY_MODE_STEP },
	{ .codes = { '<', ',', '>', '.' }, .name = "<, >", .help = "halve or double the speed (x1/16..x64)",
	  .brief_keys = "</>", .brief = "speed", .on_key_line = true, .line_prio = 3,
	  .action = UI_ACT_SPEED_DOWN, .modes = KEY_MODE_SPEED },
	/* The fault keys act on the selected upstream (0 on all of them). */
	{ .codes = { 'f', 'F', 't', 'T' }, .name = "f, t", .help = "failure rate 0/10/50/100 %; timeouts",
	  .brief_keys = "f/t/l/s", .brief = "faults", .on_key_line = true, .line_prio = 1,
	  .action = UI_ACT_FAULT_FAILURE, .modes = KEY_MODE_INJECT },
	{ .codes = { 'l', 'L', 's', 'S' }, .name = "l, s", .help = "latency x10 spike; x5 load surge",
	  .action = UI_ACT_FAULT_LATENCY, .modes = KEY_MODE_INJECT },
	{ .codes = { 'o', 'O', 'c', 'C', 'a', 'A', '0' }, .name = "o, c, a, 0",
	  .help = "breaker open/closed/auto; 0 clears all", .brief_keys = "o/c/a/0", .brief = "breaker",
	  .on_key_line = true, .line_prio = 4, .action = UI_ACT_BREAKER_OPEN, .modes = KEY_MODE_INJECT },
	{ .codes = { UI_KEY_UP, UI_KEY_DOWN }, .name = "Up, Down", .help = "select the row above or below",
	  .brief_keys = "Up/Down", .brief = "select", .on_key_line = true,
	  .action = UI_ACT_SELECT, .modes = KEY_MODE_ROWS },
	{ .codes = { UI_KEY_PGUP, UI_KEY_PGDN }, .name = "PgUp, PgDn",
	  .help = "move the selection a screenful", .action = UI_ACT_SELECT, .modes = KEY_MODE_ROWS },
	{ .codes = { UI_KEY_HOME, UI_KEY_END }, .name = "Home, End",
	  .help = "select the first or the last row", .action = UI_ACT_SELECT, .modes = KEY_MODE_ROWS },
	{ .codes = { '\r', '\n', UI_KEY_ENTER }, .name = "Enter", .help = "zoom the panels to the selected row",
	  .brief_keys = "Enter", .brief = "zoom", .on_key_line = true,
	  .action = UI_ACT_ZOOM, .modes = KEY_MODE_ROWS },
	/* In a fleet's instance (rows or none), before the list's Esc: it wins a tie. */
	{ .codes = { UI_KEY_ESC }, .name = "Esc", .help = "unzoom or unfilter, then to the fleet",
	  .action = UI_ACT_UP, .modes = KEY_MODE_DRILLED },
	{ .codes = { UI_KEY_ESC }, .name = "Esc", .help = "whole router again; clears a filter",
	  .brief_keys = "Esc", .brief = "back", .action = UI_ACT_BACK, .modes = KEY_MODE_ROWS },
	/* Tab sorts everywhere; o, which forces a breaker open on the simulator, sorts elsewhere. */
	{ .codes = { '\t', UI_KEY_BTAB }, .name = "Tab, S-Tab", .help = "sort by the next column; S-Tab reverses",
	  .brief_keys = "Tab", .brief = "sort", .on_key_line = true,
	  .action = UI_ACT_SORT, .modes = KEY_MODE_ROWS },
	/*
	 * After the breaker keys, so on the simulator (rows and injections, one
	 * mode bit each) the tie goes to them and the help leaves this row out.
	 */
	{ .codes = { 'o', 'O' }, .name = "o, O", .help = "sort by the next column; O reverses",
	  .action = UI_ACT_SORT, .modes = KEY_MODE_ROWS },
	{ .codes = { '/' }, .name = "/", .help = "filter rows by name (Esc clears)",
	  .brief_keys = "/", .brief = "filter", .on_key_line = true,
	  .action = UI_ACT_FILTER, .modes = KEY_MODE_ROWS },
	{ .codes = { 'e', 'E' }, .name = "e", .help = "event log on or off",
	  .brief_keys = "e", .brief = "events", .on_key_line = true, .line_prio = 3,
	  .action = UI_ACT_EVENTS },
	{ .codes = { '{', '}' }, .name = "{, }", .help = "event log: older or newer lines",
	  .brief_keys = "{ }", .brief = "scroll log", .action = UI_ACT_EVENTS_SCROLL },
	{ .codes = { CTRL_L }, .name = "Ctrl-L", .help = "repaint the screen", .action = UI_ACT_REDRAW },
	{ .codes = { '?', 'h' }, .name = "?", .help = "this help",
	  .brief_keys = "?", .brief = "help", .on_key_line = true, .action = UI_ACT_HELP },
	{ .name = NULL },
};

bool keys_apply(const struct key_binding *k, unsigned modes)
{
	return (k->modes & modes) == k->modes;
}

bool keys_shadowed(const struct key_binding *k, unsigned modes)
{
	for (int i = 0; i < KEY_CODES_MAX && k->codes[i] != 0; i++)
		if (keys_find(k->codes[i], modes) == k)
			return false;
	return k->codes[0] != 0;
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

/* Columns of " KEYS BRIEF" for each entry up to priority maxprio, with two spaces between. */
static int line_width(const struct key_binding *const *k, size_t n, int maxprio)
{
	int w = 1, items = 0;

	for (size_t i = 0; i < n; i++)
		if (k[i]->line_prio <= maxprio) {
			w += (items++ > 0 ? 2 : 0) + (int)strlen(k[i]->brief_keys) + 1 + (int)strlen(k[i]->brief);
		}
	return w;
}

size_t keys_line(unsigned modes, int width, const struct key_binding **out, size_t max)
{
	const struct key_binding *all[KEYS_LINE_MAX];
	size_t n = 0, o = 0;
	int maxprio = 0;

	/* The list's entries first, then the rest, each in table order. */
	for (int pass = 0; pass < 2; pass++)
		for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
			bool rows = (k->modes & KEY_MODE_ROWS) != 0;

			if (k->on_key_line && keys_apply(k, modes) && rows == (pass == 0) && n < KEYS_LINE_MAX) {
				all[n++] = k;
				if (k->line_prio > maxprio)
					maxprio = k->line_prio;
			}
		}
	while (maxprio > 0 && line_width(all, n, maxprio) > width)
		maxprio--;
	for (size_t i = 0; i < n && o < max; i++)
		if (all[i]->line_prio <= maxprio)
			out[o++] = all[i];
	return o;
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

/* Whether a binding before k has k's brief keys (n in replay and in the demo): k joins its item. */
static bool brief_joined(const struct key_binding *k)
{
	for (const struct key_binding *e = keys_table; e != k; e++)
		if (e->brief != NULL && strcmp(e->brief_keys, k->brief_keys) == 0)
			return true;
	return false;
}

void keys_brief_item(const struct key_binding *k, char *buf, size_t len)
{
	str_printf(buf, len, "%s %s", k->brief_keys, k->brief);
	for (const struct key_binding *j = k + 1; j->name != NULL; j++) {
		size_t n = strlen(buf);

		if (j->brief != NULL && strcmp(j->brief_keys, k->brief_keys) == 0)
			str_printf(buf + n, len - n, " or %s", j->brief);
	}
}

size_t keys_format_brief(char *buf, size_t len, int indent, int width)
{
	struct brief_out o = { .buf = buf, .len = len };
	bool first = true;
	char text[KEYS_BRIEF_ITEM];

	if (len > 0)
		buf[0] = '\0';
	brief_put(&o, "%*skeys:", indent, "");
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		int item;

		if (k->brief == NULL || brief_joined(k))
			continue;
		keys_brief_item(k, text, sizeof(text));
		/* " q quit" or ", r reset", and room for a comma after it. */
		item = (first ? 1 : 2) + (int)strlen(text) + 1;
		if (o.col + item > width) {
			brief_put(&o, first ? "\n" : ",\n");
			o.col = 0;
			brief_put(&o, "%*s%s", indent, "", text);
		} else {
			brief_put(&o, "%s%s", first ? " " : ", ", text);
		}
		first = false;
	}
	brief_put(&o, "\n");
	return o.used;
}
