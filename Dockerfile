# Conexus service images: one multi-stage Dockerfile, one target per service.
#   docker build --target gateway -t conexus/gateway:0.1.0 .     (targets: gateway, query, policy, indexer, controller)
# `npm run images` builds all five here with podman and no registry (scripts/images/build-images.sh).
# Every image runs as uid 65532 with a read-only root filesystem (writable: /tmp, and the indexer's
# /var/lib/conexus) and carries a CycloneDX SBOM of what it ships at /usr/share/conexus/sbom.cdx.json.

ARG NODE_IMAGE=docker.io/library/node:22-bookworm-slim
ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
ARG DISTROLESS_IMAGE=gcr.io/distroless/nodejs22-debian12:nonroot

# --- build: one `npm ci`, the TypeScript build, and each service's production tree ---------------------------
FROM ${NODE_IMAGE} AS manifests
# why: `npm ci` is cached on the package manifests alone, so a source change does not reinstall.
COPY . /src
# why: fixed timestamps, so the copied manifests (and with them the `npm ci` layer) stay cached until a
# manifest's content changes.
RUN mkdir /manifests && cd /src \
  && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
  && cp package-lock.json /manifests/ \
  && find /manifests -exec touch -h -d @0 {} +

FROM ${NODE_IMAGE} AS build
# python3, make and g++ build better-sqlite3 against this Node's own headers.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# why: onnxruntime-node's postinstall downloads GPU providers (CPU inference ships in the package); native
# addons build from this image's headers rather than fetching prebuilt binaries from GitHub.
ENV ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip \
  npm_config_nodedir=/usr/local npm_config_build_from_source=better-sqlite3 \
  npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
WORKDIR /app
COPY --from=manifests /manifests/ ./
# A build-time npmrc (a private registry, a proxy's CA) comes in as an optional secret, never as a layer.
RUN --mount=type=cache,target=/root/.npm \
  --mount=type=secret,id=npmrc,target=/usr/local/etc/npmrc \
  --mount=type=secret,id=build-ca,target=/run/secrets/build-ca.crt \
  npm ci
COPY . .
RUN npx tsc -b services/gateway services/query services/policy services/indexer services/controller
RUN for service in gateway query policy indexer controller; do \
    node scripts/images/collect-service.mjs "services/$service" "/out/$service" || exit 1; \
  done

# --- runtimes ------------------------------------------------------------------------------------------------
FROM ${DISTROLESS_IMAGE} AS node-runtime
ENV NODE_ENV=production
WORKDIR /app
USER 65532:65532

# gateway: the Connect/gRPC/MCP API on 7420 (/healthz, /readyz). Node is PID 1 and drains on SIGTERM itself.
FROM node-runtime AS gateway
COPY --from=build /out/gateway/app/ /app/
COPY --from=build /out/gateway/sbom.cdx.json /usr/share/conexus/sbom.cdx.json
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG CREATED=1970-01-01T00:00:00Z
# why: labels come after the COPYs, so a new revision relabels the image without rebuilding its layers.
LABEL org.opencontainers.image.title="conexus-gateway" \
  org.opencontainers.image.description="Conexus gateway: the public Connect, gRPC and MCP API" \
  org.opencontainers.image.vendor="Conexus" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.licenses="FSL-1.1-MIT" \
  org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
EXPOSE 7420
CMD ["services/gateway/dist/main.js"]

# query: fans searches out to the indexer shards over NATS.
FROM node-runtime AS query
COPY --from=build /out/query/app/ /app/
COPY --from=build /out/query/sbom.cdx.json /usr/share/conexus/sbom.cdx.json
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG CREATED=1970-01-01T00:00:00Z
# why: labels come after the COPYs, so a new revision relabels the image without rebuilding its layers.
LABEL org.opencontainers.image.title="conexus-query" \
  org.opencontainers.image.description="Conexus query service: fans searches out to the index shards" \
  org.opencontainers.image.vendor="Conexus" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.licenses="FSL-1.1-MIT" \
  org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
CMD ["services/query/dist/main.js"]

# policy: tenant access policy over NATS KV.
FROM node-runtime AS policy
COPY --from=build /out/policy/app/ /app/
COPY --from=build /out/policy/sbom.cdx.json /usr/share/conexus/sbom.cdx.json
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG CREATED=1970-01-01T00:00:00Z
# why: labels come after the COPYs, so a new revision relabels the image without rebuilding its layers.
LABEL org.opencontainers.image.title="conexus-policy" \
  org.opencontainers.image.description="Conexus policy service: tenant access decisions" \
  org.opencontainers.image.vendor="Conexus" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.licenses="FSL-1.1-MIT" \
  org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
CMD ["services/policy/dist/main.js"]

# controller: reconciles ConexusRepository resources through the gateway; the only image that calls the Kubernetes API.
FROM node-runtime AS controller
COPY --from=build /out/controller/app/ /app/
COPY --from=build /out/controller/sbom.cdx.json /usr/share/conexus/sbom.cdx.json
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG CREATED=1970-01-01T00:00:00Z
# why: labels come after the COPYs, so a new revision relabels the image without rebuilding its layers.
LABEL org.opencontainers.image.title="conexus-controller" \
  org.opencontainers.image.description="Conexus controller: ConexusRepository custom resources reconciled through the gateway" \
  org.opencontainers.image.vendor="Conexus" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.licenses="FSL-1.1-MIT" \
  org.opencontainers.image.base.name="gcr.io/distroless/nodejs22-debian12:nonroot"
CMD ["services/controller/dist/main.js"]

# indexer: clones with git and indexes into /var/lib/conexus. tini is PID 1: it forwards SIGTERM to Node's
# process group (-g) and reaps the git processes Node spawns.
FROM ${DEBIAN_IMAGE} AS indexer
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git tini ca-certificates \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
  && groupadd --gid 65532 nonroot \
  && useradd --uid 65532 --gid 65532 --home-dir /home/nonroot --create-home --shell /usr/sbin/nologin nonroot \
  && install -d -o 65532 -g 65532 /var/lib/conexus
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /out/indexer/app/ /app/
COPY --from=build /out/indexer/sbom.cdx.json /usr/share/conexus/sbom.cdx.json
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
ARG CREATED=1970-01-01T00:00:00Z
# why: labels come after the COPYs, so a new revision relabels the image without rebuilding its layers.
LABEL org.opencontainers.image.title="conexus-indexer" \
  org.opencontainers.image.description="Conexus indexer: clones and indexes repositories, serves index shards" \
  org.opencontainers.image.vendor="Conexus" \
  org.opencontainers.image.version="${VERSION}" \
  org.opencontainers.image.revision="${REVISION}" \
  org.opencontainers.image.created="${CREATED}" \
  org.opencontainers.image.source="${SOURCE}" \
  org.opencontainers.image.licenses="FSL-1.1-MIT" \
  org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
ENV NODE_ENV=production CONEXUS_DATA_DIR=/var/lib/conexus HOME=/home/nonroot
WORKDIR /app
USER 65532:65532
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/node"]
CMD ["services/indexer/dist/main.js"]
