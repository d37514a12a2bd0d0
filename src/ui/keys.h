/*
 * The key bindings: one table (keys.c) that says, for every key, the codes
 * the terminal reports, how the help and the man page name it, what it does
 * and in which modes it applies. The key line, the help overlay and
 * --help's key list are made from it; tests/man_keys.sh checks the man
 * page's KEYS section against it (tests/keys_dump prints it).
 *
 * Adding a key is a row in the table (and, if it does something new, an
 * action in input.h that ui.c applies) plus its .TP entry in
 * man/routertop.1, whose tag is the row's name and whose text names its
 * modes in parentheses, e.g. "(recordings)". A key that means something
 * only when the source has rows gets .modes = KEY_MODE_ROWS: ui.c sets that
 * mode while the newest snapshot has rows, so the key is shown only then
 * and wins over another binding of the same key then.
 */
#ifndef RT_UI_KEYS_H
#define RT_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/input.h"

/*
 * What the source in front of the screen can do. A binding applies when the
 * current mode has all of its bits; a binding without bits applies always.
 */
enum key_mode {
	KEY_MODE_STEP = 1u << 0,	/* a recording: it can be stepped through */
	KEY_MODE_SPEED = 1u << 1,	/* a simulation or a recording: it has a speed */
	KEY_MODE_INJECT = 1u << 2,	/* the simulated router: it takes injections */
	KEY_MODE_ROWS = 1u << 3,	/* the source has rows (upstreams) */
	KEY_MODE_DRILLED = 1u << 4,	/* the source shows one row's own rows (a fleet's instance) */
	KEY_MODE_DEMO = 1u << 5,	/* a guided demo: it has chapters */
};

#define KEY_CODES_MAX 8

struct key_binding {
	int codes[KEY_CODES_MAX];	/* what term_key() reports; unused ones are 0 */
	const char *name;		/* in the help and the man page: "space, p" */
	const char *help;		/* what it does, one help overlay line */
	const char *help_more;		/* NULL, or a second line */
	/* On --help's key list (and, with on_key_line, the key line): "+/-" "interval"; NULL for none. */
	const char *brief_keys, *brief;
	bool on_key_line;
	/* On a key line too narrow for every entry, the highest give way first; 0 always stays. */
	int line_prio;
	enum ui_action action;		/* of its first key; ui_state_key gives a pair's second its own */
	unsigned modes;			/* KEY_MODE_* bits it needs */
};

/* The table, in the order the help and the man page list it; ends with a NULL name. */
extern const struct key_binding keys_table[];

/*
 * Whether every key of k does something else in modes (a recording's Home
 * and End go to its ends, not to the first and last row): then the help
 * does not list it.
 */
bool keys_shadowed(const struct key_binding *k, unsigned modes);
/* Whether k applies in modes (KEY_MODE_* bits). */
bool keys_apply(const struct key_binding *k, unsigned modes);

/*
 * The binding for code: of those that apply in modes, the one that needs
 * the most mode bits (so a rows-only binding wins over a general one while
 * there are rows); else the first of any mode (its action then refuses with
 * the source's reason); NULL for a key that is not bound.
 */
const struct key_binding *keys_find(int code, unsigned modes);

/* The most entries a key line has. */
#define KEYS_LINE_MAX 24

/*
 * The key line for modes on a screen width columns wide: the on_key_line
 * bindings that apply, those of the row list first (they are the screen's
 * first keys when it shows a list), then the others in table order. Drawn
 * as " KEYS BRIEF  KEYS BRIEF ..."; when they do not all fit, those with
 * the highest line_prio give way first. Fills out (max entries) and
 * returns how many.
 */
size_t keys_line(unsigned modes, int width, const struct key_binding **out, size_t max);

/* Where the help column starts: names are padded to this width. */
#define KEYS_NAME_W 10

/* The help overlay's line for k ("q          quit") into buf; help_more gives the second line. */
void keys_help_line(const struct key_binding *k, bool more, char *buf, size_t len);

/*
 * One item of --help's key list: "q quit", or for keys that several modes
 * bind, each brief after the first ("n next transition or next chapter").
 */
#define KEYS_BRIEF_ITEM 64
void keys_brief_item(const struct key_binding *k, char *buf, size_t len);

/*
 * --help's key list: "keys: q quit, space pause, ..." over as many lines as
 * it needs, each line starting with indent spaces and at most width
 * columns, each ending in '\n'. Returns the length it needed (as snprintf),
 * so a result >= len means it was cut.
 */
size_t keys_format_brief(char *buf, size_t len, int indent, int width);

#endif
