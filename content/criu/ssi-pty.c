/*
 * ssi-pty: the terminal of a program that migrates between real UML nodes, kept where it was started,
 * as OpenSSI kept a migrated process's terminal on its origin node.
 *
 *   ssi-pty home CMD [ARG...]   on the node whose console runs the program (its "home")
 *   ssi-pty away PID PORT DIR   on the node the program moves to (started by migrate)
 *
 * home: puts the console in raw mode and runs CMD on a new pseudo-terminal, as a process group of its
 * own in a session led by a small leader (CRIU restores a terminal job only when it is not a session
 * leader), and copies bytes between the console and the pty. It records the program in
 * /cluster/.ssi/home/PID (its node, its window size). When the program leaves the node (migrate
 * writes "moving" there, then CRIU checkpoints it, which ends it here), home waits for "at" (NODE
 * PORT) and connects to the ssi-pty away there; from then on the console's bytes go over that
 * connection, to and from the pty the program has on its new node. When the program ends for good,
 * home exits with its status (written in "status" by the away side when it ended elsewhere).
 *
 * away: accepts home's connection on PORT, makes a pty of the home's window size, and in a session
 * led by a leader on that pty runs "criu restore --shell-job --restore-detached -D DIR": the program
 * comes back with that pty as its terminal and the leader (a child subreaper) as its parent. Bytes go
 * between the connection and the pty until the program ends, then its status is written for home
 * (unless it is moving on again: then home follows it).
 *
 * Keys typed on the console are processed by the line discipline of the pty where the program is:
 * Ctrl-C there is a SIGINT to the program, wherever it runs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define HOMES "/cluster/.ssi/home"
#define MEMBERSHIP "/cluster/.ssi/membership"
#define CRIU "/opt/criu/bin/criu"

static struct termios saved;
static int outer_raw;

static void die(const char *what)
{
	if (outer_raw)
		tcsetattr(0, TCSANOW, &saved);
	fprintf(stderr, "ssi-pty: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void path_of(char *buf, size_t n, long pid, const char *name)
{
	snprintf(buf, n, HOMES "/%ld/%s", pid, name);
}

static int exists(long pid, const char *name)
{
	char p[256];

	path_of(p, sizeof(p), pid, name);
	return access(p, F_OK) == 0;
}

/* Reads a small file of the program's record; returns its length, -1 when it is not there. */
static int read_file(long pid, const char *name, char *buf, size_t n)
{
	char p[256];
	int fd, len;

	path_of(p, sizeof(p), pid, name);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, n - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	return len;
}

/* Writes a file of the program's record atomically (a temp name, then rename). */
static void write_file(long pid, const char *name, const char *text)
{
	char p[256], tmp[280];
	int fd;

	path_of(p, sizeof(p), pid, name);
	snprintf(tmp, sizeof(tmp), "%s.%d", p, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	rename(tmp, p);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Whether the manager's membership has NODE up: a crashed node's kernel never closes a connection. */
static int node_up(int node)
{
	char buf[4096], want[32];
	int fd, len;
	char *line;

	fd = open(MEMBERSHIP, O_RDONLY);
	if (fd < 0)
		return 1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 1;
	buf[len] = 0;
	snprintf(want, sizeof(want), "node %d UP", node);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, want, strlen(want)) == 0 && (line[strlen(want)] == 0 || line[strlen(want)] == ' '))
			return 1;
	return 0;
}

static int open_pty(int *slave, struct winsize *ws)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0 || grantpt(master) || unlockpt(master))
		die("cannot make a pseudo-terminal");
	*slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (*slave < 0)
		die("cannot open the pseudo-terminal's slave");
	if (ws && ws->ws_row)
		ioctl(master, TIOCSWINSZ, ws);
	return master;
}

/* The status a shell reports for a child: its exit code, or 128 + the signal that ended it. */
static int shell_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Forks the session leader of the pty: it makes the slave its controlling terminal, then either runs
 * CMD as a process group of its own in the foreground (home), or runs criu restore and adopts the
 * restored program (away). It exits with the program's status. Returns the leader's pid.
 */
