#!/usr/bin/env bash
# Manages a private MariaDB instance for Linli: its own data folder under .data/<name>,
# bound to 127.0.0.1 on its own port, with its own socket and pid file. It never touches
# a system-wide server. Every subcommand is idempotent.
#
#   scripts/db.sh start  <name> <port> <database> <user> <password>
#   scripts/db.sh stop   <name>
#   scripts/db.sh restart <name> <port> <database> <user> <password>
#   scripts/db.sh status <name>
#   scripts/db.sh wipe   <name>
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"; name="${2:-}"
[ -n "$cmd" ] && [ -n "$name" ] || { echo "usage: scripts/db.sh start|stop|restart|status|wipe <name> [port database user password]" >&2; exit 2; }
dir="$root_dir/.data/$name"
sock="$dir/mysqld.sock"
pidf="$dir/mysqld.pid"
log="$dir/error.log"
me="$(id -un)"

say() { printf 'db(%s): %s\n' "$name" "$*" >&2; }

ensure_installed() {
  if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then return; fi
  if [ "$(id -u)" -ne 0 ]; then
    say "MariaDB is not installed. Run: sudo apt-get update && sudo apt-get install -y mariadb-server mariadb-client"
    exit 1
  fi
  say "installing MariaDB with apt (first run only)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  # The Debian package may start the system-wide service; we never use it.
  service mariadb stop >/dev/null 2>&1 || true
}

mariadbd_bin() { command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd; }

running() {
  [ -f "$pidf" ] || return 1
  local pid; pid="$(cat "$pidf" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

admin_sql() { mariadb --no-defaults --protocol=socket -S "$sock" -u "$me" -N -B -e "$1"; }

start() {
  local port="$1" database="$2" user="$3" password="$4"
  ensure_installed
  mkdir -p "$dir"
  if ! running; then
    # A pid or socket left behind by a killed server would stop a new one from starting.
    rm -f "$pidf" "$sock" "$sock.lock"
    if [ ! -d "$dir/data/mysql" ]; then
      rm -rf "$dir/data"
      say "initialising data folder"
      mkdir -p "$dir/tmp"
      mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --user="$me" \
        --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
    fi
    say "starting on 127.0.0.1:$port"
    # Its own temporary folder: servers sharing /tmp (several checkouts on one machine) have clashed there.
    mkdir -p "$dir/tmp"
    setsid "$(mariadbd_bin)" --no-defaults --user="$me" --datadir="$dir/data" --tmpdir="$dir/tmp" \
      --bind-address=127.0.0.1 --port="$port" --socket="$sock" --pid-file="$pidf" \
      --log-error="$log" --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --default-time-zone=+00:00 --skip-name-resolve --max-connections=1000 \
      --innodb-buffer-pool-size="${LINLI_DB_BUFFER_POOL:-512M}" --skip-log-bin \
      ${LINLI_DB_EXTRA_ARGS:-} </dev/null >/dev/null 2>&1 &
  fi
  local i
  for i in $(seq 1 120); do
    if mariadb-admin --no-defaults --protocol=socket -S "$sock" -u "$me" ping >/dev/null 2>&1; then break; fi
    if [ "$i" -eq 120 ]; then say "did not answer within 60 s; log:"; tail -n 30 "$log" >&2 || true; exit 1; fi
    sleep 0.5
  done
  # The application user may create and drop databases: tests build throw-away schemas.
  admin_sql "CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
    CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
    ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
    ALTER USER '$user'@'localhost' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost';"
  say "ready (database $database, user $user)"
}

stop() {
  if running; then
    local pid; pid="$(cat "$pidf")"
    mariadb-admin --no-defaults --protocol=socket -S "$sock" -u "$me" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    say "stopped"
  fi
  rm -f "$pidf" "$sock" "$sock.lock"
}

case "$cmd" in
  start)   shift 2; [ $# -eq 4 ] || { echo "usage: scripts/db.sh start <name> <port> <database> <user> <password>" >&2; exit 2; }; start "$@" ;;
  stop)    stop ;;
  restart) shift 2; stop; start "$@" ;;
  status)  if running; then echo "running (pid $(cat "$pidf"))"; else echo "stopped"; exit 1; fi ;;
  wipe)    stop; rm -rf "$dir"; say "wiped" ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
