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
	log    *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
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
	// A Unix socket path is limited to 107 bytes on Linux; say so clearly
	// rather than failing with EINVAL deep inside the listener.
	if len(e.socket) > 100 {
		return nil, fmt.Errorf("data_dir %q is too long for a Unix socket path (keep it under about 85 characters)", dir)
	}
	return e, nil
}

// URI is the driver connection string of the server.
func (e *Server) URI() string {
	return "mongodb://" + url.PathEscape(e.socket) + "/"
}

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
	// A socket left by a crashed process would make the listener fail; the
	// data-dir lock (LockDataDir) guarantees no live server owns it.
	if err := os.Remove(e.socket); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("data_dir: removing stale socket: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: e.socket},
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