static pid_t start_leader(int master, int slave, char **cmd, int report, long restore_pid, const char *dir)
{
	pid_t leader = fork();

	if (leader < 0)
		die("fork");
	if (leader > 0)
		return leader;
	close(master);
	setsid();
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		die("cannot take the pseudo-terminal as controlling terminal");
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(slave, 2);
	if (slave > 2)
		close(slave);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (restore_pid) {
		int status;
		pid_t criu, pid;

		/* the restored program is criu's child; when criu leaves, it becomes ours */
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		criu = fork();
		if (criu == 0) {
			execl(CRIU, CRIU, "restore", "--shell-job", "--restore-detached", "-D", dir, "-o", "restore.log",
			      (char *)NULL);
			_exit(127);
		}
		if (waitpid(criu, &status, 0) < 0 || shell_status(status) != 0)
			_exit(254);
		if (chdir("/"))
			_exit(254);
		for (;;) {
			pid = wait(&status);
			if (pid < 0)
				_exit(254);
			if (pid == restore_pid)
				_exit(shell_status(status));
		}
	} else {
		int status;
		pid_t child = fork();

		if (child == 0) {
			setpgid(0, 0);
			tcsetpgrp(0, getpid());
			signal(SIGINT, SIG_DFL);
			signal(SIGQUIT, SIG_DFL);
			signal(SIGTSTP, SIG_DFL);
			signal(SIGTTOU, SIG_DFL);
			close(report);
			unsetenv("SSI_PLUMBING");
			setenv("SSI_HOME", "1", 1);
			execvp(cmd[0], cmd);
			fprintf(stderr, "ssi-pty: cannot run %s: %s\n", cmd[0], strerror(errno));
			_exit(127);
		}
		setpgid(child, child);
		tcsetpgrp(0, child);
		/* the program's pid, for home */
		dprintf(report, "%d\n", child);
		close(report);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		_exit(shell_status(status));
	}
	return 0;
}

/*
 * Copies bytes between a and b (each way) until a side ends or, when leader > 0, the leader ends and
 * b has nothing more to read; with watch_node > 0, also until that node is no longer up. Returns the
 * leader's wait status, or -1.
 */
static int relay(int in, int out, int peer, pid_t leader, int watch_node)
{
	char buf[4096];
	int status = -1, n, leader_done = 0;
	time_t last_check = time(NULL);

	for (;;) {
		struct pollfd fds[2] = { { in, POLLIN, 0 }, { peer, POLLIN, 0 } };
		int ready = poll(fds, 2, leader_done ? 50 : 250);

		if (leader > 0 && !leader_done && waitpid(leader, &status, WNOHANG) == leader)
			leader_done = 1;
		if (ready < 0 && errno != EINTR)
			return status;
		if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(in, buf, sizeof(buf));
			if (n <= 0)
				in = -1;
			else if (write(peer, buf, n) < 0)
				return status;
		}
		if (ready > 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(peer, buf, sizeof(buf));
			if (n <= 0)
				return status;
			if (write(out, buf, n) < 0)
				return status;
		} else if (leader_done) {
			/* the leader is gone and the pty has nothing left to say */
			return status;
		}
		if (in < 0 && leader <= 0)
			return status;
		if (watch_node > 0 && time(NULL) != last_check) {
			last_check = time(NULL);
			if (!node_up(watch_node))
				return -2;
		}
	}
}

/*
 * Keys typed after the program's last read (q, then the next command at once) are still in its pty's
 * input queue when it ends: take them (up to n bytes), to give them back to the console, where the
 * shell reads next, as they would be without a pty in between.
 */
static int take_typeahead(int slave, char *buf, int n)
{
	struct termios t;
	int got = 0, r;

	if (tcgetattr(slave, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
	}
	fcntl(slave, F_SETFL, O_NONBLOCK);
	while (got < n && (r = read(slave, buf + got, n - got)) > 0)
		got += r;
	return got;
}

/*
 * Gives the console back to the shell: the keys taken from the program's pty first, then what was
 * typed on the console since this stopped reading it (read while the console is still raw: in its
 * cooked mode an unfinished line could not be read), all put back into the console's input queue in
 * the order they were typed (TIOCSTI appends: without this, a key taken from the pty went after the
 * rest of the line typed behind it), then the console's own mode back.
 */
static void give_back(const char *keys, int n)
{
	char buf[8192];
	int len = 0, r, i, flags;

	if (!isatty(0))
		return;
	if (n > 0) {
		memcpy(buf, keys, n < (int)sizeof(buf) ? n : (int)sizeof(buf));
		len = n < (int)sizeof(buf) ? n : (int)sizeof(buf);
	}
	flags = fcntl(0, F_GETFL);
	if (flags >= 0 && fcntl(0, F_SETFL, flags | O_NONBLOCK) == 0) {
		while (len < (int)sizeof(buf) && (r = read(0, buf + len, sizeof(buf) - len)) > 0)
			len += r;
		fcntl(0, F_SETFL, flags);
	}
	if (outer_raw)
		tcsetattr(0, TCSANOW, &saved);
	outer_raw = 0;
	for (i = 0; i < len; i++)
		ioctl(0, TIOCSTI, &buf[i]);
}

static void record_size(long pid)
{
	struct winsize ws;
	char text[64];

	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row) {
		snprintf(text, sizeof(text), "%d %d\n", ws.ws_row, ws.ws_col);
		write_file(pid, "size", text);
	}
}

