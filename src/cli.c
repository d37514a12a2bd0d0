/*
 * Command line parsing. Each option says which commands it applies to, so
 * "--listen" given to watch is a usage error rather than silently ignored.
 * Targets files apply first, --target flags after, whatever their order.
 */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/expo.h"
#include "formats/promquery.h"
#include "sim/tracker.h"
#include "source/prom.h"
#include "ui/keys.h"
#include "util.h"

#define FOR_SIM (1u << CMD_SIM)
#define FOR_WATCH (1u << CMD_WATCH)
#define FOR_SERVE (1u << CMD_SERVE)
#define FOR_REPLAY (1u << CMD_REPLAY)
#define FOR_TAIL (1u << CMD_TAIL)
#define FOR_COMPARE (1u << CMD_COMPARE)
#define FOR_FLEET (1u << CMD_FLEET)
#define FOR_DEMO (1u << CMD_DEMO)
#define FOR_ALL (FOR_SIM | FOR_WATCH | FOR_SERVE | FOR_REPLAY | FOR_TAIL | FOR_COMPARE | FOR_FLEET | \
		 FOR_DEMO)
/* commands with a screen or batch output */
#define FOR_FRONT (FOR_SIM | FOR_WATCH | FOR_REPLAY | FOR_TAIL | FOR_FLEET | FOR_DEMO)
#define MAX_TARGET_FLAGS 32

enum {
	OPT_SCENARIO = 256, OPT_SEED, OPT_SPEED, OPT_DURATION, OPT_INTERVAL,
	OPT_TIMEOUT, OPT_HEADER_FILE, OPT_INSECURE, OPT_MAX_BODY, OPT_EXEC,
	OPT_LISTEN, OPT_RECORD, OPT_BATCH, OPT_ONCE, OPT_FORMAT, OPT_TARGETS,
	OPT_TARGET, OPT_NO_COLOR, OPT_THEME, OPT_HELP, OPT_VERSION, OPT_FOLLOW,
	OPT_LOG_FORMAT, OPT_BY, OPT_LATENCY, OPT_WINDOW, OPT_FROM_START, OPT_TOLERANCE,
	OPT_INPUT, OPT_PROFILE, OPT_MATCH,
};

static const struct option long_options[] = {
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "header-file", required_argument, NULL, OPT_HEADER_FILE },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "max-body", required_argument, NULL, OPT_MAX_BODY },
	{ "exec", required_argument, NULL, OPT_EXEC },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "targets", required_argument, NULL, OPT_TARGETS },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "latency", required_argument, NULL, OPT_LATENCY },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "from-start", no_argument, NULL, OPT_FROM_START },
	{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ NULL, 0, NULL, 0 },
};

