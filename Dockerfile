# syntax=docker/dockerfile:1
# citevault's service image: `citevault` (API, workers, migrations) and the
# replay engine (pywb) in a virtual environment of its own, as
# archive/replay/install.py lays it out, so that the engine is never fetched
# at run time and its pinned libraries never meet citevault's.
#
#   docker build -t citevault .
#   docker run citevault citevault --help
#   docker compose up -d --build   (docker-compose.yml builds and uses this image)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: wheels for citevault and everything it needs, and the engine's venv
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# Compilers only here, for any dependency that has no wheel for this platform.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY archive ./archive
COPY crawler ./crawler
COPY migrations ./migrations
RUN pip wheel --wheel-dir /wheels .
# Keep PYWB_VERSION and the marker in step with archive/replay/install.py: a
# marker that does not match makes citevault reinstall the engine at start.
ARG PYWB_VERSION=2.10.0
RUN python -m venv /opt/citevault/replay/venv \
    && /opt/citevault/replay/venv/bin/pip install "pywb==${PYWB_VERSION}" \
    && echo "pywb==${PYWB_VERSION}" > /opt/citevault/replay/venv/citevault-engine.txt

# --- run: no compilers, no sources, a user of its own
FROM ${PYTHON_IMAGE}
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/citevault/venv/bin:$PATH \
    CITEVAULT_REPLAY__ENGINE_DIR=/opt/citevault/replay
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/citevault --create-home citevault
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv /opt/citevault/venv \
    && /opt/citevault/venv/bin/pip install --no-index --find-links=/wheels citevault
# Owned by the service's user: starting the engine takes the install lock in its folder.
COPY --from=build --chown=10001:10001 /opt/citevault/replay /opt/citevault/replay
USER 10001:10001
WORKDIR /var/lib/citevault
VOLUME ["/var/lib/citevault"]
EXPOSE 8000 8001 8090
# The API's liveness; compose gives each service a probe of its own (readiness).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["citevault", "serve", "--host", "0.0.0.0", "--port", "8000"]
