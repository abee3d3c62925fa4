package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// Browser tests of the pages' second version: the area-by-area answer
// form, save state where the respondent is, N/A reasons that are never
// dropped, colleagues' changes, confirmations with and without the
// script, the token shown once, the dashboard and the heatmap at 80
// departments, and page widths and heights.

// desktop and phone are the viewports the pages are checked at.
var (
	desktop = [2]int64{1366, 768}
	phone   = [2]int64{390, 844}
)

// viewport sets the tab's window size (phone: mobile emulation).
func (tb *tab) viewport(size [2]int64) {
	tb.t.Helper()
	if size == phone {
		tb.do(chromedp.EmulateViewport(size[0], size[1], chromedp.EmulateMobile, chromedp.EmulateTouch))
		return
	}
	tb.do(chromedp.EmulateViewport(size[0], size[1]))
}

// noScript switches the tab's script execution off, as a browser without
// JavaScript.
func (tb *tab) noScript() {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}

// inView reports whether the element sel is entirely inside the viewport.
func inView(tb *tab, sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, `(function () { var r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect();
		return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; })()`)
}

// withBank adds the built-in question bank, for pages of real length.
func withBank(t *testing.T) option {
	t.Helper()
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		t.Fatal(err)
	}
	return func(c *handlersConfig) { c.Questionnaires = append(c.Questionnaires, bank...) }
}

