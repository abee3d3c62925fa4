package embedded_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// startServer starts a server in a fresh, short temporary directory (Unix
// socket paths are limited) and stops it when the test ends.
func startServer(t *testing.T) (*embedded.Server, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "sve")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	e, err := embedded.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Stop)
	return e, dir
}

func openStore(t *testing.T, uri, database string) *mongostore.Store {
	t.Helper()
	st, err := mongostore.Open(context.Background(), mongostore.Config{URI: uri, Database: database, Embedded: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func level(n int) *int { return &n }

// TestPersistence: data survives closing the store and restarting the
// server on the same data directory.
func TestPersistence(t *testing.T) {
	dir, err := os.MkdirTemp("", "svp")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	open := func() (*embedded.Server, *mongostore.Store) {
		t.Helper()
		e, err := embedded.New(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		return e, openStore(t, e.URI(), "p")
	}
	e, st := open()
	if _, err := st.UpdateResponse(ctx, "r1", "ABC", func(r *survey.Response) error {
		_, err := survey.Patch{"q-1": {Level: survey.Of(4), Comment: survey.Of("kept")}}.Apply(r, "t", time.Now().UTC())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_ = st.Close(ctx)
	e.Stop()

	e, st = open()
	defer e.Stop()
	defer st.Close(ctx)
	r, err := st.Response(ctx, "r1", "ABC")
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Answers["q-1"]; a == nil || *a.Level != 4 || a.Comment != "kept" || r.Version != 1 {
		t.Fatalf("after restart: %+v", r)
	}
}

// TestStartTwice: a running server refuses a second Start, and starts
// again after Stop.
func TestStartTwice(t *testing.T) {
	e, _ := startServer(t)
	if err := e.Start(); err == nil {
		t.Fatal("second Start succeeded")
	}
	e.Stop()
	e.Stop() // stopping a stopped server is harmless
	if err := e.Start(); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
}

// TestDeepDataDir: a data directory too deep for a Unix socket path still
// works: the socket goes into a short private directory named after the
// data directory, the same one on every start, and the store's files stay
// in the data directory (where IndexIDLookups finds them through the
// socket).
func TestDeepDataDir(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	dir := filepath.Join(t.TempDir(), strings.Repeat("deep-clone/", 12), "data")
	ctx := context.Background()
	for start := range 2 {
		e, err := embedded.New(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Socket()) > 100 || strings.HasPrefix(e.Socket(), dir) {
			t.Fatalf("socket %s: want a short path outside the data directory", e.Socket())
		}
		if err := e.Start(); err != nil {
			t.Fatal(err)
		}
		st := openStore(t, e.URI(), "deep")
		if start == 0 {
			if err := st.CreateDepartment(ctx, &survey.Department{Code: "ABC", NameEN: "A", NameZH: "甲", Active: true}); err != nil {
				t.Fatal(err)
			}
		} else if _, err := st.Department(ctx, "ABC"); err != nil {
			t.Fatalf("after a restart: %v", err)
		}
		if err := embedded.IndexIDLookups(ctx, st.Database(), e.URI(), mongostore.IDLookupCollections()...); err != nil {
			t.Fatalf("IndexIDLookups through the short socket: %v", err)
		}
		_ = st.Close(ctx)
		e.Stop()
	}
	if _, err := os.Stat(embedded.DatabaseFile(dir, "deep")); err != nil {
		t.Fatalf("the store's file is not in the data directory: %v", err)
	}
}

// TestSocketTooLongNamesPath: when even the short directory is too deep
// (a long temporary directory), the error names the absolute socket path.
func TestSocketTooLongNamesPath(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("r", 120))
	t.Setenv("XDG_RUNTIME_DIR", long)
	_, err := embedded.New(filepath.Join(long, "data"), nil)
	if err == nil || !strings.Contains(err.Error(), long+"/surveyd-") {
		t.Fatalf("New: %v, want an error naming the socket path under %s", err, long)
	}
}

// TestLockDataDir: a locked data directory cannot be locked again (by this
// or another process: flock locks belong to the open file) until released.
func TestLockDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	unlock, err := embedded.LockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := embedded.LockDataDir(dir); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second lock: %v, want in use", err)
	}
	unlock()
	again, err := embedded.LockDataDir(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}

// TestIDLookupsUseAnIndex: after IndexIDLookups on the store's collections,
// as surveyd runs it, the SQL the backend runs to find, replace or delete a
// document by _id searches an index instead of scanning (and parsing) every
// document of the collection.
func TestIDLookupsUseAnIndex(t *testing.T) {
	e, dir := startServer(t)
	ctx := context.Background()
	st := openStore(t, e.URI(), "ix")
	defer st.Close(ctx)
	if err := embedded.IndexIDLookups(ctx, st.Database(), e.URI(), mongostore.IDLookupCollections()...); err != nil {
		t.Fatal(err)
	}
	// Idempotent: a second run (the next start) changes nothing.
	if err := embedded.IndexIDLookups(ctx, st.Database(), e.URI(), mongostore.IDLookupCollections()...); err != nil {
		t.Fatalf("second run: %v", err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "sqlite", "ix.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, coll := range []string{"responses", "rounds", "round_questionnaires", "credentials", "sessions", "departments"} {
		var table string
		if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
			t.Fatalf("%s: %v", coll, err)
		}
		for _, stmt := range []string{
			`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`,
			`UPDATE %q SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`,
		} {
			args := make([]any, strings.Count(stmt, "?"))
			for i := range args {
				args[i] = `"x"`
			}
			rows, err := db.Query("EXPLAIN QUERY PLAN "+strings.Replace(stmt, "%q", `"`+table+`"`, 1), args...)
			if err != nil {
				t.Fatalf("%s: %v", coll, err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			if p := strings.Join(plan, "; "); !strings.Contains(p, "USING INDEX") {
				t.Errorf("%s: %s: plan %q, want an index search", coll, stmt, p)
			}
		}
	}
}

// TestIndexIDLookupsRefusesOtherStores: on a URI that is not an embedded
// server's socket, IndexIDLookups says so and touches nothing.
func TestIndexIDLookupsRefusesOtherStores(t *testing.T) {
	e, _ := startServer(t)
	ctx := context.Background()
	st := openStore(t, e.URI(), "other")
	defer st.Close(ctx)
	err := embedded.IndexIDLookups(ctx, st.Database(), "mongodb://localhost:27017/", "responses")
	if err == nil || !strings.Contains(err.Error(), "not the embedded store's socket") {
		t.Fatalf("IndexIDLookups: %v, want a refusal", err)
	}
	names, err := st.Database().ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == "responses" {
			t.Fatal("created a collection on a refused URI")
		}
	}
}
