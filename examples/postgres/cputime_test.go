package postgres_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clientele-go/clientele/internal/cputime"
	"github.com/jackc/pgx/v5"
)

// usage is the CPU an earn costs on both sides of the connection, the
// figure a loaded machine disturbs least: the benchmarks report it per
// operation beside wall time. Client is this process's user+system time;
// server is the CPU of the database's client backends, read from /proc
// when the server runs on this machine (zero otherwise), and exec the
// planning and execution time pg_stat_statements recorded for the
// database (zero without the extension).
type usage struct {
	client, server, exec time.Duration
}

// readUsage returns the usage so far, reading the server's side over conn.
func readUsage(ctx context.Context, conn *pgx.Conn) usage {
	u := usage{client: cputime.Process()}
	if rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity
		WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`); err == nil {
		pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err == nil {
			for _, pid := range pids {
				u.server += backendCPU(pid)
			}
		}
	}
	var ms *float64
	if err := conn.QueryRow(ctx, `SELECT sum(total_exec_time + total_plan_time) FROM public.pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&ms); err == nil && ms != nil {
		u.exec = time.Duration(*ms * float64(time.Millisecond))
	}
	return u
}

// sub returns the usage between v and u.
func (u usage) sub(v usage) usage {
	return usage{client: u.client - v.client, server: u.server - v.server, exec: u.exec - v.exec}
}

// backendCPU returns the user+system CPU of a local PostgreSQL process,
// or zero when /proc does not show one (another OS, a remote server).
func backendCPU(pid int32) time.Duration {
	id := strconv.Itoa(int(pid))
	if comm, err := os.ReadFile("/proc/" + id + "/comm"); err != nil || !strings.HasPrefix(string(comm), "postgres") {
		return 0
	}
	stat, err := os.ReadFile("/proc/" + id + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command's closing parenthesis; utime and
	// stime are the 14th and 15th of the line, in clock ticks (100 Hz on
	// Linux).
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}
