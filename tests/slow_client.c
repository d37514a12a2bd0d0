/*
 * slow_client: a slowloris for the end-to-end test of `routertop serve`.
 *
 *   slow_client [--from ADDR] [--spread N] [--seconds N] PORT COUNT
 *
 * Keeps COUNT connections to 127.0.0.1:PORT (from ADDR, a loopback address
 * such as 127.0.0.2, if given; with --spread, connection k comes from
 * ADDR + k % N, so a limit per address does not stop them), each sending a request one byte a second
 * and never finishing its headers. A connection the server closes is
 * counted and opened again at the next tick. Prints "connected N" after
 * the first round and "cut" for each connection the server closed, then
 * exits after N seconds (default 30), so it never outlives the test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOW_MAX 1024

static const char slow_request[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
				   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

struct slow {
	int fd;
	size_t sent;
};

static int slow_connect(const struct sockaddr_in *to, const char *from, unsigned offset)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in src = { .sin_family = AF_INET };

	if (fd < 0)
		return -1;
	if (from != NULL) {
		inet_pton(AF_INET, from, &src.sin_addr);
		src.sin_addr.s_addr = htonl(ntohl(src.sin_addr.s_addr) + offset);
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether the server closed c: readable with nothing to read, or an error. */
static int slow_closed(struct slow *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	char buf[256];

	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLERR | POLLHUP))
		return 1;
	return recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	static struct slow conns[SLOW_MAX];
	const char *from = NULL;
	int seconds = 30, spread = 1, count, i;
	time_t end;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--from") == 0)
			from = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--spread") == 0)
			spread = atoi(argv[i + 1]);
		else
			break;
	}
	if (argc - i != 2 || (count = atoi(argv[i + 1])) <= 0 || count > SLOW_MAX || seconds <= 0 ||
	    spread <= 0 || spread > 250) {
		fprintf(stderr, "usage: slow_client [--from ADDR] [--spread N] [--seconds N] PORT COUNT\n");
		return 2;
	}
	to.sin_port = htons((unsigned short)atoi(argv[i]));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int k = 0; k < count; k++)
		conns[k] = (struct slow){ .fd = slow_connect(&to, from, (unsigned)(k % spread)) };
	printf("connected %d\n", count);
	fflush(stdout);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct timespec tick = { 1, 0 };

		for (int k = 0; k < count; k++) {
			struct slow *c = &conns[k];

			if (c->fd >= 0 && slow_closed(c)) {
				close(c->fd);
				c->fd = -1;
				printf("cut\n");
				fflush(stdout);
			}
			if (c->fd < 0) {
				*c = (struct slow){ .fd = slow_connect(&to, from, (unsigned)(k % spread)) };
				continue;
			}
			/* One byte a second; the headers never end. */
			if (send(c->fd, c->sent < sizeof(slow_request) - 1 ? slow_request + c->sent : "a",
				 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
				c->sent++;
		}
		nanosleep(&tick, NULL);
	}
	return 0;
}
