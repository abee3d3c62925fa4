package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/handlers"
)

// TestMetricsNotOnTheEngine: the engine has no /metrics, not even for
// loopback clients (behind a reverse proxy on the same host every client
// is loopback); the registry is served by Metrics.Handler, which
// cmd/surveyd puts on its own listener, and it counts the engine's
// requests.
func TestMetricsNotOnTheEngine(t *testing.T) {
	metrics := handlers.NewMetrics()
	h := newHarness(t, func(c *handlersConfig) { c.HTTP.Metrics = metrics })
	h.must(http.StatusOK, "GET", "/api/v1/rounds", h.admin, nil)
	for _, remote := range []string{"127.0.0.1:5555", "[::1]:5555", "192.0.2.7:5555"} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "surveyd_") {
			t.Fatalf("GET /metrics from %s on the engine: %d %.200s", remote, rec.Code, rec.Body.String())
		}
	}
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `surveyd_http_request_duration_seconds_count{method="GET",route="/api/v1/rounds",status="200"} 1`) {
		t.Fatalf("request not counted: %d\n%.2000s", rec.Code, rec.Body.String())
	}
}
