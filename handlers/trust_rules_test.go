package handlers_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var hongKong = time.FixedZone("HKT", 8*3600)

// TestDeadlinesAct: answers and submissions are refused before the round
// opens and after the department's deadline, with a code naming which and
// the time; an extension moves one department's deadline only.
func TestDeadlinesAct(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h) // round 2026: 2026-01-05 09:00 to 2026-03-31 18:00 HKT
	other := h.credential("respondent", "XYZ")
	item := map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2}}}
	patch := func(token, dept string) (int, string, string) {
		rec := h.request("PATCH", "/api/v1/rounds/2026/responses/"+dept, token, item)
		if rec.Code == http.StatusOK {
			return rec.Code, "", ""
		}
		body := checkJSONError(t, rec)
		return rec.Code, body.Error.Code, body.Error.Message
	}
	cases := []struct {
		name           string
		at             time.Time
		status         int
		code, mentions string
	}{
		{"before the round opens", time.Date(2026, 1, 5, 8, 59, 0, 0, hongKong), 409, "round_not_open", "2026-01-05T01:00:00Z"},
		{"while it is open", time.Date(2026, 3, 31, 17, 59, 0, 0, hongKong), 200, "", ""},
		{"at the deadline", time.Date(2026, 3, 31, 18, 0, 0, 0, hongKong), 409, "deadline_passed", "2026-03-31T10:00:00Z"},
		{"eight months later", time.Date(2026, 11, 30, 10, 0, 0, 0, hongKong), 409, "deadline_passed", "2026-03-31T10:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.clock.Set(tc.at)
			before := h.rawResponse("2026", "ABC")
			status, code, msg := patch(respondent, "ABC")
			if status != tc.status || code != tc.code || !strings.Contains(msg, tc.mentions) {
				t.Fatalf("PATCH: %d %s %q, want %d %s naming %s", status, code, msg, tc.status, tc.code, tc.mentions)
			}
			if tc.status != 200 {
				rec := h.request("POST", "/api/v1/rounds/2026/responses/ABC/submit", respondent, nil)
				if rec.Code != tc.status || checkJSONError(t, rec).Error.Code != tc.code {
					t.Fatalf("submit: %d %s", rec.Code, rec.Body.String())
				}
			}
			if tc.status != 200 && h.rawResponse("2026", "ABC") != before {
				t.Fatal("a refused change changed the response")
			}
		})
	}

	t.Run("an extension moves only that department's deadline, audited", func(t *testing.T) {
		h.clock.Set(time.Date(2026, 4, 10, 10, 0, 0, 0, hongKong))
		out := h.must(http.StatusOK, "PUT", "/api/v1/rounds/2026/departments/ABC/extension", h.admin,
			map[string]any{"closes_at": "2026-04-15T18:00:00+08:00", "reason": "  network outage in March "})
		ext := out["extensions"].(map[string]any)["ABC"].(map[string]any)
		if ext["reason"] != "network outage in March" || ext["closes_at"] != "2026-04-15T10:00:00Z" {
			t.Fatalf("extension: %v", ext)
		}
		if status, _, _ := patch(respondent, "ABC"); status != http.StatusOK {
			t.Fatalf("ABC within its extension: %d", status)
		}
		if got := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/responses/ABC", respondent, nil)["deadline"]; got != "2026-04-15T10:00:00Z" {
			t.Fatalf("response deadline %v", got)
		}
		if status, code, _ := patch(other, "XYZ"); status != http.StatusConflict || code != "deadline_passed" {
			t.Fatalf("XYZ without one: %d %s", status, code)
		}
		events := h.must(http.StatusOK, "GET", "/api/v1/audit?round=2026&department=ABC", h.admin, nil)["events"].([]any)
		if !auditHas(events, "round.extend") {
			t.Fatalf("extension not audited: %v", events)
		}
		// Another department's deadline and its reason are not its peers' to read.
		for _, path := range []string{"/api/v1/rounds", "/api/v1/rounds/2026"} {
			if body := h.request("GET", path, other, nil).Body.String(); strings.Contains(body, "network outage") || strings.Contains(body, `"ABC"`) {
				t.Fatalf("%s shows XYZ the extension of ABC: %s", path, body)
			}
			if body := h.request("GET", path, respondent, nil).Body.String(); !strings.Contains(body, "network outage") {
				t.Fatalf("%s hides ABC's own extension from it: %s", path, body)
			}
		}
		h.must(http.StatusNoContent, "DELETE", "/api/v1/rounds/2026/departments/ABC/extension", h.admin, nil)
		if status, code, _ := patch(respondent, "ABC"); status != http.StatusConflict || code != "deadline_passed" {
			t.Fatalf("after removal: %d %s", status, code)
		}
		if !auditHas(h.must(http.StatusOK, "GET", "/api/v1/audit?round=2026&department=ABC", h.admin, nil)["events"].([]any), "round.unextend") {
			t.Fatal("removal not audited")
		}
	})
	t.Run("bad extensions are refused and change nothing", func(t *testing.T) {
		for _, body := range []map[string]any{
			{"closes_at": "2025-12-01T00:00:00Z", "reason": "before the round opens"},
			{"closes_at": "2026-03-20T00:00:00Z", "reason": "earlier than the round's own deadline"},
			{"closes_at": "soon", "reason": "x"},
			{"closes_at": "2026-05-01T00:00:00Z", "reason": " "},
		} {
			rec := h.request("PUT", "/api/v1/rounds/2026/departments/ABC/extension", h.admin, body)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d", body, rec.Code)
			}
		}
		if rec := h.request("PUT", "/api/v1/rounds/2026/departments/NOPE/extension", h.admin,
			map[string]any{"closes_at": "2026-05-01T00:00:00Z", "reason": "r"}); rec.Code != http.StatusNotFound {
			t.Errorf("unknown department: %d", rec.Code)
		}
	})
	t.Run("the pages say the deadline has passed", func(t *testing.T) {
		page := h.browser().signIn(respondent).page(http.StatusOK, "/rounds/2026/responses/ABC")
		if !strings.Contains(page, `id="closed-notice"`) || !strings.Contains(page, "The deadline has passed") {
			t.Fatalf("no deadline notice:\n%s", page)
		}
	})
}

