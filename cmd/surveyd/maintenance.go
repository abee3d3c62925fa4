package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// maintenance is what the maintenance flags ask for; at most one is set.
type maintenance struct {
	backup, restore, copyTo, serveStore string
}

// chosen returns the one flag given ("" for none), or an error when
// several are.
func (m maintenance) chosen() (string, error) {
	var set []string
	for name, v := range map[string]string{"-backup": m.backup, "-restore": m.restore, "-copy-to": m.copyTo, "-serve-store": m.serveStore} {
		if v != "" {
			set = append(set, name)
		}
	}
	switch len(set) {
	case 0:
		return "", nil
	case 1:
		return set[0], nil
	}
	return "", fmt.Errorf("%v: give one maintenance command at a time", set)
}

// runMaintenance runs the maintenance command m names, then returns: the
// server is not started.
func runMaintenance(ctx context.Context, cfg config, m maintenance, stdout io.Writer, logger *slog.Logger) error {
	which, err := m.chosen()
	if err != nil || which == "" {
		return err
	}
	if cfg.MongoDB.URI != "" && which != "-copy-to" {
		return fmt.Errorf("%s works on the embedded store (mongodb.uri is set: back up and restore MongoDB with mongodump and mongorestore)", which)
	}
	switch which {
	case "-backup":
		return backup(ctx, cfg, m.backup, stdout)
	case "-restore":
		return restore(ctx, cfg, m.restore, stdout, logger)
	case "-copy-to":
		return copyTo(ctx, cfg, m.copyTo, stdout, logger)
	default:
		return serveStore(ctx, cfg, m.serveStore, stdout, logger)
	}
}

// backup is -backup: a consistent copy of the embedded store, taken while
// surveyd may be running (it takes no lock on the data directory).
func backup(ctx context.Context, cfg config, file string, stdout io.Writer) error {
	start := time.Now()
	size, err := embedded.Backup(ctx, cfg.DataDir, cfg.MongoDB.Database, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup: wrote %s (%d bytes) in %s\n", file, size, time.Since(start).Round(time.Millisecond))
	return nil
}

// restore is -restore: the backup becomes the store of an empty data_dir
// (never over a store: surveyd must not run there, and nothing may be
// in it). The restored store is then opened once and its collections
// counted, so a restore that reports success serves.
func restore(ctx context.Context, cfg config, file string, stdout io.Writer, logger *slog.Logger) error {
	unlock, err := embedded.LockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	if err := embedded.Restore(ctx, file, cfg.DataDir, cfg.MongoDB.Database); err != nil {
		unlock()
		return err
	}
	unlock()
	counts, err := countStore(ctx, cfg, logger)
	if err != nil {
		return fmt.Errorf("restore: the restored store does not open: %w", err)
	}
	fmt.Fprintf(stdout, "restore: %s restored into %s:%s\n", file, cfg.DataDir, countsText(counts))
	return nil
}

// countStore opens the configured store as surveyd does and counts the
// documents of its collections.
func countStore(ctx context.Context, cfg config, logger *slog.Logger) ([]mongostore.CollectionCount, error) {
	store, closeStore, err := openStore(ctx, cfg, logger, nil)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	return store.CollectionCounts(ctx)
}

func countsText(counts []mongostore.CollectionCount) string {
	s := ""
	for _, c := range counts {
		s += fmt.Sprintf(" %s %d,", c.Name, c.Documents)
	}
	if s == "" {
		return " no collections"
	}
	return s[:len(s)-1]
}

// copyTo is -copy-to: every collection of the store goes to the MongoDB at
// uri (same database name), which must hold no document of that database.
// From the embedded store the copy is made from a backup taken first, so
// it is consistent while surveyd runs; from a MongoDB it reads the live
// database (stop writes first).
func copyTo(ctx context.Context, cfg config, uri string, stdout io.Writer, logger *slog.Logger) error {
	start := time.Now()
	srcURI := cfg.MongoDB.URI
	if srcURI == "" {
		tmp, err := os.MkdirTemp("", "svcp")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		snapshot := filepath.Join(tmp, "snapshot.sqlite")
		if _, err := embedded.Backup(ctx, cfg.DataDir, cfg.MongoDB.Database, snapshot); err != nil {
			return fmt.Errorf("copy-to: %w", err)
		}
		dir := filepath.Join(tmp, "data")
		if err := embedded.Restore(ctx, snapshot, dir, cfg.MongoDB.Database); err != nil {
			return fmt.Errorf("copy-to: %w", err)
		}
		emb, err := embedded.New(dir, logger.With(slog.String("component", "embedded-store")))
		if err != nil {
			return err
		}
		if err := emb.Start(); err != nil {
			return err
		}
		defer emb.Stop()
		srcURI = emb.URI()
	}
	counts, err := mongostore.CopyDatabase(ctx, srcURI, uri, cfg.MongoDB.Database, copyTimeout(cfg))
	if err != nil {
		return fmt.Errorf("copy-to: %w", err)
	}
	fmt.Fprintf(stdout, "copy-to: copied database %s in %s:%s\n", cfg.MongoDB.Database, time.Since(start).Round(time.Millisecond), countsText(counts))
	fmt.Fprintln(stdout, "copy-to: point mongodb.uri (SURVEY_MONGODB_URI) at the target and restart surveyd")
	return nil
}

// copyTimeout bounds each store operation of a copy: generous, a batch of
// large documents to a remote replica set takes a while.
func copyTimeout(cfg config) time.Duration { return max(cfg.MongoDB.Timeout, time.Minute) }

// serveStore is -serve-store: the embedded store of data_dir served on a
// loopback TCP address until interrupted, for tools and tests that want a
// MongoDB-wire server of their own (CI runs the store tests against it).
// It prints "store: mongodb://host:port/" once it listens.
func serveStore(ctx context.Context, cfg config, addr string, stdout io.Writer, logger *slog.Logger) error {
	unlock, err := embedded.LockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := embedded.CheckDataDir(cfg.DataDir, cfg.MongoDB.Database); err != nil {
		return err
	}
	emb, err := embedded.New(cfg.DataDir, logger.With(slog.String("component", "embedded-store")))
	if err != nil {
		return err
	}
	if err := emb.ServeTCP(addr); err != nil {
		return err
	}
	if err := emb.Start(); err != nil {
		return err
	}
	defer emb.Stop()
	if err := embedded.MarkDataDir(cfg.DataDir, cfg.MongoDB.Database); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "store: %s\n", emb.URI())
	<-ctx.Done()
	return nil
}
