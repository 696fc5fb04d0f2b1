#!/usr/bin/env bash
# Times the ticket figures for one community and for the whole street office over a year, with 1,000,000 tickets
# seeded (issue 7: one community under 300 ms; issue 13: the street office too). Uses a private MariaDB instance with a
# bench database of its own; the first run at a size seeds it (minutes at 1,000,000), and the server stops at the end.
#   bench/stats/run.sh [instance] [port] [tickets] [runs]      e.g. bench/stats/run.sh b13 3424 50000 5
set -euo pipefail
cd "$(dirname "$0")/../.."
instance="${1:-pty}"; port="${2:-3417}"; tickets="${3:-1000000}"; runs="${4:-15}"
# Its own temporary directory: big INSERT … SELECTs spill there, and /tmp is shared with other servers.
mkdir -p ".data/$instance/tmp"
LINLI_DB_BUFFER_POOL="${LINLI_DB_BUFFER_POOL:-2G}" LINLI_DB_EXTRA_ARGS="--tmpdir=$(pwd)/.data/$instance/tmp" \
  scripts/db.sh start "$instance" "$port" linli_bench linli linli-test-only-pw
trap 'scripts/db.sh stop "$instance"' EXIT
dotnet run -c Release --project bench/stats/StatsBench.csproj -- \
  "Server=127.0.0.1;Port=$port;Database=linli_bench;User ID=linli;Password=linli-test-only-pw;Default Command Timeout=3600" "$runs" "$tickets"
