package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// Benchmarks of the respondent's requests through the real engine on the
// real (embedded) store, with the built-in 60-question bank fully answered:
// the questionnaire page (one domain of the form), the response as JSON,
// and one autosave. Run with
//
//	go test -run '^$' -bench . ./handlers
//
// CI runs them once each (-benchtime=1x) so they keep working. They measure
// one request at a time; cmd/surveyload measures concurrency.

// benchEnv is one department's fully answered response in an open round.
type benchEnv struct {
	b          *testing.B
	srv        *handlers.Server
	store      assess.Store
	cfg        handlersConfig
	q          *survey.Questionnaire
	respondent string
	admin      string
	base       string // /rounds/2026/responses/ABC
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		b.Fatal(err)
	}
	var q *survey.Questionnaire
	for _, bq := range bank {
		if bq.ID == "dg-capability" && (q == nil || bq.Version > q.Version) {
			q = bq // the latest, as a round created without a version uses
		}
	}
	st := storeServer.NewStore(b)
	e := &benchEnv{b: b, q: q, base: "/rounds/2026/responses/ABC", store: st, cfg: handlersConfig{Config: assess.Config{Questionnaires: bank, Now: newTestClock(defaultTestNow).Now}}}
	e.srv = newServer(st, e.cfg)
	now := time.Now().UTC().Truncate(time.Millisecond)
	cred, admin, err := survey.NewCredential(survey.RoleAdmin, "", "admin", now)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.CreateCredential(context.Background(), cred); err != nil {
		b.Fatal(err)
	}
	e.admin = admin
	e.call(http.StatusCreated, "POST", "/api/v1/departments", admin,
		map[string]any{"code": "ABC", "name_en": "Alphabet Department", "name_zh": "字母署", "bureau": "Innovation Bureau"})
	var issued struct {
		Token string `json:"token"`
	}
	out := e.call(http.StatusCreated, "POST", "/api/v1/credentials", admin, map[string]any{"role": "respondent", "department": "ABC"})
	if err := json.Unmarshal(out, &issued); err != nil {
		b.Fatal(err)
	}
	e.respondent = issued.Token
	e.call(http.StatusCreated, "POST", "/api/v1/rounds", admin, map[string]any{
		"id": "2026", "title_en": "2026 assessment", "title_zh": "2026年度評估", "questionnaire": q.ID,
		"opens_at": "2026-01-05T09:00:00+08:00", "closes_at": "2099-03-31T18:00:00+08:00"})
	e.call(http.StatusOK, "PATCH", "/api/v1/rounds/2026", admin, map[string]any{"state": "open"})
	answers := map[string]any{}
	for i, id := range q.QuestionIDs() {
		answers[id] = map[string]any{"level": i % 6, "comment": benchComment(i)}
	}
	e.call(http.StatusOK, "PATCH", "/api/v1"+e.base, e.respondent, map[string]any{"answers": answers})
	return e
}

func benchComment(i int) string {
	return fmt.Sprintf("Documented in the departmental IT security policy (v3.%d), reviewed annually by the ITMC.", i)
}

// call sends one API request with a bearer token and fails unless the
// status is want; it returns the body.
func (e *benchEnv) call(want int, method, path, token string, body any) []byte {
	e.b.Helper()
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			e.b.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != want {
		e.b.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, rec.Body.String())
	}
	return rec.Body.Bytes()
}

var benchFormToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs the respondent in through the sign-in form and returns the
// session cookie.
func (e *benchEnv) signIn() *http.Cookie {
	e.b.Helper()
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	m := benchFormToken.FindStringSubmatch(rec.Body.String())
	if m == nil {
		e.b.Fatalf("sign-in page without a form token: %d", rec.Code)
	}
	form := url.Values{"csrf": {m[1]}, "token": {e.respondent}, "next": {"/"}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == handlers.SessionCookie && c.Value != "" {
			return c
		}
	}
	e.b.Fatalf("sign-in: status %d, no session cookie", rec.Code)
	return nil
}

// readsInMemory serves the reads of a page view (round, response,
// department) from memory and everything else from the real store, to
// separate the page's own cost from the store's.
type readsInMemory struct {
	assess.Store
	round *survey.Round
	resp  *survey.Response
	dept  *survey.Department
}

func (m *readsInMemory) Round(context.Context, string) (*survey.Round, error) {
	r := *m.round
	return &r, nil
}

func (m *readsInMemory) Response(context.Context, string, string) (*survey.Response, error) {
	r := *m.resp
	return &r, nil
}

func (m *readsInMemory) Department(context.Context, string) (*survey.Department, error) {
	d := *m.dept
	return &d, nil
}

