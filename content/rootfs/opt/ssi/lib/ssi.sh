# Shared by ssilab's SSI tools inside a real UML node (busybox sh).
# What is real here: every node is a real Linux kernel; /cluster is one host folder that every node
# mounts (hostfs), so files there are clusterwide; the manager writes the membership to
# /cluster/.ssi/membership on every change; each node's ssi-agent serves the other nodes over the
# cluster network (TCP 7001: run a command, 7002: write to this node's console). Process ids are
# clusterwide because node N hands out pids from N*100000 up, so a pid names its node.
# FIFOs under /cluster are clusterwide through the agents' relay (ssi-fifo, TCP 7003): each kernel
# alone makes a FIFO a pipe of the node that opens it.
# What is not real: processes never move between nodes (no OpenSSI in a stock kernel).
SSI=/cluster/.ssi
PIDS_PER_NODE=100000

ssi_me() {
    local h
    h=$(cat /proc/sys/kernel/hostname)
    echo "${h#node}"
}

ssi_state() {
    awk -v n="$1" '$1 == "node" && $2 == n { print $3; found = 1 } END { if (!found) print "NEVERUP" }' "$SSI/membership" 2>/dev/null
}

ssi_up_nodes() {
    awk '$1 == "node" && $3 == "UP" { print $2 }' "$SSI/membership" 2>/dev/null
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

# ssi_remote NODE COMMAND-LINE: runs it through NODE's agent (TCP port 7001 on the cluster network,
# 169.254.50.NODE); prints its output; returns its status.
ssi_remote() {
    local node rc id line
    node=$1
    shift
    if [ "$(ssi_state "$node")" != UP ]; then
        echo "node $node is not up" >&2
        return 1
    fi
    rc=255
    exec 4>&1
    # the request: this directory, then the command; the agent answers with the output and "SSI-EXIT N"
    rc=$(printf '%s\n%s\n' "$PWD" "$*" | nc -w 3 "169.254.50.$node" 7001 | {
        status=255
        while IFS= read -r line; do
            case "$line" in
                "SSI-EXIT "*) status=${line#SSI-EXIT } ;;
                *) printf '%s\n' "$line" >&4 ;;
            esac
        done
        echo "$status"
    })
    exec 4>&-
    if [ "$rc" = 255 ]; then
        echo "node $node did not answer" >&2
    fi
    return "$rc"
}

# Whether a local process exists and is not a zombie (init does not reap orphans it did not start).
ssi_alive_here() {
    [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Whether process PID runs on node NODE (asked there when it is another node).
ssi_alive() {
    local pid node
    pid=$1
    node=$2
    if [ "$node" = "$(ssi_me)" ]; then
        ssi_alive_here "$pid"
    elif [ "$(ssi_state "$node")" = UP ]; then
        ssi_remote "$node" ". /opt/ssi/lib/ssi.sh; ssi_alive_here $pid" 2>/dev/null
    else
        return 1
    fi
}

ssi_lowest_up() {
    ssi_up_nodes | head -n 1
}
