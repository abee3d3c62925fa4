package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const domainCS = "/rounds/2026/responses/ABC/domains/cs"

// The cs domain of the small questionnaire has two capability areas, one
// step each: identity and access (the domain's first step) and cloud.
const (
	areaIAM   = domainCS + "?area=cs-iam"
	areaCloud = domainCS + "?area=cs-cloud"
)

func TestWebAnswerFormWithoutScript(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	b := h.browser().signIn(respondent)

	page := b.page(http.StatusOK, domainCS)
	for _, want := range []string{
		`<fieldset aria-describedby="help-cs-iam-1">`,
		`<legend><span class="qid">cs-iam-1</span> Multi-factor sign-in</legend>`,
		`<label for="cs-iam-1-l3"><span class="level-name">Level 3 – Defined</span> <span class="descriptor">Multi-factor sign-in: practice at level 3</span></label>`,
		`<label for="cs-iam-1-comment">`,    // a comment everywhere
		`<meta name="csrf-token" content="`, // for the script's API calls
		`<progress id="progress-overall" max="6" value="0">`,
		`<a href="/rounds/2026/responses/ABC/domains/cs?area=cs-iam" aria-current="step">`, // the list of steps
		`<a href="/rounds/2026/responses/ABC/domains/cs?area=cs-cloud" rel="next" id="next-step"`,
		`id="continue-link"`,
	} {
		if !strings.Contains(page, want) {
			t.Fatalf("domain page lacks %s:\n%s", want, page)
		}
	}
	if strings.Contains(page, `for="cs-iam-1-na"`) || strings.Contains(page, `id="q-cs-cloud-1"`) {
		t.Fatal("N/A offered where the questionnaire does not allow it, or another area's question on this step")
	}
	cloud := b.page(http.StatusOK, areaCloud)
	for _, want := range []string{
		`<label for="cs-cloud-1-na">`,     // N/A where allowed,
		`<label for="cs-cloud-1-reason">`, // with its reason
		`<a href="/rounds/2026/responses/ABC/domains/cs?area=cs-iam" rel="prev" id="prev-step">`,
		`<a href="/rounds/2026/responses/ABC/domains/ds?area=ds-gov" rel="next" id="next-step"`,
	} {
		if !strings.Contains(cloud, want) {
			t.Fatalf("cloud step lacks %s:\n%s", want, cloud)
		}
	}
	if rec := b.get(domainCS + "?area=ds-gov"); rec.Code != http.StatusNotFound {
		t.Fatalf("an area of another domain: %d", rec.Code)
	}

	// Answer a question on each step; untouched ones are not sent.
	rec := b.submit(http.StatusSeeOther, areaIAM, answerForm(t, page, map[string]string{
		"level.cs-iam-1": "3", "comment.cs-iam-1": "MFA\r\nfor all"}))
	if rec.Header().Get("Location") != areaIAM+"&flash=saved" {
		t.Fatalf("redirect to %q", rec.Header().Get("Location"))
	}
	b.submit(http.StatusSeeOther, areaCloud, answerForm(t, cloud, map[string]string{"level.cs-cloud-1": "na", "na_reason.cs-cloud-1": " No cloud "}))
	got := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/responses/ABC", respondent, nil)
	answers := got["answers"].(map[string]any)
	if a := answers["cs-iam-1"].(map[string]any); a["level"] != 3.0 || a["comment"] != "MFA\nfor all" || a["rev"] != 1.0 {
		t.Fatalf("cs-iam-1: %v", a)
	}
	if a := answers["cs-cloud-1"].(map[string]any); a["na"] != true || a["na_reason"] != "No cloud" {
		t.Fatalf("cs-cloud-1: %v", a)
	}
	if len(answers) != 2 {
		t.Fatalf("unchanged questions were saved: %v", answers)
	}
	page = b.page(http.StatusOK, areaIAM+"&flash=saved")
	if !strings.Contains(page, `id="cs-iam-1-l3" value="3" checked`) || !strings.Contains(page, "Your answers have been saved.") ||
		!strings.Contains(page, `<progress id="progress-overall" max="6" value="2">`) || !strings.Contains(page, `id="meta-cs-iam-1">Last changed by respondent ABC at 2026-`) {
		t.Fatalf("saved answers not shown:\n%s", page)
	}

	t.Run("saving an unchanged page changes nothing", func(t *testing.T) {
		before := h.rawResponse("2026", "ABC")
		rec := b.submit(http.StatusSeeOther, areaIAM, answerForm(t, page, nil))
		if !strings.HasSuffix(rec.Header().Get("Location"), "flash=unchanged") || h.rawResponse("2026", "ABC") != before {
			t.Fatalf("unchanged save: %q", rec.Header().Get("Location"))
		}
	})

	t.Run("invalid answers are shown at their fields and change nothing", func(t *testing.T) {
		before := h.rawResponse("2026", "ABC")
		rec := b.submit(http.StatusUnprocessableEntity, areaIAM, answerForm(t, page, map[string]string{
			"comment.cs-iam-2": strings.Repeat("x", 4001), "level.cs-iam-2": "2",
		}))
		body := rec.Body.String()
		for _, want := range []string{
			`<div class="error-summary" role="alert"`,
			`<a href="#cs-iam-2-comment">`,
			`id="err-cs-iam-2-comment">Must be at most 4000 characters.`,
			`name="comment.cs-iam-2" rows="2" maxlength="4000" aria-invalid="true" aria-describedby="err-cs-iam-2-comment">xxxx`,
			`id="cs-iam-2-l2" value="2" checked`, // what the user posted is kept
		} {
			if !strings.Contains(body, want) {
				t.Fatalf("error page lacks %s:\n%s", want, body)
			}
		}
		// A reason typed while a level is chosen is never dropped: the
		// page comes back with it and says why it was not saved.
		rec = b.submit(http.StatusUnprocessableEntity, areaCloud, answerForm(t, cloud, map[string]string{
			"level.cs-cloud-2": "4", "na_reason.cs-cloud-2": "typed by mistake"}))
		if body := rec.Body.String(); !strings.Contains(body, `aria-describedby="err-cs-cloud-2-reason">typed by mistake</textarea>`) {
			t.Fatalf("reason with a level:\n%s", body)
		}
		if h.rawResponse("2026", "ABC") != before {
			t.Fatal("an invalid form changed the response")
		}
	})

	t.Run("a level outside the scale is a field error", func(t *testing.T) {
		rec := b.submit(http.StatusUnprocessableEntity, areaIAM, answerForm(t, page, map[string]string{"level.cs-iam-2": "9"}))
		if !strings.Contains(rec.Body.String(), `id="err-cs-iam-2-level">Choose one of the levels.`) {
			t.Fatalf("no level error:\n%s", rec.Body.String())
		}
	})

	t.Run("someone else's change meanwhile is a conflict, and saving again keeps mine", func(t *testing.T) {
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", h.admin,
			map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 1, "comment": "from the DPO"}}})
		stale := answerForm(t, page, map[string]string{"level.cs-iam-1": "4", "level.cs-iam-2": "2"})
		rec := b.submit(http.StatusConflict, areaIAM, stale)
		body := rec.Body.String()
		if !strings.Contains(body, `id="theirs-cs-iam-1"`) || !strings.Contains(body, "Level 1 – Initial · Comment: from the DPO · Last changed by test admin at 2026-") ||
			!strings.Contains(body, `id="cs-iam-1-l4" value="4" checked`) {
			t.Fatalf("conflict page:\n%s", body)
		}
		if a := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/responses/ABC", respondent, nil)["answers"].(map[string]any); a["cs-iam-2"] != nil {
			t.Fatal("a conflicting save applied part of the form")
		}
		b.submit(http.StatusSeeOther, areaIAM, answerForm(t, body, nil))
		a := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/responses/ABC", respondent, nil)["answers"].(map[string]any)
		if a["cs-iam-1"].(map[string]any)["level"] != 4.0 || a["cs-iam-2"].(map[string]any)["level"] != 2.0 {
			t.Fatalf("keep mine: %v", a)
		}
	})

	t.Run("another person's change to a question I did not touch is kept", func(t *testing.T) {
		page := b.page(http.StatusOK, areaIAM)
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", h.admin,
			map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 5}}})
		b.submit(http.StatusSeeOther, areaIAM, answerForm(t, page, map[string]string{"comment.cs-iam-2": "reviewed"}))
		a := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/responses/ABC", respondent, nil)["answers"].(map[string]any)
		if a["cs-iam-1"].(map[string]any)["level"] != 5.0 || a["cs-iam-2"].(map[string]any)["comment"] != "reviewed" {
			t.Fatalf("answers: %v", a)
		}
	})

	t.Run("N/A without a reason says at the question that one is needed", func(t *testing.T) {
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", respondent,
			map[string]any{"answers": map[string]any{"cs-cloud-2": map[string]any{"na": true}}})
		if page := b.page(http.StatusOK, areaCloud); !strings.Contains(page, `<p class="q-save is-warn" id="save-cs-cloud-2">Saved as N/A. A reason is needed`) {
			t.Fatalf("cloud step:\n%s", page)
		}
	})
}

