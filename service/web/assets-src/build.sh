#!/usr/bin/env bash
# Rebuild service/web/static from npm packages (run by `make assets`; the output is committed so
# `make serve` works on a fresh clone without npm). Idempotent; no network beyond the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../static
mkdir -p "$out/govuk"
npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
  --silence-deprecation=import app.scss "$out/app.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/govuk-frontend.min.js"
echo "govuk-frontend $(node -p "require('govuk-frontend/package.json').version") -> $out"
