package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// auditEvents lists every audit event, newest first, through the API.
func (h *harness) auditEvents() []map[string]any {
	h.t.Helper()
	var out []map[string]any
	before := ""
	for range 100 {
		q := url.Values{"limit": {"500"}}
		if before != "" {
			q.Set("before", before)
		}
		body := h.must(http.StatusOK, "GET", "/api/v1/audit?"+q.Encode(), h.admin, nil)
		for _, e := range body["events"].([]any) {
			out = append(out, e.(map[string]any))
		}
		next, _ := body["next_before"].(string)
		if next == "" {
			return out
		}
		before = next
	}
	h.t.Fatal("audit paging does not end")
	return nil
}

// TestAuditEveryChangePath: every way to change something, through the API
// and through the pages, writes exactly one audit event naming the action,
// the actor's role, the round and department; a request that changes
// nothing writes none; and no event holds comment, evidence or N/A reason
// text.
func TestAuditEveryChangePath(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "small", true)
	admin := h.callerWith("admin", h.admin)
	respPage := h.callerWith("respondent", resp)
	const (
		comment  = "AUDIT-COMMENT-TEXT"
		evidence = "AUDIT-EVIDENCE-TEXT"
		reason   = "AUDIT-NA-REASON-TEXT"
	)
	all := map[string]any{
		"cs-iam-1":   map[string]any{"level": 3, "comment": comment, "evidence": evidence},
		"cs-iam-2":   map[string]any{"level": 2},
		"cs-cloud-1": map[string]any{"na": true, "na_reason": reason},
		"cs-cloud-2": map[string]any{"level": 1},
		"ds-gov-1":   map[string]any{"level": 4},
		"ds-gov-2":   map[string]any{"level": 5},
	}
	var credID string
	api := func(status int, method, path, token string, body any) func(t *testing.T) {
		return func(t *testing.T) {
			t.Helper()
			h.must(status, method, path, token, body)
		}
	}
	page := func(status int, path string, c caller, form func() url.Values) func(t *testing.T) {
		return func(t *testing.T) {
			t.Helper()
			rec := h.send("POST", path, c, form())
			if rec.Code != status {
				t.Fatalf("POST %s: %d, want %d: %.300s", path, rec.Code, status, rec.Body.String())
			}
		}
	}
	values := func(kv ...string) func() url.Values {
		return func() url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
	}
	domainForm := func(changes map[string]string) func() url.Values {
		return func() url.Values {
			rec := h.send("GET", "/rounds/r1/responses/ABC/domains/cs", respPage, nil)
			if rec.Code != http.StatusOK {
				h.t.Fatalf("domain page: %d", rec.Code)
			}
			return answerForm(h.t, rec.Body.String(), changes)
		}
	}
	base := "/api/v1/rounds/r1/responses/ABC"

	steps := []struct {
		name   string
		do     func(t *testing.T)
		action string // "" when nothing may be recorded
		round  string
		dept   string
		role   string
	}{
		{"API: create a department", api(201, "POST", "/api/v1/departments", h.admin, map[string]any{"code": "DEF", "name_en": "n", "name_zh": "n", "bureau": "b"}), "department.create", "", "DEF", "admin"},
		{"API: update a department", api(200, "PATCH", "/api/v1/departments/DEF", h.admin, map[string]any{"bureau": "c"}), "department.update", "", "DEF", "admin"},
		{"API: a department update that changes nothing", api(200, "PATCH", "/api/v1/departments/DEF", h.admin, map[string]any{"bureau": "c"}), "", "", "", ""},
		{"API: issue a credential", func(t *testing.T) {
			credID = h.must(201, "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "planner", "label": "p"})["id"].(string)
		}, "credential.issue", "", "", "admin"},
		{"API: revoke a credential", func(t *testing.T) { h.must(204, "DELETE", "/api/v1/credentials/"+credID, h.admin, nil) }, "credential.revoke", "", "", "admin"},
		{"API: create a round", api(201, "POST", "/api/v1/rounds", h.admin, map[string]any{"id": "r2", "title_en": "t", "title_zh": "t", "questionnaire": "small", "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"}), "round.create", "r2", "", "admin"},
		{"API: update a round", api(200, "PATCH", "/api/v1/rounds/r2", h.admin, map[string]any{"title_en": "t2"}), "round.update", "r2", "", "admin"},
		{"API: answer", api(200, "PATCH", base, resp, map[string]any{"answers": all}), "response.answer", "r1", "ABC", "respondent"},
		{"API: an answer that changes nothing", api(200, "PATCH", base, resp, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 2}}}), "", "", "", ""},
		{"API: submit", api(200, "POST", base+"/submit", resp, nil), "response.submit", "r1", "ABC", "respondent"},
		{"API: reopen", api(200, "POST", base+"/reopen", h.admin, map[string]any{"reason": "wrong level"}), "response.reopen", "r1", "ABC", "admin"},
		{"API: submit on the department's behalf", api(200, "POST", base+"/submit", h.admin, nil), "response.submit", "r1", "ABC", "admin"},
		{"API: reopen again", api(200, "POST", base+"/reopen", h.admin, map[string]any{"reason": "again"}), "response.reopen", "r1", "ABC", "admin"},

		{"page: create a department", page(303, "/admin/departments", admin, values("code", "GHI", "name_en", "n", "name_zh", "n", "bureau", "b")), "department.create", "", "GHI", "admin"},
		{"page: update a department", page(303, "/admin/departments/GHI", admin, values("bureau", "other")), "department.update", "", "GHI", "admin"},
		{"page: issue a credential", page(303, "/admin/credentials", admin, values("role", "planner", "label", "page")), "credential.issue", "", "", "admin"},
		{"page: revoke a credential", func(t *testing.T) {
			creds := h.must(200, "GET", "/api/v1/credentials", h.admin, nil)["credentials"].([]any)
			id := creds[len(creds)-1].(map[string]any)["id"].(string)
			page(303, "/admin/credentials/"+id+"/revoke", admin, values())(t)
		}, "credential.revoke", "", "", "admin"},
		{"page: create a round", page(303, "/admin/rounds", admin, values("id", "r3", "title_en", "t", "title_zh", "t", "questionnaire", "small:1", "opens_at", "2026-01-05T09:00", "closes_at", "2026-03-31T18:00")), "round.create", "r3", "", "admin"},
		{"page: open a round", page(303, "/admin/rounds/r3/state", admin, values("state", "open")), "round.update", "r3", "", "admin"},
		{"page: answer", page(303, "/rounds/r1/responses/ABC/domains/cs", respPage, domainForm(map[string]string{"level.cs-iam-2": "4", "comment.cs-iam-2": comment})), "response.answer", "r1", "ABC", "respondent"},
		{"page: an answer form with no change", page(303, "/rounds/r1/responses/ABC/domains/cs", respPage, domainForm(nil)), "", "", "", ""},
		{"page: submit", page(303, "/rounds/r1/responses/ABC/submit", respPage, values()), "response.submit", "r1", "ABC", "respondent"},
		{"page: reopen", page(303, "/rounds/r1/responses/ABC/reopen", admin, values("reason", "page reopen")), "response.reopen", "r1", "ABC", "admin"},
	}
	seen := map[string]bool{}
	for _, e := range h.auditEvents() {
		seen[e["id"].(string)] = true
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			var fresh []map[string]any
			for _, e := range h.auditEvents() {
				if id := e["id"].(string); !seen[id] {
					seen[id] = true
					fresh = append(fresh, e)
				}
			}
			if step.action == "" {
				if len(fresh) != 0 {
					t.Fatalf("a request that changed nothing wrote %v", fresh)
				}
				return
			}
			if len(fresh) != 1 {
				t.Fatalf("%d events, want one %s: %v", len(fresh), step.action, fresh)
			}
			ev := fresh[0]
			actor, _ := ev["actor"].(string)
			round, _ := ev["round"].(string)
			dept, _ := ev["department"].(string)
			if ev["action"] != step.action || round != step.round || (step.dept != "" && dept != step.dept) ||
				!strings.HasPrefix(actor, step.role+":") || ev["at"] == "" {
				t.Fatalf("event %v, want %s by %s on round %q department %q", ev, step.action, step.role, step.round, step.dept)
			}
			data, _ := json.Marshal(ev)
			for _, text := range []string{comment, evidence, reason} {
				if strings.Contains(string(data), text) {
					t.Fatalf("the event holds answer text: %s", data)
				}
			}
		})
	}
}
