#!/usr/bin/env bash
# Airflow on SQLite for the browser (`make ui`): scheduler, dag-processor, triggerer and the
# API server with the UI on 127.0.0.1:${AIRFLOW_UI_PORT:-8080}, login admin / admin.
# `airflow standalone` supervises the four processes; Ctrl-C stops them all.
# The seed articles are copied into the landing zone, so a trigger from the UI publishes.
# The cron schedule is off unless AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=True: a run starts
# when you trigger one, and only then.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
: "${AIRFLOW_HOME:?set AIRFLOW_HOME (the Makefile does)}" "${NEWSEVENTS_LANDING:?set NEWSEVENTS_LANDING}"
port="${AIRFLOW_UI_PORT:-8080}"

mkdir -p "$AIRFLOW_HOME" "$NEWSEVENTS_LANDING"
cp "$repo"/seeds/articles/*.txt "$NEWSEVENTS_LANDING"/

# A fixed, local-only login: SimpleAuthManager reads the users from the config and their
# passwords from this file (it only generates passwords for users missing from it).
passwords="$AIRFLOW_HOME/simple_auth_manager_passwords.json"
echo '{"admin": "admin"}' > "$passwords"
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$passwords"
export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT="$port" AIRFLOW__API__BASE_URL="http://127.0.0.1:$port"
export AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="${AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE:-False}"

echo "Airflow UI: http://127.0.0.1:$port/dags/curated_events  (login admin / admin; Ctrl-C stops)"

# standalone runs in a process group of its own, so Ctrl-C reaches this script only: it asks
# standalone to stop its components, and ends the group if one still hangs after the grace
# period (a LocalExecutor worker that got the terminal's SIGINT too can keep the scheduler
# waiting for ever: apache/airflow#67870).
setsid airflow standalone &
standalone=$!
alive() { ps -e -o pgid=,stat= | awk -v g="$standalone" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }
stop() {
  trap - INT TERM
  kill -INT "$standalone" 2>/dev/null || true
  for _ in $(seq "${AIRFLOW_UI_STOP_GRACE:-60}"); do
    alive || exit 0
    sleep 1
  done
  echo "airflow_ui.sh: killing what is left of Airflow (process group $standalone)" >&2
  kill -KILL -- "-$standalone" 2>/dev/null || true
}
trap stop INT TERM
wait "$standalone"
