package handlers_test

import (
	"net/http"
	"testing"
)

func TestLifecycle(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("2026", "small", false)
	base := "/api/v1/rounds/2026/responses/ABC"

	// A draft round does not exist for departments yet; admins may not
	// answer in it either.
	h.must(http.StatusNotFound, "GET", base, resp, nil)
	h.must(http.StatusNotFound, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 3}}})
	h.must(http.StatusConflict, "PATCH", base, h.admin, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 3}}})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "open"})

	// Nothing answered yet: an empty response at version 0.
	got := h.must(http.StatusOK, "GET", base, resp, nil)
	if got["status"] != "not_started" || got["version"] != 0.0 {
		t.Fatalf("empty response: %v", got)
	}

	got = h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{
		"cs-iam-1":   map[string]any{"level": 3, "comment": "MFA for all remote access"},
		"cs-cloud-1": map[string]any{"na": true},
	}})
	if got["status"] != "in_progress" || got["version"] != 1.0 {
		t.Fatalf("after first patch: %v", got)
	}
	answers := got["answers"].(map[string]any)
	if a := answers["cs-iam-1"].(map[string]any); a["rev"] != 1.0 || a["level"] != 3.0 {
		t.Fatalf("answer: %v", a)
	}
	if p := got["progress"].(map[string]any); p["answered"] != 2.0 || p["total"] != 6.0 {
		t.Fatalf("progress: %v", p)
	}

	// A stale base_rev is a conflict that applies nothing and returns the current value.
	conflict := h.must(http.StatusConflict, "PATCH", base, resp, map[string]any{"answers": map[string]any{
		"cs-iam-1": map[string]any{"level": 1, "base_rev": 0},
		"cs-iam-2": map[string]any{"level": 2},
	}})
	if cur := conflict["current"].(map[string]any)["cs-iam-1"].(map[string]any); cur["level"] != 3.0 {
		t.Fatalf("conflict current: %v", conflict)
	}
	got = h.must(http.StatusOK, "GET", base, resp, nil)
	if _, ok := got["answers"].(map[string]any)["cs-iam-2"]; ok || got["version"] != 1.0 {
		t.Fatalf("conflicting patch was partly applied: %v", got)
	}
	// The right base_rev goes through; a stale If-Match fails with 412.
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 4, "base_rev": 1}}})
	h.must(http.StatusPreconditionFailed, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 4}}}, "If-Match", `"1"`)
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 4}}}, "If-Match", `"2"`)

	// Submit lists every missing question and the N/A without a reason.
	incomplete := h.must(http.StatusUnprocessableEntity, "POST", base+"/submit", resp, nil)
	fields := incomplete["error"].(map[string]any)["fields"].([]any)
	if len(fields) != 4 { // cs-cloud-1 reason, cs-cloud-2, ds-gov-1, ds-gov-2
		t.Fatalf("submit problems: %v", fields)
	}
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{
		"cs-cloud-1": map[string]any{"na": true, "na_reason": "No cloud services in use"},
		"cs-cloud-2": map[string]any{"level": 2},
		"ds-gov-1":   map[string]any{"level": 3},
		"ds-gov-2":   map[string]any{"level": 5},
	}})
	got = h.must(http.StatusOK, "POST", base+"/submit", resp, nil)
	if got["status"] != "submitted" || got["submitted_at"] == nil {
		t.Fatalf("submitted: %v", got)
	}
	h.must(http.StatusConflict, "PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-1": map[string]any{"level": 1}}})
	h.must(http.StatusConflict, "POST", base+"/submit", resp, nil)

	status := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/status", h.admin, nil)
	row := status["departments"].([]any)[0].(map[string]any)
	if row["code"] != "ABC" || row["status"] != "submitted" || row["answered"] != 6.0 || row["total"] != 6.0 {
		t.Fatalf("status row: %v", row)
	}

	// Only an admin reopens, with a reason.
	h.must(http.StatusForbidden, "POST", base+"/reopen", resp, map[string]any{"reason": "x"})
	h.must(http.StatusUnprocessableEntity, "POST", base+"/reopen", h.admin, map[string]any{"reason": " "})
	got = h.must(http.StatusOK, "POST", base+"/reopen", h.admin, map[string]any{"reason": "Wrong level for DS"})
	if got["status"] != "in_progress" {
		t.Fatalf("reopened: %v", got)
	}
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-1": map[string]any{"level": 1}}})

	// Closing the round freezes answers.
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "closed"})
	h.must(http.StatusConflict, "PATCH", base, resp, map[string]any{"answers": map[string]any{"ds-gov-1": map[string]any{"level": 2}}})
	h.must(http.StatusConflict, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "draft"})
}

func TestClearAnswerAndUnchangedItem(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	h.round("r1", "small", true)
	base := "/api/v1/rounds/r1/responses/ABC"
	h.must(http.StatusOK, "PATCH", base, h.admin, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2}}})
	// The same value again changes nothing: no new version, no new rev.
	got := h.must(http.StatusOK, "PATCH", base, h.admin, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2}}})
	if got["version"] != 1.0 {
		t.Fatalf("identical patch bumped the version: %v", got["version"])
	}
	got = h.must(http.StatusOK, "PATCH", base, h.admin, `{"answers": {"cs-iam-1": null}}`)
	if len(got["answers"].(map[string]any)) != 0 || got["version"] != 2.0 {
		t.Fatalf("cleared: %v", got)
	}
}
