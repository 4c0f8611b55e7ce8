#!/usr/bin/env bash
# Load test of the association page, as recorded in BENCHMARKS.md.
#
# Builds holon and holon-load, starts `holon serve` with its default settings
# (info logs, JSON, to a file) on a fresh SQLite file, creates an association
# with a few members through the command line and the API only, then sends
# GET /@jardin at a fixed rate, open loop, and prints the latency percentiles.
#
#   bench/association-page.sh                 # 200 requests/s for 30 s
#   RATE=400 DURATION=60s bench/association-page.sh
#   WRK=1 bench/association-page.sh           # then wrk's closed-loop capacity
#
# Needs curl (and wrk for WRK=1). Uses 127.0.0.1:${PORT:-18080}.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-200}
DURATION=${DURATION:-30s}
PORT=${PORT:-18080}
MEMBERS=(alice bob carol dave erin)
PASSWORD='a long benchmark passphrase'
BASE="http://127.0.0.1:${PORT}"

work=$(mktemp -d)
server_pid=""
cleanup() {
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" && wait "$server_pid" || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"

CGO_ENABLED=0 go build -trimpath -o "$work/holon" ./cmd/holon
go build -o "$work/holon-load" ./cmd/holon-load

export HOLON_DATABASE_DRIVER=sqlite
export HOLON_DATABASE_DSN="$work/holon.db"
export HOLON_SERVER_LISTEN="127.0.0.1:${PORT}"
export HOLON_SERVER_HOST="127.0.0.1:${PORT}"

holon() { "$work/holon" "$@"; }

for u in "${MEMBERS[@]}"; do
	printf '%s\n' "$PASSWORD" | holon admin account create --username "$u" --email "$u@example.org" --password-stdin >/dev/null
done
holon admin association create --name jardin --display-name "Jardin partagé" \
	--summary "A shared garden run by its neighbours." --owner alice >/dev/null
declare -A tokens
for u in "${MEMBERS[@]:1}"; do
	tokens[$u]=$(holon admin token create --username "$u" --label benchmark)
done

"$work/holon" serve >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 200); do
	curl -fs -o /dev/null "$BASE/healthz" && break
	sleep 0.05
done
curl -fsS -o /dev/null "$BASE/healthz"

# Members join through the native API, as a script would.
for u in "${MEMBERS[@]:1}"; do
	curl -fsS -o /dev/null -X POST -H "Authorization: Bearer ${tokens[$u]}" \
		"$BASE/api/holon/v1/associations/jardin/members"
done
curl -fsS -o "$work/members.html" "$BASE/@jardin/members"
for u in "${MEMBERS[@]}"; do
	grep -q "@$u" "$work/members.html" || { echo "@$u is not on the members page" >&2; exit 1; }
done
curl -fsS -o "$work/page.html" "$BASE/@jardin"
echo "== GET /@jardin: $(wc -c <"$work/page.html") bytes; the association has ${#MEMBERS[@]} members"
echo "== idle RSS before load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (a busy machine makes the tail meaningless: see 'most late a request was sent')"
"$work/holon-load" -url "$BASE/@jardin" -rate "$RATE" -duration "$DURATION"

if [[ ${WRK:-0} == 1 ]]; then
	# Closed loop, as fast as it answers: the capacity, for context only
	# (wrk's latencies suffer from coordinated omission).
	echo "== wrk -t2 -c16 -d10s (closed loop: capacity)"
	wrk -t2 -c16 -d10s "$BASE/@jardin"
fi

echo "== RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status), peak $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
echo "== server log lines: $(wc -l <"$work/server.log")"
