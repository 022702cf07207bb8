# Helpers shared by the scripts that start private servers (sourced, not run).

# Foundation's Process leaves the pipe ends it created open in the child: a server started from
# a script would inherit them and its caller would wait for EOF forever. Closes all but 0, 1 and 2
# of the calling shell.
close_inherited_fds() {
    local fd_path fd
    for fd_path in /proc/$$/fd/*; do
        fd=${fd_path##*/}
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

# A loopback TCP port free at this moment.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT NAME [WHERE]: waits up to 10 s for 127.0.0.1:PORT to accept; else says
# that NAME did not start (and WHERE to look) and fails.
wait_for_port() {
    local port=$1 name=$2 where=${3:-}
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "error: $name did not start listening on 127.0.0.1:$port${where:+ (see $where)}" >&2
    return 1
}

# start_server LOG COMMAND...: runs COMMAND (a server that puts itself in the background) with no
# stdin, its output appended to LOG, and an empty signal mask: a test runner's thread blocks
# SIGTERM and exec keeps the mask, so the server would not hear `stop`; Python resets the mask
# and execs it. On failure shows LOG and fails.
start_server() {
    local log=$1
    shift
    python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])' \
        "$@" </dev/null >>"$log" 2>&1 || { cat "$log" >&2; return 1; }
}

# wait_for_exit PID NAME: waits up to 10 s for PID to exit; else says that NAME did not stop and fails.
wait_for_exit() {
    local pid=$1 name=$2
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "error: $name (pid $pid) did not stop" >&2
    return 1
}
