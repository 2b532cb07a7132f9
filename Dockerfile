# One multi-stage build; one target per service (and one that applies migrations).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages packages
COPY services services
COPY prisma prisma
COPY prisma.config.ts tsconfig.base.json turbo.json ./
COPY scripts scripts
RUN npm install --no-audit --no-fund

FROM deps AS build
RUN npx turbo run build

FROM build AS migrate
CMD ["npx", "tsx", "scripts/migrate.ts"]

FROM build AS runtime
ENV NODE_ENV=production BIND_HOST=0.0.0.0
USER node

FROM runtime AS api
EXPOSE 3000
CMD ["node", "services/api/dist/main.js"]

FROM runtime AS delivery-worker
EXPOSE 3002
CMD ["node", "services/delivery-worker/dist/main.js"]

FROM runtime AS realtime
EXPOSE 3001
CMD ["node", "services/realtime/dist/main.js"]