func TestWebOtherDepartmentIsNotFound(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	other := h.credential("respondent", "XYZ")
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/XYZ", other,
		map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2, "comment": "secret of XYZ"}}})
	b := h.browser().signIn(respondent)
	before := h.rawResponse("2026", "XYZ")
	for _, path := range []string{
		"/rounds/2026/responses/XYZ", "/rounds/2026/responses/XYZ/domains/cs",
		"/rounds/2026/responses/XYZ/review", "/rounds/2026/responses/XYZ/submit",
		"/rounds/2026/responses/NOPE", "/rounds/nope/responses/ABC", "/rounds/2026/responses/ABC/domains/nope",
		"/download/rounds/2026/departments/XYZ/report.xlsx",
	} {
		t.Run(path, func(t *testing.T) {
			rec := b.get(path)
			if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "secret of XYZ") {
				t.Fatalf("GET: %d\n%s", rec.Code, rec.Body.String())
			}
		})
	}
	for _, path := range []string{"/rounds/2026/responses/XYZ/domains/cs", "/rounds/2026/responses/XYZ/submit"} {
		if rec := b.post(path, url.Values{"level.cs-iam-1": {"5"}, "base.cs-iam-1": {"1"}}); rec.Code != http.StatusNotFound {
			t.Fatalf("POST %s: %d", path, rec.Code)
		}
	}
	if rec := b.post("/rounds/2026/responses/ABC/reopen", url.Values{"reason": {"x"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("respondent reopening: %d", rec.Code)
	}
	if rec := b.get("/admin/rounds/2026"); rec.Code != http.StatusForbidden {
		t.Fatalf("respondent on the dashboard: %d", rec.Code)
	}
	if h.rawResponse("2026", "XYZ") != before {
		t.Fatal("another department's response changed")
	}
}

func TestWebReviewSubmitAndReopen(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	b := h.browser().signIn(respondent)
	base := "/rounds/2026/responses/ABC"
	h.must(http.StatusOK, "PATCH", "/api/v1"+strings.TrimPrefix(base, ""), respondent, map[string]any{"answers": map[string]any{
		"cs-iam-1": map[string]any{"level": 3}, "cs-iam-2": map[string]any{"level": 4},
		"cs-cloud-1": map[string]any{"na": true},
	}})

	review := b.page(http.StatusOK, base+"/review")
	for _, want := range []string{
		`<a href="/rounds/2026/responses/ABC/domains/cs?area=cs-cloud#q-cs-cloud-1">cs-cloud-1 `, "N/A without a reason",
		`<a href="/rounds/2026/responses/ABC/domains/cs?area=cs-cloud#q-cs-cloud-2">`, `<a href="/rounds/2026/responses/ABC/domains/ds?area=ds-gov#q-ds-gov-1">`,
		`<th scope="row">Cybersecurity</th><td class="num">3.67</td>`, // (3×1 + 4×2) / 3 in cs-iam
	} {
		if !strings.Contains(review, want) {
			t.Fatalf("review lacks %s:\n%s", want, review)
		}
	}
	if strings.Contains(review, `href="/rounds/2026/responses/ABC/submit"`) {
		t.Fatal("an incomplete response offers submission")
	}
	if rec := b.get(base + "/submit"); rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "/review") {
		t.Fatalf("confirm page of an incomplete response: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := b.post(base+"/submit", nil); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("submitting an incomplete response: %d", rec.Code)
	}

	h.must(http.StatusOK, "PATCH", "/api/v1"+base, respondent, map[string]any{"answers": map[string]any{
		"cs-cloud-1": map[string]any{"na": true, "na_reason": "no cloud"}, "cs-cloud-2": map[string]any{"level": 2},
		"ds-gov-1": map[string]any{"level": 3}, "ds-gov-2": map[string]any{"level": 5, "comment": "kept read-only"},
	}})
	if review := b.page(http.StatusOK, base+"/review"); !strings.Contains(review, `id="to-submit"`) {
		t.Fatalf("a complete response has no way to submit:\n%s", review)
	}
	confirm := b.page(http.StatusOK, base+"/submit")
	if !strings.Contains(confirm, `<form method="post" action="/rounds/2026/responses/ABC/submit"`) {
		t.Fatalf("confirm page:\n%s", confirm)
	}
	rec := b.submit(http.StatusSeeOther, base+"/submit", nil)
	if rec.Header().Get("Location") != base+"?flash=submitted" {
		t.Fatalf("after submit: %q", rec.Header().Get("Location"))
	}
	done := b.page(http.StatusOK, rec.Header().Get("Location"))
	for _, want := range []string{"The response has been submitted.", "Comment: kept read-only",
		`href="/download/rounds/2026/departments/ABC/report.xlsx?lang=en"`} {
		if !strings.Contains(done, want) {
			t.Fatalf("submitted response page lacks %s:\n%s", want, done)
		}
	}
	if strings.Contains(done, "<textarea") || strings.Contains(b.page(http.StatusOK, base+"/domains/cs"), "<textarea") {
		t.Fatal("a submitted response is still editable")
	}
	if rec := b.get("/download/rounds/2026/departments/ABC/report.xlsx?lang=zh"); rec.Code != http.StatusOK ||
		!strings.HasPrefix(rec.Body.String(), "PK") {
		t.Fatalf("report download through the page session: %d %.200s", rec.Code, rec.Body.String())
	}

	admin := h.browser().signIn(h.admin)
	dash := admin.page(http.StatusOK, "/admin/rounds/2026")
	if !regexp.MustCompile(`(?s)<tr data-dept="ABC" data-status="submitted">.*?status-submitted`).MatchString(dash) ||
		!strings.Contains(dash, `<ul id="chase" class="chase">`) || !strings.Contains(dash, "XYZ") {
		t.Fatalf("dashboard:\n%s", dash)
	}
	if sub := admin.page(http.StatusOK, "/admin/rounds/2026?status=submitted"); strings.Contains(sub, `<tr data-dept="XYZ"`) ||
		!strings.Contains(sub, `<tr data-dept="ABC"`) || !strings.Contains(sub, `aria-current="page">Submitted (1)`) {
		t.Fatalf("submitted filter:\n%s", sub)
	}

	rec = admin.submit(http.StatusUnprocessableEntity, base+"/reopen", url.Values{"reason": {"  "}})
	if !strings.Contains(rec.Body.String(), `aria-invalid="true" aria-describedby="reason-error"`) {
		t.Fatalf("reopen without reason:\n%s", rec.Body.String())
	}
	admin.submit(http.StatusSeeOther, base+"/reopen", url.Values{"reason": {"wrong level for ds-gov-2"}})
	page := b.page(http.StatusOK, base+"/domains/ds")
	if !strings.Contains(page, "<textarea") {
		t.Fatal("a reopened response is not editable")
	}
	// The respondent is told who reopened it, when and why; the DPO sees
	// it as Reopened on the dashboard and in the audit trail.
	if !regexp.MustCompile(`id="reopened-notice">Reopened by the DPO on 2026-02-02 \d\d:\d\d UTC\. <span class="reason">Reason: wrong level for ds-gov-2</span>`).MatchString(page) {
		t.Fatalf("no reopened notice:\n%s", page)
	}
	dash = admin.page(http.StatusOK, "/admin/rounds/2026?status=reopened")
	if !strings.Contains(dash, `<tr data-dept="ABC" data-status="reopened">`) || strings.Contains(dash, `<tr data-dept="XYZ"`) ||
		!strings.Contains(dash, `aria-current="page">Reopened (1)`) {
		t.Fatalf("reopened filter:\n%s", dash)
	}
	audit := admin.page(http.StatusOK, "/admin/audit?round=2026&action=response.reopen")
	if !strings.Contains(audit, "Reason: wrong level for ds-gov-2") || !strings.Contains(audit, `<th scope="row">Response reopened`) || strings.Contains(audit, `<th scope="row">Answer changed`) {
		t.Fatalf("audit page:\n%s", audit)
	}
	b.submit(http.StatusSeeOther, base+"/submit", nil)
	if page := b.page(http.StatusOK, base); strings.Contains(page, "reopened-notice") {
		t.Fatal("the reopened notice stays after the response is submitted again")
	}
	if review := b.page(http.StatusOK, base+"/review"); strings.Contains(review, "You can submit") || !strings.Contains(review, `id="submitted-notice"`) {
		t.Fatalf("review after submission:\n%s", review)
	}
}

func TestWebEscapesUserText(t *testing.T) {
	h := newHarness(t)
	const evil = `<script>alert("x")</script>`
	h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin,
		map[string]any{"code": "EVL", "name_en": evil, "name_zh": evil, "bureau": evil})
	respondent := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin,
		map[string]any{"role": "respondent", "department": "EVL", "label": evil})["token"].(string)
	h.round("2026", "small", true)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/EVL", respondent, map[string]any{"answers": map[string]any{
		"cs-iam-1": map[string]any{"level": 1, "comment": evil}, "cs-cloud-1": map[string]any{"na": true, "na_reason": evil},
	}})
	admin := h.browser().signIn(h.admin)
	resp := h.browser().signIn(respondent)
	pages := map[*webClient][]string{
		admin: {"/admin/departments", "/admin/departments/EVL", "/admin/credentials", "/admin/rounds/2026",
			"/rounds/2026/responses/EVL", "/rounds/2026/responses/EVL/domains/cs"},
		resp: {"/", "/rounds/2026/responses/EVL", "/rounds/2026/responses/EVL/domains/cs", "/rounds/2026/responses/EVL/review"},
	}
	for b, paths := range pages {
		for _, path := range paths {
			body := b.page(http.StatusOK, path)
			if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Fatalf("%s: user text not escaped:\n%s", path, body)
			}
		}
	}
}
