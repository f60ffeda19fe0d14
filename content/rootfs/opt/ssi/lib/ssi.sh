# Shared by ssilab's SSI tools inside a real UML node (busybox sh).
# What is real here: every node is a real Linux kernel; /cluster is one host folder that every node
# mounts (hostfs), so files there are clusterwide; the manager writes the membership to
# /cluster/.ssi/membership on every change; each node's ssi-agent serves the other nodes over the
# cluster network (TCP 7001: run a command, 7002: write to this node's console). Process ids are
# clusterwide because node N hands out pids from N*100000 up, so a pid names its node.
# FIFOs under /cluster are clusterwide through the agents' relay (ssi-fifo, TCP 7003): each kernel
# alone makes a FIFO a pipe of the node that opens it.
# Processes move between nodes with CRIU when the cluster's root has it (migrate): checkpointed on one
# node, restored with the same pid on another; /cluster/.ssi/where records where a moved one went.
SSI=/cluster/.ssi
PIDS_PER_NODE=100000

ssi_me() {
    local h
    # (read, not $(cat ...): every tool asks this, often several times; a fork each costs)
    read -r h </proc/sys/kernel/hostname
    echo "${h#node}"
}

ssi_state() {
    awk -v n="$1" '$1 == "node" && $2 == n { print $3; found = 1 } END { if (!found) print "NEVERUP" }' "$SSI/membership" 2>/dev/null
}

ssi_up_nodes() {
    awk '$1 == "node" && $3 == "UP" { print $2 }' "$SSI/membership" 2>/dev/null
}

# ssi_service_node NAME: the node up hosting the centralized service NAME (init, keepalive, ...), as the
# manager writes it in the membership (cluster -v shows it).
ssi_service_node() {
    awk -v s="$1" '$1 == "node" && $3 == "UP" && ("," $4 ",") ~ ("," s ",") { print $2; exit }' "$SSI/membership" 2>/dev/null
}

ssi_is_number() {
    case "$1" in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac
}

# The node a pid belongs to (its range), or the local node for the few pids made before the range was set.
ssi_pid_node() {
    local n
    n=$(( $1 / PIDS_PER_NODE ))
    if [ "$n" -eq 0 ]; then ssi_me; else echo "$n"; fi
}

# ssi_quote WORD...: sets SSI_QUOTED to the words as one line for sh, each exactly as given (quotes,
# spaces, $ and * included): a word of only safe characters stays as it is, any other is put in
# single quotes (a ' inside becomes '\''). Done in the shell: no process, and no trailing newline lost.
ssi_quote() {
    local w rest q
    SSI_QUOTED=
    for w in "$@"; do
        case "$w" in
            ''|*[!A-Za-z0-9_@%+=:,./-]*)
                rest=$w
                q=
                while :; do
                    case "$rest" in
                        *\'*) q="$q${rest%%\'*}'\\''"; rest=${rest#*\'} ;;
                        *) q="$q$rest"; break ;;
                    esac
                done
                w="'$q'"
                ;;
        esac
        SSI_QUOTED="$SSI_QUOTED${SSI_QUOTED:+ }$w"
    done
}

