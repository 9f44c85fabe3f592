#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the [PostgresFact] tests: trust auth, 127.0.0.1 only, a free port in 55432-55531,
# durability off. Everything lives in one temporary folder that 'stop' removes.
#
#   eval "$(tools/pg-test-cluster.sh start)"      # exports SWITCHYARD_TEST_POSTGRES and SWITCHYARD_TEST_PGDIR
#   tools/pg-test-cluster.sh stop [dir]           # dir defaults to $SWITCHYARD_TEST_PGDIR
#
# Only the export lines go to stdout; every diagnostic goes to stderr. As root (CI), a missing server is installed
# with apt-get, and the cluster runs as the 'postgres' user because initdb refuses to run as root.
set -euo pipefail

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true; }

is_root() { [ "$(id -u)" = 0 ]; }

# Runs a PostgreSQL binary as the cluster's owner: 'postgres' when we are root, ourselves otherwise.
as_owner() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local PGBIN PGDIR PORT="" p
  PGBIN=$(pgbin)
  if [ -z "$PGBIN" ]; then
    is_root || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): install it, e.g. 'sudo apt-get install postgresql'."
    echo "pg-test-cluster: installing PostgreSQL with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 \
      || die "apt-get install postgresql failed."
    PGBIN=$(pgbin)
    [ -n "$PGBIN" ] || die "PostgreSQL was installed but no /usr/lib/postgresql/*/bin was found."
  fi
  [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || die "$PGBIN has no initdb/pg_ctl."

  if is_root && ! id -u postgres >/dev/null 2>&1; then
    echo "pg-test-cluster: creating the 'postgres' system user" >&2
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres >&2 \
      || die "could not create the 'postgres' system user."
  fi

  for p in $(seq 55432 55531); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { PORT=$p; break; }
  done
  [ -n "$PORT" ] || die "no free TCP port in 55432-55531 on 127.0.0.1."

  PGDIR=$(mktemp -d /tmp/switchyard-pg.XXXXXX)
  echo "$PGBIN" >"$PGDIR/pgbin"
  if is_root; then
    chown -R postgres:postgres "$PGDIR"
  fi
  # The server's user may not be able to read our working directory; pg_ctl and initdb warn about it.
  cd "$PGDIR"

  if ! as_owner "$PGBIN/initdb" -D "$PGDIR/data" -U switchyard --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1; then
    echo "pg-test-cluster: initdb failed:" >&2
    tail -n 30 "$PGDIR/initdb.log" >&2 || true
    cd / && rm -rf "$PGDIR"
    exit 1
  fi

  if ! as_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2; then
    echo "pg-test-cluster: the server did not start on port $PORT; last lines of $PGDIR/log:" >&2
    tail -n 30 "$PGDIR/log" >&2 || true
    as_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    cd / && rm -rf "$PGDIR"
    exit 1
  fi

  echo "pg-test-cluster: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT in $PGDIR" >&2
  echo "export SWITCHYARD_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=switchyard;Database=postgres;Maximum Pool Size=20'"
  echo "export SWITCHYARD_TEST_PGDIR='$PGDIR'"
}

stop() {
  local PGDIR=${1:-${SWITCHYARD_TEST_PGDIR:-}} PGBIN=""
  [ -n "$PGDIR" ] || die "usage: $0 stop <dir> (or set SWITCHYARD_TEST_PGDIR)"
  if [ ! -e "$PGDIR" ]; then
    echo "pg-test-cluster: $PGDIR is already gone" >&2
    return 0
  fi
  # Refuse to delete anything that 'start' did not make.
  case "$(basename "$PGDIR")" in switchyard-pg.*) ;; *) die "$PGDIR is not a folder made by '$0 start'." ;; esac
  [ -f "$PGDIR/pgbin" ] || die "$PGDIR is not a folder made by '$0 start' (no pgbin file)."

  PGBIN=$(cat "$PGDIR/pgbin")
  cd /
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w -t 30 stop >&2 \
      || echo "pg-test-cluster: pg_ctl stop failed; removing $PGDIR anyway" >&2
  fi
  rm -rf "$PGDIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: $0 start | $0 stop [dir]" ;;
esac
