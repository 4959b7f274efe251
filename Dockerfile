# Warble's image: one image for every process (web, worker, beat; the compose stack's mail sink),
# chosen by the command. Built in stages so that the image holds no compiler, npm or pip cache:
#   front-end  npm installs package-lock.json; lib.bootstrap copies what the pages load
#   python     lib.bootstrap installs requirements/runtime.lock (--require-hashes) into env/ and
#              lib/vendor/ and generates the gRPC modules, as on a developer's machine or a server
#   runtime    the base with Python alone, the two stages' results and the project's files
# BASE is any Debian 12 (bookworm) image; without a registry, build one from the archive
# (README, "Containers"). Behind a TLS-intercepting proxy, hand the build your CA bundle:
#   podman build --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt .
ARG BASE=docker.io/library/debian:bookworm-slim

FROM ${BASE} AS front-end
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends python3 npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY lib/__init__.py lib/bootstrap.py lib/
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then \
        export NODE_EXTRA_CA_CERTS=/run/secrets/ca-certificates; fi \
 && python3 -c 'from lib import bootstrap; bootstrap.install_front_end()' \
 && rm -rf node_modules /root/.npm

FROM ${BASE} AS python
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/runtime.lock requirements/
COPY lib/__init__.py lib/bootstrap.py lib/
COPY proto proto
# pip and the virtualenv's own setuptools are left out: nothing installs there at run time
# (the lock's setuptools, which grpcio-tools needs, is in lib/vendor/).
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then \
        export PIP_CERT=/run/secrets/ca-certificates; fi \
 && python3 -c 'from lib import bootstrap as b; b.ensure_virtualenv(); b.install_runtime(); b.generate_grpc()' \
 && env/bin/python -m pip uninstall -q -y pip setuptools \
 && rm -rf var lib/vendor/bin /root/.cache

FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin warble
WORKDIR /app
COPY --from=python /app/env env
COPY --from=python /app/lib/vendor lib/vendor
COPY --from=python /app/api/rpc/generated api/rpc/generated
COPY --from=front-end /app/static/vendor static/vendor
COPY . .
# VERSION is what /status and the logs report (`git describe` of the checkout built).
ARG VERSION=0+unknown
RUN echo "$VERSION" > VERSION \
 && env/bin/python -m compileall -q -j 0 -x '/(env|lib/vendor)/' . \
 && install -d -o warble -g warble var
USER warble
# The web role's settings, serving on every address of the container; the worker and beat
# services set WARBLE_ROLE=worker. PYTHONPATH is the Makefile's, for `python -m` commands. Secrets (WARBLE_APP_SECRET_KEY, WARBLE_DATABASE_URL) come
# from the environment at run time, never from the image.
ENV WARBLE_ROLE=web \
    WARBLE_SERVER_HOST=0.0.0.0 \
    WARBLE_SERVER_PORT=8000 \
    PYTHONPATH=/app/lib:/app/lib/vendor:/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
VOLUME /app/var
EXPOSE 8000
# One try of `web.py check`: /status answers 200 (database, Redis, Celery) with this VERSION.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["env/bin/python", "web.py", "check", "--timeout", "0"]
# The process is PID 1 and handles SIGTERM itself: gunicorn finishes its requests, Celery its
# tasks (warm shutdown), beat and the mail sink stop at once.
STOPSIGNAL SIGTERM
CMD ["env/bin/python", "web.py"]