/* Which commands accept each option (indexed by option code - OPT_SCENARIO). */
static const unsigned option_scope[] = {
	[OPT_SCENARIO - OPT_SCENARIO] = FOR_SIM | FOR_SERVE,
	[OPT_SEED - OPT_SCENARIO] = FOR_SIM | FOR_SERVE | FOR_DEMO,
	[OPT_SPEED - OPT_SCENARIO] = FOR_SIM | FOR_SERVE | FOR_REPLAY | FOR_DEMO,
	[OPT_DURATION - OPT_SCENARIO] = FOR_SIM | FOR_SERVE,
	[OPT_INTERVAL - OPT_SCENARIO] = FOR_SIM | FOR_WATCH | FOR_SERVE | FOR_TAIL | FOR_FLEET | FOR_DEMO,
	[OPT_TIMEOUT - OPT_SCENARIO] = FOR_WATCH | FOR_FLEET,
	[OPT_HEADER_FILE - OPT_SCENARIO] = FOR_WATCH | FOR_FLEET,
	[OPT_INSECURE - OPT_SCENARIO] = FOR_WATCH | FOR_FLEET,
	[OPT_MAX_BODY - OPT_SCENARIO] = FOR_WATCH | FOR_FLEET,
	[OPT_EXEC - OPT_SCENARIO] = FOR_WATCH,
	[OPT_LISTEN - OPT_SCENARIO] = FOR_SERVE,
	[OPT_RECORD - OPT_SCENARIO] = FOR_FRONT,
	[OPT_BATCH - OPT_SCENARIO] = FOR_FRONT,
	[OPT_ONCE - OPT_SCENARIO] = FOR_FRONT & ~FOR_DEMO,	/* a story is told whole */
	[OPT_FORMAT - OPT_SCENARIO] = FOR_FRONT | FOR_COMPARE,
	[OPT_TARGETS - OPT_SCENARIO] = FOR_FRONT | FOR_COMPARE,
	[OPT_TARGET - OPT_SCENARIO] = FOR_FRONT | FOR_COMPARE,
	[OPT_NO_COLOR - OPT_SCENARIO] = FOR_FRONT,
	[OPT_THEME - OPT_SCENARIO] = FOR_FRONT,
	[OPT_HELP - OPT_SCENARIO] = FOR_ALL,
	[OPT_VERSION - OPT_SCENARIO] = FOR_ALL,
	[OPT_FOLLOW - OPT_SCENARIO] = FOR_REPLAY,
	[OPT_LOG_FORMAT - OPT_SCENARIO] = FOR_TAIL,
	[OPT_BY - OPT_SCENARIO] = FOR_TAIL | FOR_WATCH | FOR_FLEET,
	[OPT_LATENCY - OPT_SCENARIO] = FOR_TAIL,
	[OPT_WINDOW - OPT_SCENARIO] = FOR_TAIL | FOR_FLEET,
	[OPT_FROM_START - OPT_SCENARIO] = FOR_TAIL,
	[OPT_TOLERANCE - OPT_SCENARIO] = FOR_COMPARE,
	[OPT_INPUT - OPT_SCENARIO] = FOR_WATCH,
	[OPT_PROFILE - OPT_SCENARIO] = FOR_WATCH | FOR_FLEET,
	[OPT_MATCH - OPT_SCENARIO] = FOR_FLEET,
};

/* What each option with a checked value accepts, for the error message. */
static const char *const option_expects[] = {
	[OPT_SEED - OPT_SCENARIO] = "a whole number, 0 or more",
	[OPT_SPEED - OPT_SCENARIO] = "a number from 0.001 to 1000000, or max",
	[OPT_DURATION - OPT_SCENARIO] = "a duration such as 90s, 10m or 1h",
	[OPT_INTERVAL - OPT_SCENARIO] = "a duration from 100ms to 24h, e.g. 5s",
	[OPT_TIMEOUT - OPT_SCENARIO] = "a duration such as 500ms or 4s",
	[OPT_MAX_BODY - OPT_SCENARIO] = "a size from 1K to 64M, e.g. 512K",
	[OPT_FORMAT - OPT_SCENARIO] = "text, json, csv, nagios or openmetrics",
	[OPT_THEME - OPT_SCENARIO] = "default or cb",
	[OPT_BY - OPT_SCENARIO] = "upstream, host, path, status or a field name",
	[OPT_LATENCY - OPT_SCENARIO] = "request or upstream",
	[OPT_WINDOW - OPT_SCENARIO] = "a count of requests such as 10000, or a time such as 60s",
	[OPT_TOLERANCE - OPT_SCENARIO] = "a percentage above 0, e.g. 10 or 5%",
	[OPT_INPUT - OPT_SCENARIO] = "auto, json or prometheus",
	[OPT_PROFILE - OPT_SCENARIO] = "a profile name, a file or auto",
	[OPT_MATCH - OPT_SCENARIO] = "label matchers such as {job=\"edge\"}",
};

static const char *const command_names[] = {
	[CMD_SIM] = "sim", [CMD_WATCH] = "watch", [CMD_SERVE] = "serve", [CMD_REPLAY] = "replay",
	[CMD_TAIL] = "tail", [CMD_COMPARE] = "compare", [CMD_FLEET] = "fleet", [CMD_DEMO] = "demo",
};

/* --help fits 80x24: lines of at most 79 columns; option texts start at column 13. */
#define USAGE_WIDTH 79
#define USAGE_INDENT 13

