#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server, so the record tests run on PostgreSQL too.
#
#   .ci/postgres.sh .venv/bin/pytest ...
#
# Installs Debian's postgresql when no server binaries are found, starts a fresh cluster in a
# temporary folder (as the `postgres` user when run as root: the server refuses to run as root),
# listening on a Unix socket in that folder and on 127.0.0.1 at a free port, with trust
# authentication for the local user only. Exports THRESHOLDS_TEST_DATABASE_URL and
# THRESHOLDS_REQUIRE_POSTGRES=1 (PostgreSQL cases then fail rather than skip), runs the command,
# and stops and deletes the cluster whatever happens.
set -euo pipefail

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PGBIN="$(bindir)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  echo "postgres.sh: installing Debian's postgresql" >&2
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PGBIN="$(bindir)"
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/thresholds-pg.XXXXXX")"
RUN=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$DIR"
  RUN=(runuser -u postgres --)
fi
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

"${RUN[@]}" "$PGBIN/initdb" -D "$DIR/data" -U thresholds -A trust --no-sync -E UTF8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
"${RUN[@]}" "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U thresholds thresholds

export THRESHOLDS_TEST_DATABASE_URL="postgresql+psycopg://thresholds@127.0.0.1:$PORT/thresholds"
export THRESHOLDS_REQUIRE_POSTGRES=1
echo "postgres.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status
