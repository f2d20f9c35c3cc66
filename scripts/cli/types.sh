#!/usr/bin/env bash
# Generates the binding and runtime types from the two Worker configs (nothing generated is
# committed): reader-configuration.d.ts (the reader's Env and the runtime types) and
# publisher-configuration.d.ts (the publisher's PublisherBindings). Not wrangler's default name,
# worker-configuration.d.ts: `wrangler dev` checks that one file against every Worker it runs, so
# with two Workers it always found one of them "out of date" and warned on every `npm start`.
# The reader only forwards requests to the publisher: its binding is a plain Fetcher.
# Run by `npm install` (postinstall) and before every typecheck.
set -euo pipefail
cd "$(dirname "$0")/../.."
export WRANGLER_SEND_METRICS=false
common=(--strict-vars=false --env-file .dev.vars.example)
wrangler types reader-configuration.d.ts "${common[@]}" -c wrangler.toml
wrangler types publisher-configuration.d.ts "${common[@]}" -c wrangler.publisher.toml \
  --env-interface PublisherBindings --include-runtime=false --include-main-module=false
