#!/usr/bin/env bash
# Generates the binding and runtime types from the two Worker configs (nothing generated is
# committed): worker-configuration.d.ts (the reader's Env, the runtime types, the service binding
# to the publisher) and publisher-configuration.d.ts (the publisher's PublisherBindings).
# Run by `npm install` (postinstall) and before every typecheck.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
common=(--strict-vars=false --env-file .dev.vars.example)
wrangler types "${common[@]}" -c wrangler.toml -c wrangler.publisher.toml
wrangler types publisher-configuration.d.ts "${common[@]}" -c wrangler.publisher.toml \
  --env-interface PublisherBindings --include-runtime=false --include-main-module=false
