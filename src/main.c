/*
 * routertop: command line -> source + output. Nothing else lives here.
 * Error messages quote what the user typed (file names, URLs), so they
 * leave through the sanitising funnel like text from a router.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "output.h"
#include "record/writer.h"
#include "sanitize.h"
#include "serve/serve.h"
#include "source/source.h"
#include "compare.h"
#include "summary.h"
#include "ui/ui.h"

static int run_compare(const struct cli_config *cfg)
{
	struct compare_side a, b;
	char err[512];

	if (compare_side_parse(cfg->compare.a, &a, err, sizeof(err)) != 0 ||
	    compare_side_parse(cfg->compare.b, &b, err, sizeof(err)) != 0) {
		sanitize_line(stderr, 0, "routertop: %s", err);
		fputs("Try 'routertop --help'.\n", stderr);
		return 3;
	}
	if (cfg->format != FORMAT_TEXT && cfg->format != FORMAT_JSON) {
		fprintf(stderr, "routertop: compare prints text or json only\n");
		return 3;
	}
	return compare_run(&a, &b, cfg->compare.tolerance, cfg->format, &cfg->targets, stdout, stderr);
}

static struct source *make_source(const struct cli_config *cfg, char *err, size_t errlen)
{
	if (cfg->command == CMD_SIM)
		return source_sim_new(&cfg->sim, err, errlen);
	if (cfg->command == CMD_REPLAY)
		return source_replay_new(&cfg->replay, err, errlen);
	if (cfg->command == CMD_TAIL)
		return source_tail_new(&cfg->tail, err, errlen);
	if (cfg->command == CMD_FLEET)
		return source_fleet_new(&cfg->fleet, err, errlen);
	if (cfg->command == CMD_DEMO)
		return source_demo_new(&cfg->demo, err, errlen);
	if (cfg->exec.command != NULL)
		return source_exec_new(&cfg->exec, err, errlen);
	return source_http_new(&cfg->http, err, errlen);
}

static int run_front(const struct cli_config *cfg, struct source *src, struct recorder *rec)
{
	if (cfg->batch || cfg->once) {
		struct batch_options bo = {
			.format = cfg->format, .once = cfg->once,
			.targets = &cfg->targets, .rec = rec, .recap = cfg->command == CMD_DEMO,
		};

		return batch_run(src, &bo);
	}
	struct ui_options uo = {
		.targets = &cfg->targets, .rec = rec,
		.no_color = cfg->no_color, .theme = cfg->theme,
		.speed = cfg->command == CMD_REPLAY ? cfg->replay.speed
			 : cfg->command == CMD_DEMO ? cfg->demo.speed : cfg->sim.speed,
		.timeline_path = cfg->command == CMD_REPLAY ? cfg->replay.path : NULL,
		.follow = cfg->command == CMD_REPLAY && cfg->replay.follow,
		/* The demo tells its story in the event log too, and ends with the recap. */
		.events = cfg->command == CMD_DEMO,
		.recap = cfg->command == CMD_DEMO,
	};

	return ui_run(src, &uo);
}

int main(int argc, char **argv)
{
	struct cli_config cfg;
	struct recorder *rec = NULL;
	struct source *src;
	char err[512];
	int rc;

	switch (cli_parse(argc, argv, &cfg, stdout, err, sizeof(err))) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_ERROR:
		sanitize_line(stderr, 0, "routertop: %s", err);
		fputs("Try 'routertop --help'.\n", stderr);
		return 3;
	case CLI_RUN:
		break;
	}
	if (cfg.command == CMD_SERVE)
		return serve_run(&cfg.serve, &cfg.sim);
	/* A recording's --once is the summary of all of it, read by the lean path, not one evaluation. */
	if (cfg.command == CMD_REPLAY && cfg.once)
		return summary_run(cfg.replay.path, cfg.format, &cfg.targets, stdout, stderr);
	if (cfg.command == CMD_COMPARE)
		return run_compare(&cfg);
	src = make_source(&cfg, err, sizeof(err));
	if (src == NULL) {
		sanitize_line(stderr, 0, "routertop: %s", err);
		return 3;
	}
	if (cfg.record_path != NULL) {
		rec = recorder_open(cfg.record_path, err, sizeof(err));
		if (rec == NULL) {
			sanitize_line(stderr, 0, "routertop: %s", err);
			source_free(src);
			return 3;
		}
	}
	rc = run_front(&cfg, src, rec);
	recorder_close(rec);
	source_free(src);
	return rc;
}
