# Multi-stage: build the workspace, then `pnpm deploy` the server with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /repo
RUN npm install -g pnpm@12.4.2
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json turbo.json tsconfig.base.json ./
COPY patches patches/
COPY apps/server/package.json apps/server/
COPY packages/api/package.json packages/api/
COPY packages/sdk/package.json packages/sdk/
COPY apps/bench/package.json apps/bench/
RUN pnpm install --frozen-lockfile
COPY . .
# The deployed packages carry only their "files" (dist, the migrations). typescript is a types-only peer of
# @trpc/server that nothing loads at run time: 23 MB dropped.
RUN pnpm exec turbo run build --filter=@internship/server \
  && pnpm --filter @internship/server deploy --prod --legacy /app \
  && rm -rf /app/node_modules/.pnpm/typescript@* \
  && find /app/node_modules -name typescript -type l -delete

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production ENVIRONMENT=production DEBUG=false HOST=0.0.0.0 PORT=8000 DATA_DIR=/data
# The code stays root's, read-only to the app; /data is the one writable place (embedded database, a LOG_FILE).
RUN mkdir /data && chown node:node /data
WORKDIR /app
COPY --from=build /app ./
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:8000/').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/main.js"]
