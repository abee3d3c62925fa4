package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// started runs surveyd until the test stops it, returning its base URL.
type started struct {
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	stop   func() error
}

func start(t *testing.T, env map[string]string, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() { done <- run(ctx, args, out, errOut, getenv) }()
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			s := &started{url: m[1], stdout: out, stderr: errOut}
			s.stop = func() error { cancel(); return <-done }
			return s
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("surveyd exited early: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("surveyd did not start:\n%s", out.String())
	return nil
}

func testEnv(t *testing.T) map[string]string {
	t.Helper()
	dir, err := os.MkdirTemp("", "svd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return map[string]string{"SURVEY_LISTEN": "127.0.0.1:0", "SURVEY_DATA_DIR": dir, "SURVEY_METRICS_LISTEN": "127.0.0.1:0"}
}

func TestFirstStartPrintsAdminTokenOnce(t *testing.T) {
	env := testEnv(t)
	s := start(t, env, "-config", "../../config.yaml")
	token := regexp.MustCompile(`admin token: (\S+)`).FindStringSubmatch(s.stdout.String())
	if token == nil || len(token[1]) != 43 {
		t.Fatalf("no admin token on first start:\n%s", s.stdout.String())
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/questionnaires", nil)
	req.Header.Set("Authorization", "Bearer "+token[1])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the printed token does not work: %v %v", res, err)
	}
	res.Body.Close()

	// While it runs, nobody else may open its data directory.
	if err := run(context.Background(), []string{"-new-admin-token"}, &syncBuffer{}, &syncBuffer{}, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("-new-admin-token while running: %v", err)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	// Restart: data kept, no new token printed.
	s = start(t, env)
	if strings.Contains(s.stdout.String(), "admin token") {
		t.Fatalf("second start printed a token:\n%s", s.stdout.String())
	}
	req, _ = http.NewRequest("GET", s.url+"/api/v1/questionnaires", nil)
	req.Header.Set("Authorization", "Bearer "+token[1])
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("token lost across restart: %v %v", res, err)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	// Recovery of a lost admin.
	out := &syncBuffer{}
	if err := run(context.Background(), []string{"-new-admin-token"}, out, &syncBuffer{}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^admin token: \S{43}\n1 other admin credential\(s\) stay valid \(\S+\); revoke them with -new-admin-token -revoke-other-admins.*\n$`).MatchString(out.String()) {
		t.Fatalf("-new-admin-token printed %q", out.String())
	}
}

func TestBadConfigNamesTheKey(t *testing.T) {
	tests := []struct {
		name, file, key string
	}{
		{"bad listen", "listen: nonsense\n", "listen"},
		{"bad timeout", "mongodb:\n  timeout: -1s\n", "mongodb.timeout"},
		{"bad target", "scoring:\n  target_level: 9\n", "scoring.target_level"},
		{"unknown key", "colour: blue\n", "colour"},
		{"bad zone", "timezone: Mars/Olympus\n", "timezone"},
		{"bad metrics address", "metrics:\n  listen: nonsense\n", "metrics.listen"},
		{"metrics on the main listener", "listen: 127.0.0.1:8080\nmetrics:\n  listen: 127.0.0.1:8080\n", "metrics.listen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := t.TempDir() + "/c.yaml"
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(path, true, func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("error %v does not name %s", err, tc.key)
			}
		})
	}
	if _, err := loadConfig("/nonexistent/config.yaml", true, func(string) string { return "" }); err == nil {
		t.Fatal("an explicit missing config file must be an error")
	}
}
