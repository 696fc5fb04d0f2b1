#!/usr/bin/env bash
# The tickets benchmark: a private MariaDB, the API in Release on its own port, then bench/api.
#   bench/api/run.sh                         sizes 10000 and 1000000, 10 s per measurement, 64 connections
#   bench/api/run.sh --sizes 1000,10000 --seconds 3
#   bench/api/run.sh --sizes 10000 --seconds 5 --connections 8 --only list_first_api,list_first_sql,live_anon_api
# bench/api drives HTTP with its own closed-loop client; where wrk is installed (apt install wrk) it also measures the list
# pages with wrk, whose own CPU cost on the shared cores is a few µs a request instead of the .NET client's 140–200 µs.
set -euo pipefail
cd "$(dirname "$0")/../.."
instance="${LINLI_BENCH_DB_INSTANCE:-bench}"
port="${LINLI_BENCH_DB_PORT:-3419}"
api_port="${LINLI_BENCH_API_PORT:-5199}"
password="linli-bench-only-pw"
key="bench-only-signing-key-0123456789-abcdefghijklmnop"

# A fresh database every run: the sizes are the community's ticket counts, grown from nothing.
scripts/db.sh wipe "$instance"
scripts/db.sh start "$instance" "$port" linli_bench linli "$password"
connection="Server=127.0.0.1;Port=$port;Database=linli_bench;User ID=linli;Password=$password"
dotnet build Api/Api.csproj -c Release -nologo -clp:ErrorsOnly
dotnet build bench/api/Bench.csproj -c Release -nologo -clp:ErrorsOnly

# From its output folder, so that appsettings.json is the content root's. In Production, as deployed (no Swagger, no
# Development-only checks), with what Production requires given here: fresh field keys, the WeChat simulator allowed
# (its content check passes the bench's text without I/O) and the unencrypted connection to this loopback server. The
# per-user limits on reports and writes are lifted: the bench reports as one resident, thousands of times a second; so is
# the anonymous limit, for the HTTP floor (GET /health/live, thousands a second from one address).
# LINLI_BENCH_API_ENV adds settings for the API alone, e.g. "Kestrel__Limits__MaxConcurrentConnections=100", to compare one
# setting with and without on the same driver side.
root="$(pwd)"
field_key="$(head -c 32 /dev/urandom | base64)"
hash_key="$(head -c 32 /dev/urandom | base64)"
(cd Api/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Main="$connection" Jwt__SigningKey="$key" \
  FieldProtection__CurrentKeyId=bench FieldProtection__Keys__bench="$field_key" FieldProtection__HashKey="$hash_key" \
  Wechat__Mode=Simulated Wechat__AllowSimulatedInProduction=true Database__AllowInsecureTransport=true \
  Tickets__RunWorkers=false Logging__LogLevel__Default=Warning Storage__UploadsPath="$root/.data/bench-uploads" \
  RateLimits__Report__PermitLimit=100000000 RateLimits__Writes__PermitLimit=100000000 RateLimits__Anonymous__PermitLimit=100000000 \
  ${LINLI_BENCH_API_ENV:-} dotnet Api.dll --urls "http://127.0.0.1:$api_port") > ".data/bench-api.log" 2>&1 &
api=$!
trap 'kill "$api" 2>/dev/null; wait "$api" 2>/dev/null; scripts/db.sh stop "$instance"' EXIT
ready=0
for _ in $(seq 1 90); do
  if curl -fs "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$api" 2>/dev/null || break
  sleep 1
done
[ "$ready" = 1 ] || { echo "the API did not become ready; see .data/bench-api.log" >&2; exit 1; }

# The two pids let the bench print each process's CPU time per request beside the rates.
LINLI_BENCH_CONNECTION="$connection" LINLI_BENCH_JWT_KEY="$key" \
  dotnet bench/api/bin/Release/net10.0/Linli.Bench.Api.dll --api "http://127.0.0.1:$api_port" \
  --api-pid "$api" --db-pid "$(cat ".data/$instance/mysqld.pid")" "$@"
