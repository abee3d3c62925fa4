package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey/mongostore"
)

// adminToken is the admin token a first start printed.
func (s *started) adminToken(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no admin token printed:\n%s", s.stdout.String())
	}
	return m[1]
}

// createDepartment creates a department through the API; it reports
// whether the write was acknowledged (201).
func createDepartment(client *http.Client, base, token, code string) bool {
	body, _ := json.Marshal(map[string]any{"code": code, "name_en": "Department " + code, "name_zh": code + "署", "bureau": "Bureau"})
	req, err := http.NewRequest("POST", base+"/api/v1/departments", bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusCreated
}

// departmentCodes lists the departments of the store under cfgEnv's data
// directory (surveyd must not be running there).
func departmentCodes(t *testing.T, env map[string]string) map[string]bool {
	t.Helper()
	cfg, err := loadConfig("", false, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	store, closeStore, err := openStore(context.Background(), cfg, newLogger(cfg, &syncBuffer{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	return codesOf(t, store)
}

func codesOf(t *testing.T, store *mongostore.Store) map[string]bool {
	t.Helper()
	list, err := store.Departments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, d := range list {
		codes[d.Code] = true
	}
	return codes
}

// maintain runs one maintenance command of surveyd on env.
func maintain(env map[string]string, args ...string) (string, error) {
	out := &syncBuffer{}
	err := run(context.Background(), args, out, &syncBuffer{}, func(k string) string { return env[k] })
	return out.String(), err
}

// TestBackupUnderWriteLoadRestores: a backup taken while writers keep
// creating departments through the API holds every write acknowledged
// before the backup began; restored into a fresh data directory it serves
// them. A backup never overwrites a file, and a restore never goes into a
// directory that holds a store.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	env := testEnv(t)
	s := start(t, env)
	token := s.adminToken(t)
	client := &http.Client{Timeout: 30 * time.Second}

	var mu sync.Mutex
	var acked []string // in the order acknowledged
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code := fmt.Sprintf("W%d-%04d", w, i)
				if createDepartment(client, s.url, token, code) {
					mu.Lock()
					acked = append(acked, code)
					mu.Unlock()
				}
			}
		}()
	}
	for len(snapshotOf(&mu, &acked)) < 40 {
		time.Sleep(10 * time.Millisecond)
	}
	before := snapshotOf(&mu, &acked)
	file := filepath.Join(t.TempDir(), "backup.sqlite")
	if out, err := maintain(env, "-backup", file); err != nil || !strings.Contains(out, "backup: wrote") {
		t.Fatalf("-backup under load: %v\n%s", err, out)
	}
	time.Sleep(50 * time.Millisecond) // writes go on after the backup
	close(stop)
	wg.Wait()
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	after := snapshotOf(&mu, &acked)
	if len(after) <= len(before) {
		t.Fatalf("no write was acknowledged during and after the backup (%d, then %d)", len(before), len(after))
	}
	if _, err := maintain(env, "-backup", file); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("-backup onto an existing file: %v, want a refusal", err)
	}
	if _, err := maintain(env, "-restore", file); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("-restore into the live store's directory: %v, want a refusal", err)
	}

	fresh := testEnv(t)
	out, err := maintain(fresh, "-restore", file)
	if err != nil || !strings.Contains(out, "departments") {
		t.Fatalf("-restore: %v\n%s", err, out)
	}
	restored := departmentCodes(t, fresh)
	for _, code := range before {
		if !restored[code] {
			t.Errorf("department %s, acknowledged before the backup, is not in it", code)
		}
	}
	t.Logf("%d writes acknowledged before the backup, %d in all, %d restored", len(before), len(after), len(restored))
	r := start(t, fresh)
	defer r.stop()
	if strings.Contains(r.stdout.String(), "admin token:") {
		t.Fatal("the restored store has no admin: a new token was printed")
	}
}

func snapshotOf(mu *sync.Mutex, list *[]string) []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), (*list)...)
}

// TestCopyToAnotherProcess: -copy-to copies a running surveyd's store into
// another store served by a separate process (surveyd -serve-store), which
// then holds the same departments; a second copy is refused, the target
// being no longer empty.
func TestCopyToAnotherProcess(t *testing.T) {
	bin := buildSurveyd(t)
	targetDir, err := os.MkdirTemp("", "svt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(targetDir) })
	cmd := exec.Command(bin, "-serve-store", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "SURVEY_DATA_DIR="+targetDir, "SURVEY_MONGODB_URI=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	uris := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if uri, ok := strings.CutPrefix(sc.Text(), "store: "); ok {
				uris <- uri
			}
		}
	}()
	var target string
	select {
	case target = <-uris:
	case <-time.After(60 * time.Second):
		t.Fatalf("-serve-store did not start:\n%s", stderr.String())
	}

	env := testEnv(t)
	s := start(t, env)
	defer s.stop()
	token := s.adminToken(t)
	client := &http.Client{Timeout: 30 * time.Second}
	for i := range 25 {
		if !createDepartment(client, s.url, token, fmt.Sprintf("C%03d", i)) {
			t.Fatal("creating a department failed")
		}
	}
	out, err := maintain(env, "-copy-to", target)
	if err != nil || !strings.Contains(out, "departments 25") {
		t.Fatalf("-copy-to: %v\n%s", err, out)
	}
	st, err := mongostore.Open(context.Background(), mongostore.Config{URI: target, Database: "dgsurvey", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	got := codesOf(t, st)
	for i := range 25 {
		if code := fmt.Sprintf("C%03d", i); !got[code] {
			t.Errorf("department %s not copied", code)
		}
	}
	if has, err := st.HasActiveAdmin(context.Background()); err != nil || !has {
		t.Fatalf("the copy has no admin credential: %v %v", has, err)
	}
	if _, err := maintain(env, "-copy-to", target); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second -copy-to: %v, want a refusal", err)
	}
}