// TestBrowserAnswerSteps: the respondent's form, one capability area per
// step, at 1366×768.
func TestBrowserAnswerSteps(t *testing.T) {
	hk, _ := time.LoadLocation("Asia/Hong_Kong")
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	respondent := setupRound(t, h)
	colleague := h.credential("respondent", "ABC")
	h.round("gen", "generated", true) // one step of 25 questions
	s := newSite(t, h)
	a := s.newTab()
	a.viewport(desktop)
	a.signIn(respondent)

	t.Run("the save state changes in view while answering at the bottom of a long step", func(t *testing.T) {
		a.open("/rounds/gen/responses/ABC/domains/cs")
		last := "cs-gen-24"
		a.do(chromedp.ScrollIntoView(chromedp.ID(last + "-l3")))
		if !inView(a, "#statusbar") {
			t.Fatal("the status bar is out of view at the bottom of the step")
		}
		a.do(chromedp.Click(chromedp.ID(last + "-l3")))
		a.waitFor("the save state at the question and in the bar",
			`document.getElementById('save-`+last+`').textContent.startsWith('Saved at') && document.getElementById('save-status').textContent.startsWith('Saved at')`)
		if !inView(a, "#save-"+last) || !inView(a, "#statusbar") || !inView(a, "#progress-overall") {
			t.Fatal("the save state or the overall progress is out of view")
		}
		if got := a.text("#progress-overall-label"); got != "Overall: 1 of 29 questions answered" {
			t.Fatalf("overall label after a save: %q", got)
		}
		if live := eval[int](a, `document.querySelectorAll('[aria-live], [role=status]').length`); live != 1 {
			t.Fatalf("%d live regions: a change must be announced once", live)
		}
		if bg := eval[string](a, `getComputedStyle(document.getElementById('`+last+`-l3').closest('.option')).backgroundColor`); bg == "rgba(0, 0, 0, 0)" {
			t.Fatal("the chosen option is not highlighted")
		}
	})

	t.Run("an N/A reason survives a level choice and a reload", func(t *testing.T) {
		a.open(areaCloud)
		if eval[bool](a, `!document.getElementById('cs-cloud-1-reason-field').hidden`) {
			t.Fatal("the reason box shows while N/A is not chosen")
		}
		a.do(chromedp.Click(chromedp.ID("cs-cloud-2-na")))
		a.waitFor("reason needed at the question", `document.getElementById('save-cs-cloud-2').textContent.indexOf('reason is needed') >= 0`)
		a.do(chromedp.Click(chromedp.ID("cs-cloud-1-na")), chromedp.SendKeys(chromedp.ID("cs-cloud-1-reason"), "Only on-premises systems"))
		eventually(t, "the reason stored", func() bool {
			ans := storedAnswer(t, h, "cs-cloud-1")
			return ans != nil && ans.NA && ans.NAReason == "Only on-premises systems"
		})
		a.do(chromedp.Click(chromedp.ID("cs-cloud-1-l2")))
		eventually(t, "level 2 stored", hasLevel(t, h, "cs-cloud-1", 2))
		a.waitFor("the kept reason said at the question", `document.getElementById('save-cs-cloud-1').textContent.indexOf('kept only in this browser') >= 0`)
		if eval[string](a, `document.getElementById('cs-cloud-1-reason').value`) != "Only on-premises systems" {
			t.Fatal("the reason box lost its text")
		}
		a.do(chromedp.Reload())
		a.waitFor("the reason back after a reload", `document.getElementById('cs-cloud-1-reason').value === 'Only on-premises systems' &&
			!document.getElementById('cs-cloud-1-reason-field').hidden && document.getElementById('save-cs-cloud-1').textContent.indexOf('kept only') >= 0`)
		a.do(chromedp.Click(chromedp.ID("cs-cloud-1-na")))
		eventually(t, "N/A with the kept reason stored", func() bool {
			ans := storedAnswer(t, h, "cs-cloud-1")
			return ans != nil && ans.NA && ans.NAReason == "Only on-premises systems"
		})
	})

	t.Run("area by area, and continue at the first unanswered question", func(t *testing.T) {
		a.open("/rounds/2026/responses/ABC")
		a.follow("#continue-link")
		if got := eval[string](a, `location.pathname + location.search + location.hash`); got != areaIAM+"#q-cs-iam-1" {
			t.Fatalf("continue led to %s", got)
		}
		if !inView(a, "#q-cs-iam-1 legend") {
			t.Fatal("the first unanswered question is not in view")
		}
		a.do(chromedp.Click(chromedp.ID("cs-iam-1-l3")), chromedp.Click(chromedp.ID("cs-iam-2-l4")))
		a.waitFor("the area's mark complete", `document.querySelector('[data-area-qids="cs-iam-1 cs-iam-2"]').classList.contains('is-complete')`)
		a.follow("#next-step")
		if got := eval[string](a, `location.search`); got != "?area=cs-cloud" {
			t.Fatalf("next step: %s", got)
		}
		a.follow("#next-step")
		if got := eval[string](a, `location.pathname + location.search`); got != "/rounds/2026/responses/ABC/domains/ds?area=ds-gov" {
			t.Fatalf("next step across domains: %s", got)
		}
		a.follow("#prev-step")
		if got := eval[string](a, `location.search`); got != "?area=cs-cloud" {
			t.Fatalf("previous step: %s", got)
		}
		if n := eval[int](a, `document.querySelectorAll('details.refs[open]').length`); n != 0 {
			t.Fatalf("%d references open: they start collapsed", n)
		}
	})

	t.Run("a colleague's change is refreshed and flagged", func(t *testing.T) {
		a.open(areaIAM)
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", colleague,
			map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 1, "comment": "changed by a colleague"}}})
		a.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('focus'))`))
		a.waitFor("their answer on the page", `document.getElementById('cs-iam-1-l1').checked &&
			document.getElementById('cs-iam-1-comment').value === 'changed by a colleague' &&
			document.getElementById('q-cs-iam-1').classList.contains('is-refreshed') &&
			document.getElementById('save-cs-iam-1').textContent.startsWith('Updated:')`)
		if meta := a.text("#meta-cs-iam-1"); !strings.HasPrefix(meta, "Last changed by") || strings.Contains(meta, "respondent:") {
			t.Fatalf("last changed line: %q", meta)
		}
	})

	t.Run("the conflict dialog names no internal id and gives the time", func(t *testing.T) {
		a.open(areaIAM)
		h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", colleague,
			map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 0}}})
		a.do(chromedp.Click(chromedp.ID("cs-iam-2-l5")))
		a.waitFor("the conflict dialog", `document.getElementById('conflict-dialog').open`)
		theirs := a.text("#conflict-theirs")
		if strings.Contains(theirs, "respondent:") || !strings.Contains(theirs, "Last changed by") || !strings.Contains(theirs, ":") {
			t.Fatalf("their answer: %q", theirs)
		}
		a.do(chromedp.Click(chromedp.ID("conflict-take")))
	})

	t.Run("signing out drops the kept reasons", func(t *testing.T) {
		a.open(areaCloud)
		a.do(chromedp.Click(chromedp.ID("cs-cloud-1-l3")))
		a.waitFor("a kept reason", `Object.keys(localStorage).some(function (k) { return k.indexOf('dgs-drafts:') === 0; })`)
		a.follow(`form[action="/logout"] button[type="submit"]`)
		if kept := pendingOf(a, "Only on-premises"); len(kept) != 0 {
			t.Fatalf("after sign-out the browser keeps %q", kept)
		}
	})
}

// TestBrowserStepHeights: no respondent step of the real questionnaire is
// taller than about six screens at 1366×768 (measured), in either language.
func TestBrowserStepHeights(t *testing.T) {
	h := newHarness(t, withBank(t))
	h.department("ABC")
	respondent := h.credential("respondent", "ABC")
	h.round("bank", "dg-capability", true)
	s := newSite(t, h)
	tb := s.newTab()
	tb.viewport(desktop)
	tb.signIn(respondent)
	var q *survey.Questionnaire
	bank, _ := survey.LoadQuestionnaires(questionnaires.FS())
	for _, b := range bank {
		if b.ID == "dg-capability" && (q == nil || b.Version > q.Version) {
			q = b
		}
	}
	const budget = 6 * 768
	for _, lang := range []string{"en", "zh"} {
		tallest, where := 0, ""
		for _, d := range q.Domains {
			for _, ar := range d.Areas {
				path := "/rounds/bank/responses/ABC/domains/" + d.ID + "?area=" + ar.ID
				tb.open("/lang/" + lang + "?next=" + url.QueryEscape(path))
				height := eval[int](tb, `document.documentElement.scrollHeight`)
				if height > tallest {
					tallest, where = height, path
				}
				if height > budget {
					t.Errorf("%s %s is %d px tall, more than six screens (%d px)", lang, path, height, budget)
				}
			}
		}
		t.Logf("%s: tallest step %s, %d px (%.1f screens)", lang, where, tallest, float64(tallest)/768)
	}
}

// TestBrowserConfirmations: closing a round, revoking a credential and
// deactivating a department ask first, in a dialog with the script and on
// a page without it; cancelling changes nothing.
func TestBrowserConfirmations(t *testing.T) {
	h := newHarness(t)
	setupRound(t, h)
	h.round("2025", "small", true)
	victim := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "planner", "label": "to revoke"})["id"].(string)
	s := newSite(t, h)
	state := func(id string) string {
		r, err := h.store.Round(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return r.State
	}

	t.Run("with the script: a dialog", func(t *testing.T) {
		tb := s.newTabFor(t)
		tb.signIn(h.admin)
		tb.open("/admin/rounds")
		tb.do(chromedp.Click(chromedp.CSS(`a[href="/admin/rounds/2026/state?to=closed"]`)))
		tb.waitFor("the dialog", `document.getElementById('confirm-dialog').open && document.activeElement.id === 'confirm-no'`)
		if got := tb.text("#confirm-heading"); got != "Close the round “Round 2026”?" {
			t.Fatalf("dialog heading %q", got)
		}
		tb.do(chromedp.Click(chromedp.ID("confirm-no")))
		tb.waitFor("the dialog closed", `!document.getElementById('confirm-dialog').open`)
		if state("2026") != survey.RoundOpen {
			t.Fatal("cancelling closed the round")
		}
		tb.do(chromedp.Click(chromedp.CSS(`a[href="/admin/rounds/2026/state?to=closed"]`)))
		tb.waitFor("the dialog", `document.getElementById('confirm-dialog').open`)
		tb.follow("#confirm-yes")
		if state("2026") != survey.RoundClosed || !strings.Contains(tb.text(".flash"), "closed") {
			t.Fatalf("after confirming: %s %s", state("2026"), tb.snapshot())
		}

		tb.open("/admin/departments")
		tb.do(chromedp.Click(chromedp.CSS(`a[href="/admin/departments/XYZ/active?to=false"]`)))
		tb.waitFor("the dialog", `document.getElementById('confirm-dialog').open`)
		tb.follow("#confirm-yes")
		if d, _ := h.store.Department(context.Background(), "XYZ"); d.Active {
			t.Fatal("XYZ still active after confirming")
		}
	})

	t.Run("without the script: a confirmation page", func(t *testing.T) {
		tb := s.newTabFor(t)
		tb.signIn(h.admin)
		tb.noScript()
		tb.open("/admin/rounds")
		tb.follow(`a[href="/admin/rounds/2025/state?to=closed"]`)
		if state("2025") != survey.RoundOpen || !strings.Contains(tb.text("h1"), "Close the round") {
			t.Fatalf("the link acted: %s %s", state("2025"), tb.snapshot())
		}
		tb.follow("#confirm-page-form button[type=submit]")
		if state("2025") != survey.RoundClosed {
			t.Fatal("confirming did not close the round")
		}

		tb.open("/admin/credentials")
		tb.follow(`a[href="/admin/credentials/` + victim + `/revoke"]`)
		if creds, _ := h.store.Credentials(context.Background()); credRevoked(creds, victim) {
			t.Fatal("the link revoked the credential")
		}
		tb.follow(`#confirm-page-form a`) // cancel
		if creds, _ := h.store.Credentials(context.Background()); credRevoked(creds, victim) || eval[string](tb, `location.pathname`) != "/admin/credentials" {
			t.Fatal("cancel revoked the credential or went elsewhere")
		}
		tb.follow(`a[href="/admin/credentials/` + victim + `/revoke"]`)
		tb.follow("#confirm-page-form button[type=submit]")
		if creds, _ := h.store.Credentials(context.Background()); !credRevoked(creds, victim) {
			t.Fatal("confirming did not revoke the credential")
		}

		tb.open("/admin/departments")
		tb.follow(`a[href="/admin/departments/ABC/active?to=false"]`)
		if d, _ := h.store.Department(context.Background(), "ABC"); !d.Active {
			t.Fatal("the link deactivated ABC")
		}
		tb.follow("#confirm-page-form button[type=submit]")
		if d, _ := h.store.Department(context.Background(), "ABC"); d.Active {
			t.Fatal("confirming did not deactivate ABC")
		}
	})

	t.Run("reloading the token page never issues a second credential", func(t *testing.T) {
		tb := s.newTabFor(t)
		tb.signIn(h.admin)
		before, _ := h.store.Credentials(context.Background())
		tb.open("/admin/credentials")
		tb.do(chromedp.SetValue(chromedp.ID("f-role"), "planner"), chromedp.SendKeys(chromedp.ID("f-label"), "reload test"))
		tb.follow(`form[action="/admin/credentials"] button[type=submit]`)
		token := eval[string](tb, `document.getElementById('new-token').value`)
		if len(token) != 43 {
			t.Fatalf("token page: %s", tb.snapshot())
		}
		for range 2 {
			tb.do(chromedp.Reload())
			if eval[bool](tb, `!!document.getElementById('new-token')`) || !strings.Contains(tb.text("#token-gone"), "shown already") {
				t.Fatalf("after a reload: %s", tb.snapshot())
			}
		}
		after, _ := h.store.Credentials(context.Background())
		if len(after) != len(before)+1 {
			t.Fatalf("%d credentials issued by one form and two reloads", len(after)-len(before))
		}
	})
}