static const char usage_text[] =
	"Usage: routertop [sim|demo] [OPTION]...   simulated router (demo: its story)\n"
	"       routertop watch URL|--exec CMD [OPTION]...  JSON or Prometheus text\n"
	"       routertop serve [--listen ADDR:PORT (127.0.0.1:8080)] [SIM OPTION]...\n"
	"       routertop replay FILE|- [--follow] [--once (summary)] [OPTION]...\n"
	"       routertop compare A B [--tolerance PCT]  two recordings (a CI gate)\n"
	"       routertop tail FILE...|- [OPTION]...  access logs (see tail --help)\n"
	"       routertop fleet PROMETHEUS_URL [OPTION]...  many routers (fleet --help)\n"
	"Simulation:  --scenario NAME|FILE  --seed N  --speed X|max  --duration D\n"
	"             scenarios: baseline concurrent ratelimit breaker steady demo\n"
	"Watch:       --interval D --timeout D --header-file F --insecure --max-body B\n"
	"             --input json|prometheus  --profile NAME|FILE|auto  --by LABEL\n"
	"Output:      --batch (a line per interval)  --once (one evaluation, exit)\n"
	"             --format text|json|csv|nagios|openmetrics  --record FILE\n"
	"Targets:     --targets FILE  --target [ROW:]KEY=VALUE (p95 p99 throughput\n"
	"             error-rate recovery warn; ROW: for that upstream only)\n"
	"Screen:      --no-color  --theme default|cb  --interval D (1s for sim)\n";
/* Then the screen's keys, from the key table (ui/keys.h), then the rest. */
static const char usage_tail[] =
	"Durations: 500ms, 5s, 2m, 1h, bare seconds.  Exit: 0 OK, 1 WARN, 2 FAIL,\n"
	"3 UNKNOWN or bad usage.  --help  --version  See routertop(1) for the rest.\n"
	"";

static const char demo_help_text[] =
	"Usage: routertop demo [--speed X] [--seed N] [OPTION]...\n"
	"The seeds' story on the simulated router, told in chapters, each with a\n"
	"caption saying what happens and why: one user's baseline, 10 concurrent\n"
	"users x 100 requests, a burst that meets the rate limiter, failures injected\n"
	"on one upstream, five failures open its breaker, calls refused at once\n"
	"(\"Service temporarily unavailable\"), half-open probing, recovery, and a\n"
	"closing summary: the targets met and missed, and the recovery time.\n"
	"  --speed X      simulated seconds per second (1; max with --batch)\n"
	"  --seed N       the simulation's seed (42): the same seed tells the same story\n"
	"  --batch        no screen: the captions, a line per snapshot, the summary\n"
	"  --format F     text or json (with --batch)\n"
	"  --interval D   simulated time between snapshots (1s)\n"
	"  --record FILE  --targets FILE  --target [ROW:]KEY=VALUE  --no-color\n"
	"  --theme default|cb  as for the other commands (routertop --help)\n"
	"Keys: space pauses, n skips to the next chapter, q quits; the event log\n"
	"is shown (e hides it), and the simulator's keys work too (? lists them).\n";

static const char tail_help_text[] =
	"Usage: routertop tail FILE...|- [OPTION]...\n"
	"Follow access logs like tail -F (rotation, copytruncate, files not there yet,\n"
	"standard input, FIFOs), or read them whole with --once; gzip and zstd data\n"
	"(files, pipes) are decompressed, and compressed files read whole.\n"
	"  --log-format F  nginx-timed, combined, envoy, haproxy, json, json:FIELD=KEY,\n"
	"                  nginx log_format text ('$remote_addr [$time_local] ...') or\n"
	"                  an Envoy format string; default: told from the first lines\n"
	"  --by R          rows by upstream (default), host, path (first segment),\n"
	"                  status, or any field of the format (http_x_tenant)\n"
	"  --latency L     request (default) or upstream time\n"
	"  --window W      latencies per row: a count (10000) or log time (60s)\n"
	"  --from-start    read what the files hold first, then follow\n"
	"  --once          read what is there, print one evaluation, exit with it\n"
	"  --interval D    between updates (1s); also --batch --format --record\n"
	"                  --targets --target --no-color --theme (routertop --help)\n"
	"Rows: 64 at most, then (other). Rates run on the log's own timestamps.\n"
	"Timeouts: 504, Envoy UT, HAProxy sH; rate limits: 429, RL; rejected: Envoy\n"
	"UO, HAProxy sQ; other 5xx are failures. nginx-timed in nginx.conf:\n"
	"  log_format timed '$remote_addr - $remote_user [$time_local] '\n"
	"                   '\"$request\" $status $body_bytes_sent '\n"
	"                   '\"$http_referer\" \"$http_user_agent\" '\n"
	"                   '$request_time $upstream_response_time $upstream_addr';\n"
	"  access_log /var/log/nginx/access.log timed;\n";

