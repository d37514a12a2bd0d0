/*
 * Command line: argv -> struct cli_config. Reads the targets files named on
 * the command line and nothing else; builds no source and touches no terminal.
 */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "serve/serve.h"
#include "source/source.h"
#include "targets.h"
#include "ui/ui.h"

enum cli_command { CMD_SIM, CMD_WATCH, CMD_SERVE, CMD_REPLAY, CMD_TAIL, CMD_COMPARE, CMD_FLEET, CMD_DEMO };

/* compare A B: the two sides as given (FILE or FILE@FROM..TO), and the tolerance. */
struct compare_options {
	const char *a, *b;
	double tolerance;	/* a fraction: 0.10 is 10 % */
};

struct cli_config {
	enum cli_command command;
	struct sim_options sim;
	struct http_options http;
	struct exec_options exec;	/* exec.command set: watch --exec */
	struct serve_options serve;
	struct replay_options replay;
	struct tail_options tail;
	struct fleet_options fleet;
	struct compare_options compare;
	struct demo_options demo;	/* routertop demo: from --seed, --speed, --interval */
	struct target_set targets;
	enum output_format format;
	enum ui_theme theme;
	bool batch, once, no_color;
	bool speed_given;		/* --speed was on the command line */
	const char *record_path;	/* NULL: not recording */
};

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_ERROR };

/*
 * Parse argv into *cfg. CLI_RUN: go on. CLI_EXIT_OK: --help or --version was
 * printed to out. CLI_ERROR: a one-line message is in err (bad usage).
 */
enum cli_result cli_parse(int argc, char **argv, struct cli_config *cfg, FILE *out,
			  char *err, size_t errlen);

#endif
