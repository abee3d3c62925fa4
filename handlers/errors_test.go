package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestErrorStatuses: every failure status of the API comes as the JSON
// error shape, and a failed request leaves the stored response unchanged.
func TestErrorStatuses(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.HTTP.MaxBodyBytes = 64 << 10 })
	h.department("ABC")
	h.department("XYZ")
	resp := h.credential("respondent", "ABC")
	planner := h.credential("planner", "")
	h.round("r1", "small", true)
	h.round("r0", "small", false)
	base := "/api/v1/rounds/r1/responses/ABC"
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 3, "comment": "keep me"}}})
	before := h.rawResponse("r1", "ABC")

	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		headers      []string
		status       int
		code         string
	}{
		{"malformed JSON", "PATCH", base, resp, `{"answers": {`, nil, 400, "malformed"},
		{"not an object", "PATCH", base, resp, `[1,2]`, nil, 400, "malformed"},
		{"trailing data", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"level": 1}}} {}`, nil, 400, "malformed"},
		{"fractional level", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"level": 2.5}}}`, nil, 400, "malformed"},
		{"level as string", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"level": "3"}}}`, nil, 400, "malformed"},
		{"operator object", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"level": {"$gt": 1}}}}`, nil, 400, "malformed"},
		{"unknown field", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"level": 1, "score": 9}}}`, nil, 400, "malformed"},
		{"invalid UTF-8", "PATCH", base, resp, "{\"answers\": {\"cs-iam-1\": {\"comment\": \"\xff\xfe\"}}}", nil, 400, "malformed"},
		{"no credential", "GET", base, "", nil, nil, 401, "unauthorized"},
		{"bad credential", "GET", base, "not-a-token", nil, nil, 401, "unauthorized"},
		{"planner reads answers", "GET", base, planner, nil, nil, 403, "forbidden"},
		{"respondent creates department", "POST", "/api/v1/departments", resp, map[string]any{"code": "NEW", "name_en": "n", "name_zh": "n", "bureau": "b"}, nil, 403, "forbidden"},
		{"another department", "GET", "/api/v1/rounds/r1/responses/XYZ", resp, nil, nil, 404, "not_found"},
		{"unknown round", "GET", "/api/v1/rounds/nope/responses/ABC", resp, nil, nil, 404, "not_found"},
		{"unknown department (admin)", "GET", "/api/v1/rounds/r1/responses/NOPE", h.admin, nil, nil, 404, "not_found"},
		{"unknown route", "GET", "/api/v1/nothing", h.admin, nil, nil, 404, "not_found"},
		{"stale base_rev", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 1, "base_rev": 7}}}, nil, 409, "conflict"},
		{"round not open", "PATCH", "/api/v1/rounds/r0/responses/ABC", h.admin, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 1}}}, nil, 409, "round_not_open"},
		{"duplicate department", "POST", "/api/v1/departments", h.admin, map[string]any{"code": "ABC", "name_en": "n", "name_zh": "n", "bureau": "b"}, nil, 409, "conflict"},
		{"stale If-Match", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 1}}}, []string{"If-Match", `"0"`}, 412, "precondition_failed"},
		{"body too large", "PATCH", base, resp, `{"answers": {"cs-iam-1": {"comment": "` + strings.Repeat("x", 70000) + `"}}}`, nil, 413, "too_large"},
		{"not JSON", "PATCH", base, resp, nil, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"level out of range", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 6}}}, nil, 422, "invalid"},
		{"negative level", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": -1}}}, nil, 422, "invalid"},
		{"level and N/A", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-cloud-1": map[string]any{"level": 1, "na": true}}}, nil, 422, "invalid"},
		{"N/A not allowed", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"na": true, "na_reason": "r"}}}, nil, 422, "invalid"},
		{"unknown question", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-99": map[string]any{"level": 1}}}, nil, 422, "invalid"},
		{"dollar key", "PATCH", base, resp, map[string]any{"answers": map[string]any{"$where": map[string]any{"level": 1}}}, nil, 422, "invalid"},
		{"dotted key", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1.level": map[string]any{"level": 1}}}, nil, 422, "invalid"},
		{"no answers", "PATCH", base, resp, map[string]any{"answers": map[string]any{}}, nil, 422, "invalid"},
		{"comment too long", "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"comment": strings.Repeat("字", 4001)}}}, nil, 422, "invalid"},
		{"bad department code", "POST", "/api/v1/departments", h.admin, map[string]any{"code": "a.b", "name_en": "n", "name_zh": "n", "bureau": "b"}, nil, 422, "invalid"},
		{"bad round dates", "POST", "/api/v1/rounds", h.admin, map[string]any{"id": "r9", "title_en": "t", "title_zh": "t", "questionnaire": "small", "opens_at": "yesterday", "closes_at": "2026-01-01T00:00:00Z"}, nil, 422, "invalid"},
		{"closes before opens", "POST", "/api/v1/rounds", h.admin, map[string]any{"id": "r9", "title_en": "t", "title_zh": "t", "questionnaire": "small", "opens_at": "2026-02-01T00:00:00Z", "closes_at": "2026-01-01T00:00:00Z"}, nil, 422, "invalid"},
		{"unknown role", "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "root"}, nil, 422, "invalid"},
		{"respondent without department", "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "respondent"}, nil, 422, "invalid"},
		{"respondent of unknown department", "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "respondent", "department": "NOPE"}, nil, 422, "invalid"},
		{"bad round move", "PATCH", "/api/v1/rounds/r1", h.admin, map[string]any{"state": "draft"}, nil, 409, "conflict"},
		{"unknown questionnaire", "POST", "/api/v1/rounds", h.admin, map[string]any{"id": "r9", "title_en": "t", "title_zh": "t", "questionnaire": "nope", "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"}, nil, 422, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.request(tc.method, tc.path, tc.token, tc.body, tc.headers...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if code := errorCode(t, rec); code != tc.code {
				t.Fatalf("code %q, want %q", code, tc.code)
			}
			if after := h.rawResponse("r1", "ABC"); after != before {
				t.Fatalf("stored response changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestFailedAuthenticationThrottled(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.FailedAuthPerMinute = 3 })
	for i := range 3 {
		if rec := h.request("GET", "/api/v1/rounds", "wrong", nil); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	rec := h.request("GET", "/api/v1/rounds", "wrong", nil)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("over the limit: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	errorCode(t, rec)
	// A valid credential from the same address is never throttled.
	h.must(http.StatusOK, "GET", "/api/v1/rounds", h.admin, nil)
}

func TestRevokedCredentialRejectedAtOnce(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	out := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "planner", "label": "p"})
	token := out["token"].(string)
	if len(token) != 43 {
		t.Fatalf("token length %d, want 43", len(token))
	}
	h.must(http.StatusOK, "GET", "/api/v1/rounds", token, nil)
	h.must(http.StatusNoContent, "DELETE", "/api/v1/credentials/"+out["id"].(string), h.admin, nil)
	h.must(http.StatusUnauthorized, "GET", "/api/v1/rounds", token, nil)
	list := h.must(http.StatusOK, "GET", "/api/v1/credentials", h.admin, nil)
	for _, c := range list["credentials"].([]any) {
		cred := c.(map[string]any)
		if _, ok := cred["token"]; ok {
			t.Fatal("credential list shows a token")
		}
		if _, ok := cred["hash"]; ok {
			t.Fatal("credential list shows a hash")
		}
	}
}
