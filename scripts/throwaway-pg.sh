#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL, then remove the server whatever happens.
# Usage: scripts/throwaway-pg.sh CMD [ARGS...]
#   Starts a server on 127.0.0.1:<random port> with its data in a temp dir (initdb, trust auth,
#   fsync off: a test server, never for data to keep), as the postgres user when run as root,
#   creates the database app_test, runs CMD with DATABASE_URL set to it, stops the server, removes
#   the temp dir, and exits with CMD's exit code. Needs the postgresql package
#   (scripts/system-deps.sh postgresql).
set -euo pipefail
if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
export PATH="/usr/sbin:/sbin:$PATH"               # runuser lives in /usr/sbin
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $PGBIN ]]; then
  echo "$0: no PostgreSQL server found in /usr/lib/postgresql (scripts/system-deps.sh postgresql)" >&2
  exit 2
fi
PGTMP=$(mktemp -d -t throwaway-pg.XXXXXX)
if [[ $EUID -eq 0 ]]; then chown postgres: "$PGTMP"; pgrun() { runuser -u postgres -- "$@"; }
else pgrun() { "$@"; }; fi
cleanup() {
  rc=$?
  pgrun "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pgrun "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log"
pgrun "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 start \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
  || { cat "$PGTMP/server.log" >&2; exit 1; }
pgrun "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres app_test

export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/app_test"
"$@"
