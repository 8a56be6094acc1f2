# deskhand: the assistant itself. Built by docker-compose.yml, which also runs `deskhand migrate`
# once before `deskhand start`.
FROM node:24-slim

# Text from PDFs and OCR of scans and images (used by `deskhand extract`).
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils tesseract-ocr ca-certificates tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-spa \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, so that a source change does not reinstall them. The image's own Node 24
# runs deskhand (TypeScript through Node's type stripping: no build step).
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /app/data && chown -R node:node /app/data

ENV NODE_ENV=production \
    DATA_DIR=/app/data
USER node
VOLUME ["/app/data"]
CMD ["node", "bin/deskhand.js", "start"]
