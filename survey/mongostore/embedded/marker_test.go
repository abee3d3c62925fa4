package embedded

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDataDir: the start-up decisions over a data directory.
func TestCheckDataDir(t *testing.T) {
	write := func(t *testing.T, path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("missing directory: a first start", func(t *testing.T) {
		if err := CheckDataDir(filepath.Join(t.TempDir(), "new"), "db"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("only what a start leaves: a first start", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "LOCK"))
		if err := os.Mkdir(filepath.Join(dir, "sqlite"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := CheckDataDir(dir, "db"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a store from before markers", func(t *testing.T) {
		dir := t.TempDir()
		write(t, DatabaseFile(dir, "db"))
		if err := CheckDataDir(dir, "db"); err != nil {
			t.Fatal(err)
		}
		if err := MarkDataDir(dir, "db"); err != nil {
			t.Fatal(err)
		}
		if err := CheckDataDir(dir, "db"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("marker without the database file", func(t *testing.T) {
		dir := t.TempDir()
		write(t, DatabaseFile(dir, "db"))
		if err := MarkDataDir(dir, "db"); err != nil {
			t.Fatal(err)
		}
		if err := CheckDataDir(dir, "other"); err == nil || !strings.Contains(err.Error(), DatabaseFile(dir, "other")) {
			t.Fatalf("another database name: %v", err)
		}
		os.Remove(DatabaseFile(dir, "db"))
		if err := CheckDataDir(dir, "db"); err == nil || !strings.Contains(err.Error(), "missing") {
			t.Fatalf("files deleted: %v", err)
		}
		if err := CheckFiles(dir, "db")(context.Background()); err == nil {
			t.Fatal("CheckFiles passed with the file gone")
		}
	})
	t.Run("someone else's directory", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "etc", "passwd"))
		if err := CheckDataDir(dir, "db"); err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("foreign directory: %v", err)
		}
	})
}
