#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server for the test suite.
#
#   .ci/postgres.sh start DIR   -> installs PostgreSQL from Debian's packages if missing, starts a server
#                                  on 127.0.0.1 as an unprivileged user with its data in DIR, creates the
#                                  database casetrack_test, and prints its URL as the last line.
#   .ci/postgres.sh stop DIR    -> stops it.
# The port is $CASETRACK_PG_PORT (default 55432), or the next free one if that is taken.
set -euo pipefail

action=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
port=${CASETRACK_PG_PORT:-55432}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  # Another server (a developer's, a parallel CI run) may hold the port: take the next free one.
  local candidate=$1
  while port_in_use "$candidate"; do
    candidate=$((candidate + 1))
    [ "$candidate" -lt $(($1 + 100)) ] || { echo "no free port near $1" >&2; exit 1; }
  done
  echo "$candidate"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

run_as_owner() {
  # initdb and postgres refuse to run as root: use the `postgres` system user then.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "installing PostgreSQL from Debian's packages..." >&2
      as_root apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
    fi
    bin=$(pg_bin)
    port=$(free_port "$port")
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --create-home postgres; chown postgres "$dir"; }
    chmod 700 "$dir"
    run_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
    run_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >&2
    run_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres casetrack_test >&2
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/casetrack_test"
    ;;
  stop)
    bin=$(pg_bin)
    [ -d "$dir/data" ] && run_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
