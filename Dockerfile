# syntax=docker/dockerfile:1
# The portal image: one image, three entry points (the Kubernetes manifests in deploy/ set `command`):
#   web      node server.js     Next.js standalone server on $PORT (3000)
#   worker   node worker.mjs    background job worker (worker/main.ts, bundled)
#   migrate  node migrate.mjs   one-shot database migration (run as a Job, never at web start-up)
# Everything under /app is owned by root and read-only to the runtime user (UID 10001), so the container runs
# with readOnlyRootFilesystem; the only writable paths are /tmp and /app/.next/cache (emptyDirs in Kubernetes).
# The processes listen on every interface here (HOSTNAME for Next's standalone server, HOST for the worker's /metrics):
# probes and Services reach the pod's IP. Outside a container both default to 127.0.0.1.
#
# Build:  docker build -t ml-portal:0.1.0 .
# Run:    docker run --read-only --tmpfs /tmp --tmpfs /app/.next/cache -e DATABASE_URL=... -e NEXTAUTH_SECRET=... -p 3000:3000 ml-portal:0.1.0
#         docker run --read-only --tmpfs /tmp -e DATABASE_URL=... ml-portal:0.1.0 node migrate.mjs

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: Prisma's would download engines the image never uses (the client runs on the pg driver adapter).
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
# Entry points of the non-web processes; bundled into single files so the runtime image needs no node_modules
# beyond what Next's standalone output traced.
ARG WORKER_ENTRY=worker/main.ts
ARG MIGRATE_ENTRY=worker/migrate.ts
# next.config.js switches to standalone output only for the image (npm start uses next start).
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY . .
# public/ may be empty, and git does not keep empty folders.
RUN mkdir -p public && npm run prisma:generate && npx next build
# react-server resolves `import "server-only"` to its empty module, as `tsx --conditions=react-server` does.
RUN set -e; for pair in "worker=${WORKER_ENTRY}" "migrate=${MIGRATE_ENTRY}"; do \
      npx esbuild "${pair#*=}" --bundle --platform=node --target=node22 --format=esm --conditions=react-server \
        --tsconfig=tsconfig.json --external:pg-native --log-level=warning --outfile="dist/${pair%%=*}.mjs" \
        --banner:js="import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"; \
    done

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    HOST=0.0.0.0
WORKDIR /app
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin portal
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
COPY --from=build /src/dist/worker.mjs /src/dist/migrate.mjs ./
# migrate.mjs applies these (recorded in _prisma_migrations, so `prisma migrate status` agrees).
COPY --from=build /src/prisma/migrations ./prisma/migrations
# The one directory Next writes at run time; Kubernetes mounts an emptyDir over it.
RUN mkdir -p /app/.next/cache && chown portal:portal /app/.next/cache
USER 10001:10001
EXPOSE 3000
CMD ["node", "server.js"]