func auditHas(events []any, action string) bool {
	for _, e := range events {
		if e.(map[string]any)["action"] == action {
			return true
		}
	}
	return false
}

// TestDeactivatedDepartments: a deactivated department's respondent
// changes nothing (403 department_inactive), and the department leaves the
// status, benchmarks and ranking of open rounds; closed rounds keep it.
func TestDeactivatedDepartments(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	other := h.credential("respondent", "XYZ")
	planner := h.credential("planner", "")
	h.answerAll("2026", "ABC", respondent, 1, 1) // answers and submits
	h.answerAll("2026", "XYZ", other, 4, 4)
	h.must(http.StatusOK, "POST", "/api/v1/rounds/2026/responses/ABC/reopen", h.admin, map[string]any{"reason": "recheck"})

	h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"active": false})
	before := h.rawResponse("2026", "ABC")
	for _, req := range []struct{ method, path string }{
		{"PATCH", "/api/v1/rounds/2026/responses/ABC"}, {"POST", "/api/v1/rounds/2026/responses/ABC/submit"},
	} {
		var body any
		if req.method == "PATCH" {
			body = map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 5}}}
		}
		rec := h.request(req.method, req.path, respondent, body)
		if rec.Code != http.StatusForbidden || checkJSONError(t, rec).Error.Code != "department_inactive" {
			t.Fatalf("%s %s: %d %s", req.method, req.path, rec.Code, rec.Body.String())
		}
	}
	if h.rawResponse("2026", "ABC") != before {
		t.Fatal("a deactivated department's change was stored")
	}
	page := h.browser().signIn(respondent).page(http.StatusOK, "/rounds/2026/responses/ABC")
	if !strings.Contains(page, "Your department has been deactivated") {
		t.Fatalf("no deactivation notice:\n%s", page)
	}

	inStatus := func() bool {
		for _, d := range h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/status", h.admin, nil)["departments"].([]any) {
			if d.(map[string]any)["code"] == "ABC" {
				return true
			}
		}
		return false
	}
	submitted := func() float64 {
		return h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/departments/XYZ/scores", h.admin, nil)["government"].(map[string]any)["submitted"].(float64)
	}
	// ABC was reopened, so resubmit it as admin before deactivating again,
	// to check its submission leaves the open round's figures.
	h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"active": true})
	h.must(http.StatusOK, "POST", "/api/v1/rounds/2026/responses/ABC/submit", h.admin, nil)
	if !inStatus() || submitted() != 2 {
		t.Fatalf("active ABC: in status %v, submitted %v", inStatus(), submitted())
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"active": false})
	if inStatus() || submitted() != 1 {
		t.Fatalf("open round still counts the deactivated ABC: in status %v, submitted %v", inStatus(), submitted())
	}
	ranking := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/topics", planner, nil)
	if strings.Contains(fmt.Sprint(ranking), "ABC") {
		t.Fatalf("ranking holds the deactivated ABC: %v", ranking)
	}

	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "closed"})
	if !inStatus() || submitted() != 2 {
		t.Fatalf("closed round changed: in status %v, submitted %v", inStatus(), submitted())
	}
}