static const char fleet_help_text[] =
	"Usage: routertop fleet PROMETHEUS_URL [OPTION]...\n"
	"Many routers through a Prometheus server you run (or Thanos, Mimir, Victoria-\n"
	"Metrics): one row per instance, worst first. Enter shows an instance's own\n"
	"upstreams, its charts filled from Prometheus at once; Esc goes back.\n"
	"  --profile P     the families to query: a built-in name (routertop, envoy,\n"
	"                  haproxy, istio, linkerd, traefik, ingress-nginx,\n"
	"                  resilience4j), a profile file, or auto (ask; the default)\n"
	"  --match SEL     label matchers added to every query: '{job=\"edge\"}'\n"
	"  --by LABEL      the label naming an instance (instance)\n"
	"  --window D      the rate window of every query (1m)\n"
	"  --interval D    between rounds of queries (5s); --timeout D each (4s)\n"
	"  --header-file F request headers, one a line (Authorization: Bearer ...)\n"
	"  --insecure      do not verify the server's TLS certificate\n"
	"  --max-body B    the largest answer taken (16M)\n"
	"  also --once --batch --format --record --targets --target --no-color --theme\n"
	"Each round asks `up` and, by instance and for the whole, P50-P99 as\n"
	"histogram_quantile(q, sum by (le, BY) (rate(X_bucket{MATCH}[WINDOW]))), the\n"
	"request and failed rates, each error class and the breakers (routertop(1),\n"
	"FLEET). An instance Prometheus cannot scrape stays in the list, DOWN.\n"
	"Faults are shown, never fatal. Exit status: 0 OK, 1 WARN, 2 FAIL,\n"
	"3 UNKNOWN (Prometheus unreachable, no profile fits, bad usage).\n";

static void cli_defaults(struct cli_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->command = CMD_SIM;
	cfg->sim = (struct sim_options){ .scenario = "steady", .seed = 42, .speed = 1.0,
					 .interval_ms = 1000 };
	cfg->http = (struct http_options){ .interval_ms = 5000, .timeout_ms = 4000,
					   .max_body = METRICS_BODY_DEFAULT };
	cfg->exec = (struct exec_options){ .interval_ms = 5000, .timeout_ms = 4000,
					   .max_body = METRICS_BODY_DEFAULT };
	cfg->serve.listen = "127.0.0.1:8080";
	cfg->replay.speed = 1.0;
	cfg->compare.tolerance = 0.10;
	cfg->tail.interval_ms = 1000;
	cfg->fleet = (struct fleet_options){ .interval_ms = 5000, .timeout_ms = 4000 };
	targets_defaults(&cfg->targets);
	cfg->format = FORMAT_TEXT;
	cfg->theme = UI_THEME_DEFAULT;
}

