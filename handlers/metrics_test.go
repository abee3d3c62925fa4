package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsOnlyFromAllowedNetworks(t *testing.T) {
	h := newHarness(t)
	h.must(http.StatusOK, "GET", "/api/v1/rounds", h.admin, nil)
	tests := []struct {
		remote string
		status int
	}{
		{"127.0.0.1:5555", http.StatusOK},
		{"[::1]:5555", http.StatusOK},
		{"192.0.2.7:5555", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.remote, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = tc.remote
			req.Header.Set("X-Forwarded-For", "127.0.0.1")
			rec := httptest.NewRecorder()
			h.srv.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status == http.StatusOK && !strings.Contains(rec.Body.String(), `surveyd_http_request_duration_seconds_count{method="GET",route="/api/v1/rounds",status="200"} 1`) {
				t.Fatalf("request not counted:\n%s", rec.Body.String())
			}
		})
	}
}
