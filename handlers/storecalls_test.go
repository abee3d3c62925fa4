package handlers_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// commandCounter counts store commands by name while it is on.
type commandCounter struct {
	mu     sync.Mutex
	on     bool
	counts map[string]int
}

func (c *commandCounter) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.on {
		c.counts[name]++
	}
}

// during returns the commands run by f, by name.
func (c *commandCounter) during(f func()) map[string]int {
	c.mu.Lock()
	c.on, c.counts = true, map[string]int{}
	c.mu.Unlock()
	f()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.on = false
	return c.counts
}

// storeCallsFixture is a server over a store whose commands are counted,
// with n departments that each submitted a response in round 2026 and in
// the previous round 2025 (so the topic ranking reads a previous round too).
type storeCallsFixture struct {
	srv     *handlers.Server
	admin   string
	counter *commandCounter
}

func newStoreCallsFixture(t *testing.T, n int) *storeCallsFixture {
	t.Helper()
	ctx := context.Background()
	counter := &commandCounter{}
	cfg := storeServer.Config(t)
	cfg.CountCommand = counter.count
	st, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Database().Drop(ctx)
		_ = st.Close(ctx)
	})
	q := loadSmall(t)
	// A long credential cache keeps the counts free of look-ups that depend
	// on how long the set-up took.
	srv := newServer(st, handlersConfig{Config: assess.Config{Questionnaires: []*survey.Questionnaire{q}, CredentialCacheTTL: time.Hour, Now: newTestClock(defaultTestNow).Now}})
	now := time.Now().UTC().Truncate(time.Millisecond)
	cred, admin, err := survey.NewCredential(survey.RoleAdmin, "", "admin", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCredential(ctx, cred); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		id            string
		opens, closes time.Time
		state         string
	}{
		{"2025", time.Date(2025, 1, 6, 1, 0, 0, 0, time.UTC), time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC), survey.RoundClosed},
		{"2026", time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC), survey.RoundOpen},
	} {
		round := &survey.Round{ID: r.id, Title: survey.Text{EN: r.id, ZH: r.id}, QuestionnaireID: q.ID, QuestionnaireVersion: q.Version,
			OpensAt: r.opens, ClosesAt: r.closes, State: r.state, CreatedAt: now, UpdatedAt: now}
		if err := st.CreateRound(ctx, round, q); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		code := fmt.Sprintf("D%03d", i)
		if err := st.CreateDepartment(ctx, &survey.Department{Code: code, NameEN: code, NameZH: code,
			Bureau: fmt.Sprintf("B%d", i%3), Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		for _, round := range []string{"2025", "2026"} {
			submitDirectly(t, st, q, round, code, i, now)
		}
	}
	return &storeCallsFixture{srv: srv, admin: admin, counter: counter}
}

// submitDirectly stores a complete, submitted response with its snapshot.
func submitDirectly(t *testing.T, st *mongostore.Store, q *survey.Questionnaire, round, dept string, seed int, now time.Time) {
	t.Helper()
	patch := survey.Patch{}
	for j, id := range q.QuestionIDs() {
		level := (seed + j) % (survey.MaxLevel + 1)
		patch[id] = &survey.AnswerInput{Level: survey.Of(level), Comment: survey.Of("comment " + id)}
	}
	_, err := st.UpdateResponse(context.Background(), round, dept, func(r *survey.Response) error {
		if _, err := patch.Apply(r, "respondent", now); err != nil {
			return err
		}
		snapshot := survey.Score(q, r, survey.Targets{})
		r.Snapshot, r.Status, r.SubmittedAt, r.SubmittedBy = &snapshot, survey.StatusSubmitted, &now, "respondent"
		r.Answered = r.CountAnswered(q)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *storeCallsFixture) get(t *testing.T, path string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, rec.Code, rec.Body.String())
	}
}

// TestNoNPlusOneQueries: the round status, the topic ranking and the
// consolidated workbook make the same store commands for 5 departments as
// for 50 — a fixed number of reads, each department's data coming from one
// cursor, never a read per department.
func TestNoNPlusOneQueries(t *testing.T) {
	paths := []string{
		"/api/v1/rounds/2026/status",
		"/api/v1/rounds/2026/topics",
		"/api/v1/rounds/2026/topics?bureau=B1",
		"/api/v1/rounds/2026/scores",
		"/api/v1/rounds/2026/report.xlsx",
	}
	sizes := []int{5, 50}
	counts := map[int]map[string]map[string]int{}
	for _, n := range sizes {
		f := newStoreCallsFixture(t, n)
		f.get(t, "/api/v1/rounds") // credential look-up, before counting
		counts[n] = map[string]map[string]int{}
		for _, path := range paths {
			counts[n][path] = f.counter.during(func() { f.get(t, path) })
		}
	}
	for _, path := range paths {
		small, large := counts[sizes[0]][path], counts[sizes[1]][path]
		t.Logf("%s: %s", path, formatCounts(large))
		if !maps.Equal(small, large) {
			t.Errorf("%s: store commands grow with departments: %d departments %s, %d departments %s",
				path, sizes[0], formatCounts(small), sizes[1], formatCounts(large))
		}
		if total(large) == 0 {
			t.Errorf("%s: no store commands counted; is the counter wired?", path)
		}
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func formatCounts(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// TestAutosaveStoreCalls: an autosave costs at most two store writes (the
// response and its audit event) and no credential read once the credential
// is cached.
func TestAutosaveStoreCalls(t *testing.T) {
	f := newStoreCallsFixture(t, 1)
	create := httptest.NewRequest("POST", "/api/v1/departments", strings.NewReader(`{"code":"NEW","name_en":"n","name_zh":"n","bureau":"b"}`))
	create.Header.Set("Content-Type", "application/json")
	create.Header.Set("Authorization", "Bearer "+f.admin)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, create)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create department: %d %s", rec.Code, rec.Body.String())
	}
	patch := func(level int) {
		t.Helper()
		req := httptest.NewRequest("PATCH", "/api/v1/rounds/2026/responses/NEW",
			strings.NewReader(fmt.Sprintf(`{"answers":{"cs-iam-1":{"level":%d}}}`, level)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.admin)
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("PATCH: %d %s", rec.Code, rec.Body.String())
		}
	}
	patch(1) // creates the response document
	counts := f.counter.during(func() { patch(2) })
	t.Logf("one autosave: %s", formatCounts(counts))
	if writes := counts["insert"] + counts["update"] + counts["delete"]; writes == 0 || writes > 2 {
		t.Fatalf("an autosave made %d store writes (%s), want 1-2", writes, formatCounts(counts))
	}
	if counts["find"] > 3 {
		t.Fatalf("an autosave made %d reads (%s): round, department (admin only) and at most the response", counts["find"], formatCounts(counts))
	}
}
