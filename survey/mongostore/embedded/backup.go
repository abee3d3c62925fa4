package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Backup writes a consistent copy of database's SQLite file in the data
// directory dir to target, while the server may be running and writing:
// SQLite's VACUUM INTO reads one snapshot (a read transaction) and writes
// a compact copy. It refuses an existing target. The copy is written next
// to target first and renamed once complete and checked, so a backup file
// that exists is a whole one.
func Backup(ctx context.Context, dir, database, target string) (int64, error) {
	src := DatabaseFile(dir, database)
	if _, err := os.Stat(src); err != nil {
		return 0, fmt.Errorf("backup: no embedded store at %s: %w", src, err)
	}
	if _, err := os.Lstat(target); err == nil {
		return 0, fmt.Errorf("backup: %s exists: refusing to overwrite it", target)
	}
	partial := target + ".partial"
	_ = os.Remove(partial) // a previous attempt's, never a backup
	db, err := openSQLite(src)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, partial); err != nil {
		_ = os.Remove(partial)
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := checkSQLite(ctx, partial); err != nil {
		_ = os.Remove(partial)
		return 0, fmt.Errorf("backup: the copy does not check: %w", err)
	}
	if err := syncFile(partial); err != nil {
		_ = os.Remove(partial)
		return 0, fmt.Errorf("backup: %w", err)
	}
	// Link, not rename: a target created meanwhile is never replaced.
	if err := os.Link(partial, target); err != nil {
		_ = os.Remove(partial)
		return 0, fmt.Errorf("backup: %w", err)
	}
	_ = os.Remove(partial)
	info, err := os.Stat(target)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Restore puts the backup file into the data directory dir as database's
// store. dir must hold no store and nothing else (it is made if missing;
// the caller holds its lock, LockDataDir): a restore never replaces data.
// The file is checked first, copied next to its place, synced and renamed,
// and the directory is marked (MarkDataDir).
func Restore(ctx context.Context, file, dir, database string) error {
	if err := checkSQLite(ctx, file); err != nil {
		return fmt.Errorf("restore: %s is not a surveyd backup: %w", file, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restore: %w", err)
	}
	for _, e := range entries {
		if slices.Contains([]string{"LOCK", SocketName}, e.Name()) {
			continue
		}
		if inner, err := os.ReadDir(filepath.Join(dir, e.Name())); e.Name() == "sqlite" && err == nil && len(inner) == 0 {
			continue
		}
		return fmt.Errorf("restore: data_dir %s is not empty (it holds %q): restore into a new or empty directory", dir, e.Name())
	}
	dst := DatabaseFile(dir, database)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	partial := dst + ".partial"
	if err := copyFile(file, partial); err != nil {
		_ = os.Remove(partial)
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(partial, dst); err != nil {
		_ = os.Remove(partial)
		return fmt.Errorf("restore: %w", err)
	}
	return MarkDataDir(dir, database)
}

func openSQLite(file string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// checkSQLite says whether file is a sound SQLite database made by the
// embedded server (it has FerretDB's catalogue of collections).
func checkSQLite(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("quick_check: %s", result)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM _ferretdb_collections`).Scan(&n); err != nil {
		return fmt.Errorf("no collections catalogue: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
