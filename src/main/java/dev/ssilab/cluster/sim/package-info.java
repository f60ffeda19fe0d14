/**
 * The embedded OpenSSI cluster simulator ({@code --backend sim}): an in-memory, real-time model of one
 * SSI cluster, as docs/SSI.md describes it. It models semantics; it never runs the learner's
 * programs, and it never invents an answer: what it does not model is refused with
 * {@code ssilab sim: WHAT is not modelled by the simulator} and exit status 127.
 *
 * <h2>Modelled</h2>
 * <ul>
 * <li>CLMS membership: NEVERUP/DOWN -> COMINGUP -> UP on boot, UP -> KCLEANUP -> UCLEANUP -> DOWN on a
 *     crash, a transition id per change; the CLMS master, root filesystem server, init (pid 1) and the
 *     keepalive daemon live on one node each and fail over to the lowest surviving node; the last UP
 *     node cannot crash. Commands: {@code cluster [-v]}, {@code clusternode_num},
 *     {@code clusternode_getstate N}, {@code hostname}.
 * <li>One clusterwide process table: pids from the creating node's range, kept for life; parent,
 *     process group, session, terminal, pinning; {@code ps [-e|-A] [-f]}, {@code kill [-SIG|-s SIG] PID|-PGRP|%JOB}
 *     (HUP INT QUIT KILL USR1 USR2 TERM and 0; every one ends its target), {@code pgrep}/{@code pkill [-f]},
 *     {@code where_pid}, {@code onnode [-p] N CMD}, {@code onall CMD}, {@code sleep} (real time; a
 *     timer, not a thread), background jobs, {@code wait}, {@code jobs}; a crashed node's processes die
 *     with SIGKILL, as their parents' {@code wait} reports.
 * <li>Migration: {@code echo N >/proc/PID/goto}, {@code migrate PID N}; pid, parent, open files,
 *     terminal are kept; refused for pinned processes, init, and nodes not UP.
 * <li>Load leveling: {@code loadlevel [-a on|off] [-n N on|off]}, {@code loads}, {@code bash-ll},
 *     {@code /cluster/etc/loadlevellist}; a periodic balancer moves the heaviest eligible process of
 *     an overloaded node to the least loaded one. The only CPU-bound program is {@code yes >/dev/null}.
 * <li>The shared root (in memory): {@code cat echo ls mkdir rm mkfifo touch grep wc -l head tail test [
 *     cd pwd date whoami clear}, redirections {@code > >> < 2> 2>> 2>&1}, clusterwide FIFOs with Linux's blocking
 *     opens, node devices under {@code /devfs/nodeN/} and {@code /cluster/nodeN/dev/} (gone while the
 *     node is down), {@code /dev/console}, {@code /dev/null}, {@code /proc/PID/goto}. The root holds
 *     64 MB of files (then "No space left on device"), a FIFO 16 MB unread; a pipe or {@code $( )},
 *     whose stages run one after the other here, holds 64 MB and past it ends its line with one line.
 * <li>HA: {@code spawndaemon -d PATH [ARGS]} registers a daemon with keepalive, which restarts it when
 *     it dies (same node if up, else the lowest UP node) and logs it to {@code /var/log/keepalive};
 *     {@code keepalive} lists them.
 * <li>The HOWTO's {@code dbdemo alphabet} (1-9 / Enter / q on a console; {@code migrate} otherwise).
 * <li>The shell: {@code ; && || & | !}, quotes, backslashes, comments, multi-line scripts (a console reads
 *     on after a {@code > } prompt while a quote or a compound command is open),
 *     {@code $? $$ $! $NAME ${NAME} $(...)}, assignments, {@code ~}, globs in the last path component,
 *     loops ({@code for NAME in WORDS}, {@code for NAME} (over no positional parameters), {@code while},
 *     {@code until}, {@code break [N]}, {@code continue [N]}), conditionals ({@code if/elif/else}),
 *     {@code { }} groups and {@code ( )} subshells, each wherever a command may stand (pipes,
 *     redirections, {@code && ||}, {@code &}); {@code $(( ))} arithmetic (64-bit integers, numbers and
 *     variables, {@code ( ) + - * / % ! < <= > >= == != && ||}; an assignment, {@code ++} or a bit
 *     operator in it is an error line, status 1, as division by zero is); {@code bash|sh -c}, an interactive
 *     {@code bash-ll}, {@code exit}/{@code logout}, {@code help}, Ctrl-C on a console (it stops a loop too);
 *     {@code read [-r] [-p PROMPT] [NAME...]}: a line a turn from a loop's input (shared with the
 *     commands inside, as one open file), the console's next line from the terminal.
 * </ul>
 *
 * <h2>Refused (not modelled)</h2>
 * Every other program (editors, compilers, {@code mount}, {@code top}, {@code uname} ...), other options
 * of the modelled ones (e.g. {@code ps aux}, {@code ls -l}), functions ({@code f() }, {@code function}),
 * {@code case}, {@code select}, here-documents and here-strings, bash's {@code [[ ]]} and {@code (( ))},
 * globs in folder names (kept as typed), reading {@code /proc} files, signals that stop or are caught
 * (STOP, CONT ...), {@code yes} to a terminal, file or pipe. Standard input from the terminal is empty
 * for every other command (only dbdemo, bash-ll and read read the console).
 *
 * <h2>Parts</h2>
 * {@link dev.ssilab.cluster.sim.SimBackend} (the {@code ClusterBackend}) and its provider stay here;
 * {@code sim.model} is the simulated cluster (and holds the one locking rule), {@code sim.shell} the node
 * shell, {@code sim.commands} the commands. The model imports neither the shell nor the commands; the shell
 * reaches the commands only through its {@code CommandTable}.
 */
package dev.ssilab.cluster.sim;
