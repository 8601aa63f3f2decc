#!/usr/bin/env bash
# Development server and a Huey consumer together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$PY manage.py run_huey --quiet &
huey_pid=$!
$PY manage.py runserver --noreload "$HOST:$PORT" &
web_pid=$!

stop() {
  # SIGINT lets the consumer finish the task it is running.
  kill -INT "$huey_pid" "$web_pid" 2>/dev/null || true
  wait "$huey_pid" "$web_pid" 2>/dev/null || true
}
trap stop INT TERM EXIT

cat <<MSG

  Proctique is running at http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/)
  A Huey consumer is delivering background work; emails are written to var/mail/.
  Press Ctrl-C to stop both.

MSG
$PY manage.py shell -c "from showcase.demo import print_logins; print_logins()"
wait -n "$huey_pid" "$web_pid"