// inMemory switches e to a server whose page reads come from memory.
func (e *benchEnv) inMemory(st assess.Store) {
	e.b.Helper()
	ctx := context.Background()
	m := &readsInMemory{Store: st}
	var err error
	if m.round, err = st.Round(ctx, "2026"); err != nil {
		e.b.Fatal(err)
	}
	if m.resp, err = st.Response(ctx, "2026", "ABC"); err != nil {
		e.b.Fatal(err)
	}
	if m.dept, err = st.Department(ctx, "ABC"); err != nil {
		e.b.Fatal(err)
	}
	e.srv = newServer(m, e.cfg)
}

// BenchmarkQuestionnairePage renders every step of the answer form (one
// capability area each) in turn for a signed-in respondent, several requests at a time, and reports
// throughput (target: at least 1,000 pages/s on 2 cores): with the
// embedded store, and with the page's reads served from memory (the page's
// own cost: handler and template).
func BenchmarkQuestionnairePage(b *testing.B) {
	b.Run("store=embedded", func(b *testing.B) { benchPage(b, false) })
	b.Run("store=memory", func(b *testing.B) { benchPage(b, true) })
}

func benchPage(b *testing.B, memory bool) {
	e := newBenchEnv(b)
	if memory {
		e.inMemory(e.store)
	}
	session := e.signIn()
	// Every step of the form: one capability area per page.
	var paths []string
	for _, d := range e.q.Domains {
		for _, a := range d.Areas {
			paths = append(paths, e.base+"/domains/"+d.ID+"?area="+a.ID)
		}
	}
	var pages, bytesOut atomic.Int64
	cpuBefore := processCPU()
	b.ReportAllocs()
	b.SetParallelism(2) // 2×GOMAXPROCS requests in flight, as concurrent browsers would be
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			path := paths[i%len(paths)]
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(session)
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<form") {
				b.Errorf("GET %s: status %d", path, rec.Code)
				return
			}
			pages.Add(1)
			bytesOut.Add(int64(rec.Body.Len()))
		}
	})
	b.ReportMetric(float64(pages.Load())/b.Elapsed().Seconds(), "pages/s")
	// CPU time per page (the process's user and system time): on a shared
	// machine, wall-clock throughput measures the neighbours too; 2 cores
	// divided by this is the page rate the machine would give alone.
	b.ReportMetric(float64((processCPU()-cpuBefore).Microseconds())/float64(max(pages.Load(), 1)), "cpu-µs/page")
	b.ReportMetric(float64(bytesOut.Load())/float64(max(pages.Load(), 1)), "bytes/page")
}

// BenchmarkResponseGet reads the whole response as JSON (60 answers).
func BenchmarkResponseGet(b *testing.B) {
	e := newBenchEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		e.call(http.StatusOK, "GET", "/api/v1"+e.base, e.respondent, nil)
	}
}

// BenchmarkResponsePatch is one autosave: one answer changed, the whole
// response returned. Its store work is a round read, a response read, a
// replace of the response document and an audit insert.
func BenchmarkResponsePatch(b *testing.B) {
	e := newBenchEnv(b)
	ids := e.q.QuestionIDs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := ids[i%len(ids)]
		body := map[string]any{"answers": map[string]any{id: map[string]any{"level": (i + 1) % 6, "comment": benchComment(i + 1)}}}
		e.call(http.StatusOK, "PATCH", "/api/v1"+e.base, e.respondent, body)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "patches/s")
}

// BenchmarkConsolidatedReport downloads the government-wide workbook
// through the engine from the real store, every department submitted with
// comments on the built-in bank. It runs 50 departments; set
// SURVEY_BENCH_LARGE=1 for 1,000 and 10,000 (minutes of set-up; measure
// peak memory with /usr/bin/time -v on the test binary).
func BenchmarkConsolidatedReport(b *testing.B) {
	sizes := []int{50}
	if os.Getenv("SURVEY_BENCH_LARGE") == "1" {
		sizes = append(sizes, 1000, 10000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("departments=%d", n), func(b *testing.B) {
			e := newBenchEnv(b)
			e.submitMany(n)
			b.ResetTimer()
			var size int
			for b.Loop() {
				size = len(e.call(http.StatusOK, "GET", "/api/v1/rounds/2026/report.xlsx", e.admin, nil))
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

// submitMany stores n more departments with complete, submitted responses,
// directly through the store (the API would take minutes for 10,000).
func (e *benchEnv) submitMany(n int) {
	e.b.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ids := e.q.QuestionIDs()
	for i := range n {
		code := fmt.Sprintf("D%05d", i)
		if err := e.store.CreateDepartment(ctx, &survey.Department{Code: code, NameEN: "Department " + code, NameZH: code + "署",
			Bureau: fmt.Sprintf("Bureau %d", i%15), Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			e.b.Fatal(err)
		}
		patch := survey.Patch{}
		for j, id := range ids {
			level := (i + j) % (survey.MaxLevel + 1)
			patch[id] = &survey.AnswerInput{Level: survey.Of(level), Comment: survey.Of(benchComment(j))}
		}
		_, err := e.store.UpdateResponse(ctx, "2026", code, func(r *survey.Response) error {
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

// processCPU is the user and system CPU time the process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
