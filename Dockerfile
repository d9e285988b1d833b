# Build stage: compiles TypeScript and the native modules (argon2, better-sqlite3).
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run stage: only what the server needs.
FROM node:20-bookworm-slim
# Memory, as measured in docs/performance.md:
# - argon2 allocates about 19 MiB per hash on libuv's threads, and glibc keeps a freed block
#   in the pool of the thread that used it: with four threads, four blocks stay resident.
#   Two pools hold that down at no cost in login rate; a fixed mmap threshold frees more but
#   slowed logins by a third.
# - With no ceiling, V8 sizes its heap for the machine's whole memory and lets garbage pile
#   up to about 60 MiB before collecting it, beside some 20 MiB of live objects. A 512 MiB
#   ceiling makes it collect at about 30 MiB, at no measured cost in throughput; raise it
#   with NODE_OPTIONS if a deployment needs more.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 MALLOC_ARENA_MAX=2 \
  NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/src/main.js"]