# ssi_command_line WORD...: sets SSI_QUOTED to what onnode and onall run: one word is a command line
# for the shell, as ssh takes it (onnode 3 'a | b'); several words are passed each exactly.
ssi_command_line() {
    if [ $# -eq 1 ]; then SSI_QUOTED=$1; else ssi_quote "$@"; fi
}

# ssi_run_here COMMAND-LINE: replaces this process with a shell running the line as the learner's
# command: with shell.rc's functions and without SSI_PLUMBING, so ps lists it (a simple command
# becomes the shell's process itself: ps shows it as typed).
ssi_run_here() {
    exec env -u SSI_PLUMBING sh -c ". /opt/ssi/lib/shell.rc; $1"
}

# ssi_remote [-p] NODE COMMAND-LINE: runs it through NODE's agent (TCP port 7001 on the cluster
# network, 169.254.50.NODE); prints its output; returns its status. The command is the learner's
# (SSI_PLUMBING removed there) unless -p says it is a tool's own request (ps, kill, a liveness check).
# The connection's processes are plumbing: ps leaves them out.
ssi_remote() {
    local kind node
    kind=run
    [ "$1" = -p ] && { kind=tool; shift; }
    node=$1
    shift
    if [ "$(ssi_state "$node")" != UP ]; then
        echo "node $node is not up" >&2
        return 1
    fi
    SSI_PLUMBING=1 /opt/ssi/lib/ssi-call "$kind" "$node" "$*"
}

# ssi_where PID: the node process PID runs on. A pid's range names the node that made it; a process
# that migrate moved is recorded in /cluster/.ssi/where/PID (its node), which wins while the process
# lives there (a record whose process ended elsewhere is stale: the range node is asked then).
ssi_where() {
    local n
    if [ -r "$SSI/where/$1" ]; then
        read -r n <"$SSI/where/$1"
        if ssi_is_number "$n" && ssi_alive "$1" "$n"; then echo "$n"; return; fi
    fi
    ssi_pid_node "$1"
}

# ssi_on NODE COMMAND-LINE: runs a tool's own command line on NODE, as plumbing (ps leaves it out):
# here in a shell of its own when NODE is this node, else through its agent (ssi_remote -p).
ssi_on() {
    if [ "$1" = "$(ssi_me)" ]; then
        SSI_PLUMBING=1 sh -c "$2"
    else
        ssi_remote -p "$1" "$2"
    fi
}

# Whether a local process exists and is not a zombie (init does not reap orphans it did not start).
ssi_alive_here() {
    [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Listing the nodes one after the other (ps, pgrep), a process can be missed while it moves: in its
# CRIU images (on no node), or gone from a node not yet listed to one listed already. A listing makes a
# mark before it starts (ssi_move_mark prints its path, or nothing), and asks afterwards which pids
# were moving or moved since (ssi_moved MARK); migrate keeps what such a listing shows of the process
# beside its images ($SSI/migrate/PID/cmdline, comm), then beside its where record (where/PID.cmd, .comm).
ssi_move_mark() {
    local m
    mkdir -p "$SSI/where" 2>/dev/null
    m=$SSI/where/.mark.$(ssi_me).$$
    : >"$m" 2>/dev/null && echo "$m"
}

# ssi_moved MARK: the pids, one a line, of the moves under way (the images' folder of each; one that a
# crash cut short is left behind, older than two minutes: not counted) and of those recorded since MARK.
ssi_moved() {
    {
        find "$SSI/migrate" -mindepth 1 -maxdepth 1 -mmin -2 -name '[0-9]*' 2>/dev/null
        # (busybox find -newer compares whole seconds; stat's %y has the nanoseconds, in one format
        # for all, so it is compared as text)
        [ -z "$1" ] || find "$SSI/where" -maxdepth 1 -name '[0-9]*' ! -name '*.*' -mmin -1 -exec stat -c '%y %n' {} + 2>/dev/null \
            | awk -v t="$(stat -c %y "$1" 2>/dev/null)" 'BEGIN { split(t, m, " "); t = m[1] " " m[2] } $1 " " $2 >= t { print $4 }'
    } | sed 's|.*/||' | sort -un
}

# ssi_moved_info PID cmdline|comm: what migrate kept of a process that moves or moved (empty if nothing)
ssi_moved_info() {
    local f v
    v=
    for f in "$SSI/migrate/$1/$2" "$SSI/where/$1.${2%line}"; do
        # (no newline at the end of a command line: read says false, having read it)
        [ -s "$f" ] && { read -r v <"$f" || [ -n "$v" ]; } && break
    done
    echo "${v% }"
}

# ssi_await_move PID: waits (up to ten seconds) while a move of PID is under way: a signal sent while
# the process is in its images would find it on no node.
ssi_await_move() {
    local i
    i=0
    while [ -d "$SSI/migrate/$1" ] && [ $i -lt 50 ] && [ -z "$(find "$SSI/migrate/$1" -maxdepth 0 -mmin +2 2>/dev/null)" ]; do
        sleep 0.2
        i=$((i + 1))
    done
}

# Whether process PID runs on node NODE (asked there when it is another node).
ssi_alive() {
    local pid node
    pid=$1
    node=$2
    if [ "$node" = "$(ssi_me)" ]; then
        ssi_alive_here "$pid"
    elif [ "$(ssi_state "$node")" = UP ]; then
        ssi_remote -p "$node" ". /opt/ssi/lib/ssi.sh; ssi_alive_here $pid" 2>/dev/null
    else
        return 1
    fi
}

ssi_lowest_up() {
    ssi_up_nodes | head -n 1
}

# Load leveling (OpenSSI's Mosix load leveler, done with migrate): see ssi-leveler.
LL=$SSI/loadlevel
LL_LIST=/cluster/etc/loadlevellist

# ssi_ll_on NODE: whether load leveling is on for NODE (loadlevel -n NODE, else loadlevel -a; off at first)
ssi_ll_on() {
    local v
    v=off
    [ -r "$LL/all" ] && read -r v <"$LL/all"
    [ -r "$LL/node$1" ] && read -r v <"$LL/node$1"
    [ "$v" = on ]
}

# ssi_load_here: this node's load: its processes ready to run (state R), ssilab's own sampling left out,
# as "PID COMM LL" lines of the learner's runnable processes after a first line "LOAD N"; LL is 1 when
# the leveler may move the process (started from bash-ll: SSI_LL=1 in its environment, or its program
# named in /cluster/etc/loadlevellist).
ssi_load_here() {
    local d pid stat rest state ppid comm n list ll out
    n=0
    out=
    list=
    [ -r "$LL_LIST" ] && list=" $(grep -v '^#' "$LL_LIST" 2>/dev/null | sed 's|.*/||' | tr '\n' ' ') "
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        # (2>/dev/null first: a process that ended since the listing makes the redirection fail)
        read -r stat 2>/dev/null <"$d/stat" || continue
        # pid (comm) STATE PPID ...: comm may hold spaces; it ends at the last ")"
        comm=${stat#*(}
        comm=${comm%)*}
        rest=${stat##*) }
        state=${rest%% *}
        rest=${rest#* }
        ppid=${rest%% *}
        [ "$state" = R ] || continue
        # kernel threads (kthreadd's children), and ssilab's own processes (this sampling among them)
        [ "$pid" = 2 ] || [ "$ppid" = 2 ] && continue
        grep -qzx 'SSI_PLUMBING=1' "$d/environ" 2>/dev/null && continue
        n=$((n + 1))
        if grep -qzx 'SSI_PIN=1' "$d/environ" 2>/dev/null; then
            ll=0
        elif grep -qzx 'SSI_LL=1' "$d/environ" 2>/dev/null; then
            ll=1
        else
            case "$list" in *" $comm "*) ll=1 ;; *) ll=0 ;; esac
        fi
        out="$out$pid $comm $ll
"
    done
    echo "LOAD $n"
    printf '%s' "$out"
}