// TestEditsNeverOverwriteEachOther: departments and rounds carry a version;
// a change made against an old version is refused with 412 (API) or sent
// back to the current version (pages), so nobody's change is undone.
func TestEditsNeverOverwriteEachOther(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	h.round("2026", "small", false)

	t.Run("concurrent API edits at one version: one wins, the rest 412", func(t *testing.T) {
		v := int(h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"bureau": "Start"})["version"].(float64))
		var wg sync.WaitGroup
		codes := make([]int, 20)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = h.request("PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"bureau": fmt.Sprintf("Bureau %d", i)},
					"If-Match", fmt.Sprintf(`"%d"`, v)).Code
			}()
		}
		wg.Wait()
		won := 0
		for _, c := range codes {
			switch c {
			case http.StatusOK:
				won++
			case http.StatusPreconditionFailed:
			default:
				t.Fatalf("status %d", c)
			}
		}
		if won != 1 {
			t.Fatalf("%d edits won at one version, want 1 (%v)", won, codes)
		}
	})
	t.Run("a stale edit page does not re-activate a deactivated department", func(t *testing.T) {
		b := h.browser().signIn(h.admin)
		page := b.page(http.StatusOK, "/admin/departments/ABC")
		h.must(http.StatusOK, "PATCH", "/api/v1/departments/ABC", h.admin, map[string]any{"active": false})
		form := formValues(page)
		form.Set("name_en", "Renamed on a stale page")
		rec := b.submit(http.StatusSeeOther, "/admin/departments/ABC", form)
		if !strings.Contains(rec.Header().Get("Location"), "flash=changed-meanwhile") {
			t.Fatalf("stale save went to %q", rec.Header().Get("Location"))
		}
		d := h.must(http.StatusOK, "GET", "/api/v1/departments", h.admin, nil)["departments"].([]any)[0].(map[string]any)
		if d["active"] != false || d["name_en"] == "Renamed on a stale page" {
			t.Fatalf("the stale page overwrote: %v", d)
		}
	})
	t.Run("rounds: a stale If-Match is 412 and changes nothing", func(t *testing.T) {
		r := h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"title_en": "Now"})
		v := int(r["version"].(float64))
		rec := h.request("PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"title_en": "Stale"}, "If-Match", fmt.Sprintf(`"%d"`, v-1))
		if rec.Code != http.StatusPreconditionFailed {
			t.Fatalf("stale round edit: %d", rec.Code)
		}
		if got := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026", h.admin, nil)["title"].(map[string]any)["en"]; got != "Now" {
			t.Fatalf("title %v", got)
		}
	})
}

// formValues is what a browser posts of a page's form: every hidden and
// text input, and the checked radio buttons.
func formValues(page string) url.Values {
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="(?:hidden|text)"[^>]* name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`<input type="radio"[^>]* name="([^"]+)" value="([^"]*)" checked`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	return form
}

// TestClosedRoundsStayAsShown: a closed round's figures are final, so a
// submission there cannot be reopened (which would let respondents work a
// department's scores out of the change), and a draft round's workbook is
// as unknown to a department as a round that does not exist.
func TestClosedRoundsStayAsShown(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	h.answerAll("2026", "ABC", respondent, 3, 3)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "closed"})
	before := h.rawResponse("2026", "ABC")
	rec := h.request("POST", "/api/v1/rounds/2026/responses/ABC/reopen", h.admin, map[string]any{"reason": "recheck"})
	if rec.Code != http.StatusConflict || checkJSONError(t, rec).Error.Code != "round_not_open" || h.rawResponse("2026", "ABC") != before {
		t.Fatalf("reopen in a closed round: %d %s", rec.Code, rec.Body.String())
	}

	h.round("2027", "small", false)
	for _, path := range []string{"/api/v1/rounds/2027/departments/ABC/report.xlsx", "/api/v1/rounds/nope/departments/ABC/report.xlsx"} {
		if rec := h.request("GET", path, respondent, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404 for a draft round as for a missing one", path, rec.Code)
		}
	}
}
