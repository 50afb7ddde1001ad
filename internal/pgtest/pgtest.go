// Package pgtest runs a real PostgreSQL server for tests: Debian's package
// (postgresql), started once per test binary on a private port with a
// private data directory, and stopped by its process ID when the tests end.
// A test asks for a database of its own with Database. Where the package is
// not installed, the tests that need it are skipped with a message saying
// how to install it (.ci/run installs it, so CI always runs them).
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"

	"github.com/deltaledger/deltaledger/internal/procstop"
)

// server is the one server of this test binary.
var server struct {
	once    sync.Once
	err     error
	skip    string
	cmd     *exec.Cmd
	dir     string
	port    int
	created atomic.Int64
}

// binDir finds the newest installed PostgreSQL's programs.
func binDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

// Database gives the test an empty database of its own on the test server
// (a schema of the server's one database, first on the search path, which
// is much cheaper than CREATE DATABASE), and returns its DSN. It skips the
// test when PostgreSQL is not installed. Extensions live in the schema
// public, which stays on the path.
func Database(t testing.TB) string {
	t.Helper()
	server.once.Do(start)
	if server.skip != "" {
		t.Skip(server.skip)
	}
	if server.err != nil {
		t.Fatalf("PostgreSQL test server: %v", server.err)
	}
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), server.created.Add(1))
	admin, err := sql.Open("pgx", dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("creating schema %s: %v", name, err)
	}
	return dsn("postgres") + "&search_path=" + name + ",public"
}

func dsn(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", server.port, database)
}

// extensions are installed once, in the schema public.
const extensions = "CREATE EXTENSION IF NOT EXISTS pg_trgm"

// Stop stops the server, if one was started; call it from TestMain after
// the tests.
func Stop() {
	if server.cmd == nil || server.cmd.Process == nil {
		return
	}
	// SIGINT is PostgreSQL's fast shutdown: clients are disconnected.
	procstop.Stop(server.cmd, syscall.SIGINT)
	_ = os.RemoveAll(server.dir)
	server.cmd = nil
}

// start initialises a data directory and starts the server on a free
// port. PostgreSQL refuses to run as root, so when the tests run as root
// the server runs as the package's "postgres" user.
func start() {
	bin := binDir()
	if bin == "" {
		server.skip = "PostgreSQL is not installed (Debian package postgresql: apt-get install postgresql); .ci/run installs it, so CI runs these tests"
		return
	}
	dir, err := os.MkdirTemp("", "deltaledger-pgtest-")
	if err != nil {
		server.err = err
		return
	}
	server.dir = dir
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			server.err = fmt.Errorf("running as root needs the user postgres (made by the Debian package): %w", err)
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			server.err = err
			return
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		server.err = fmt.Errorf("initdb: %v: %s", err, out)
		return
	}
	port, err := freePort()
	if err != nil {
		server.err = err
		return
	}
	server.port = port
	log, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		server.err = err
		return
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		server.err = err
		return
	}
	server.cmd = cmd
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		db, err := sql.Open("pgx", dsn("postgres"))
		if err == nil {
			if err = db.PingContext(ctx); err == nil {
				_, err = db.ExecContext(ctx, extensions)
			}
			db.Close()
		}
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			b, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			server.err = fmt.Errorf("the server did not answer within 30 s: %v; log: %s", err, b)
			Stop()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
