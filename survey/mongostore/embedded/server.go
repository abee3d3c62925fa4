// Package embedded runs the in-process MongoDB-wire-compatible server
// (FerretDB on SQLite) that surveyd uses when no MongoDB URI is configured,
// guards its data directory against a second process, and works around a
// missing index of FerretDB's SQLite backend (IndexIDLookups). The driver
// adapter, survey/mongostore, talks to it like to any MongoDB.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is the in-process MongoDB-wire-compatible server (FerretDB with
// its SQLite handler) used when no MongoDB URI is configured. It listens on a
// Unix socket inside its data directory, so its address survives a restart
// and no TCP port is opened.
type Server struct {
	dir    string
	socket string
	// short is the private directory holding the socket when the data
	// directory's own path is too long for one ("" otherwise).
	short string
	// tcp is the loopback TCP address to listen on instead (ServeTCP).
	tcp string
	log *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	uri    string
}

// SocketName is the file name of the server's socket in its data directory.
const SocketName = "mongodb.sock"

// New prepares a server over the data directory dir; Start runs it. A nil
// logger discards the server's log.
func New(dir string, logger *slog.Logger) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = slog.New(newQuietEndSessions(logger.Handler()))
	e := &Server{dir: abs, socket: filepath.Join(abs, SocketName), log: logger}
	if len(e.socket) > maxSocketPath {
		// A deep data directory (a clone in a long path): the socket goes
		// into a short private directory named after the data directory.
		e.short = shortSocketDir(abs)
		e.socket = filepath.Join(e.short, SocketName)
		if len(e.socket) > maxSocketPath {
			return nil, fmt.Errorf("the embedded store's socket %s is longer than a Unix socket path may be (%d bytes): set TMPDIR or XDG_RUNTIME_DIR to a shorter directory",
				e.socket, maxSocketPath)
		}
	}
	return e, nil
}

// ServeTCP makes Start listen on the loopback TCP address addr (host:port,
// port 0 for any) instead of the Unix socket: for running the store as a
// server of its own (surveyd -serve-store), e.g. for tests against it.
func (e *Server) ServeTCP(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("store address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("store address %q is not a loopback address: the embedded store has no authentication", addr)
	}
	e.tcp = addr
	return nil
}

// URI is the driver connection string of the server.
func (e *Server) URI() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.uri != "" {
		return e.uri
	}
	return "mongodb://" + url.PathEscape(e.socket) + "/"
}

// Socket is the absolute path of the server's Unix socket.
func (e *Server) Socket() string { return e.socket }

// Start runs the server in the background until Stop.
func (e *Server) Start() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		return errors.New("embedded store already running")
	}
	sqliteDir := filepath.Join(e.dir, "sqlite")
	if err := os.MkdirAll(sqliteDir, 0o700); err != nil {
		return fmt.Errorf("data_dir: %w", err)
	}
	listener := ferretdb.ListenerConfig{Unix: e.socket}
	if e.tcp != "" {
		listener = ferretdb.ListenerConfig{TCP: e.tcp}
	} else {
		if e.short != "" {
			if err := preparePrivateDir(e.short, sqliteDir); err != nil {
				return err
			}
		}
		// A socket left by a crashed process would make the listener fail;
		// the data-dir lock (LockDataDir) guarantees no live server owns it.
		if err := os.Remove(e.socket); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("data_dir: removing stale socket %s: %w", e.socket, err)
		}
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Handler:   "sqlite",
		SQLiteURL: "file:" + sqliteDir + "/",
		Logger:    e.log,
	})
	if err != nil {
		return fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	e.cancel, e.done = cancel, done
	if e.tcp != "" {
		e.uri = f.MongoDBURI() // the port actually bound
	}
	return nil
}

// Stop shuts the server down and waits for it. Connected clients should
// disconnect first: the server gives them a few seconds before closing.
func (e *Server) Stop() {
	e.mu.Lock()
	cancel, done := e.cancel, e.done
	e.cancel, e.done = nil, nil
	e.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}
