#!/usr/bin/env bash
# Development server and a Huey consumer together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}

pids=()

# A shell without job control starts background commands with SIGINT ignored, so runserver
# would outlive Ctrl-C. With job control on while it starts, a child keeps the default SIGINT
# and gets a process group of its own; the traps below send it exactly one SIGINT.
background() {
  set -m
  "$@" &
  pids+=("$!")
  set +m
}

stop() {
  trap - EXIT
  # A second Ctrl-C while stopping does not wait for the consumer's running task.
  trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' INT TERM HUP
  # SIGINT lets the consumer finish the task it is running.
  kill -INT "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do wait "$pid" 2>/dev/null || true; done
  done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP
trap stop EXIT

background $PY manage.py run_huey
background $PY manage.py runserver --noreload "$HOST:$PORT"

cat <<MSG

  Proctique is running at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/)
  A Huey consumer is delivering background work; emails are written to ${VAR_DIR:-var}/mail/.
  Press Ctrl-C to stop both.

MSG
# One of them stopped on its own (say, the port is taken): stop the other one too.
wait -n "${pids[@]}"
