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
exec airflow standalone
