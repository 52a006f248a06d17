# guardduty-soar: escalates Amazon GuardDuty findings into IBM SOAR incidents.
# How to run it (App Host, Docker, Kubernetes): docs/operations.md.
#
#   docker build -t guardduty-soar:0.1.0 .
#   docker run -d --name guardduty-soar --stop-timeout 35 --restart unless-stopped \
#     -v /srv/guardduty-soar/app.config:/etc/rescircuits/app.config:ro \
#     -v guardduty-soar-state:/var/lib/guardduty-soar \
#     guardduty-soar:0.1.0
#
# On IBM App Host the same image runs as the app `guardduty-soar package` describes: App Host mounts
# /etc/rescircuits/app.config and its secrets under /etc/secrets (JWE, key in /etc/secrets/.jwk).
# When app.config changes, `run` exits with code 3 (the restart IBM's entrypoint does with kill -9):
# App Host starts the pod again; under Docker, --restart does.

# Node 24 LTS. The suite also runs on Node 20.19+ and 22 (package.json engines). src/core/runtime-support.ts
# names this version in the start-up log; a unit test fails when the two differ.
ARG NODE_VERSION=24

# ---- build: compile TypeScript and the native SQLite module --------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 is a native module. npm ci uses a prebuilt binary when one matches this Node and
# glibc, else compiles it with node-gyp: the toolchain lives in this stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY emulators ./emulators
COPY templates ./templates
# app.config.emulators: the demo's closing hint copies it (README, "By hand").
COPY app.config.example app.config.emulators ./
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: the same Node on the same Debian, no compiler, no dev dependencies ------------------
FROM node:${NODE_VERSION}-bookworm-slim
# The App Host environment of IBM's images (soar-functions-contract §6.3). Logs go to stdout; the
# log folder exists, group-writable, for tools that expect it.
ENV NODE_ENV=production \
    APP_HOST_CONTAINER=1 \
    APP_CONFIG_FILE=/etc/rescircuits/app.config \
    APP_LOG_DIR=/var/log/rescircuits
# uid/gid 1001, as IBM App Host runs app containers; group 1001 may write what the app writes, for
# OpenShift's arbitrary uid in that group. /var/rescircuits holds read-only files App Host overrides
# (a CA file, templates). Only the state volume and the log folder are writable by the app.
RUN groupadd --gid 1001 guardduty-soar \
 && useradd --uid 1001 --gid 1001 --home-dir /var/lib/guardduty-soar --no-create-home --shell /usr/sbin/nologin guardduty-soar \
 && mkdir -p /etc/rescircuits /var/rescircuits /var/log/rescircuits /var/lib/guardduty-soar \
 && chown 1001:1001 /var/lib/guardduty-soar /var/log/rescircuits \
 && chmod g=u /var/lib/guardduty-soar /var/log/rescircuits
WORKDIR /opt/guardduty-soar
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist/src ./dist/src
COPY --from=build /build/dist/emulators ./dist/emulators
COPY --from=build /build/templates ./templates
COPY --from=build /build/app.config.example ./
COPY --from=build /build/app.config.emulators ./
# The working directory is the state volume, so the default aws_gd_db_path (./data/guardduty-soar.db)
# lands in it; an explicit aws_gd_db_path should point inside it too.
WORKDIR /var/lib/guardduty-soar
VOLUME ["/var/lib/guardduty-soar"]
USER 1001:1001
# GET /healthz on aws_gd_health_port; exits 0 when health is off (the process is then the signal).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "/opt/guardduty-soar/dist/src/cli.js", "healthcheck"]
# Node is PID 1 and handles SIGTERM itself: stop scheduling, finish the cycle (aws_gd_shutdown_timeout,
# 25 s by default), close SQLite. Logs are JSON lines on stdout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/opt/guardduty-soar/dist/src/cli.js"]
CMD ["run"]
