#!/usr/bin/env bash
# Load test of the shared inbox, as recorded in BENCHMARKS.md.
#
# Builds holon and holon-load, starts `holon serve` with its default settings
# (info logs, JSON, to a file) plus allow_private_addresses (the remote
# accounts live on loopback), creates the person bob and one note of his
# through the command line and the API, then lets holon-load play a remote
# server on 127.0.0.9 whose accounts POST signed activities to /inbox:
# Creates of public notes mentioning bob, and Likes of bob's note. Each
# account sends one activity first, so that the server fetches its key
# before the measure; all activities are signed before the measured run.
#
# Two runs: open loop at RATE activities/s, then closed loop over CONNS
# connections (the capacity). Each reports accept latency, errors by status,
# the server's CPU time and memory, and how fast its Processor drained what
# was stored (holon-load polls the database: Holon has no metrics endpoint).
#
#   bench/inbox.sh                                  # 500/s for 30 s, then 20,000 closed loop over 16
#   RATE=200 DURATION=10s COUNT=5000 bench/inbox.sh
#   DRIVER=postgres bench/inbox.sh                  # a fresh database on the local PostgreSQL
#   RUNS=closed HOLON=/tmp/holon-old bench/inbox.sh # only the closed loop, with a holon built elsewhere
#
# Needs curl (and psql for DRIVER=postgres). Uses 127.0.0.1:${PORT:-18090}
# and 127.0.0.9.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-500}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-3s}
CONNS=${CONNS:-16}
RUNS=${RUNS:-open closed}
COUNT=${COUNT:-20000}
ACTORS=${ACTORS:-100}
DRIVER=${DRIVER:-sqlite}
PORT=${PORT:-18090}
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
holon migrate >/dev/null
printf '%s\n' 'a long benchmark passphrase' | holon admin account create --username bob --email bob@example.org --password-stdin >/dev/null
token=$(holon admin token create --username bob --label benchmark)

"$work/holon" serve >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 200); do
	curl -fs -o /dev/null "$BASE/healthz" && break
	sleep 0.05
done
curl -fsS -o /dev/null "$BASE/healthz"

note=$(curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d '{"content": "Le jardin ouvre samedi à 10 h : apportez vos graines."}' "$BASE/api/holon/v1/notes" |
	sed -n 's/.*"uri": *"\([^"]*\)".*/\1/p')
[[ -n $note ]] || { echo "posting bob's note failed" >&2; exit 1; }
echo "== $DRIVER; bob's note: $note; idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

load() {
	"$work/holon-load" inbox -inbox "$BASE/inbox" -mention "$BASE/actors/bob" -note "$note" -actors "$ACTORS" \
		-db-driver "$DRIVER" -db-dsn "$HOLON_DATABASE_DSN" -pid "$server_pid" "$@"
}
for run in $RUNS; do
	echo
	echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	case $run in
	open) load -rate "$RATE" -duration "$DURATION" -warmup "$WARMUP" ;;
	closed) load -closed "$CONNS" -activities "$COUNT" ;;
	*) echo "RUNS holds open and closed" >&2; exit 2 ;;
	esac
done
echo
echo "== RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status), peak $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
echo "== server log: $(wc -l <"$work/server.log") lines, $(grep -c '"level":"error"' "$work/server.log" || true) errors, $(grep -c '"level":"warn"' "$work/server.log" || true) warnings"
grep -m3 -E '"level":"(error|warn)"' "$work/server.log" || true
