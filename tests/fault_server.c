/*
 * fault_server: the loopback fault server as a program, for the
 * end-to-end test of `watch URL`.
 *
 *   fault_server [--slow-ms N] [--max-seconds N] SEQUENCE
 *
 * SEQUENCE is a comma-separated list of answers to /metrics (good, slow,
 * 500, 404, garbage, truncated, huge, redirect), given in turn; after the
 * list every answer is good. If the list starts with "refused", the port is
 * bound but not listening (connections are refused) until SIGUSR1. A list
 * with a hostile answer (hostile-json, hostile-state, hostile-reason,
 * hostile-header, hostile-redirect, hostile-big-header) runs the server in
 * hostile mode, where only good and hostile answers are sent.
 *
 * Prints "port N" first, "listening" once it listens, then "served KIND"
 * for each answer. Exits 0 on SIGTERM/SIGINT or after --max-seconds, so a
 * forgotten server never outlives the test.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fault_http.h"

struct fault_args {
	int slow_ms, max_seconds;
	enum fault_kind seq[FAULT_SEQ_MAX];
	int seq_len;
};

static int parse_sequence(char *text, struct fault_args *a)
{
	for (char *name = strtok(text, ","); name != NULL; name = strtok(NULL, ",")) {
		if (a->seq_len == FAULT_SEQ_MAX || fault_kind_parse(name, &a->seq[a->seq_len]) != 0) {
			fprintf(stderr, "fault_server: bad answer '%s'\n", name);
			return -1;
		}
		if (a->seq[a->seq_len] == FAULT_REFUSED && a->seq_len != 0) {
			fprintf(stderr, "fault_server: 'refused' can only come first\n");
			return -1;
		}
		a->seq_len++;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct fault_args *a)
{
	int i;

	*a = (struct fault_args){ .slow_ms = 3000, .max_seconds = 120 };
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--slow-ms") == 0)
			a->slow_ms = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--max-seconds") == 0)
			a->max_seconds = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc - 1 || a->slow_ms < 0 || a->max_seconds <= 0) {
		fprintf(stderr, "usage: fault_server [--slow-ms N] [--max-seconds N] SEQUENCE\n");
		return -1;
	}
	return parse_sequence(argv[i], a);
}

static bool has_hostile(const struct fault_args *a)
{
	for (int i = 0; i < a->seq_len; i++)
		if (a->seq[i] >= FAULT_HOSTILE_JSON)
			return true;
	return false;
}

static int bind_loopback(unsigned *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Wait for one of the blocked signals in set until deadline; returns it, or 0 on time out. */
static int wait_signal(const sigset_t *set, time_t deadline)
{
	struct timespec left = { .tv_sec = deadline - time(NULL) };
	int sig;

	if (left.tv_sec <= 0)
		return 0;
	sig = sigtimedwait(set, NULL, &left);
	return sig > 0 ? sig : 0;
}

int main(int argc, char **argv)
{
	struct fault_args a;
	struct fault_server *fs;
	sigset_t set;
	unsigned port;
	time_t deadline;
	int fd, first = 0;

	if (parse_args(argc, argv, &a) != 0)
		return 2;
	deadline = time(NULL) + a.max_seconds;
	/* Block the signals before libmicrohttpd starts threads, so only sigtimedwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = bind_loopback(&port);
	if (fd < 0) {
		perror("fault_server: bind");
		return 1;
	}
	printf("port %u\n", port);
	fflush(stdout);
	if (a.seq_len > 0 && a.seq[0] == FAULT_REFUSED) {
		first = 1;
		if (wait_signal(&set, deadline) != SIGUSR1) {
			close(fd);	/* told to stop, or out of time */
			return 0;
		}
	}
	if (listen(fd, 16) != 0 ||
	    (fs = has_hostile(&a) ? fault_server_start_hostile(fd) : fault_server_start(fd)) == NULL) {
		fprintf(stderr, "fault_server: cannot start the server\n");
		return 1;
	}
	fault_server_set_slow_ms(fs, a.slow_ms);
	fault_server_set_log(fs, stdout);
	fault_server_set_sequence(fs, a.seq + first, a.seq_len - first);
	printf("listening\n");
	fflush(stdout);
	while (wait_signal(&set, deadline) == SIGUSR1)
		;
	fault_server_stop(fs);
	return 0;
}
