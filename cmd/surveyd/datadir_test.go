package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func removeDatabaseFiles(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "sqlite", "*.sqlite*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no database files under %s: %v", dir, err)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
}

// runBriefly runs surveyd with env for at most a few seconds: a start that
// should be refused but is not serves until then and returns nil.
func runBriefly(stdout *syncBuffer, env map[string]string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return run(ctx, nil, stdout, &syncBuffer{}, func(k string) string { return env[k] })
}

// TestStartRefusesLostDatabaseFiles: a data directory that held a store
// but whose database files are gone is refused at start-up, naming the
// path, instead of silently becoming a new, empty store with a new admin
// token.
func TestStartRefusesLostDatabaseFiles(t *testing.T) {
	env := testEnv(t)
	s := start(t, env)
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	dir := env["SURVEY_DATA_DIR"]
	removeDatabaseFiles(t, dir)
	out := &syncBuffer{}
	err := runBriefly(out, env)
	if err == nil {
		t.Fatalf("surveyd started over a store whose files are gone:\n%s", out.String())
	}
	want := filepath.Join(dir, "sqlite", "dgsurvey.sqlite")
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("the refusal does not name the missing file %s: %v", want, err)
	}
	if strings.Contains(out.String(), "admin token") {
		t.Fatalf("a new admin token was printed:\n%s", out.String())
	}
	if _, err := os.Stat(want); err == nil {
		t.Fatal("a new database file was created")
	}
}

// TestStartRefusesForeignDirectory: a data_dir that names some other,
// non-empty directory (a typo) is refused rather than filled with a store.
func TestStartRefusesForeignDirectory(t *testing.T) {
	env := testEnv(t)
	if err := os.WriteFile(filepath.Join(env["SURVEY_DATA_DIR"], "notes.txt"), []byte("not a store"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := runBriefly(&syncBuffer{}, env)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), env["SURVEY_DATA_DIR"]) {
		t.Fatalf("start in a foreign non-empty directory: %v", err)
	}
}

// TestReadyzWhenFilesVanish: a running server whose database files are
// deleted turns /readyz to 503 and refuses writes (which would go into the
// unlinked file and be lost) with 503.
func TestReadyzWhenFilesVanish(t *testing.T) {
	env := testEnv(t)
	s := start(t, env)
	defer s.stop()
	token := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(s.stdout.String())[1]
	get := func(path string) int {
		res, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz %d before", code)
	}
	removeDatabaseFiles(t, env["SURVEY_DATA_DIR"])
	if code := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz %d with the database files gone, want 503", code)
	}
	req, _ := http.NewRequest("POST", s.url+"/api/v1/departments", strings.NewReader(`{"code":"ABC","name_en":"A","name_zh":"甲","bureau":"B"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a write with the database files gone: %d, want 503", res.StatusCode)
	}
}