static int parse_u64(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (text[0] == '-' || text[0] == '\0')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* "1048576", "512K", "1M": bytes, at least 1 KiB, at most what the Prometheus parser takes. */
static int parse_size(const char *text, size_t *out)
{
	char *end;
	double v;
	double scale = 1;

	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || !isfinite(v) || v <= 0)
		return -1;
	if (strcmp(end, "K") == 0 || strcmp(end, "k") == 0)
		scale = 1024;
	else if (strcmp(end, "M") == 0 || strcmp(end, "m") == 0)
		scale = 1024 * 1024;
	else if (*end != '\0')
		return -1;
	v *= scale;
	if (v < 1024 || v > (double)EXPO_BODY_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* "10", "10%", "2.5 %": percent, above 0 and at most 1000; stored as a fraction. */
static int parse_tolerance(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (*end == '%')
		end++;
	if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v <= 0 || v > 1000)
		return -1;
	*out = v / 100.0;
	return 0;
}

static int parse_speed(const char *text, double *out)
{
	char *end;
	double v;

	if (strcmp(text, "max") == 0) {
		*out = 0;
		return 0;
	}
	errno = 0;
	v = strtod(text, &end);
	/* A tiny speed would spin in float-to-integer overflow; a huge one means nothing. */
	if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v == 0 ||
	    !source_speed_ok(v))
		return -1;
	*out = v;
	return 0;
}

/* --window: a count of requests ("10000") or a span of log time ("60s", at least 1 s). */
static int parse_window(const char *text, size_t *count, int64_t *ms)
{
	uint64_t n;

	if (text[strspn(text, "0123456789")] == '\0') {
		if (parse_u64(text, &n) != 0 || n < 1 || n > TRACKER_MAX_WINDOW)
			return -1;
		*count = (size_t)n;
		*ms = 0;
		return 0;
	}
	if (parse_duration_ms(text, ms) != 0 || *ms < 1000)
		return -1;
	*count = 0;
	return 0;
}

/* A Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*. */
static bool label_name_ok(const char *s)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return s[0] != '\0' && strlen(s) < PROFILE_NAME_LEN;
}

/* Does argv word (an option like "--seed") take the next word as its value? */
static bool takes_separate_value(const char *word)
{
	if (strncmp(word, "--", 2) != 0 || strchr(word, '=') != NULL)
		return false;
	for (const struct option *o = long_options; o->name != NULL; o++)
		if (strcmp(word + 2, o->name) == 0)
			return o->has_arg == required_argument;
	return false;
}

/* The command is the first word that is neither an option nor its value; it may be absent. */
static int find_command(int argc, char **argv, enum cli_command *cmd)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (argv[i][0] == '-') {
			if (takes_separate_value(argv[i]))
				i++;
			continue;
		}
		for (int c = 0; c < (int)(sizeof(command_names) / sizeof(command_names[0])); c++) {
			if (strcmp(argv[i], command_names[c]) == 0) {
				*cmd = (enum cli_command)c;
				return i;
			}
		}
		return 0;
	}
	return 0;
}

struct pending_targets {
	const char *files[MAX_TARGET_FLAGS];
	const char *flags[MAX_TARGET_FLAGS];
	int nfiles, nflags;
};

static int apply_targets(struct cli_config *cfg, const struct pending_targets *pt,
			 char *err, size_t errlen)
{
	char msg[512];

	for (int i = 0; i < pt->nfiles; i++)
		if (targets_load_file(&cfg->targets, pt->files[i], msg, sizeof(msg)) != 0) {
			str_printf(err, errlen, "%s", msg);
			return -1;
		}
	for (int i = 0; i < pt->nflags; i++)
		if (targets_set(&cfg->targets, pt->flags[i], msg, sizeof(msg)) != 0) {
			str_printf(err, errlen, "--target: %s", msg);
			return -1;
		}
	return 0;
}

/* Apply one option's value; returns 0 or -1 with err filled. */
static int apply_option(struct cli_config *cfg, int code, const char *arg,
			struct pending_targets *pt, char *err, size_t errlen)
{
	int64_t ms;

