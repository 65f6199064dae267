#!/usr/bin/env bash
# lanes.sh: loyalty earns from concurrent lanes beside pgbench's TPC-B, on
# one server (issue 11, item 5).
#
# Starts a throw-away PostgreSQL cluster (fsync=off, as .ci/run starts
# one) on PORT, initialises pgbench's tables (pgbench -i -s 10), then COUNT
# times in turn:
#   pgbench -c 1 -j 1, -c 8 -j 2 and -c 32 -j 2, each -T SECONDS;
#   BenchmarkLanes (1, 8 and 32 lanes at 100 and 10,000 prior lots per
#   member, -benchtime BENCHTIME, one count), with the adapter's default
#   pool unless -P sets pool_max_conns;
#   with -A POOL, BenchmarkLanes' 8-lane floors again over a pool of POOL
#   connections, for comparison.
# Taking them in turn spreads the machine's other load over both. Prints
# every figure, the load average before each round, and the medians, with
# each floor's earns/s over pgbench's tps at the same concurrency: the
# ratio of the medians, and the median of each round's ratio, which the
# load of a shared machine disturbs less.
#
# Usage: scripts/lanes.sh [-p PORT] [-n COUNT] [-T SECONDS] [-x BENCHTIME] [-P POOL] [-A POOL]
#   defaults: -p 55445 -n 5 -T 30 -x 20000x (some 5 s of earns at 8 lanes)
# Env: PGBIN, the directory of initdb, pg_ctl and pgbench
# (default /usr/lib/postgresql/15/bin). Run from anywhere; as root the
# server runs as the postgres user.
set -euo pipefail

port=55445 count=5 seconds=30 benchtime=20000x pool=0 alt=0
while getopts p:n:T:x:P:A: opt; do
	case $opt in
	p) port=$OPTARG ;;
	n) count=$OPTARG ;;
	T) seconds=$OPTARG ;;
	x) benchtime=$OPTARG ;;
	P) pool=$OPTARG ;;
	A) alt=$OPTARG ;;
	*) sed -n '2,28p' "$0"; exit 2 ;;
	esac
done
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
cd "$(dirname "$0")/.."

dir=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() { as_pg "$pgbin/pg_ctl -D $dir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$pgbin/initdb -D $dir/data -A trust -U postgres" >/dev/null
as_pg "$pgbin/pg_ctl -D $dir/data -w -l $dir/log -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off' start" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
"$pgbin/createdb" pgbench
"$pgbin/pgbench" -i -s 10 -q pgbench >/dev/null 2>&1
export CLIENTELE_PG_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
go test -c -o "$dir/postgres.test" .

results=$dir/results
# lanes NAME POOL PATTERN: one count of the benchmarks PATTERN selects,
# as "ROUND NAME lots=L c=LANES earns/s E" lines.
lanes() {
	"$dir/postgres.test" -test.run '^$' -test.bench "$3" -test.benchtime "$benchtime" -test.count 1 -lanes.pool "$2" |
		awk -v r="$round" -v name="$1" '/^BenchmarkLanes/ { split($1, n, "/"); sub(/-[0-9]+$/, "", n[3]); sub(/lanes=/, "", n[3]);
			for (i = 2; i <= NF; i++) if ($(i+1) == "earns/s") print r " " name " " n[2] " c=" n[3] " earns/s " $i }' |
		tee -a "$results"
}
for round in $(seq "$count"); do
	echo "== round $round: $(uptime)"
	for c in 1 8 32; do
		tps=$("$pgbin/pgbench" -c "$c" -j "$((c < 2 ? c : 2))" -T "$seconds" pgbench 2>/dev/null |
			sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
		echo "$round pgbench c=$c tps $tps" | tee -a "$results"
	done
	lanes lanes "$pool" BenchmarkLanes
	[ "$alt" = 0 ] || lanes "lanes-pool=$alt" "$alt" 'BenchmarkLanes/lots=.*/lanes=8$'
done

# median KEY: the median of the figures of lines holding KEY.
median() { { grep -F " $1 " "$results" || true; } | awk '{ print $NF }' | sort -g |
	awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratios KEY C: each round's KEY figure over that round's pgbench -c C tps.
ratios() { awk -v key=" $1 " -v c="$2" 'index($0, " pgbench c=" c " ") { p[$1] = $NF } index($0, key) { e[$1] = $NF }
	END { for (r in e) if (p[r] > 0) printf "%.3f\n", e[r] / p[r] }' "$results"; }
echo "== medians of $count (pool: $([ "$pool" = 0 ] && echo default || echo "$pool"))"
for c in 1 8 32; do
	p=$(median "pgbench c=$c tps")
	echo "pgbench -c $c: $p tps"
	for name in lanes "lanes-pool=$alt"; do
		for lots in 100 10000; do
			e=$(median "$name lots=$lots c=$c earns/s")
			[ -n "$e" ] || continue
			r=$(ratios "$name lots=$lots c=$c earns/s" "$c" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
			echo "  $name lots=$lots c=$c: $e earns/s; median/median $(awk -v e="$e" -v p="$p" 'BEGIN { printf "%.2f", e / p }')x pgbench, median of rounds' ratios ${r}x"
		done
	done
done
