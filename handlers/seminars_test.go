package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

// seminarPlanBody plans a seminar from r2025 on Identity and access and
// Data governance (plannerWorld: in r2025 AAA and BBB are below the
// baseline in cs-iam, nobody in ds-gov).
func seminarPlanBody() map[string]any {
	return map[string]any{"title_en": "Access and data for leaders", "title_zh": "領導者的存取及數據管治", "date": "2025-04-01",
		"areas": []string{"ds-gov", "cs-iam"}, "round": "r2025"}
}

type seminarInvitations struct {
	Seminar     struct{ ID string } `json:"seminar"`
	Departments []struct {
		Department string   `json:"department"`
		Score      float64  `json:"score"`
		Gap        float64  `json:"gap"`
		BelowAreas []string `json:"below_areas"`
		Attended   bool     `json:"attended"`
		Contacts   []struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"contacts"`
	} `json:"departments"`
}

type seminarEffect struct {
	From, To string
	Areas    []struct {
		Area      string `json:"area"`
		Attendees struct {
			N          int      `json:"n"`
			MeanChange *float64 `json:"mean_change"`
		} `json:"attendees"`
		Others struct {
			N          int      `json:"n"`
			MeanChange *float64 `json:"mean_change"`
		} `json:"others"`
		Difference *float64 `json:"difference"`
		Caution    bool     `json:"caution"`
	} `json:"areas"`
}

func TestSeminarPlan(t *testing.T) {
	h := newHarness(t)
	pw := newPlannerWorld(t, h)
	id := survey.SeminarID("r2025", "2025-04-01", "", []string{"cs-iam", "ds-gov"})
	base := "/api/v1/seminars/" + id

	t.Run("plan: bad input names the field and changes nothing", func(t *testing.T) {
		for name, tc := range map[string]struct {
			change func(map[string]any)
			field  string
		}{
			"no title":        {func(b map[string]any) { delete(b, "title_zh") }, "title_zh"},
			"not a date":      {func(b map[string]any) { b["date"] = "1 April" }, "date"},
			"theme and areas": {func(b map[string]any) { b["theme"] = "x" }, "areas"},
			"unknown area":    {func(b map[string]any) { b["areas"] = []string{"cs-iam", "zz-top"} }, "areas[1]"},
			"unknown round":   {func(b map[string]any) { b["round"] = "r1999" }, "round"},
		} {
			body := seminarPlanBody()
			tc.change(body)
			rec := h.request("POST", "/api/v1/seminars", pw.planner, body)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"`+tc.field+`"`) {
				t.Errorf("%s: %d %s, want 422 naming %s", name, rec.Code, rec.Body.String(), tc.field)
			}
		}
		if got := h.must(http.StatusOK, "GET", "/api/v1/seminars", pw.planner, nil)["seminars"].([]any); len(got) != 0 {
			t.Fatalf("a refused plan left %d seminars", len(got))
		}
	})

	t.Run("plan, and the same plan again is a conflict", func(t *testing.T) {
		rec := h.request("POST", "/api/v1/seminars", pw.planner, seminarPlanBody())
		if rec.Code != http.StatusCreated || rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
		}
		got := h.must(http.StatusOK, "GET", base, pw.planner, nil)
		if got["id"] != id || strings.Join(toStrings(got["areas"]), ",") != "cs-iam,ds-gov" {
			t.Fatalf("seminar %v", got)
		}
		h.must(http.StatusConflict, "POST", "/api/v1/seminars", h.admin, seminarPlanBody())
		h.must(http.StatusForbidden, "POST", "/api/v1/seminars", pw.tokens["AAA"], seminarPlanBody())
	})

	t.Run("invitations: below the baseline, weakest first, scores only; page, JSON and workbook agree", func(t *testing.T) {
		// Contacts: the department's active respondents, by name.
		h.invite("Wong Siu Ming", "wong@aaa.example", "respondent", "AAA", false)
		h.invite("Chan Tai Man", "chan@aaa.example", "respondent", "AAA", true)
		left := h.invite("Left Earlier", "left@aaa.example", "respondent", "AAA", false)
		h.must(http.StatusOK, "PATCH", "/api/v1/users/"+left, h.admin, map[string]any{"active": false}, "If-Match", `"1"`)
		h.invite("Pat Planner", "pat@csc.example", "planner", "", false)
		inv := decode[seminarInvitations](t, h.must(http.StatusOK, "GET", base+"/invitations", pw.planner, nil))
		if c := inv.Departments[0].Contacts; len(c) != 2 || c[0].Name != "Chan Tai Man" || c[1].Email != "wong@aaa.example" ||
			len(inv.Departments[1].Contacts) != 0 {
			t.Fatalf("contacts %+v, want AAA's two active respondents by name and none for BBB", inv.Departments)
		}
		var codes []string
		for _, d := range inv.Departments {
			codes = append(codes, d.Department)
		}
		// AAA: mean(1, 3) = 2, BBB: mean(2, 3) = 2.5; CCC is at the baseline.
		if strings.Join(codes, " ") != "AAA BBB" || inv.Departments[0].Score != 2 || inv.Departments[0].Gap != 2 ||
			strings.Join(inv.Departments[0].BelowAreas, ",") != "cs-iam" {
			t.Fatalf("invitations %+v", inv)
		}
		plan := h.browser().signIn(pw.planner)
		page := plan.page(http.StatusOK, "/planner/seminars/"+id)
		pageCodes := regexp.MustCompile(`<tr data-dept="([A-Z]+)">`).FindAllStringSubmatch(section(t, page, "invite-heading"), -1)
		if len(pageCodes) != 2 || pageCodes[0][1] != "AAA" || pageCodes[1][1] != "BBB" {
			t.Errorf("the page's invitation list %v", pageCodes)
		}
		wb := openWorkbook(t, h.must200Bytes(t, base+"/invitations.xlsx?lang=en", pw.planner))
		rows, err := wb.GetRows("Invitations")
		if err != nil {
			t.Fatal(err)
		}
		var bookCodes []string
		for _, r := range rows[5:] {
			bookCodes = append(bookCodes, r[0])
		}
		if !slices.Equal(bookCodes, codes) || rows[5][3] != "2.00" {
			t.Errorf("the workbook lists %v (%v), the JSON %v", bookCodes, rows[5], codes)
		}
		for _, body := range []string{page, string(h.must200Bytes(t, base+"/invitations", pw.planner))} {
			for _, m := range []string{plannerComment, plannerEvidence, plannerReason} {
				if strings.Contains(body, m) {
					t.Errorf("a seminar page or list shows answer text %s", m)
				}
			}
		}
	})

	t.Run("attendance: stale versions and unknown departments change nothing", func(t *testing.T) {
		h.must(http.StatusOK, "PUT", base+"/attendance", pw.planner, map[string]any{"departments": []string{"AAA"}}, "If-Match", `"1"`)
		h.must(http.StatusPreconditionFailed, "PUT", base+"/attendance", pw.planner, map[string]any{"departments": []string{"BBB"}}, "If-Match", `"1"`)
		rec := h.request("PUT", base+"/attendance", pw.planner, map[string]any{"departments": []string{"AAA", "ZZZ"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "departments[1]") {
			t.Fatalf("unknown department: %d %s", rec.Code, rec.Body.String())
		}
		got := h.must(http.StatusOK, "GET", base, pw.planner, nil)
		if strings.Join(toStrings(got["attendance"]), ",") != "AAA" || got["version"] != float64(2) {
			t.Fatalf("attendance %v", got)
		}
		renamed := h.must(http.StatusOK, "PATCH", base, pw.planner, map[string]any{"title_en": "Leading on access and data"}, "If-Match", `"2"`)
		if renamed["title_en"] != "Leading on access and data" || renamed["version"] != float64(3) {
			t.Fatalf("rename %v", renamed)
		}
	})

	t.Run("effect: attendees against the others, with the caution below min_group", func(t *testing.T) {
		eff := decode[seminarEffect](t, h.must(http.StatusOK, "GET", base+"/effect?round=r2026", pw.planner, nil))
		// cs-iam: AAA 1 → 2 (+1); BBB 2 → 3, CCC 3 → 4 (+1). ds-gov: AAA 3 → 3;
		// BBB 3 → 1, CCC 3 → 2 (−1.5).
		want := map[string][2]float64{"cs-iam": {1, 1}, "ds-gov": {0, -1.5}}
		if len(eff.Areas) != 2 {
			t.Fatalf("effect %+v", eff)
		}
		for _, a := range eff.Areas {
			w := want[a.Area]
			if a.Attendees.N != 1 || a.Others.N != 2 || *a.Attendees.MeanChange != w[0] || *a.Others.MeanChange != w[1] ||
				*a.Difference != w[0]-w[1] || !a.Caution {
				t.Errorf("%s: %+v", a.Area, a)
			}
		}
		for _, bad := range []string{"", "?round=r2025", "?round=r1999", "?round=BAD"} {
			if rec := h.request("GET", base+"/effect"+bad, pw.planner, nil); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("effect%s: %d, want 422", bad, rec.Code)
			}
		}
		h.must(http.StatusForbidden, "GET", base+"/effect?round=r2026", pw.tokens["AAA"], nil)
		page := h.browser().signIn(pw.planner).page(http.StatusOK, "/planner/seminars/"+id+"?round=r2026")
		effect := section(t, page, "effect-heading")
		for _, want := range []string{"Attending departments improved 1.50 points more than the others.", "Caution: a group has fewer than 5 departments."} {
			if !strings.Contains(effect, want) {
				t.Errorf("the effect section lacks %q:\n%s", want, effect)
			}
		}
	})

	t.Run("a seminar planned on a draft round stays hidden from planners", func(t *testing.T) {
		h.round("r2030", "small", false)
		body := seminarPlanBody()
		body["round"] = "r2030"
		h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/seminars", pw.planner, body)
		draft := h.must(http.StatusCreated, "POST", "/api/v1/seminars", h.admin, body)["id"].(string)
		h.must(http.StatusNotFound, "GET", "/api/v1/seminars/"+draft+"/invitations", pw.planner, nil)
		h.must(http.StatusNotFound, "GET", "/api/v1/seminars/"+draft, pw.planner, nil)
		h.must(http.StatusNotFound, "PUT", "/api/v1/seminars/"+draft+"/attendance", pw.planner, map[string]any{"departments": []string{"AAA"}})
		h.must(http.StatusOK, "GET", "/api/v1/seminars/"+draft+"/invitations", h.admin, nil)
		for token, want := range map[string]bool{pw.planner: false, h.admin: true} {
			listed := false
			for _, s := range h.must(http.StatusOK, "GET", "/api/v1/seminars", token, nil)["seminars"].([]any) {
				listed = listed || s.(map[string]any)["id"] == draft
			}
			if listed != want {
				t.Errorf("the draft round's seminar listed: %v, want %v", listed, want)
			}
		}
	})

	t.Run("the pages plan a seminar and record attendance", func(t *testing.T) {
		plan := h.browser().signIn(pw.planner)
		form := plan.page(http.StatusOK, "/planner/seminars?round=r2026&area=ds-gov")
		if !strings.Contains(form, `value="ds-gov" checked`) || !strings.Contains(form, "Leading data governance") {
			t.Fatalf("the plan form is not prefilled from the ranking's link:\n%s", section(t, form, "plan-heading"))
		}
		rec := plan.submit(http.StatusSeeOther, "/planner/seminars", url.Values{"round": {"r2026"}, "title_en": {"Data governance"},
			"title_zh": {"數據管治"}, "date": {"2026-05-04"}, "areas": {"ds-gov"}})
		loc := rec.Header().Get("Location")
		if !strings.HasPrefix(loc, "/planner/seminars/r2026_20260504_areas-") {
			t.Fatalf("created seminar at %q", loc)
		}
		seminarPath, _, _ := strings.Cut(loc, "?")
		bad := plan.post("/planner/seminars", url.Values{"round": {"r2026"}, "title_en": {""}, "title_zh": {"x"}, "date": {"2026-05-04"}, "areas": {"ds-gov"}})
		if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `id="f-title_en-error"`) {
			t.Errorf("a plan without title: %d", bad.Code)
		}
		page := plan.page(http.StatusOK, seminarPath)
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		plan.submit(http.StatusSeeOther, seminarPath+"/attendance", url.Values{"departments": {"BBB", "CCC"}, "version": {version[1]}})
		if got := plan.page(http.StatusOK, seminarPath); !strings.Contains(got, `id="attended-count">2<`) {
			t.Errorf("attendance not recorded:\n%s", section(t, got, "attendance-heading"))
		}
		// The same stale form again changes nothing and says so.
		rec = plan.submit(http.StatusSeeOther, seminarPath+"/attendance", url.Values{"departments": {"AAA"}, "version": {version[1]}})
		if !strings.Contains(rec.Header().Get("Location"), "changed-meanwhile") {
			t.Errorf("a stale attendance form: %s", rec.Header().Get("Location"))
		}
	})
}

// must200Bytes is the body of a GET that must succeed.
func (h *harness) must200Bytes(t *testing.T, path, token string) []byte {
	t.Helper()
	rec := h.request("GET", path, token, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