func credRevoked(creds []survey.Credential, id string) bool {
	for _, c := range creds {
		if c.ID == id {
			return c.Revoked
		}
	}
	return false
}

// seed80 adds 80 departments in 8 bureaux to round 2026 of the small
// questionnaire: 60 submitted with varied levels, 12 in progress, 8 not
// started.
func seed80(t *testing.T, h *harness) {
	t.Helper()
	for i := 1; i <= 80; i++ {
		code := fmt.Sprintf("D%02d", i)
		h.must(http.StatusCreated, "POST", "/api/v1/departments", h.admin, map[string]any{"code": code,
			"name_en": "Department number " + code + " of the Government", "name_zh": code + "部門", "bureau": fmt.Sprintf("Bureau %c", 'A'+i%8)})
		base := "/api/v1/rounds/2026/responses/" + code
		switch {
		case i <= 60:
			answers := map[string]any{}
			for j, id := range h.q.QuestionIDs() {
				level := (i + j) % 6
				if i%5 == 0 {
					level = 5 // every area at or above target
				}
				answers[id] = map[string]any{"level": level}
			}
			h.must(http.StatusOK, "PATCH", base, h.admin, map[string]any{"answers": answers})
			h.must(http.StatusOK, "POST", base+"/submit", h.admin, nil)
		case i <= 72:
			h.must(http.StatusOK, "PATCH", base, h.admin, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": i % 6}}})
		}
	}
}

// TestBrowserAtEightyDepartments: the dashboard's search, sort and filters,
// the heatmap's sticky header and first column, and no page wider than the
// viewport at 390 and 1366 px.
func TestBrowserAtEightyDepartments(t *testing.T) {
	hk, _ := time.LoadLocation("Asia/Hong_Kong")
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	respondent := setupRound(t, h)
	seed80(t, h)
	planner := h.credential("planner", "")
	s := newSite(t, h)
	admin := s.newTab()
	admin.viewport(desktop)
	admin.signIn(h.admin)
	rows := func(tb *tab) []string {
		return eval[[]string](tb, `Array.from(document.querySelectorAll('#departments tbody tr')).map(function (r) { return r.dataset.dept; })`)
	}

	t.Run("dashboard search, sort and filter", func(t *testing.T) {
		admin.open("/admin/rounds/2026")
		if n := len(rows(admin)); n != 82 {
			t.Fatalf("%d rows, want 82", n)
		}
		admin.do(chromedp.SendKeys(chromedp.ID("f-q"), "D07"))
		admin.follow(`#dashboard-filters button[type=submit]`)
		if got := rows(admin); len(got) != 1 || got[0] != "D07" {
			t.Fatalf("search D07: %v", got)
		}
		admin.open("/admin/rounds/2026")
		admin.do(chromedp.SetValue(chromedp.ID("f-bureau"), "Bureau C"), chromedp.SetValue(chromedp.ID("f-status"), "in_progress"))
		admin.follow(`#dashboard-filters button[type=submit]`)
		got := rows(admin)
		if len(got) == 0 {
			t.Fatal("no row for Bureau C in progress")
		}
		for _, code := range got {
			row := admin.text(`tr[data-dept="` + code + `"]`)
			if !strings.Contains(row, "Bureau C") || !strings.Contains(row, "In progress") {
				t.Fatalf("row outside the filter: %q", row)
			}
		}
		admin.open("/admin/rounds/2026?sort=progress")
		answered := eval[[]int](admin, `Array.from(document.querySelectorAll('#departments tbody tr progress')).map(function (p) { return +p.value; })`)
		for i := 1; i < len(answered); i++ {
			if answered[i] < answered[i-1] {
				t.Fatalf("least progress first, but %v", answered)
			}
		}
		if admin.text(`#chase li:first-child`) == "" || !strings.Contains(admin.text("#chase"), "days since the last change") {
			t.Fatalf("to chase: %s", admin.text("#chase"))
		}
		if h := eval[int](admin, `document.documentElement.scrollHeight`); h > 4*768 {
			t.Errorf("the 80-department dashboard is %d px tall: the table should scroll in its own region", h)
		}
	})

	t.Run("heatmap header and first column stay visible when scrolled", func(t *testing.T) {
		p := s.newTabFor(t)
		p.viewport(desktop)
		p.signIn(planner)
		p.open("/planner/rounds/2026")
		p.do(chromedp.Evaluate[chromedp.Void](`var box = document.querySelector('.heat-scroll'); box.scrollTop = 600; box.scrollLeft = 400;`))
		offsets := eval[[]float64](p, `(function () {
			var box = document.querySelector('.heat-scroll').getBoundingClientRect();
			var head = document.querySelector('#heatmap thead th:nth-child(3)').getBoundingClientRect();
			var rows = Array.from(document.querySelectorAll('#heatmap tbody th.dept'));
			var visible = rows.filter(function (th) { var r = th.getBoundingClientRect(); return r.top > box.top + 40 && r.bottom < box.bottom; });
			var first = visible[0].getBoundingClientRect();
			return [head.top - box.top, first.left - box.left, document.querySelector('.heat-scroll').scrollTop];
		})()`)
		if offsets[2] < 100 || offsets[0] < -1 || offsets[0] > 3 || offsets[1] < -1 || offsets[1] > 3 {
			t.Fatalf("after scrolling (top %v): header row %v px and first column %v px from the box's edge", offsets[2], offsets[0], offsets[1])
		}
		name := eval[string](p, `document.querySelector('#heatmap tbody th.dept').textContent`)
		if !strings.Contains(name, "Department number") {
			t.Fatalf("row header's accessible text: %q", name)
		}
		all := eval[int](p, `document.querySelectorAll('#heatmap tbody tr[data-dept]').length`)
		p.open("/planner/rounds/2026?heat_below=1&heat_sort=score")
		below := eval[int](p, `document.querySelectorAll('#heatmap tbody tr[data-dept]').length`)
		if all != 60 || below != 48 {
			t.Fatalf("heatmap rows: %d in all (want 60 submitted), %d below target (want 48: 12 have every area at 5)", all, below)
		}
		if n := eval[int](p, `document.querySelectorAll('#heatmap tbody tr[data-dept]:not(:has(td.below))').length`); n != 0 {
			t.Fatalf("%d rows without a score below target under 'below target only'", n)
		}
	})

	t.Run("no page is wider than the viewport", func(t *testing.T) {
		pages := map[string][]string{
			h.admin: {"/admin/rounds", "/admin/rounds/2026", "/admin/departments", "/admin/credentials", "/admin/audit",
				"/admin/rounds/2026/state?to=closed", "/admin/bureaux", "/planner/rounds/2026"},
			respondent: {"/", "/rounds/2026/responses/ABC", areaIAM, areaCloud, "/rounds/2026/responses/ABC/review"},
			planner:    {"/", "/planner/rounds/2026", "/planner/rounds/2026?heat_sort=bureau"},
		}
		for token, paths := range pages {
			tb := s.newTabFor(t)
			tb.signIn(token)
			for _, size := range [][2]int64{phone, desktop} {
				tb.viewport(size)
				for _, path := range paths {
					tb.open(path)
					if w := eval[[]int](tb, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
						t.Errorf("%s at %d px: the page is %d px wide", path, size[0], w[0])
					}
				}
			}
		}
	})
}
