# saferoute gateway: `docker build -t saferoute .` then see compose.yaml.
# Not built or run in the development environment (no container daemon there); kept minimal.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts
COPY src ./src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY policies ./policies
COPY classifiers/lexicons ./classifiers/lexicons
COPY classifiers/models ./classifiers/models
RUN mkdir -p /app/.saferoute && chown node:node /app/.saferoute
# Compile the lexicons once into node_modules/.cache/saferoute, so no container start pays for it.
RUN node -e "import('/app/dist/classifiers/lexicon/index.js').then((m) => m.getDefaultLexiconClassifier())"
USER node
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "--config", "/etc/saferoute/saferoute.config.json"]
