package embedded

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// MarkerName is the file surveyd writes in a data directory once it holds
// a store. A marker without the database file means the files were deleted,
// or data_dir names the wrong place: starting afresh there would silently
// serve an empty store and print a new admin token.
const MarkerName = "surveyd-store.id"

// DatabaseFile is the SQLite file of database in data directory dir.
func DatabaseFile(dir, database string) string {
	return filepath.Join(dir, "sqlite", database+".sqlite")
}

// CheckDataDir decides whether the embedded store may open dir for
// database: a directory with the marker must still have the database
// file; a directory without the marker and without the database file must
// hold nothing but what a previous start left before any data (the lock
// file, the socket, an empty sqlite directory), so that a mistyped data_dir
// pointing at some other non-empty directory is refused too. A directory
// with the database file but no marker (a store from before markers) is
// fine; MarkDataDir then marks it.
func CheckDataDir(dir, database string) error {
	dbFile := DatabaseFile(dir, database)
	_, dbErr := os.Stat(dbFile)
	if dbErr != nil && !errors.Is(dbErr, fs.ErrNotExist) {
		return fmt.Errorf("data_dir: %w", dbErr)
	}
	marker := filepath.Join(dir, MarkerName)
	written, err := os.ReadFile(marker)
	switch {
	case err == nil:
		if dbErr != nil {
			return fmt.Errorf("data_dir %s once held a store (%s: %s) but its database file %s is missing: "+
				"refusing to start a new, empty store there. Restore the files (or a backup), or point data_dir "+
				"(SURVEY_DATA_DIR) and mongodb.database at the right place; only to really start afresh, remove %s",
				dir, MarkerName, firstLine(written), dbFile, marker)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("data_dir: %w", err)
	}
	if dbErr == nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("data_dir: %w", err)
	}
	for _, e := range entries {
		if slices.Contains([]string{"LOCK", SocketName}, e.Name()) {
			continue
		}
		if e.Name() == "sqlite" && e.IsDir() {
			if inner, err := os.ReadDir(filepath.Join(dir, "sqlite")); err == nil && len(inner) == 0 {
				continue
			}
		}
		return fmt.Errorf("data_dir %s is not empty (it holds %q) and holds no surveyd store (no %s, no %s): "+
			"refusing to create a new store there; point data_dir (SURVEY_DATA_DIR) at the store's directory, "+
			"or at a new or empty one", dir, e.Name(), MarkerName, dbFile)
	}
	return nil
}

// MarkDataDir writes the marker of dir once its store exists (a no-op when
// it is there already).
func MarkDataDir(dir, database string) error {
	marker := filepath.Join(dir, MarkerName)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	text := fmt.Sprintf("surveyd embedded store, database %s, marked %s\n", database, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(marker, []byte(text), 0o600); err != nil {
		return fmt.Errorf("data_dir: writing %s: %w", MarkerName, err)
	}
	return nil
}

// CheckFiles returns a health check that fails once the database file of
// database under dir is gone (deleted, or its file system unmounted under
// the running server): FerretDB would go on writing into the unlinked
// file, and everything written would be lost at the next start.
func CheckFiles(dir, database string) func(context.Context) error {
	dbFile := DatabaseFile(dir, database)
	return func(context.Context) error {
		if _, err := os.Stat(dbFile); err != nil {
			return fmt.Errorf("the embedded store's database file is gone: %w", err)
		}
		return nil
	}
}

func firstLine(b []byte) string {
	s := string(b)
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
