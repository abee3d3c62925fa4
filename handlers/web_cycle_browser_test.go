package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dpo/dgsurvey/survey"
)

// TestBrowserYearlyCycle: from the pages alone, the DPO uploads next
// year's questionnaire (first with a mistake, whose problem the page lists
// with its line), checks the differences and the preview in both
// languages, publishes it, and opens "a new round like this one"; the
// department finds last year's answers carried over, confirms them (one
// area at once, one question alone), answers, reviews and submits.
func TestBrowserYearlyCycle(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	respondent := h.credential("respondent", "ABC")
	h.publishTestBank()
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, newRoundBody("y1", "dg-test", 1))
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "open"})
	v1 := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-test?version=1", respondent, nil)
	h.answerEvery("y1", "ABC", respondent, v1, levelFor)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "closed"})

	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := file("broken.yaml", testBank(t, 2, firstQuestionNA, "            weight: 0\n            na_allowed: false\n"))
	good := file("v2.yaml", testBank(t, 2, firstQuestionText, "IT or digital plan (revised) and its link"))

	axe := axeSource(t)
	s := newSite(t, h)
	admin := s.newTab()
	admin.signIn(h.admin)

	t.Run("an upload with a mistake lists its problem and line", func(t *testing.T) {
		admin.open("/admin/questionnaires")
		admin.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{broken}))
		admin.follow(`form[action="/admin/questionnaires"] button[type="submit"]`)
		problems := admin.text("#problems")
		if !strings.Contains(problems, "domains[0].areas[0].questions[0].weight") || !strings.Contains(problems, "weight must be") {
			t.Fatalf("problems list: %s", admin.snapshot())
		}
		accessible(t, admin, axe, "the problems list")
	})

	t.Run("upload, differences, preview in both languages, publish", func(t *testing.T) {
		admin.open("/admin/questionnaires")
		admin.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{good}))
		admin.follow(`form[action="/admin/questionnaires"] button[type="submit"]`)
		if loc := eval[string](admin, `location.pathname`); loc != "/admin/questionnaires/dg-test/versions/2" {
			t.Fatalf("after the upload: %s", admin.snapshot())
		}
		if diff := admin.text("#diff"); !strings.Contains(diff, "ism-strategy-1") || !strings.Contains(diff, "question text") {
			t.Fatalf("differences: %s", diff)
		}
		if preview := admin.text("#preview"); !strings.Contains(preview, "IT or digital plan (revised)") {
			t.Fatalf("English preview: %.300s", preview)
		}
		accessible(t, admin, axe, "the draft's page")
		admin.follow(`#preview-other`)
		if preview := admin.text("#preview"); !strings.Contains(preview, "資訊科技") {
			t.Fatalf("Chinese preview: %.300s", preview)
		}
		admin.open("/lang/zh?next=" + url.QueryEscape("/admin/questionnaires/dg-test/versions/2"))
		accessible(t, admin, axe, "the draft's page in Chinese")
		admin.open("/lang/en?next=" + url.QueryEscape("/admin/questionnaires/dg-test/versions/2"))
		admin.follow(`#publish`)
		if state := admin.text("#version-state"); state != "Published" {
			t.Fatalf("after publishing: %s", admin.snapshot())
		}
	})

	t.Run("a new round like last year's, opened", func(t *testing.T) {
		admin.open("/admin/rounds")
		accessible(t, admin, axe, "the rounds page with its copy forms")
		admin.do(chromedp.SendKeys(chromedp.ID("copy-y1"), "y2"))
		admin.follow(`form[action="/admin/rounds/y1/copy"] button[type="submit"]`)
		r, err := h.store.Round(context.Background(), "y2")
		if err != nil || r.PrefillFrom != "y1" || r.QuestionnaireVersion != 2 || r.OpensAt.Year() != 2027 {
			t.Fatalf("the copied round: %+v %v\n%s", r, err, admin.snapshot())
		}
		admin.open("/admin/rounds")
		// Opening asks first (pages: a dialog with the script).
		admin.do(chromedp.Click(chromedp.CSS(`a[href="/admin/rounds/y2/state?to=open"]`)))
		admin.waitFor("the confirmation dialog", `document.getElementById('confirm-dialog').open`)
		admin.follow("#confirm-yes")
		h.clock.Set(nextYear)
	})

	dept := s.newTab()
	dept.signIn(respondent)
	base := "/rounds/y2/responses/ABC"
	carried := func() (unconfirmed int) {
		r, err := h.store.Response(context.Background(), "y2", "ABC")
		if err != nil {
			t.Fatal(err)
		}
		return len(r.UnconfirmedIDs(mustQuestionnaire(t, h, "y2")))
	}

	t.Run("last year's answers are carried over, and confirmed", func(t *testing.T) {
		dept.open(base + "/domains/ism")
		if mark := dept.text("#carried-ism-strategy-1"); !strings.Contains(mark, "Carried over from round y1") {
			t.Fatalf("no carried mark: %s", dept.snapshot())
		}
		total := carried()
		if all := mustQuestionnaire(t, h, "y2").QuestionCount(); total != all {
			t.Fatalf("%d unconfirmed carried answers, want all %d", total, all)
		}
		accessible(t, dept, axe, "a domain with carried-over answers")
		dept.open("/lang/zh?next=" + url.QueryEscape(base+"/domains/ism"))
		if mark := dept.text("#carried-ism-strategy-1"); !strings.Contains(mark, "沿用自 y1 輪次") {
			t.Fatalf("no Chinese carried mark: %s", dept.snapshot())
		}
		accessible(t, dept, axe, "a domain with carried-over answers, in Chinese")
		dept.open("/lang/en?next=" + url.QueryEscape(base+"/domains/ism"))
		dept.follow(`button[name="confirm_area"][value="ism-strategy"]`)
		if n := carried(); n >= total || n == 0 {
			t.Fatalf("after confirming the area: %d of %d unconfirmed", n, total)
		}
		if eval[bool](dept, `!!document.querySelector('button[name="confirm_area"][value="ism-strategy"]') || !!document.getElementById('carried-ism-strategy-1')`) {
			t.Fatalf("the confirmed area still offers to confirm: %s", dept.snapshot())
		}
		if loc := eval[string](dept, `location.pathname + location.hash`); loc != base+"/domains/ism#area-ism-strategy" {
			t.Errorf("after confirming the area the page is %s", loc)
		}
		dept.open(base + "/domains/ism?area=ism-projects") // one area per step
		dept.follow(`button[name="confirm_question"][value="ism-projects-1"]`)
		if r, _ := h.store.Response(context.Background(), "y2", "ABC"); !r.Answers["ism-projects-1"].Confirmed {
			t.Fatal("ism-projects-1 not confirmed")
		}
	})

	t.Run("review lists what is still unconfirmed, submit once confirmed", func(t *testing.T) {
		q := mustQuestionnaire(t, h, "y2")
		r, _ := h.store.Response(context.Background(), "y2", "ABC")
		ids := r.UnconfirmedIDs(q)
		last := ids[len(ids)-1]
		patch := map[string]any{}
		for _, id := range ids[:len(ids)-1] {
			patch[id] = map[string]any{"confirm": true}
		}
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2/responses/ABC", respondent, map[string]any{"answers": patch})
		dept.open(base + "/review")
		if review := dept.text("main"); !strings.Contains(review, last) || !strings.Contains(review, "not yet confirmed") {
			t.Fatalf("review: %s", dept.snapshot())
		}
		accessible(t, dept, axe, "the review listing an unconfirmed answer")
		dept.follow(`a[href$="#q-` + last + `"]`)
		dept.follow(`button[name="confirm_question"][value="` + last + `"]`)
		dept.open(base + "/submit")
		dept.follow(`#confirm-submit`)
		if r, _ := h.store.Response(context.Background(), "y2", "ABC"); r.Status != survey.StatusSubmitted {
			t.Fatalf("status %s: %s", r.Status, dept.snapshot())
		}
	})
}

// accessible fails the test on any serious or critical axe-core violation
// of the tab's page.
func accessible(t *testing.T, tb *tab, axe, what string) {
	t.Helper()
	var failures []string
	for _, v := range tb.scan(axe) {
		line := fmt.Sprintf("[%s] %s: %s\n    %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			failures = append(failures, line)
		} else {
			t.Logf("%s: %s", what, line)
		}
	}
	if len(failures) > 0 {
		t.Fatalf("%s: %d serious or critical accessibility violations:\n%s", what, len(failures), strings.Join(failures, "\n"))
	}
}

// mustQuestionnaire is a round's own copy of its questionnaire.
func mustQuestionnaire(t *testing.T, h *harness, round string) *survey.Questionnaire {
	t.Helper()
	q, err := h.store.RoundQuestionnaire(context.Background(), round)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
