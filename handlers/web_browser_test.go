package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dpo/dgsurvey/survey"
)

// pendingKey is the localStorage key (a JavaScript expression) of the
// page's unsent edits of ABC's response: keyed by the signed-in user.
const pendingKey = `'dgs-pending:2026/ABC@' + document.querySelector('meta[name="dgs-user"]').content`

// storedAnswer reads one answer of ABC's response from the store.
func storedAnswer(t *testing.T, h *harness, qid string) *survey.Answer {
	t.Helper()
	r, err := h.store.Response(context.Background(), "2026", "ABC")
	if err != nil {
		t.Fatal(err)
	}
	return r.Answers[qid]
}

func hasLevel(t *testing.T, h *harness, qid string, level int) func() bool {
	return func() bool {
		a := storedAnswer(t, h, qid)
		return a != nil && a.Level != nil && *a.Level == level
	}
}

// TestBrowserRespondentJourney: a respondent signs in, answers with autosave,
// reloads, loses the network, meets a colleague's conflicting edits, switches
// language, reviews what is missing and submits; the DPO sees it submitted.
func TestBrowserRespondentJourney(t *testing.T) {
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	respondent := setupRound(t, h)
	colleague := h.credential("respondent", "ABC")
	s := newSite(t, h)
	domainCS := "/rounds/2026/responses/ABC/domains/cs"

	a := s.newTab()
	a.signIn(respondent)
	if home := a.text("main"); !strings.Contains(home, "Round 2026") || !strings.Contains(home, "0 of 6 questions answered") {
		t.Fatalf("home page: %s", home)
	}
	a.follow(`main a.button[href="/rounds/2026/responses/ABC"]`)
	a.follow(`ul.domains a[href="` + domainCS + `"]`)

	t.Run("an answer saves as it changes", func(t *testing.T) {
		a.do(chromedp.Click(chromedp.ID("cs-iam-1-l3")))
		a.waitFor("the autosave", `document.getElementById('save-status').textContent.startsWith('Saved at') && !localStorage.getItem(`+pendingKey+`)`)
		eventually(t, "level 3 stored", hasLevel(t, h, "cs-iam-1", 3))
		a.do(chromedp.SendKeys(chromedp.ID("cs-iam-1-comment"), "MFA for all staff"))
		eventually(t, "the comment stored", func() bool {
			ans := storedAnswer(t, h, "cs-iam-1")
			return ans != nil && ans.Comment == "MFA for all staff"
		})
		a.waitFor("the progress bars", `document.getElementById('progress-overall').value === 1 && document.getElementById('progress-domain-cs').value === 1`)
	})

	t.Run("a reload keeps the answers", func(t *testing.T) {
		a.do(chromedp.Reload())
		if !eval[bool](a, `document.getElementById('cs-iam-1-l3').checked && document.getElementById('cs-iam-1-comment').value === 'MFA for all staff'`) {
			t.Fatalf("after reload: %s", a.snapshot())
		}
	})

	t.Run("a dropped network loses nothing", func(t *testing.T) {
		s.apiDown.Store(true)
		a.do(chromedp.Click(chromedp.ID("cs-iam-2-l2")))
		a.waitFor("the offline notice", `document.getElementById('save-status').classList.contains('is-error') && !!localStorage.getItem(`+pendingKey+`)`)
		a.do(chromedp.Reload())
		a.waitFor("the kept edit", `document.getElementById('cs-iam-2-l2').checked`)
		if storedAnswer(t, h, "cs-iam-2") != nil {
			t.Fatal("saved while the network was down?")
		}
		s.apiDown.Store(false)
		a.do(chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('online'))`))
		eventually(t, "the kept edit stored", hasLevel(t, h, "cs-iam-2", 2))
		a.waitFor("the pending edit cleared", `!localStorage.getItem(`+pendingKey+`) && document.getElementById('save-status').textContent.startsWith('Saved at')`)
	})

	b := s.newTab()
	b.signIn(colleague)
	b.open(domainCS)

	t.Run("a conflicting edit asks, and keep mine wins", func(t *testing.T) {
		a.do(chromedp.Click(chromedp.ID("cs-iam-2-l3")))
		eventually(t, "A's level 3", hasLevel(t, h, "cs-iam-2", 3))
		b.do(chromedp.Click(chromedp.ID("cs-iam-2-l4")))
		b.waitFor("the conflict dialog", `document.getElementById('conflict-dialog').open`)
		if theirs, mine := b.text("#conflict-theirs"), b.text("#conflict-mine"); !strings.Contains(theirs, "Level 3") || !strings.Contains(mine, "Level 4") {
			t.Fatalf("dialog shows theirs %q, mine %q", theirs, mine)
		}
		if focused := eval[string](b, `document.activeElement.id`); focused != "conflict-keep" {
			t.Fatalf("focus is on %q, not in the dialog", focused)
		}
		b.do(chromedp.Click(chromedp.ID("conflict-keep")))
		eventually(t, "B's level 4", hasLevel(t, h, "cs-iam-2", 4))
		b.waitFor("the dialog closed", `!document.getElementById('conflict-dialog').open && !localStorage.getItem(`+pendingKey+`)`)
	})

	t.Run("take theirs shows their answer and saves nothing", func(t *testing.T) {
		a.do(chromedp.Click(chromedp.ID("cs-iam-1-l5")))
		eventually(t, "A's level 5", hasLevel(t, h, "cs-iam-1", 5))
		b.do(chromedp.Click(chromedp.ID("cs-iam-1-l1")))
		b.waitFor("the conflict dialog", `document.getElementById('conflict-dialog').open`)
		b.do(chromedp.Click(chromedp.ID("conflict-take")))
		b.waitFor("their answer shown", `document.getElementById('cs-iam-1-l5').checked && !document.getElementById('conflict-dialog').open && !localStorage.getItem(`+pendingKey+`)`)
		if ans := storedAnswer(t, h, "cs-iam-1"); *ans.Level != 5 || ans.Comment != "MFA for all staff" {
			t.Fatalf("stored after take theirs: %+v", ans)
		}
	})

	t.Run("the language switch", func(t *testing.T) {
		a.follow(`a[hreflang="zh-Hant"]`)
		if lang := eval[string](a, `document.documentElement.lang`); lang != "zh-Hant" || !strings.Contains(a.text("h1"), "網絡安全") ||
			!strings.Contains(a.text(`label[for="cs-iam-1-l3"]`), "第 3 級") {
			t.Fatalf("after switching to Chinese: lang %q\n%s", lang, a.snapshot())
		}
		if loc := eval[string](a, `location.pathname`); loc != domainCS {
			t.Fatalf("the switch left the page: %s", loc)
		}
		a.follow(`a[hreflang="en"]`)
		if lang := eval[string](a, `document.documentElement.lang`); lang != "en" {
			t.Fatalf("after switching back: lang %q", lang)
		}
	})

	t.Run("the review lists what is missing", func(t *testing.T) {
		a.open("/rounds/2026/responses/ABC/review")
		problems := a.text("#problems")
		for _, q := range []string{"cs-cloud-1", "cs-cloud-2", "ds-gov-1", "ds-gov-2"} {
			if !strings.Contains(problems, q) {
				t.Fatalf("review misses %s: %s", q, problems)
			}
		}
		if strings.Contains(problems, "cs-iam") {
			t.Fatalf("review lists answered questions: %s", problems)
		}
		a.follow(`#problems a[href$="#q-ds-gov-1"]`)
		if hash := eval[string](a, `location.pathname + location.search + location.hash`); hash != "/rounds/2026/responses/ABC/domains/ds?area=ds-gov#q-ds-gov-1" {
			t.Fatalf("problem link led to %s", hash)
		}
		a.do(chromedp.Click(chromedp.ID("ds-gov-1-l2")), chromedp.Click(chromedp.ID("ds-gov-2-l4")))
		eventually(t, "the ds answers", hasLevel(t, h, "ds-gov-2", 4))
		a.open(areaCloud)
		a.do(chromedp.Click(chromedp.ID("cs-cloud-1-na")), chromedp.SendKeys(chromedp.ID("cs-cloud-1-reason"), "No cloud services"),
			chromedp.Click(chromedp.ID("cs-cloud-2-l1")))
		eventually(t, "every answer stored", func() bool {
			r, err := h.store.Response(context.Background(), "2026", "ABC")
			return err == nil && len(r.SubmissionProblems(h.q)) == 0
		})
		a.waitFor("nothing pending", `!localStorage.getItem(`+pendingKey+`)`)
	})

	t.Run("submit with confirmation", func(t *testing.T) {
		a.open("/rounds/2026/responses/ABC/review")
		a.follow("#to-submit")
		a.follow("#confirm-submit")
		if page := a.text("main"); !strings.Contains(page, "The response has been submitted.") || !strings.Contains(page, "Submitted on") {
			t.Fatalf("after submit: %s", page)
		}
		if n := eval[int](a, `document.querySelectorAll('main textarea, main input[type=radio]').length`); n != 0 {
			t.Fatalf("the submitted response still has %d inputs", n)
		}
	})

	t.Run("the admin dashboard shows it submitted", func(t *testing.T) {
		d := s.newTab()
		d.signIn(h.admin)
		d.follow(`a[href="/admin/rounds/2026"]`)
		if row := d.text(`tr[data-dept="ABC"]`); !strings.Contains(row, "Submitted") || !strings.Contains(row, "6/6") {
			t.Fatalf("dashboard row: %q", row)
		}
		if chase := d.text("#chase"); !strings.Contains(chase, "XYZ") || strings.Contains(chase, "ABC") {
			t.Fatalf("to chase: %q", chase)
		}
	})
}

