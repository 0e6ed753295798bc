#!/usr/bin/env bash
# Airflow on SQLite for the browser (`make ui`): scheduler, dag-processor, triggerer and the
# API server with the UI on 127.0.0.1:${AIRFLOW_UI_PORT:-8080}, login admin / admin. It needs a
# migrated metadata database: `make ui` runs `airflow db migrate` first.
#
# The seed articles are copied into yesterday's (UTC) landing partition, the day that a run
# triggered now reads (a manual run's data interval is the last whole day before its logical
# date), and the DAG is unpaused, so Trigger in the UI, or a run posted to the REST API,
# publishes the seed's events. The cron schedule is off unless
# AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE=True: a run starts when you trigger one, and only then.
#
# Every component runs in a session of its own, so Ctrl-C reaches this script alone (a
# LocalExecutor worker that got the terminal's SIGINT too could keep the scheduler waiting
# for ever: apache/airflow#67870). The script sends each component SIGTERM at once; each
# shuts down in seconds. What is left after AIRFLOW_UI_STOP_GRACE seconds is killed, and said so.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
: "${AIRFLOW_HOME:?set AIRFLOW_HOME (the Makefile does)}" "${NEWSEVENTS_LANDING:?set NEWSEVENTS_LANDING}"
port="${AIRFLOW_UI_PORT:-8080}"
grace="${AIRFLOW_UI_STOP_GRACE:-10}"
logs="$AIRFLOW_HOME/logs/ui"

day="$(date -u -d yesterday +%F)"
mkdir -p "$logs" "$NEWSEVENTS_LANDING/dt=$day"
cp "$repo"/seeds/articles/*.txt "$NEWSEVENTS_LANDING/dt=$day/"

# A fixed, local-only login: SimpleAuthManager reads the users from the config and their
# passwords from this file (it only generates passwords for users missing from it).
passwords="$AIRFLOW_HOME/simple_auth_manager_passwords.json"
echo '{"admin": "admin"}' > "$passwords"
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$passwords"
export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT="$port" AIRFLOW__API__BASE_URL="http://127.0.0.1:$port"
export AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="${AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE:-False}"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False  # a DAG parsed for the first time starts unpaused

names=() pids=() unpause=""
alive() {  # the components' process groups that still hold a live process
  ps -e -o pgid=,stat= | awk -v groups=" ${pids[*]} " '$2 !~ /^Z/ && index(groups, " " $1 " ") { print $1 }' | sort -u
}
stop() {  # exits with $1 (0 after Ctrl-C), or 1 when something had to be killed
  trap - INT TERM
  echo "stopping Airflow (up to ${grace}s)"
  kill -TERM "${pids[@]}" $unpause 2>/dev/null || true
  local began=$SECONDS left
  while [ -n "$(alive)" ] && (( SECONDS - began < grace )); do
    sleep 0.2
  done
  left="$(alive)"
  if [ -n "$left" ]; then
    echo "airflow_ui.sh: killing what is left after ${grace}s (process groups $(echo $left))" >&2
    for group in $left; do kill -KILL -- "-$group" 2>/dev/null || true; done
    exit 1
  fi
  echo "Airflow stopped in $((SECONDS - began))s"
  exit "${1:-0}"
}
trap stop INT TERM  # before the first component starts: none is left behind

start() {  # a component in a session of its own, its output in its own log
  setsid airflow "$@" > "$logs/$1.log" 2>&1 < /dev/null &
  names+=("$1") pids+=("$!")
}
start scheduler
start dag-processor
start triggerer
start api-server --worker-timeout 5  # also the most the server waits for open requests when stopping
# ... and one that an earlier session left paused (e.g. created by `make run`) is unpaused;
# on a new home the DAG does not exist yet, and this fails harmlessly.
airflow dags unpause curated_events > "$logs/unpause.log" 2>&1 < /dev/null &
unpause=$!

echo "Airflow UI: http://127.0.0.1:$port/dags/curated_events  (login admin / admin; Ctrl-C stops)"
echo "the seed articles are in $NEWSEVENTS_LANDING/dt=$day/; component logs in $logs/"

# Until Ctrl-C: a component that ends by itself (a port in use, a broken config) ends the rest.
while :; do
  wait -n "${pids[@]}" && code=0 || code=$?
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "airflow_ui.sh: ${names[$i]} exited (status $code); the end of $logs/${names[$i]}.log:" >&2
      tail -n 20 "$logs/${names[$i]}.log" >&2
      stop 1
    fi
  done
done