	switch (code) {
	case OPT_SCENARIO:
		cfg->sim.scenario = arg;
		break;
	case OPT_SEED:
		if (parse_u64(arg, &cfg->sim.seed) != 0)
			goto bad;
		break;
	case OPT_SPEED:
		if (parse_speed(arg, &cfg->sim.speed) != 0)
			goto bad;
		cfg->replay.speed = cfg->sim.speed;
		cfg->speed_given = true;
		break;
	case OPT_DURATION:
		if (parse_duration_ms(arg, &ms) != 0)
			goto bad;
		cfg->sim.duration_ms = ms;
		break;
	case OPT_INTERVAL:
		if (parse_duration_ms(arg, &ms) != 0 || ms < SOURCE_INTERVAL_MIN_MS ||
		    ms > SOURCE_INTERVAL_MAX_MS)
			goto bad;
		cfg->sim.interval_ms = cfg->http.interval_ms = cfg->exec.interval_ms = ms;
		cfg->tail.interval_ms = cfg->fleet.interval_ms = ms;
		break;
	case OPT_TIMEOUT:
		if (parse_duration_ms(arg, &ms) != 0)
			goto bad;
		cfg->http.timeout_ms = cfg->exec.timeout_ms = cfg->fleet.timeout_ms = ms;
		break;
	case OPT_HEADER_FILE:
		cfg->http.header_file = cfg->fleet.header_file = arg;
		break;
	case OPT_INSECURE:
		cfg->http.insecure = cfg->fleet.insecure = true;
		break;
	case OPT_MAX_BODY:
		if (parse_size(arg, &cfg->http.max_body) != 0)
			goto bad;
		cfg->exec.max_body = cfg->fleet.max_body = cfg->http.max_body;
		break;
	case OPT_EXEC:
		cfg->exec.command = arg;
		break;
	case OPT_LISTEN:
		cfg->serve.listen = arg;
		break;
	case OPT_RECORD:
		cfg->record_path = arg;
		break;
	case OPT_BATCH:
		cfg->batch = true;
		break;
	case OPT_ONCE:
		cfg->once = true;
		break;
	case OPT_FORMAT:
		if (output_format_parse(arg, &cfg->format) != 0)
			goto bad;
		break;
	case OPT_TARGETS:
		if (pt->nfiles == MAX_TARGET_FLAGS)
			goto too_many;
		pt->files[pt->nfiles++] = arg;
		break;
	case OPT_TARGET:
		if (pt->nflags == MAX_TARGET_FLAGS)
			goto too_many;
		pt->flags[pt->nflags++] = arg;
		break;
	case OPT_NO_COLOR:
		cfg->no_color = true;
		break;
	case OPT_FOLLOW:
		cfg->replay.follow = true;
		break;
	case OPT_TOLERANCE:
		if (parse_tolerance(arg, &cfg->compare.tolerance) != 0)
			goto bad;
		break;
	case OPT_LOG_FORMAT:
		cfg->tail.format = arg;
		break;
	case OPT_BY:
		if (arg[0] == '\0')
			goto bad;
		if (cfg->command == CMD_FLEET && !promquery_label_ok(arg)) {
			str_printf(err, errlen, "--by: bad value '%s' (expected a label name, e.g. %s)",
				   arg, "instance");
			return -1;
		}
		cfg->fleet.by = arg;
		if (cfg->command == CMD_WATCH && !label_name_ok(arg)) {
			str_printf(err, errlen, "--by: bad value '%s' (expected a label name, e.g. %s)",
				   arg, "envoy_cluster_name");
			return -1;
		}
		cfg->tail.by = arg;
		cfg->http.text.by = cfg->exec.text.by = arg;
		break;
	case OPT_INPUT:
		if (prom_input_parse(arg, &cfg->http.text.input) != 0)
			goto bad;
		cfg->exec.text.input = cfg->http.text.input;
		break;
	case OPT_PROFILE:
		if (arg[0] == '\0')
			goto bad;
		cfg->http.text.profile = cfg->exec.text.profile = cfg->fleet.profile = arg;
		break;
	case OPT_MATCH:
		cfg->fleet.match = arg;
		break;
	case OPT_LATENCY:
		if (strcmp(arg, "request") != 0 && strcmp(arg, "upstream") != 0)
			goto bad;
		cfg->tail.latency_upstream = strcmp(arg, "upstream") == 0;
		break;
	case OPT_WINDOW:
		if (cfg->command == CMD_FLEET) {
			if (!promquery_duration_ok(arg)) {
				str_printf(err, errlen, "--window: bad value '%s' (expected a PromQL "
					   "duration such as 1m, 90s or 1h30m)", arg);
				return -1;
			}
			cfg->fleet.window = arg;
			break;
		}
		if (parse_window(arg, &cfg->tail.window, &cfg->tail.window_ms) != 0)
			goto bad;
		break;
	case OPT_FROM_START:
		cfg->tail.from_start = true;
		break;
	case OPT_THEME:
		if (strcmp(arg, "default") == 0)
			cfg->theme = UI_THEME_DEFAULT;
		else if (strcmp(arg, "cb") == 0)
			cfg->theme = UI_THEME_CB;
		else
			goto bad;
		break;
	}
	return 0;
bad:
	str_printf(err, errlen, "--%s: bad value '%s' (expected %s)", long_options[code - OPT_SCENARIO].name,
		   arg, option_expects[code - OPT_SCENARIO]);
	return -1;
too_many:
	str_printf(err, errlen, "--%s: given more than %d times",
		   long_options[code - OPT_SCENARIO].name, MAX_TARGET_FLAGS);
	return -1;
}

