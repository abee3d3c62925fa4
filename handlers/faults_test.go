package handlers_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// storeTimeout is the configured bound of every store operation in the
// fault tests.
const storeTimeout = time.Second

// faultHarness is a handlers.Server over its own embedded store, which the
// test can stop and start again on the same socket.
type faultHarness struct {
	*harness
	emb *embedded.Server
	dir string
}

func newFaultHarness(t *testing.T) *faultHarness {
	t.Helper()
	if os.Getenv("SURVEY_TEST_MONGODB_URI") != "" {
		t.Skip("store faults are injected by stopping the embedded store")
	}
	dir, err := os.MkdirTemp("", "svf") // short: Unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return faultHarnessIn(t, dir)
}

// faultHarnessIn is a fault harness whose embedded store keeps its files in
// dir (a small tmpfs, for the disk-full test).
func faultHarnessIn(t *testing.T, dir string) *faultHarness {
	t.Helper()
	if os.Getenv("SURVEY_TEST_MONGODB_URI") != "" {
		t.Skip("store faults are injected by stopping the embedded store")
	}
	emb, err := embedded.New(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := emb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Stop)
	st := openStore(t, emb.URI())
	q := loadSmall(t)
	cfg := handlersConfig{Config: assess.Config{Questionnaires: []*survey.Questionnaire{q}, FailedAuthPerMinute: 1000, Now: newTestClock(defaultTestNow).Now,
		Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}}
	cfg.HTTP.Logger = cfg.Logger
	h := &harness{t: t, store: st, q: q, config: cfg, srv: newServer(st, cfg)}
	cred, token, err := survey.NewCredential(survey.RoleAdmin, "", "fault admin", time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCredential(context.Background(), cred); err != nil {
		t.Fatal(err)
	}
	h.admin = token
	return &faultHarness{harness: h, emb: emb, dir: dir}
}

// testLogWriter sends the server's warnings and errors to the test log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func openStore(t *testing.T, uri string) *mongostore.Store {
	t.Helper()
	st, err := mongostore.Open(context.Background(), mongostore.Config{
		URI: uri, Database: "faults", Timeout: storeTimeout, Embedded: true,
	})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
	})
	return st
}

// checkUnavailable asserts a 503 that says only that the store is
// unavailable: no driver error, address or path.
func checkUnavailable(t *testing.T, what string, rec *httptest.ResponseRecorder, leaks ...string) {
	t.Helper()
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s: status %d, want 503: %.300s", what, rec.Code, rec.Body.String())
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		return // a page: the error page in the user's language
	}
	body := checkJSONError(t, rec)
	if body.Error.Code != survey.EUNAVAILABLE || body.Error.Message != survey.ErrUnavailable.Message || len(body.Error.Fields) != 0 {
		t.Fatalf("%s: error %+v", what, body.Error)
	}
	for _, leak := range append(leaks, "mongo", "socket", "dial", "connection", "timeout", "sqlite", "ferret") {
		if strings.Contains(strings.ToLower(rec.Body.String()), strings.ToLower(leak)) {
			t.Fatalf("%s: the 503 shows internals (%q): %s", what, leak, rec.Body.String())
		}
	}
}

// settleGoroutines waits (bounded) for the goroutine count to come down to
// at most limit and returns the last count.
func settleGoroutines(limit int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); n > limit && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(50 * time.Millisecond)
	}
	return n
}

