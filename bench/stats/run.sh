#!/usr/bin/env bash
# Times the ticket figures with 1,000,000 tickets seeded (issue 7: under 300 ms for one community over a year).
# Uses a private MariaDB instance with a bench database of its own; the first run seeds it (several minutes).
#   bench/stats/run.sh [instance] [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
instance="${1:-pty}"; port="${2:-3417}"
# Its own temporary directory: big INSERT … SELECTs spill there, and /tmp is shared with other servers.
mkdir -p ".data/$instance/tmp"
LINLI_DB_BUFFER_POOL="${LINLI_DB_BUFFER_POOL:-2G}" LINLI_DB_EXTRA_ARGS="--tmpdir=$(pwd)/.data/$instance/tmp" \
  scripts/db.sh start "$instance" "$port" linli_bench linli linli-test-only-pw
dotnet run -c Release --project bench/stats/StatsBench.csproj -- \
  "Server=127.0.0.1;Port=$port;Database=linli_bench;User ID=linli;Password=linli-test-only-pw;Default Command Timeout=3600"
