#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "cli.h"

#define MAX_ARGS 32

/* Parse a space-separated command line (no quoting needed in these tests); what it prints goes to out. */
static enum cli_result parse_line_to(const char *line, struct cli_config *cfg, FILE *out, char *err,
				     size_t errlen)
{
	static char buf[512], prog[] = "routertop";
	char *argv[MAX_ARGS] = { prog };
	int argc = 1;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *tok = strtok(buf, " "); tok != NULL && argc < MAX_ARGS - 1; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err[0] = '\0';
	return cli_parse(argc, argv, cfg, out, err, errlen);
}

/* The same, what it prints thrown away. */
static enum cli_result parse_line(const char *line, struct cli_config *cfg, char *err, size_t errlen)
{
	FILE *out = fopen("/dev/null", "w");
	enum cli_result r = parse_line_to(line, cfg, out, err, errlen);

	fclose(out);
	return r;
}

static const struct {
	const char *line;
	const char *error;	/* substring of the message */
} usage_errors[] = {
	{ "--bogus", "unknown option '--bogus'" },
	{ "--seed", "--seed needs a value" },
	{ "--seed -4", "--seed: bad value '-4'" },
	{ "--seed 12x", "--seed: bad value" },
	{ "--speed 0", "--speed: bad value" },
	{ "--speed fast", "--speed: bad value" },
	{ "--duration -1s", "--duration: bad value" },
	{ "--interval 10ms", "--interval: bad value '10ms' (expected a duration from 100ms to 24h, e.g. 5s)" },
	{ "--interval 1e12ms", "--interval: bad value '1e12ms' (expected a duration from 100ms to 24h, e.g. 5s)" },
	{ "--interval 25h", "--interval: bad value '25h'" },
	{ "--speed 1e-300", "--speed: bad value '1e-300' (expected a number from 0.001 to 1000000, or max)" },
	{ "--speed 0.0009", "--speed: bad value '0.0009'" },
	{ "--speed 1e7", "--speed: bad value '1e7'" },
	{ "replay a.jsonl --speed 1e-300", "--speed: bad value '1e-300'" },
	{ "--format xml", "--format: bad value 'xml' (expected text, json, csv, nagios or openmetrics)" },
	{ "--theme pink", "--theme: bad value" },
	{ "--listen 127.0.0.1:1", "--listen does not apply to 'sim'" },
	{ "watch --scenario steady http://x", "--scenario does not apply to 'watch'" },
	{ "serve --batch", "--batch does not apply to 'serve'" },
	{ "serve --speed max", "--speed max does not apply to 'serve'" },
	{ "watch", "missing URL" },
	{ "watch http://a http://b", "unexpected argument 'http://b'" },
	{ "watch --exec true http://a", "not both" },
	{ "sim extra", "unexpected argument 'extra'" },
	{ "watch --max-body 10 http://a", "--max-body: bad value" },
	{ "watch --max-body 65M http://a", "--max-body: bad value '65M' (expected a size from 1K to 64M" },
	{ "--target p96=1", "--target: " },
	{ "replay", "replay: missing FILE" },
	{ "replay a.jsonl b.jsonl", "unexpected argument 'b.jsonl'" },
	{ "replay a.jsonl --interval 2", "--interval does not apply to 'replay'" },
	{ "tail", "tail: missing FILE" },
	{ "tail a.log --window 0", "--window: bad value '0'" },
	{ "tail a.log --window 500ms", "--window: bad value '500ms' (expected a count" },
	{ "tail a.log --window 20000000", "--window: bad value" },
	{ "tail a.log --latency total", "--latency: bad value 'total' (expected request or upstream)" },
	{ "--log-format combined", "--log-format does not apply to 'sim'" },
	{ "replay a.jsonl --by host", "--by does not apply to 'replay'" },
	{ "tail a b c d e f g h i j k l m n o p q", "tail: at most 16 files" },
};

START_TEST(test_usage_errors)
{
	struct cli_config cfg;
	char err[512];
	enum cli_result r = parse_line(usage_errors[_i].line, &cfg, err, sizeof(err));

	ck_assert_msg(r == CLI_ERROR, "'%s' was accepted", usage_errors[_i].line);
	ck_assert_msg(strstr(err, usage_errors[_i].error) != NULL, "'%s' gave '%s'",
		      usage_errors[_i].line, err);
}
END_TEST

