#!/usr/bin/env bash
# Fan-out of one post to many followers on many servers, as recorded in
# BENCHMARKS.md.
#
# Builds holon and holon-load, starts `holon serve` with its default settings
# (info logs, JSON, to a file) plus allow_private_addresses, creates the
# person alice and an API token, then lets holon-load play HOSTS remote
# servers on loopback addresses (127.0.1.1–10, a port each), each with
# PER_HOST accounts and a shared inbox answering 202. Every account follows
# alice with a signed Follow (the server fetches it and sends an Accept, as
# in real life); then alice posts one public note through the API and
# holon-load measures its delivery: requests received, wall time from the
# POST to the last 2xx, the server's CPU time over that span (from
# /proc/<pid>/stat) and its memory. One signature in ten is checked.
#
#   bench/fanout.sh                          # 1,000 servers × 10 followers
#   HOSTS=100 PER_HOST=5 bench/fanout.sh
#   DRIVER=postgres bench/fanout.sh          # a fresh database on the local PostgreSQL
#   HOLON=/tmp/holon-old bench/fanout.sh     # with a holon built elsewhere
#
# Needs curl (and psql for DRIVER=postgres). Uses 127.0.0.1:${PORT:-18091}.
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${HOSTS:-1000}
PER_HOST=${PER_HOST:-10}
DRIVER=${DRIVER:-sqlite}
PORT=${PORT:-18091}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BASE="http://127.0.0.1:${PORT}"

work=$(mktemp -d)
server_pid=""
pgdb=""
cleanup() {
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" && wait "$server_pid" || true
	fi
	if [[ -n $pgdb ]]; then
		psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"

if [[ -n ${HOLON:-} ]]; then
	cp "$HOLON" "$work/holon" # another commit's build, to compare
	echo "== holon: $HOLON"
else
	CGO_ENABLED=0 go build -trimpath -o "$work/holon" ./cmd/holon
fi
go build -o "$work/holon-load" ./cmd/holon-load

export HOLON_DATABASE_DRIVER=$DRIVER
case $DRIVER in
sqlite) export HOLON_DATABASE_DSN="$work/holon.db" ;;
postgres)
	pgdb="holon_bench_$$"
	psql "$PG/postgres" -qc "CREATE DATABASE $pgdb" >/dev/null
	export HOLON_DATABASE_DSN="$PG/$pgdb?sslmode=disable"
	;;
*) echo "DRIVER must be sqlite or postgres" >&2; exit 2 ;;
esac
export HOLON_SERVER_LISTEN="127.0.0.1:${PORT}"
export HOLON_SERVER_HOST="127.0.0.1:${PORT}"
export HOLON_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true

holon() { "$work/holon" "$@"; }
printf '%s\n' 'a long benchmark passphrase' | holon admin account create --username alice --email alice@example.org --password-stdin >/dev/null
token=$(holon admin token create --username alice --label benchmark)

"$work/holon" serve >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 200); do
	curl -fs -o /dev/null "$BASE/healthz" && break
	sleep 0.05
done
curl -fsS -o /dev/null "$BASE/healthz"
echo "== $DRIVER; idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$work/holon-load" fanout -target "$BASE" -author alice -token "$token" -hosts "$HOSTS" -per-host "$PER_HOST" -pid "$server_pid"

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 5
echo "== RSS 5 s later: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status), peak $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
echo "== server log: $(wc -l <"$work/server.log") lines, $(grep -c '"level":"error"' "$work/server.log" || true) errors, $(grep -c '"level":"warn"' "$work/server.log" || true) warnings"
grep -m3 -E '"level":"(error|warn)"' "$work/server.log" || true
