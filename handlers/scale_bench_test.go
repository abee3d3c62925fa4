package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// Benchmarks of the round-wide reads at the size of a government, through
// the engine on the embedded store: a department's report (which carries
// the government figures), the round status page's data, and the
// consolidated workbook. Sizes come from the environment so that CI's
// -benchtime=1x stays quick:
//
//	SURVEY_BENCH_DEPTS=1000 SURVEY_BENCH_PAST=3 go test -run '^$' -bench Scale -benchtime 5x ./handlers
//
// SURVEY_BENCH_DEPTS departments submit in round 2026, and again in each of
// SURVEY_BENCH_PAST earlier rounds. Measure peak memory of one size with
// /usr/bin/time -v on the test binary.

func benchSize(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: want a count", name, v)
	}
	return n
}

// scaleEnv is a bench environment with depts submitted departments in
// round 2026 and in past earlier rounds.
func scaleEnv(b *testing.B) (*benchEnv, int) {
	b.Helper()
	depts := benchSize(b, "SURVEY_BENCH_DEPTS", 20)
	past := benchSize(b, "SURVEY_BENCH_PAST", 1)
	e := newBenchEnv(b)
	start := time.Now()
	e.submitMany(depts)
	for i := range past {
		round := fmt.Sprintf("%d", 2025-i)
		e.call(http.StatusCreated, "POST", "/api/v1/rounds", e.admin, map[string]any{
			"id": round, "title_en": round + " assessment", "title_zh": round + "年度評估", "questionnaire": e.q.ID,
			"opens_at": "2025-01-05T09:00:00+08:00", "closes_at": "2099-03-31T18:00:00+08:00"})
		e.submitRound(round, depts)
	}
	b.Logf("set-up: %d departments in round 2026 and %d past rounds, %s", depts, past, time.Since(start).Round(time.Millisecond))
	return e, depts
}

// submitRound stores complete, submitted responses of the first n
// departments of submitMany in round, directly through the store.
func (e *benchEnv) submitRound(round string, n int) {
	e.b.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ids := e.q.QuestionIDs()
	for i := range n {
		code := fmt.Sprintf("D%05d", i)
		patch := survey.Patch{}
		for j, id := range ids {
			patch[id] = &survey.AnswerInput{Level: survey.Of((i + j + 1) % (survey.MaxLevel + 1)), Comment: survey.Of(benchComment(j))}
		}
		_, err := e.store.UpdateResponse(ctx, round, code, func(r *survey.Response) error {
			if _, err := patch.Apply(r, "respondent:"+code, now); err != nil {
				return err
			}
			s := survey.Score(e.q, r, survey.Targets{})
			r.Snapshot, r.Status, r.SubmittedAt, r.SubmittedBy = &s, survey.StatusSubmitted, &now, "respondent:"+code
			r.Answered = r.CountAnswered(e.q)
			return nil
		})
		if err != nil {
			e.b.Fatal(err)
		}
	}
}

// timed sends one request and fails unless it answers 200; it returns the
// body's size.
func (e *benchEnv) timed(path string) int {
	e.b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+e.admin)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		e.b.Fatalf("GET %s: status %d: %.300s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.Len()
}

// BenchmarkScaleDepartmentReport downloads one department's workbook
// (with the government figures) as the admin.
func BenchmarkScaleDepartmentReport(b *testing.B) {
	e, _ := scaleEnv(b)
	path := "/api/v1/rounds/2026/departments/D00000/report.xlsx"
	first := time.Now()
	e.timed(path) // the first after the submissions fills the caches
	b.Logf("first report: %s", time.Since(first).Round(time.Millisecond))
	for b.Loop() {
		e.timed(path)
	}
}

// BenchmarkScaleRoundStatus reads the round status (every department's
// progress) as the admin.
func BenchmarkScaleRoundStatus(b *testing.B) {
	e, _ := scaleEnv(b)
	for b.Loop() {
		e.timed("/api/v1/rounds/2026/status")
	}
}

// BenchmarkScaleConsolidated downloads the government-wide workbook:
// from the server that wrote the responses (some of them still in its
// cache of documents written), and from a server just started on the same
// store (nothing cached; its index of summaries loaded).
func BenchmarkScaleConsolidated(b *testing.B) {
	e, _ := scaleEnv(b)
	download := func(b *testing.B) {
		var size int
		for b.Loop() {
			size = e.timed("/api/v1/rounds/2026/report.xlsx")
		}
		b.ReportMetric(float64(size), "bytes")
	}
	b.Run("writer", download)
	written, ok := e.store.(*mongostore.Store)
	if !ok {
		return
	}
	cfg := mongostore.Config{URI: storeServer.URI, Database: written.Database().Name(), Embedded: storeServer.Embedded != nil, Timeout: 10 * time.Second}
	restarted, err := mongostore.Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer restarted.Close(context.Background())
	start := time.Now()
	for cfg.Embedded && !restarted.Indexed() {
		if time.Since(start) > 5*time.Minute {
			b.Fatal("the index of response summaries never loaded")
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Logf("restarted store: summaries indexed in %s", time.Since(start).Round(time.Millisecond))
	e.srv = newServer(restarted, e.cfg)
	b.Run("restarted", download)
}