START_TEST(test_defaults_are_the_steady_demo)
{
	struct cli_config cfg;
	char err[512];

	ck_assert_int_eq(parse_line("", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_SIM);
	ck_assert_str_eq(cfg.sim.scenario, "steady");
	ck_assert(cfg.sim.speed == 1.0);
	ck_assert_int_eq(cfg.sim.interval_ms, 1000);
	ck_assert(!cfg.batch && !cfg.once && cfg.record_path == NULL);
}
END_TEST

START_TEST(test_watch_defaults_and_options)
{
	struct cli_config cfg;
	char err[512];

	ck_assert_int_eq(parse_line("--once watch http://h/m --timeout 2 --max-body 64K --insecure",
				    &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_WATCH);
	ck_assert_str_eq(cfg.http.url, "http://h/m");
	ck_assert_int_eq(cfg.http.interval_ms, 5000);
	ck_assert_int_eq(cfg.http.timeout_ms, 2000);
	ck_assert_uint_eq(cfg.http.max_body, 65536);
	ck_assert(cfg.http.insecure && cfg.once);
}
END_TEST

START_TEST(test_option_value_is_not_the_command)
{
	struct cli_config cfg;
	char err[512];

	/* "5" is --seed's value, so "sim" after it is still the command. */
	ck_assert_int_eq(parse_line("--seed 5 sim --speed max --format=csv --batch", &cfg, err,
				    sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_SIM);
	ck_assert_uint_eq(cfg.sim.seed, 5);
	ck_assert(cfg.sim.speed == 0);
	ck_assert_int_eq(cfg.format, FORMAT_CSV);
}
END_TEST

START_TEST(test_exec_and_serve)
{
	struct cli_config cfg;
	char err[512];

	ck_assert_int_eq(parse_line("watch --exec true --interval 2s", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_str_eq(cfg.exec.command, "true");
	ck_assert_int_eq(cfg.exec.interval_ms, 2000);
	ck_assert_int_eq(parse_line("serve --listen 127.0.0.1:0 --seed 3", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_SERVE);
	ck_assert_str_eq(cfg.serve.listen, "127.0.0.1:0");
	ck_assert_int_eq(parse_line("serve", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_str_eq(cfg.serve.listen, "127.0.0.1:8080");
	ck_assert_int_eq(parse_line("replay rec.jsonl --speed 4 --once", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_REPLAY);
	ck_assert_str_eq(cfg.replay.path, "rec.jsonl");
	ck_assert(cfg.replay.speed == 4.0 && cfg.once);
}
END_TEST

START_TEST(test_target_flags_override_file)
{
	struct cli_config cfg;
	char err[512], path[] = "/tmp/rt-cli-XXXXXX", line[640];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(write(fd, "p95 = 100\np99 = 300\n", 20), 0);
	close(fd);
	/* The flag comes first on the line but still wins over the file. */
	snprintf(line, sizeof(line), "--target p95=90 --targets %s", path);
	ck_assert_int_eq(parse_line(line, &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert(fabs(cfg.targets.limit[TARGET_P95] - 90) < 1e-9);
	ck_assert(fabs(cfg.targets.limit[TARGET_P99] - 300) < 1e-9);
	unlink(path);
	snprintf(line, sizeof(line), "--targets %s", path);
	ck_assert_int_eq(parse_line(line, &cfg, err, sizeof(err)), CLI_ERROR);
	ck_assert_ptr_nonnull(strstr(err, path));
}
END_TEST

START_TEST(test_tail_options)
{
	struct cli_config cfg;
	char err[512];

	ck_assert_int_eq(parse_line("tail a.log - b.log.gz --log-format envoy --by path --latency upstream "
				    "--window 60s --from-start --interval 2s --once",
				    &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_int_eq(cfg.command, CMD_TAIL);
	ck_assert_int_eq(cfg.tail.npaths, 3);
	ck_assert_str_eq(cfg.tail.paths[1], "-");
	ck_assert_str_eq(cfg.tail.format, "envoy");
	ck_assert_str_eq(cfg.tail.by, "path");
	ck_assert(cfg.tail.latency_upstream && cfg.tail.from_start && cfg.tail.once);
	ck_assert_int_eq(cfg.tail.window_ms, 60000);
	ck_assert_uint_eq(cfg.tail.window, 0);
	ck_assert_int_eq(cfg.tail.interval_ms, 2000);
	ck_assert_int_eq(parse_line("tail x --window 5000", &cfg, err, sizeof(err)), CLI_RUN);
	ck_assert_uint_eq(cfg.tail.window, 5000);
	ck_assert_int_eq(cfg.tail.window_ms, 0);
	ck_assert_int_eq(cfg.tail.interval_ms, 1000);
	ck_assert(!cfg.tail.once && cfg.tail.format == NULL && cfg.tail.by == NULL);
}
END_TEST

/*
 * What `routertop LINE` (a help request) prints, into text (len bytes): it
 * must exit OK and fit one 80x24 screen, at most 23 lines of 79 columns.
 */
static void help_text(const char *line, char *text, size_t len)
{
	struct cli_config cfg;
	char err[512];
	int lines = 0;
	FILE *out;

	memset(text, 0, len);
	out = fmemopen(text, len - 1, "w");
	ck_assert_int_eq(parse_line_to(line, &cfg, out, err, sizeof(err)), CLI_EXIT_OK);
	fclose(out);
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_int_le(lines, 23);
	for (const char *l = text; *l; l = strchr(l, '\n') + 1)
		ck_assert_int_le(strchr(l, '\n') - l, 79);
}

/* routertop tail --help: its own page, one 80x24 screen, with the nginx line for nginx-timed. */
START_TEST(test_tail_help_fits_one_screen)
{
	char text[4096];

	help_text("tail --help", text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "$request_time $upstream_response_time $upstream_addr"));
	ck_assert_ptr_nonnull(strstr(text, "--window"));
}
END_TEST

START_TEST(test_help_fits_one_screen)
{
	char text[4096];

	help_text("--help", text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "--exec"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_loop_test(tc, test_usage_errors, 0, (int)(sizeof(usage_errors) / sizeof(usage_errors[0])));
	tcase_add_test(tc, test_defaults_are_the_steady_demo);
	tcase_add_test(tc, test_watch_defaults_and_options);
	tcase_add_test(tc, test_option_value_is_not_the_command);
	tcase_add_test(tc, test_exec_and_serve);
	tcase_add_test(tc, test_target_flags_override_file);
	tcase_add_test(tc, test_help_fits_one_screen);
	tcase_add_test(tc, test_tail_options);
	tcase_add_test(tc, test_tail_help_fits_one_screen);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
