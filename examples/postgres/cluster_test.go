package postgres_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pgBinEnv names the directory of PostgreSQL's server programs (initdb,
// pg_ctl). With it set, tests that must stop and start a server run one
// of their own; without it they skip.
const pgBinEnv = "CLIENTELE_PG_BIN"

// cluster is a throw-away PostgreSQL cluster that a test starts, stops and
// restarts. Run as root (as CI is), its programs run as the postgres user
// through su, in a directory that user owns: the server refuses to run as
// root.
type cluster struct {
	bin, dir string
	port     int
	su       bool // run the programs as postgres through su
}

// newCluster initialises and starts a cluster on a free loopback port, and
// removes it when the test ends. It skips the test without pgBinEnv.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bin := os.Getenv(pgBinEnv)
	if bin == "" {
		t.Skipf("no PostgreSQL programs: set %s (e.g. /usr/lib/postgresql/15/bin) to run a cluster of the test's own", pgBinEnv)
	}
	dir, err := os.MkdirTemp("", "clientele-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{bin: bin, dir: dir, su: os.Geteuid() == 0}
	t.Cleanup(func() {
		// A test binary killed from outside (or by -timeout) never gets
		// here and leaves the server running: stop it with pg_ctl on the
		// directory this logs.
		if err := c.pgctl("stop", "-m", "immediate"); err != nil && c.port != 0 {
			t.Logf("cluster in %s: %v", dir, err)
		}
		_ = os.RemoveAll(dir)
	})
	t.Logf("cluster in %s", dir)
	if c.su {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user to run the server: %v", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if c.port, err = freePort(); err != nil {
		t.Fatal(err)
	}
	if out, err := c.command("initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	if err := c.start(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// dsn is the cluster's postgres database.
func (c *cluster) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// start starts the server and waits until it accepts connections (after
// crash recovery, following an immediate stop).
func (c *cluster) start() error {
	return c.pgctl("start", "-w", "-t", "120", "-l", filepath.Join(c.dir, "log"),
		"-o", fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", c.port, c.dir))
}

// crash stops the server in immediate mode: every backend quits at once,
// without a checkpoint, so the next start recovers from the WAL, as after
// a power cut that kept the disk.
func (c *cluster) crash() error { return c.pgctl("stop", "-w", "-m", "immediate") }

func (c *cluster) pgctl(args ...string) error {
	args = append([]string{"-D", c.data()}, args...)
	if out, err := c.command("pg_ctl", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl %s: %v\n%s%s", args[2], err, out, c.logTail())
	}
	return nil
}

// command runs one of the cluster's programs, as postgres when the test
// runs as root.
func (c *cluster) command(program string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, program)
	if !c.su {
		return exec.Command(path, args...)
	}
	words := []string{shellQuote(path)}
	for _, a := range args {
		words = append(words, shellQuote(a))
	}
	return exec.Command("su", "postgres", "-c", strings.Join(words, " "))
}

// logTail is the end of the server's log, for a failure message.
func (c *cluster) logTail() string {
	b, err := os.ReadFile(filepath.Join(c.dir, "log"))
	if err != nil {
		return ""
	}
	return "server log:\n" + string(b[max(0, len(b)-2000):])
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// freePort returns a loopback port nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
