package handlers_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// stallingStore holds a listing until its caller's context ends, then makes
// the real store call with that context: a store call still running when
// the client gives up.
type stallingStore struct {
	*mongostore.Store
	entered chan struct{}
}

func (s stallingStore) Departments(ctx context.Context) ([]survey.Department, error) {
	close(s.entered)
	<-ctx.Done()
	return s.Store.Departments(ctx)
}

func (s stallingStore) UpdateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, error) {
	close(s.entered)
	<-ctx.Done()
	return s.Store.UpdateResponse(ctx, round, dept, change)
}

// TestClientGivesUp: a request whose client goes away while the store call
// runs is logged as a cancelled request (INFO), never as an ERROR or a
// store outage, and is not answered 503.
func TestClientGivesUp(t *testing.T) {
	for _, tc := range []struct{ name, method, path, body string }{
		{"a read", "GET", "/api/v1/departments", ""},
		{"a write", "PATCH", "/api/v1/rounds/r1/responses/ABC", `{"answers":{"cs-iam-1":{"level":3}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.department("ABC")
			h.round("r1", "small", true)
			var logs lockedBuffer
			cfg := h.config
			cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			cfg.HTTP.Logger = cfg.Logger
			st := stallingStore{Store: h.store, entered: make(chan struct{})}
			srv := newServer(st, cfg)

			ctx, cancel := context.WithCancel(context.Background())
			var body *strings.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(tc.method, tc.path, body).WithContext(ctx)
			req.Header.Set("Authorization", "Bearer "+h.admin)
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			done := make(chan struct{})
			go func() { defer close(done); srv.ServeHTTP(rec, req) }()
			<-st.entered
			cancel()
			<-done

			out := logs.String()
			if strings.Contains(out, "level=ERROR") || strings.Contains(out, "unavailable") {
				t.Fatalf("a client giving up was logged as a fault:\n%s", out)
			}
			if !strings.Contains(out, `msg="request cancelled by the client"`) || !strings.Contains(out, "level=INFO") {
				t.Fatalf("no INFO line saying the client cancelled:\n%s", out)
			}
			if rec.Code == 503 || rec.Code == 500 {
				t.Fatalf("status %d for a cancelled request: %s", rec.Code, rec.Body.String())
			}
		})
	}
}