static int home(char **cmd)
{
	struct winsize ws = { 0 };
	int master, slave, status, pidpipe[2];
	long pid;
	pid_t leader;
	char buf[64], dir[128];
	FILE *f;

	if (isatty(0)) {
		struct termios raw;

		tcgetattr(0, &saved);
		raw = saved;
		cfmakeraw(&raw);
		ioctl(0, TIOCGWINSZ, &ws);
		if (tcsetattr(0, TCSANOW, &raw) == 0)
			outer_raw = 1;
	}
	master = open_pty(&slave, &ws);
	if (pipe2(pidpipe, O_CLOEXEC))
		die("pipe");
	leader = start_leader(master, slave, cmd, pidpipe[1], 0, NULL);
	/* (the slave stays open here, for take_typeahead) */
	close(pidpipe[1]);
	f = fdopen(pidpipe[0], "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("the program did not start");
	fclose(f);
	pid = atol(buf);
	snprintf(dir, sizeof(dir), HOMES "/%ld", pid);
	mkdir(HOMES, 0700);
	mkdir(dir, 0700);
	gethostname(buf, sizeof(buf));
	{
		char text[80];

		snprintf(text, sizeof(text), "%s\n", buf[0] == 'n' ? buf + 4 : buf);
		write_file(pid, "node", text);
	}
	record_size(pid);

	status = relay(0, 1, master, leader, 0);
	if (status == -1)
		waitpid(leader, &status, 0);
	if (!exists(pid, "moving")) {
		char keys[4096];

		give_back(keys, take_typeahead(slave, keys, sizeof(keys)));
	}
	close(slave);
	close(master);
	for (;;) {
		int node, port, tries, sk = -1;
		struct sockaddr_in addr = { 0 };
		char ip[32];

		if (!exists(pid, "moving"))
			break;
		/* the program is leaving: wait until migrate says where it is (or gives up) */
		for (tries = 0; tries < 600 && exists(pid, "moving") && read_file(pid, "at", buf, sizeof(buf)) < 0; tries++)
			sleep_ms(100);
		if (read_file(pid, "at", buf, sizeof(buf)) < 0 || sscanf(buf, "%d %d", &node, &port) != 2) {
			if (!exists(pid, "moving"))
				break;
			status = -1;
			break;
		}
		{
			char p[256];

			path_of(p, sizeof(p), pid, "at");
			unlink(p);
		}
		snprintf(ip, sizeof(ip), "169.254.50.%d", node);
		addr.sin_family = AF_INET;
		addr.sin_port = htons(port);
		inet_pton(AF_INET, ip, &addr.sin_addr);
		for (tries = 0; tries < 100; tries++) {
			sk = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (sk >= 0 && connect(sk, (struct sockaddr *)&addr, sizeof(addr)) == 0)
				break;
			if (sk >= 0)
				close(sk);
			sk = -1;
			sleep_ms(100);
		}
		if (sk < 0) {
			status = -1;
			break;
		}
		{
			/* keys sent to the program's last node that it never read come first */
			char keys[4096], p[256];
			int n = read_file(pid, "pending", keys, sizeof(keys));

			path_of(p, sizeof(p), pid, "pending");
			unlink(p);
			if (n > 0 && write(sk, keys, n) < 0)
				n = 0;
		}
		status = relay(0, 1, sk, 0, node) == -2 ? -2 : 0;
		if (status == 0) {
			/*
			 * The away side ended its half: the program ended or left. End ours (no more keys go
			 * there), and wait for what it writes back: the status, or the keys it never read.
			 */
			int tries;

			shutdown(sk, SHUT_WR);
			for (tries = 0; tries < 100 && !exists(pid, "status") && !exists(pid, "pending") && exists(pid, "moving") == 0; tries++)
				sleep_ms(50);
			if (exists(pid, "moving"))
				for (tries = 0; tries < 100 && !exists(pid, "pending") && read_file(pid, "at", buf, sizeof(buf)) < 0; tries++)
					sleep_ms(50);
		}
		close(sk);
		if (status == -2) {
			const char *msg = "\r\n[ssi-pty: the node the program ran on went down]\r\n";

			if (write(1, msg, strlen(msg)) < 0)
				break;
			if (!exists(pid, "moving"))
				break;
		}
	}
	{
		char keys[4096];
		int n = read_file(pid, "typeahead", keys, sizeof(keys));

		/* (when the program ended here, give_back ran already: the console is not raw any more) */
		if (outer_raw)
			give_back(keys, n > 0 ? n : 0);
	}
	if (read_file(pid, "status", buf, sizeof(buf)) > 0)
		status = atoi(buf) << 8;
	{
		char cmdline[256];

		/* the record goes with the program */
		snprintf(cmdline, sizeof(cmdline), "rm -rf %s", dir);
		if (system(cmdline) < 0)
			return 1;
	}
	if (status == -2)
		return 137;
	return status < 0 ? 1 : WIFEXITED(status) ? WEXITSTATUS(status) : shell_status(status);
}

static int away(long pid, int port, const char *images)
{
	struct sockaddr_in addr = { 0 };
	struct winsize ws = { 0 };
	int lsk, sk, master, slave, status, one = 1;
	struct pollfd pfd;
	pid_t leader;
	char buf[64];

	lsk = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(lsk, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	if (lsk < 0 || bind(lsk, (struct sockaddr *)&addr, sizeof(addr)) || listen(lsk, 1))
		die("cannot listen for the program's home");
	pfd.fd = lsk;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 30000) != 1) {
		write_file(pid, "failed", "its home did not connect\n");
		return 1;
	}
	sk = accept4(lsk, NULL, NULL, SOCK_CLOEXEC);
	close(lsk);
	if (sk < 0)
		die("accept");
	if (read_file(pid, "size", buf, sizeof(buf)) > 0) {
		int rows, cols;

		if (sscanf(buf, "%d %d", &rows, &cols) == 2) {
			ws.ws_row = rows;
			ws.ws_col = cols;
		}
	}
	if (chdir(images))
		die("cannot enter the images' folder");
	master = open_pty(&slave, &ws);
	leader = start_leader(master, slave, NULL, -1, pid, ".");
	/* (the slave stays open here, for take_typeahead) */
	/* (migrate removes the images' folder once the program runs) */
	if (chdir("/"))
		die("chdir /");
	status = relay(sk, sk, master, leader, 0);
	if (status < 0 && waitpid(leader, &status, 0) != leader)
		status = 254 << 8;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 254) {
		write_file(pid, "failed", "criu restore failed\n");
	} else {
		/*
		 * The keys not read by the program: first those in the pty, then those home sent since. Home
		 * is told the program is gone (end of our side of the connection) and answers by ending its
		 * own once it stops sending: so nothing it sent is lost in between. They go back to home's
		 * console when the program ended ("typeahead", with its status), or on to the program's next
		 * node when it is moving on ("pending").
		 */
		char keys[4096];
		int n = take_typeahead(slave, keys, sizeof(keys) - 1), r;
		struct pollfd pfd = { sk, POLLIN, 0 };

		shutdown(sk, SHUT_WR);
		while (n < (int)sizeof(keys) - 1 && poll(&pfd, 1, 5000) == 1 && (r = read(sk, keys + n, sizeof(keys) - 1 - n)) > 0)
			n += r;
		keys[n] = 0;
		if (exists(pid, "moving")) {
			if (n > 0 && memchr(keys, 0, n) == NULL)
				write_file(pid, "pending", keys);
		} else {
			if (n > 0 && memchr(keys, 0, n) == NULL)
				write_file(pid, "typeahead", keys);
			snprintf(buf, sizeof(buf), "%d\n", shell_status(status));
			write_file(pid, "status", buf);
		}
	}
	close(slave);
	close(master);
	close(sk);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 3 && strcmp(argv[1], "home") == 0)
		return home(argv + 2);
	if (argc == 5 && strcmp(argv[1], "away") == 0)
		return away(atol(argv[2]), atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: ssi-pty home CMD [ARG...] | ssi-pty away PID PORT IMAGES\n");
	return 2;
}
