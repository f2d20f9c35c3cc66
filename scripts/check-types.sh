#!/usr/bin/env bash
# Fails when worker-configuration.d.ts is not what `npm run types` generates from wrangler.toml
# and .dev.vars.example. (`wrangler types --check` misreports with --env-file, so: regenerate and
# compare, then put the committed file back.)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
cp worker-configuration.d.ts build/worker-configuration.committed.d.ts
npm run -s types > /dev/null
if ! diff -u build/worker-configuration.committed.d.ts worker-configuration.d.ts; then
  cp build/worker-configuration.committed.d.ts worker-configuration.d.ts
  echo "worker-configuration.d.ts is out of date: run npm run types and commit it" >&2
  exit 1
fi
echo "worker-configuration.d.ts is current"
