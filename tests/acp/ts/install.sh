#!/usr/bin/env bash
# Installs the pinned TypeScript ACP SDK for tests/acp/test_ts_client.py (scripts/test.sh runs it).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
