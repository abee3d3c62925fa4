package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAuditEveryChange: each change path writes one event, listed newest
// first with paging, and events never hold answer text.
func TestAuditEveryChange(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")                       // department.create
	resp := h.credential("respondent", "ABC") // credential.issue
	h.round("r1", "small", true)              // round.create, round.update
	h.answerAll("r1", "ABC", resp, 3, 2)      // response.answer, response.submit
	h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/ABC/reopen", h.admin, map[string]any{"reason": "typo"})
	h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"bureau": "Other Bureau"})

	got := h.must(http.StatusOK, "GET", "/api/v1/audit?round=r1&department=ABC", h.admin, nil)
	var actions []string
	for _, e := range got["events"].([]any) {
		ev := e.(map[string]any)
		actions = append(actions, ev["action"].(string))
		for _, key := range []string{"actor", "at"} {
			if v, ok := ev[key].(string); !ok || v == "" {
				t.Fatalf("event without a non-empty string %q: %v", key, ev)
			}
		}
	}
	want := []string{"response.reopen", "response.submit", "response.answer"}
	if len(actions) != len(want) {
		t.Fatalf("actions %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("actions %v, want %v", actions, want)
		}
	}
	rec := h.request("GET", "/api/v1/audit", h.admin, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/audit: status %d, want %d; body %s", rec.Code, http.StatusOK, rec.Body.String())
	}
	if body := rec.Body.String(); !strings.Contains(body, `"response.answer"`) || strings.Contains(body, "comment of ABC") {
		t.Fatalf("audit must list the answer event without its answer text: %s", body)
	}

	page := h.must(http.StatusOK, "GET", "/api/v1/audit?limit=2", h.admin, nil)
	next, _ := page["next_before"].(string)
	if len(page["events"].([]any)) != 2 || next == "" {
		t.Fatalf("first page: %v", page)
	}
	page2 := h.must(http.StatusOK, "GET", "/api/v1/audit?limit=2&before="+next, h.admin, nil)
	if len(page2["events"].([]any)) != 2 {
		t.Fatalf("second page: %v", page2)
	}
	h.must(http.StatusUnprocessableEntity, "GET", "/api/v1/audit?round=Bad.Round", h.admin, nil)
	h.must(http.StatusBadRequest, "GET", "/api/v1/audit?limit=many", h.admin, nil)
	h.must(http.StatusForbidden, "GET", "/api/v1/audit", resp, nil)
}
