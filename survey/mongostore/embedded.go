package mongostore

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
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is the in-process MongoDB-wire-compatible server (FerretDB with
// its SQLite handler) used when no MongoDB URI is configured. It listens on a
// Unix socket inside its data directory, so its address survives a restart
// and no TCP port is opened.
type Embedded struct {
	dir    string
	socket string
	log    *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// SocketName is the file name of the embedded server's socket in its data dir.
const SocketName = "mongodb.sock"

// NewEmbedded prepares an embedded server over dir; Start runs it.
func NewEmbedded(dir string, logger *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Embedded{dir: abs, socket: filepath.Join(abs, SocketName), log: logger}
	// A Unix socket path is limited to 107 bytes on Linux; say so clearly
	// rather than failing with EINVAL deep inside the listener.
	if len(e.socket) > 100 {
		return nil, fmt.Errorf("data_dir %q is too long for a Unix socket path (keep it under about 85 characters)", dir)
	}
	return e, nil
}

// URI is the driver connection string of the embedded server.
func (e *Embedded) URI() string {
	return "mongodb://" + url.PathEscape(e.socket) + "/"
}

// Start runs the server in the background until Stop.
func (e *Embedded) Start() error {
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
func (e *Embedded) Stop() {
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

// LockDataDir takes an exclusive lock on dir so that two processes never
// open the same embedded store. It returns the function that releases it.
func LockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("data_dir %s is in use by another surveyd process (stop it first)", dir)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
