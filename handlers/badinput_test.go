package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInput: hostile and broken requests of every kind get a 4xx JSON
// error of the API (the code matching the status, never a 5xx, never a
// reflected megabyte), and change nothing: the stored response is byte for
// byte the same and so is every other stored document, audit trail
// included. TestErrorStatuses covers one case per status; this table goes
// wide on the ways input can be wrong.
func TestBadInput(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) {
		c.HTTP.MaxBodyBytes = 64 << 10
		c.FailedAuthPerMinute = 1000 // a few cases are bad credentials on purpose
	})
	h.department("ABC")
	h.department("XYZ")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "small", true)
	h.round("r0", "small", false)
	base := "/api/v1/rounds/r1/responses/ABC"
	// Complete but for the reason of an N/A, so that submit has a rule to break.
	h.must(http.StatusOK, "PATCH", base, resp, map[string]any{"answers": map[string]any{
		"cs-iam-1":   map[string]any{"level": 3, "comment": "keep me", "evidence": "policy v2"},
		"cs-iam-2":   map[string]any{"level": 2},
		"cs-cloud-1": map[string]any{"na": true},
		"cs-cloud-2": map[string]any{"level": 1},
		"ds-gov-1":   map[string]any{"level": 4},
		"ds-gov-2":   map[string]any{"level": 5},
	}})
	before := h.rawResponse("r1", "ABC")
	snapshot := h.dbSnapshot()

	answer := func(id string, a any) map[string]any { return map[string]any{"answers": map[string]any{id: a}} }
	level := func(v any) map[string]any { return answer("cs-iam-2", map[string]any{"level": v}) }
	long := func(n int) string { return strings.Repeat("x", n) }
	dept := func(field string, v any) map[string]any {
		d := map[string]any{"code": "NEW", "name_en": "New", "name_zh": "新", "bureau": "B"}
		d[field] = v
		return d
	}
	round := func(field string, v any) map[string]any {
		r := map[string]any{"id": "r9", "title_en": "t", "title_zh": "t", "questionnaire": "small",
			"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"}
		if v == nil {
			delete(r, field)
		} else {
			r[field] = v
		}
		return r
	}
	admin := h.admin
	const (
		get, post, patch, del = "GET", "POST", "PATCH", "DELETE"
	)

	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		headers      []string
		status       int
	}{
		// Malformed and truncated JSON.
		{"empty body", patch, base, resp, "", nil, 400},
		{"only whitespace", patch, base, resp, " \n\t ", nil, 400},
		{"truncated object", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 3`, nil, 400},
		{"missing closing brace", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 3}}`, nil, 400},
		{"single quotes", patch, base, resp, `{'answers': {'cs-iam-2': {'level': 3}}}`, nil, 400},
		{"comment in JSON", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 3 /* x */}}}`, nil, 400},
		{"NaN literal", patch, base, resp, `{"answers": {"cs-iam-2": {"level": NaN}}}`, nil, 400},
		{"byte order mark", patch, base, resp, "\xef\xbb\xbf{\"answers\": {\"cs-iam-2\": {\"level\": 3}}}", nil, 400},
		{"string body", patch, base, resp, `"answers"`, nil, 400},
		{"number body", patch, base, resp, `42`, nil, 400},
		{"null body", patch, base, resp, `null`, nil, 422},
		{"two objects", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1}}}{"answers": {}}`, nil, 400},
		{"deeply nested", patch, base, resp, strings.Repeat("[", 20000) + strings.Repeat("]", 20000), nil, 400},
		{"duplicate key, last out of range", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1, "level": 9}}}`, nil, 422},

		// Content type.
		{"no content type", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1}}}`, []string{"Content-Type", ""}, 415},
		{"form content type", patch, base, resp, `answers=1`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415},
		{"multipart content type", patch, base, resp, `{}`, []string{"Content-Type", "multipart/form-data; boundary=x"}, 415},
		{"jsonp content type", patch, base, resp, `{}`, []string{"Content-Type", "application/jsonp"}, 415},
		{"unparseable content type", patch, base, resp, `{}`, []string{"Content-Type", "application/json; ;;=="}, 415},
		{"UTF-16 body", patch, base, resp, "{\x00\"\x00a\x00\"\x00:\x00{\x00}\x00}\x00", []string{"Content-Type", "application/json; charset=utf-16le"}, 400},

		// Oversized bodies.
		{"oversized whitespace", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1}}}` + long(70000), nil, 413},
		{"oversized department", post, "/api/v1/departments", admin, dept("name_en", long(70000)), nil, 413},

		// Wrong JSON types.
		{"answers as array", patch, base, resp, `{"answers": []}`, nil, 400},
		{"answers as string", patch, base, resp, `{"answers": "all"}`, nil, 400},
		{"answer as number", patch, base, resp, `{"answers": {"cs-iam-2": 3}}`, nil, 400},
		{"answer as string", patch, base, resp, `{"answers": {"cs-iam-2": "sleep(1000)"}}`, nil, 400},
		{"na as string", patch, base, resp, answer("cs-cloud-2", map[string]any{"na": "true"}), nil, 400},
		{"comment as number", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "comment": 7}), nil, 400},
		{"comment as array", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "comment": []string{"a"}}), nil, 400},
		{"base_rev as string", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "base_rev": "1"}), nil, 400},
		{"fractional base_rev", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1, "base_rev": 1.5}}}`, nil, 400},
		{"level as bool", patch, base, resp, level(true), nil, 400},
		{"level 3.0", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 3.0}}}`, nil, 400},
		{"level 1e0", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1e0}}}`, nil, 400},
		{"level -0.5", patch, base, resp, `{"answers": {"cs-iam-2": {"level": -0.5}}}`, nil, 400},
		{"level 1e400", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 1e400}}}`, nil, 400},
		{"level beyond int64", patch, base, resp, `{"answers": {"cs-iam-2": {"level": 99999999999999999999}}}`, nil, 400},
		{"department code as number", post, "/api/v1/departments", admin, dept("code", 123), nil, 400},
		{"active as string", patch, "/api/v1/departments/ABC", admin, map[string]any{"active": "yes"}, nil, 400},
		{"role as number", post, "/api/v1/credentials", admin, map[string]any{"role": 1}, nil, 400},
		{"reason as number", post, base + "/reopen", admin, map[string]any{"reason": 1}, nil, 400},
		{"opens_at as number", post, "/api/v1/rounds", admin, round("opens_at", 1767225600), nil, 400},

		// Out of range, and N/A rules.
		{"level 7", patch, base, resp, level(7), nil, 422},
		{"level -2", patch, base, resp, level(-2), nil, 422},
		{"level a million", patch, base, resp, level(1000000), nil, 422},
		{"negative base_rev", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "base_rev": -1}), nil, 422},
		{"level 0 and N/A", patch, base, resp, answer("cs-cloud-2", map[string]any{"level": 0, "na": true, "na_reason": "r"}), nil, 422},
		{"N/A where not allowed", patch, base, resp, answer("ds-gov-1", map[string]any{"na": true, "na_reason": "none"}), nil, 422},
		{"reason without N/A", patch, base, resp, answer("cs-cloud-2", map[string]any{"level": 1, "na_reason": "why"}), nil, 422},
		{"N/A without reason at submit", post, base + "/submit", resp, nil, nil, 422},
		{"N/A without reason at submit by admin", post, base + "/submit", admin, nil, nil, 422},

		// Unknown fields, including fields a client must never set.
		{"unknown top-level field", patch, base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 1}}, "extra": 1}, nil, 400},
		{"rev set by the client", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "rev": 99}), nil, 400},
		{"updated_by set by the client", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "updated_by": "admin"}), nil, 400},
		{"status set by the client", patch, base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 1}}, "status": "submitted"}, nil, 400},
		{"version set by the client", patch, base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 1}}, "version": 0}, nil, 400},
		{"token chosen by the client", post, "/api/v1/credentials", admin, map[string]any{"role": "planner", "token": "mine"}, nil, 400},
		{"code in a department update", patch, "/api/v1/departments/ABC", admin, map[string]any{"code": "ZZZ"}, nil, 400},
		{"very long unknown field", patch, base, resp, map[string]any{long(50000): 1}, nil, 400},

		// Unknown question ids and hostile keys.
		{"question of another questionnaire", patch, base, resp, answer("cs-gen-1", map[string]any{"level": 1}), nil, 422},
		{"area id as question", patch, base, resp, answer("cs-iam", map[string]any{"level": 1}), nil, 422},
		{"empty question id", patch, base, resp, answer("", map[string]any{"level": 1}), nil, 422},
		{"very long question id", patch, base, resp, answer(long(10000), map[string]any{"level": 1}), nil, 422},
		{"$set key", patch, base, resp, answer("$set", map[string]any{"level": 5}), nil, 422},
		{"$-prefixed question id", patch, base, resp, answer("$cs-iam-2", map[string]any{"level": 5}), nil, 422},
		{"dotted path key", patch, base, resp, answer("answers.cs-iam-2.level", map[string]any{"level": 5}), nil, 422},
		{"NUL in key", patch, base, resp, answer("cs-iam-2\x00", map[string]any{"level": 5}), nil, 422},
		{"__proto__ key", patch, base, resp, answer("__proto__", map[string]any{"level": 5}), nil, 422},

		// Operator objects in place of values.
		{"$set as the body", patch, base, resp, map[string]any{"$set": map[string]any{"answers.cs-iam-2.level": 5}}, nil, 400},
		{"$set inside an answer", patch, base, resp, answer("cs-iam-2", map[string]any{"$set": map[string]any{"level": 5}}), nil, 400},
		{"$gt as a level", patch, base, resp, answer("cs-iam-2", map[string]any{"level": map[string]any{"$gt": 1}}), nil, 400},
		{"$ne as a comment", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "comment": map[string]any{"$ne": ""}}), nil, 400},
		{"$ne as a department code", post, "/api/v1/departments", admin, dept("code", map[string]any{"$ne": nil}), nil, 400},
		{"$where as a department code", post, "/api/v1/departments", admin, dept("code", "$where"), nil, 422},
		{"$in as a reopen reason", post, base + "/reopen", admin, map[string]any{"reason": map[string]any{"$in": []string{"a"}}}, nil, 400},
		{"$set as a round update", patch, "/api/v1/rounds/r1", admin, map[string]any{"$set": map[string]any{"state": "draft"}}, nil, 400},

		// Very long strings.
		{"evidence too long", patch, base, resp, answer("cs-iam-2", map[string]any{"level": 1, "evidence": long(4001)}), nil, 422},
		{"N/A reason too long", patch, base, resp, answer("cs-cloud-2", map[string]any{"na": true, "na_reason": long(1001)}), nil, 422},
		{"department name too long", post, "/api/v1/departments", admin, dept("name_en", long(201)), nil, 422},
		{"bureau too long in an update", patch, "/api/v1/departments/ABC", admin, map[string]any{"bureau": long(201)}, nil, 422},
		{"label too long", post, "/api/v1/credentials", admin, map[string]any{"role": "planner", "label": long(201)}, nil, 422},
		{"round title too long", post, "/api/v1/rounds", admin, round("title_en", long(201)), nil, 422},
		{"reopen reason too long", post, base + "/reopen", admin, map[string]any{"reason": long(1001)}, nil, 422},
		{"department code too long", post, "/api/v1/departments", admin, dept("code", "A"+strings.Repeat("B", 16)), nil, 422},

		// Invalid UTF-8.
		{"invalid UTF-8 in a key", patch, base, resp, "{\"answers\": {\"cs-\xff\": {\"level\": 1}}}", nil, 400},
		{"overlong UTF-8 encoding", patch, base, resp, "{\"answers\": {\"cs-iam-2\": {\"level\": 1, \"comment\": \"\xc0\xaf\"}}}", nil, 400},
		{"UTF-16 surrogate bytes", patch, base, resp, "{\"answers\": {\"cs-iam-2\": {\"level\": 1, \"comment\": \"\xed\xa0\x80\"}}}", nil, 400},
		{"invalid UTF-8 in a department name", post, "/api/v1/departments", admin, "{\"code\": \"NEW\", \"name_en\": \"\xfe\", \"name_zh\": \"n\", \"bureau\": \"b\"}", nil, 400},

		// Junk in path parameters.
		{"encoded dot-dot round", patch, "/api/v1/rounds/..%2f/responses/ABC", resp, level(1), nil, 404},
		{"dot-dot round", get, "/api/v1/rounds/../responses/ABC", resp, nil, nil, 404},
		{"$where round", patch, "/api/v1/rounds/$where/responses/ABC", resp, level(1), nil, 404},
		{"$where round (admin)", get, "/api/v1/rounds/$where/responses/ABC", admin, nil, nil, 404},
		{"$where department", patch, "/api/v1/rounds/r1/responses/$where", resp, level(1), nil, 404},
		{"$where department (admin)", patch, "/api/v1/rounds/r1/responses/$where", admin, level(1), nil, 404},
		{"operator object in a path", get, "/api/v1/rounds/%7B%22%24ne%22%3Anull%7D", resp, nil, nil, 404},
		{"very long round id", get, "/api/v1/rounds/" + strings.Repeat("r", 5000) + "/responses/ABC", admin, nil, nil, 404},
		{"unicode round id", patch, "/api/v1/rounds/%E5%9B%9E%E5%90%88/responses/ABC", admin, level(1), nil, 404},
		{"NUL in a round id", get, "/api/v1/rounds/r1%00/responses/ABC", admin, nil, nil, 404},
		{"lower-case department", get, "/api/v1/rounds/r1/responses/abc", admin, nil, nil, 404},
		{"emoji department", get, "/api/v1/rounds/r1/departments/%F0%9F%98%80/scores", admin, nil, nil, 404},
		{"dotted department update", patch, "/api/v1/departments/A.B", admin, map[string]any{"bureau": "x"}, nil, 404},
		{"operator object as a credential id", del, "/api/v1/credentials/%7B%22%24ne%22%3Anull%7D", admin, nil, nil, 404},
		{"$where credential id", del, "/api/v1/credentials/$where", admin, nil, nil, 404},
		{"unknown questionnaire", get, "/api/v1/questionnaires/$where", resp, nil, nil, 404},

		// Bad dates.
		{"February 30th", post, "/api/v1/rounds", admin, round("opens_at", "2026-02-30T00:00:00Z"), nil, 422},
		{"month 13", post, "/api/v1/rounds", admin, round("closes_at", "2026-13-01T00:00:00Z"), nil, 422},
		{"date without time", post, "/api/v1/rounds", admin, round("opens_at", "2026-01-01"), nil, 422},
		{"time without zone", post, "/api/v1/rounds", admin, round("opens_at", "2026-01-01T00:00:00"), nil, 422},
		{"missing opens_at", post, "/api/v1/rounds", admin, round("opens_at", nil), nil, 422},
		{"closes when it opens", post, "/api/v1/rounds", admin, round("closes_at", "2026-01-01T00:00:00Z"), nil, 422},
		{"round update with a bad date", patch, "/api/v1/rounds/r1", admin, map[string]any{"closes_at": "next week"}, nil, 422},
		{"round update closing before it opens", patch, "/api/v1/rounds/r1", admin, map[string]any{"closes_at": "2020-01-01T00:00:00Z"}, nil, 422},

		// Unknown roles and other rule breaks of credentials and rounds.
		{"upper-case role", post, "/api/v1/credentials", admin, map[string]any{"role": "ADMIN"}, nil, 422},
		{"empty role", post, "/api/v1/credentials", admin, map[string]any{"role": ""}, nil, 422},
		{"role with a space", post, "/api/v1/credentials", admin, map[string]any{"role": "planner "}, nil, 422},
		{"superuser role", post, "/api/v1/credentials", admin, map[string]any{"role": "superuser"}, nil, 422},
		{"planner with a department", post, "/api/v1/credentials", admin, map[string]any{"role": "planner", "department": "ABC"}, nil, 422},
		{"respondent of a malformed department", post, "/api/v1/credentials", admin, map[string]any{"role": "respondent", "department": "abc"}, nil, 422},
		{"upper-case round state", patch, "/api/v1/rounds/r1", admin, map[string]any{"state": "OPEN"}, nil, 422},
		{"unknown round state", patch, "/api/v1/rounds/r1", admin, map[string]any{"state": "submitted"}, nil, 422},
		{"blank round title", patch, "/api/v1/rounds/r1", admin, map[string]any{"title_en": "  "}, nil, 422},
		{"round id with a dot", post, "/api/v1/rounds", admin, round("id", "2026.1"), nil, 422},
		{"reopen of an unsubmitted response", post, base + "/reopen", admin, map[string]any{"reason": "x"}, nil, 409},
		{"answer in a draft round", patch, "/api/v1/rounds/r0/responses/ABC", resp, level(1), nil, 404},
		{"admin answers in a draft round", patch, "/api/v1/rounds/r0/responses/ABC", admin, level(1), nil, 409},

		// Bad query parameters and headers.
		{"negative audit limit", get, "/api/v1/audit?limit=-1", admin, nil, nil, 422},
		{"huge audit limit", get, "/api/v1/audit?limit=100000", admin, nil, nil, 422},
		{"fractional audit limit", get, "/api/v1/audit?limit=1.5", admin, nil, nil, 400},
		{"audit limit beyond int64", get, "/api/v1/audit?limit=99999999999999999999", admin, nil, nil, 400},
		{"$where audit round", get, "/api/v1/audit?round=%24where", admin, nil, nil, 422},
		{"dotted audit department", get, "/api/v1/audit?department=A.B", admin, nil, nil, 422},
		{"long audit cursor", get, "/api/v1/audit?before=" + long(65), admin, nil, nil, 422},
		{"questionnaire version not a number", get, "/api/v1/questionnaires/small?version=abc", resp, nil, nil, 422},
		{"questionnaire version 0", get, "/api/v1/questionnaires/small?version=0", resp, nil, nil, 422},
		{"questionnaire version -1", get, "/api/v1/questionnaires/small?version=-1", resp, nil, nil, 422},
		{"unknown questionnaire version", get, "/api/v1/questionnaires/small?version=99", resp, nil, nil, 404},
		{"If-Match not a version", patch, base, resp, level(1), []string{"If-Match", `"abc"`}, 400},
		{"If-Match negative", patch, base, resp, level(1), []string{"If-Match", `"-1"`}, 400},
		{"If-Match stale on submit", post, base + "/submit", resp, nil, []string{"If-Match", `"0"`}, 412},
		{"Basic credentials", get, base, "", nil, []string{"Authorization", "Basic YWRtaW46YWRtaW4="}, 401},
		{"oversized bearer token", get, base, long(300), nil, nil, 401},
		{"bearer token with a NUL", get, base, "abc\x00def", nil, nil, 401},
		{"PUT on a response", "PUT", base, resp, level(1), nil, 405},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.request(tc.method, tc.path, tc.token, tc.body, tc.headers...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.500s", rec.Code, tc.status, rec.Body.String())
			}
			body := checkJSONError(t, rec)
			if body.Error.Code == "invalid" && len(body.Error.Fields) == 0 {
				t.Errorf("a 422 that names no field: %s", rec.Body.String())
			}
			if rec.Body.Len() > 4096 {
				t.Errorf("error body of %d bytes: input reflected? %.200s", rec.Body.Len(), rec.Body.String())
			}
			if after := h.rawResponse("r1", "ABC"); after != before {
				t.Fatalf("stored response changed:\nbefore %s\nafter  %s", before, after)
			}
			if after := h.dbSnapshot(); after != snapshot {
				t.Fatalf("the store changed:\n%s", snapshotDiff(snapshot, after))
			}
		})
	}
}