// TestStoreStoppedAndRestarted: with the embedded store stopped mid-run,
// every kind of request answers 503 (JSON for the API, a page for pages)
// within the store timeout, /readyz says 503, an unknown token is not
// mistaken for a bad one, nothing panics; started again on the same socket,
// the same server and store serve requests again without a restart; every
// write acknowledged before the fault is there; and the goroutines the
// outage started are gone.
func TestStoreStoppedAndRestarted(t *testing.T) {
	h := newFaultHarness(t)
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "small", true)
	base := "/api/v1/rounds/r1/responses/ABC"
	acknowledged := map[string]int{}
	for i, id := range []string{"cs-iam-1", "cs-iam-2", "cs-cloud-2", "ds-gov-1"} {
		h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{id: map[string]any{"level": i + 1, "comment": "before the fault"}}})
		acknowledged[id] = i + 1
	}
	session := h.callerWith("respondent", resp)
	if rec := h.send("GET", "/rounds/r1/responses/ABC", session, nil); rec.Code != http.StatusOK {
		t.Fatalf("page before the fault: %d", rec.Code)
	}
	h.must(http.StatusOK, "GET", "/readyz", "", nil)
	baseline := runtime.NumGoroutine()

	h.emb.Stop()

	unknown := "never-issued-" + strings.Repeat("u", 30)
	requests := []struct {
		name                string
		method, path, token string
		body                any
	}{
		{"readiness", "GET", "/readyz", "", nil},
		{"read a response", "GET", base, resp, nil},
		{"answer", "PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-2": map[string]any{"level": 5}}}},
		{"submit", "POST", base + "/submit", resp, nil},
		{"create a department", "POST", "/api/v1/departments", h.admin, map[string]any{"code": "NEW", "name_en": "n", "name_zh": "n", "bureau": "b"}},
		{"list rounds", "GET", "/api/v1/rounds", h.admin, nil},
		{"scores", "GET", "/api/v1/rounds/r1/departments/ABC/scores", resp, nil},
		{"audit", "GET", "/api/v1/audit", h.admin, nil},
		{"a token the cache has not seen", "GET", "/api/v1/rounds", unknown, nil},
	}
	// The requests run side by side (each may wait up to the store
	// timeout), then each result is checked.
	type outcome struct {
		rec *httptest.ResponseRecorder
		d   time.Duration
	}
	results := make([]outcome, len(requests)+1)
	concurrent := make([]outcome, 40)
	var wg sync.WaitGroup
	run := func(dst *outcome, f func() *httptest.ResponseRecorder) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			dst.rec = f()
			dst.d = time.Since(start)
		}()
	}
	for i, tc := range requests {
		run(&results[i], func() *httptest.ResponseRecorder { return h.request(tc.method, tc.path, tc.token, tc.body) })
	}
	run(&results[len(requests)], func() *httptest.ResponseRecorder { return h.send("GET", "/rounds/r1/responses/ABC", session, nil) })
	for i := range concurrent {
		run(&concurrent[i], func() *httptest.ResponseRecorder {
			return h.request("PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-2": map[string]any{"level": i % 6}}})
		})
	}
	wg.Wait()
	var slowest time.Duration
	for _, o := range append(results, concurrent...) {
		slowest = max(slowest, o.d)
	}
	for i, tc := range requests {
		t.Run("down: "+tc.name, func(t *testing.T) { checkUnavailable(t, tc.method+" "+tc.path, results[i].rec, h.dir) })
	}
	t.Run("down: a page", func(t *testing.T) { checkUnavailable(t, "page", results[len(requests)].rec, h.dir) })
	t.Run("down: 40 writers at once", func(t *testing.T) {
		for _, o := range concurrent {
			checkUnavailable(t, "concurrent PATCH", o.rec, h.dir)
		}
	})
	// Timings are not asserted tightly; only that nothing waits far beyond
	// the configured bound.
	if limit := 5*storeTimeout + 2*time.Second; slowest > limit {
		t.Errorf("the slowest request during the outage took %v, more than %v", slowest, limit)
	}
	t.Logf("slowest request during the outage: %v (store timeout %v)", slowest, storeTimeout)

	if err := h.emb.Start(); err != nil {
		t.Fatal(err)
	}
	recovered := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if h.request("GET", "/readyz", "", nil).Code == http.StatusOK {
			recovered = true
			break
		}
	}
	if !recovered {
		t.Fatal("the service did not recover after the store came back")
	}
	got := h.must(http.StatusOK, "GET", base, resp, nil)
	answers := got["answers"].(map[string]any)
	for id, level := range acknowledged {
		a, ok := answers[id].(map[string]any)
		if !ok || a["level"] != float64(level) || a["comment"] != "before the fault" {
			t.Errorf("acknowledged answer %s lost: %v", id, answers[id])
		}
	}
	if _, ok := answers["ds-gov-2"]; ok || got["version"] != float64(len(acknowledged)) {
		t.Errorf("a write that failed with 503 was applied: version %v, %v", got["version"], answers["ds-gov-2"])
	}
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-2": map[string]any{"level": 5}}})
	h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin, map[string]any{"code": "NEW", "name_en": "n", "name_zh": "n", "bureau": "b"})
	h.must(http.StatusUnauthorized, "GET", "/api/v1/rounds", unknown, nil)
	if rec := h.send("GET", "/rounds/r1/responses/ABC", session, nil); rec.Code != http.StatusOK {
		t.Fatalf("page after recovery: %d", rec.Code)
	}

	// The outage's goroutines (waiting requests, driver retries) are gone.
	const tolerance = 15
	if n := settleGoroutines(baseline + tolerance); n > baseline+tolerance {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after recovery, %d before the fault:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
}

// TestStoreRefusing: a store address where nothing listens (the socket
// path of a store that has gone away, directory and all) gives 503 JSON
// within the timeout for API calls and /readyz, and a 503 page for pages;
// no panic, no goroutine pile-up. Opening a store on such an address fails
// at once with "unavailable" (Open prepares indexes), which is what stops
// surveyd starting without its store.
func TestStoreRefusing(t *testing.T) {
	h := newFaultHarness(t)
	h.must(http.StatusOK, "GET", "/api/v1/rounds", h.admin, nil)
	session := h.callerWith("admin", h.admin)
	baseline := runtime.NumGoroutine()
	h.emb.Stop()
	if err := os.RemoveAll(h.dir); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/readyz", "/api/v1/rounds", "/api/v1/departments", "/admin/rounds"}
	recs := make([]*httptest.ResponseRecorder, len(paths))
	took := make([]time.Duration, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			recs[i] = h.send("GET", path, caller{token: h.admin, cookie: session.cookie}, nil)
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	for i, path := range paths {
		t.Run(path, func(t *testing.T) {
			if took[i] > 5*storeTimeout+2*time.Second {
				t.Errorf("took %v", took[i])
			}
			checkUnavailable(t, path, recs[i], h.dir)
		})
	}
	t.Run("open", func(t *testing.T) {
		uri := "mongodb://" + url.PathEscape(filepath.Join(h.dir, embedded.SocketName)) + "/"
		st, err := mongostore.Open(context.Background(), mongostore.Config{URI: uri, Database: "refused", Timeout: storeTimeout, Embedded: true})
		if err == nil {
			_ = st.Close(context.Background())
			t.Fatal("Open succeeded on an address where nothing listens")
		}
		if !errors.Is(err, survey.ErrUnavailable) {
			t.Fatalf("Open: %v, want unavailable", err)
		}
	})
	if n := settleGoroutines(baseline + 15); n > baseline+15 {
		t.Errorf("%d goroutines, %d before", n, baseline)
	}
}