/* What is left after the options: the command word, and for watch the URL. */
static int check_operands(struct cli_config *cfg, int argc, char **argv, const char *cmd_word,
			  char *err, size_t errlen)
{
	const char *url = NULL;	/* watch's and fleet's URL, or replay's FILE */
	bool wants_operand = cfg->command == CMD_WATCH || cfg->command == CMD_REPLAY ||
			     cfg->command == CMD_FLEET;

	for (int i = optind; i < argc; i++) {
		if (argv[i] == cmd_word) {
			cmd_word = NULL;
			continue;
		}
		if (cfg->command == CMD_TAIL && cfg->tail.npaths == TAIL_MAX_FILES) {
			str_printf(err, errlen, "tail: at most %d files", TAIL_MAX_FILES);
			return -1;
		}
		if (cfg->command == CMD_TAIL && argv[i][0] != '\0') {
			cfg->tail.paths[cfg->tail.npaths++] = argv[i];
			continue;
		}
		if (cfg->command == CMD_COMPARE && argv[i][0] != '\0' && cfg->compare.b == NULL) {
			*(cfg->compare.a == NULL ? &cfg->compare.a : &cfg->compare.b) = argv[i];
			continue;
		}
		if (wants_operand && url == NULL) {
			url = argv[i];
			continue;
		}
		str_printf(err, errlen, "unexpected argument '%s'", argv[i]);
		return -1;
	}
	if (cfg->command == CMD_COMPARE) {
		if (cfg->compare.b == NULL) {
			str_printf(err, errlen, "compare: give two recordings, A and B (or FILE@FROM..TO twice)");
			return -1;
		}
		return 0;
	}
	if (cfg->command == CMD_TAIL) {
		if (cfg->tail.npaths == 0) {
			str_printf(err, errlen, "tail: missing FILE (- for standard input)");
			return -1;
		}
		cfg->tail.once = cfg->once;
		return 0;
	}
	if (cfg->command == CMD_REPLAY) {
		if (url == NULL || url[0] == '\0') {
			str_printf(err, errlen, "replay: missing FILE");
			return -1;
		}
		cfg->replay.path = url;
		return 0;
	}
	if (cfg->command == CMD_FLEET) {
		if (url == NULL || url[0] == '\0') {
			str_printf(err, errlen, "fleet: missing PROMETHEUS_URL (such as "
				   "http://prometheus:9090)");
			return -1;
		}
		cfg->fleet.url = url;
		return 0;
	}
	if (cfg->command != CMD_WATCH)
		return 0;
	if (url != NULL && cfg->exec.command != NULL) {
		str_printf(err, errlen, "watch: give a URL or --exec, not both");
		return -1;
	}
	if (url == NULL && cfg->exec.command == NULL) {
		str_printf(err, errlen, "watch: missing URL (or --exec 'COMMAND')");
		return -1;
	}
	if (url != NULL && url[0] == '\0') {
		str_printf(err, errlen, "watch: empty URL");
		return -1;
	}
	cfg->http.url = url;
	return 0;
}