// pendingOf lists the localStorage entries (key and value) that hold unsent
// autosave edits, or any value containing text.
func pendingOf(tb *tab, text string) []string {
	tb.t.Helper()
	return eval[[]string](tb, `Object.keys(localStorage).filter(function (k) {
		return k.indexOf('dgs-pending:') === 0 || localStorage.getItem(k).indexOf(`+jsString(text)+`) >= 0;
	}).map(function (k) { return k + '=' + localStorage.getItem(k); })`)
}

// TestBrowserUnsentEditsStayWithTheirUser: an edit that could not be sent
// stays in the browser for its user only. Signing out clears it; a user who
// signs in next on the same browser never sends it, and the browser keeps
// nothing of it.
func TestBrowserUnsentEditsStayWithTheirUser(t *testing.T) {
	h := newHarness(t)
	respondentA := setupRound(t, h)
	respondentB := h.credential("respondent", "XYZ")
	s := newSite(t, h)
	domainABC := "/rounds/2026/responses/ABC/domains/cs"
	domainXYZ := "/rounds/2026/responses/XYZ/domains/cs"

	// leaveUnsentEdit signs tb in as A and leaves an edit the server never
	// got: the API stays unreachable until A's session has ended.
	leaveUnsentEdit := func(t *testing.T, tb *tab, text string) {
		t.Helper()
		tb.signIn(respondentA)
		tb.open(domainABC)
		s.apiDown.Store(true)
		tb.do(chromedp.Click(chromedp.ID("cs-iam-1-l4")), chromedp.SendKeys(chromedp.ID("cs-iam-1-comment"), text))
		tb.waitFor("the offline notice with the edit kept", `document.getElementById('save-status').classList.contains('is-error') &&
			Object.keys(localStorage).some(function (k) { return k.indexOf('dgs-pending:') === 0 && localStorage.getItem(k).indexOf(`+jsString(text)+`) >= 0; })`)
		if a := storedAnswer(t, h, "cs-iam-1"); a != nil {
			t.Fatalf("the edit reached the server: %+v", a)
		}
	}
	// noPatchCarries fails if a PATCH since the first n carried text.
	noPatchCarries := func(t *testing.T, n int, text string) {
		t.Helper()
		for _, p := range s.patchesSeen()[n:] {
			if strings.Contains(p.body, text) || p.path == "/api/v1/rounds/2026/responses/ABC" {
				t.Fatalf("a PATCH under another user carried A's edit: %s %s", p.path, p.body)
			}
		}
	}

	t.Run("sign-out clears it and the next user never sends it", func(t *testing.T) {
		const text = "A-unsent-edit-1"
		tb := s.newTabFor(t)
		leaveUnsentEdit(t, tb, text)
		tb.follow(`form[action="/logout"] button[type="submit"]`)
		s.apiDown.Store(false)
		if kept := pendingOf(tb, text); len(kept) != 0 {
			t.Fatalf("after sign-out the browser keeps %q", kept)
		}
		seen := len(s.patchesSeen())
		tb.signIn(respondentB)
		tb.open(domainXYZ)
		tb.do(chromedp.Click(chromedp.ID("cs-iam-2-l2")))
		tb.waitFor("B's own autosave", `document.getElementById('save-status').textContent.startsWith('Saved at')`)
		tb.open(domainXYZ)
		noPatchCarries(t, seen, text)
		if kept := pendingOf(tb, text); len(kept) != 0 {
			t.Fatalf("B's browser keeps %q", kept)
		}
	})

	t.Run("a session that ends without the sign-out form still never sends it under another user", func(t *testing.T) {
		const text = "A-unsent-edit-2"
		tb := s.newTabFor(t)
		leaveUnsentEdit(t, tb, text)
		// The session ends behind the page's back (expiry, or a sign-out
		// from another tab): the form's submit handler never runs.
		tb.do(chromedp.Evaluate[chromedp.Void](`fetch('/logout', {method: 'POST', credentials: 'same-origin',
			body: new URLSearchParams({csrf: document.querySelector('meta[name="csrf-token"]').content})}).then(function () { return null; })`,
			chromedp.EvalAwaitPromise))
		s.apiDown.Store(false)
		seen := len(s.patchesSeen())
		// An administrator, who may open A's department, signs in next.
		tb.signIn(h.admin)
		tb.open(domainABC)
		time.Sleep(500 * time.Millisecond) // a re-send would go out at load
		noPatchCarries(t, seen, text)
		if kept := pendingOf(tb, text); len(kept) != 0 {
			t.Fatalf("the administrator's browser keeps %q", kept)
		}
		if eval[bool](tb, `document.getElementById('cs-iam-1-comment').value.indexOf(`+jsString(text)+`) >= 0`) {
			t.Fatal("A's edit is shown to the administrator")
		}
		if a := storedAnswer(t, h, "cs-iam-1"); a != nil && strings.Contains(a.Comment, text) {
			t.Fatalf("A's edit was saved under the administrator: %+v", a)
		}
	})
}
