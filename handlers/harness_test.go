package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/storetest"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

var storeServer *storetest.Server

func TestMain(m *testing.M) { os.Exit(storetest.Run(m, &storeServer)) }

// harness is the real engine on a fresh database of the real store.
type harness struct {
	t      *testing.T
	srv    *handlers.Server
	store  *mongostore.Store
	q      *survey.Questionnaire
	admin  string
	config handlersConfig
	clock  *testClock
	// smtpd, when set (useSMTP), is where e-mail arrives: with SMTP the
	// outbox keeps no sign-in link.
	smtpd *smtpServer
}

// testClock is the service's clock in tests: real time moved by an offset,
// so that it runs (sessions and caches age as usual) but stands where a
// test puts it: by default inside the test rounds' answering window
// (2026-01-05 to 2026-03-31, Hong Kong time).
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

// defaultTestNow is where the harness clock starts.
var defaultTestNow = time.Date(2026, 2, 2, 10, 0, 0, 0, time.FixedZone("HKT", 8*3600))

func newTestClock(at time.Time) *testClock { c := &testClock{}; c.Set(at); return c }

// Now is the clock's current time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Set moves the clock to t; it runs on from there.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// handlersConfig is the service's and the engine's settings together, as
// cmd/surveyd gives them.
type handlersConfig struct {
	assess.Config
	HTTP handlers.Config
}

// newServer builds the engine over the use cases over st.
func newServer(st assess.Store, cfg handlersConfig) *handlers.Server {
	return handlers.New(assess.New(st, cfg.Config), cfg.HTTP)
}

type option func(*handlersConfig)

func loadSmall(t testing.TB) *survey.Questionnaire {
	t.Helper()
	return surveytest.Small(t)
}

// generatedQuestionnaire has n questions in one area, for concurrency tests.
func generatedQuestionnaire(t testing.TB, n int) *survey.Questionnaire {
	t.Helper()
	q := loadSmall(t)
	q.ID = "generated"
	base := q.Domains[0].Areas[0].Questions[0]
	area := &q.Domains[0].Areas[0]
	area.Questions = nil
	for i := range n {
		qu := base
		qu.ID = fmt.Sprintf("cs-gen-%d", i)
		area.Questions = append(area.Questions, qu)
	}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	return q
}

func newHarness(t *testing.T, opts ...option) *harness {
	t.Helper()
	st := storeServer.NewStore(t)
	q := loadSmall(t)
	clock := newTestClock(defaultTestNow)
	cfg := handlersConfig{Config: assess.Config{Questionnaires: []*survey.Questionnaire{q, generatedQuestionnaire(t, 25)}, Now: clock.Now}}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, store: st, q: q, config: cfg, clock: clock}
	h.srv = newServer(st, cfg)
	cred, token, err := survey.NewCredential(survey.RoleAdmin, "", "test admin", clock.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCredential(context.Background(), cred); err != nil {
		t.Fatal(err)
	}
	h.admin = token
	return h
}

// request sends one request through the engine. body may be a string (sent
// as is), nil, or a value encoded as JSON.
func (h *harness) request(method, path, token string, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	checkContract := h.contractCheck(req) // openapi_contract_test.go
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	checkContract(rec)
	return rec
}

// must sends a request and fails the test unless the status is want.
func (h *harness) must(want int, method, path, token string, body any, headers ...string) map[string]any {
	h.t.Helper()
	rec := h.request(method, path, token, body, headers...)
	if rec.Code != want {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, rec.Code, want, rec.Body.String())
	}
	out := map[string]any{}
	if rec.Body.Len() > 0 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			h.t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
		}
	}
	return out
}

func (h *harness) department(code string) {
	h.t.Helper()
	h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin,
		map[string]any{"code": code, "name_en": code + " Department", "name_zh": code + "署", "bureau": "Test Bureau"})
}

func (h *harness) credential(role, dept string) string {
	h.t.Helper()
	body := map[string]any{"role": role, "label": role + " " + dept}
	if dept != "" {
		body["department"] = dept
	}
	out := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin, body)
	return out["token"].(string)
}

func (h *harness) round(id, questionnaire string, open bool) {
	h.t.Helper()
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": id, "title_en": "Round " + id, "title_zh": id + "輪", "questionnaire": questionnaire,
		"opens_at": "2026-01-05T09:00:00+08:00", "closes_at": "2026-03-31T18:00:00+08:00",
	})
	if open {
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/"+id, h.admin, map[string]any{"state": "open"})
	}
}

// rawResponse is the stored response document's bytes, for proving a failed
// request changed nothing.
func (h *harness) rawResponse(round, dept string) string {
	h.t.Helper()
	r, err := h.store.Response(context.Background(), round, dept)
	if err != nil {
		h.t.Fatal(err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(data)
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("status %d: not the API's JSON error: %s", rec.Code, rec.Body.String())
	}
	return body.Error.Code
}