enum cli_result cli_parse(int argc, char **argv, struct cli_config *cfg, FILE *out,
			  char *err, size_t errlen)
{
	struct pending_targets pt = { .nfiles = 0 };
	const char *cmd_word;
	int code, cmd_at;
	bool help = false, version = false;

	cli_defaults(cfg);
	cmd_at = find_command(argc, argv, &cfg->command);
	/* getopt_long permutes argv, so remember the command word itself. */
	cmd_word = cmd_at > 0 ? argv[cmd_at] : NULL;
	optind = 1;
	opterr = 0;
	while ((code = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
		if (code == 'h')
			code = OPT_HELP;
		else if (code == 'V')
			code = OPT_VERSION;
		if (code == '?' || code == ':') {
			const char *what = argv[optind - 1];

			str_printf(err, errlen, code == ':' ? "%s needs a value" : "unknown option '%s'", what);
			return CLI_ERROR;
		}
		if (!(option_scope[code - OPT_SCENARIO] & (1u << cfg->command))) {
			str_printf(err, errlen, "--%s does not apply to '%s'",
				   long_options[code - OPT_SCENARIO].name, command_names[cfg->command]);
			return CLI_ERROR;
		}
		if (code == OPT_HELP)
			help = true;
		else if (code == OPT_VERSION)
			version = true;
		else if (apply_option(cfg, code, optarg, &pt, err, errlen) != 0)
			return CLI_ERROR;
	}
	if (help) {
		char keys[512];

		if (cfg->command == CMD_TAIL) {
			fputs(tail_help_text, out);
			return CLI_EXIT_OK;
		}
		if (cfg->command == CMD_DEMO) {
			fputs(demo_help_text, out);
			return CLI_EXIT_OK;
		}
		if (cfg->command == CMD_FLEET) {
			fputs(fleet_help_text, out);
			return CLI_EXIT_OK;
		}
		keys_format_brief(keys, sizeof(keys), USAGE_INDENT, USAGE_WIDTH);
		fputs(usage_text, out);
		fputs(keys, out);
		fputs(usage_tail, out);
		return CLI_EXIT_OK;
	}
	if (version) {
		fprintf(out, "routertop %s\n", PACKAGE_VERSION);
		return CLI_EXIT_OK;
	}
	if (check_operands(cfg, argc, argv, cmd_word, err, errlen) != 0)
		return CLI_ERROR;
	if (cfg->command == CMD_SERVE && cfg->sim.speed == 0) {
		/* A server answers in real time; max speed would only burn a core. */
		str_printf(err, errlen, "--speed max does not apply to 'serve'");
		return CLI_ERROR;
	}
	/* A recording exported for Prometheus: all of it, as fast as it can be read. */
	if (cfg->command == CMD_REPLAY && cfg->format == FORMAT_OPENMETRICS && !cfg->once) {
		cfg->batch = true;
		if (!cfg->speed_given)
			cfg->replay.speed = 0;
	}
	if (cfg->command == CMD_REPLAY && cfg->once &&
	    (cfg->format != FORMAT_TEXT && cfg->format != FORMAT_JSON)) {
		str_printf(err, errlen, "replay --once (the summary) prints text or json only");
		return CLI_ERROR;
	}
	if (cfg->command == CMD_REPLAY && cfg->once && (cfg->replay.follow || cfg->record_path != NULL)) {
		str_printf(err, errlen, "replay --once (the summary) takes neither --follow nor --record");
		return CLI_ERROR;
	}
	if (cfg->command == CMD_DEMO && cfg->format != FORMAT_TEXT && cfg->format != FORMAT_JSON) {
		str_printf(err, errlen, "demo prints text or json only");
		return CLI_ERROR;
	}
	if (apply_targets(cfg, &pt, err, errlen) != 0)
		return CLI_ERROR;
	cfg->demo = (struct demo_options){
		.seed = cfg->sim.seed, .interval_ms = cfg->sim.interval_ms,
		/* Without a screen the story is told as fast as it can be, unless --speed says otherwise. */
		.speed = cfg->batch && !cfg->speed_given ? 0 : cfg->sim.speed,
	};
	return CLI_RUN;
}
