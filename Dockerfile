# syntax=docker/dockerfile:1
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
RUN pnpm build && pnpm --filter @internship/server deploy --prod --legacy /app

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production ENVIRONMENT=production DEBUG=false HOST=0.0.0.0 PORT=8000
WORKDIR /app
COPY --from=build /app ./
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:8000/').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/main.js"]
