package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSeminarPlan: a planner plans a seminar from last year's
// ranking, exports its invitation list, records who attended, and reads
// the seminar's effect by this year's round.
func TestBrowserSeminarPlan(t *testing.T) {
	h := newHarness(t)
	pw := newPlannerWorld(t, h)
	s := newSite(t, h)
	tb := s.newTab()
	tb.signIn(pw.planner)

	t.Run("plan a seminar from the ranking", func(t *testing.T) {
		tb.open("/planner/rounds/r2025")
		// r2025: cs-cloud and cs-iam tie (gap 3, AAA and BBB below the
		// baseline; the area id decides), ds-gov has no gap.
		if got := eval[string](tb, `[...document.querySelectorAll('#ranking tbody tr')].map(r => r.dataset.area).join(' ')`); got != "cs-cloud cs-iam ds-gov" {
			t.Fatalf("ranking of r2025 %q", got)
		}
		if got := tb.text("#explain-heading"); got != "What the figures mean" {
			t.Fatalf("no explanation of the figures: %q", got)
		}
		tb.follow(`#ranking tr[data-area="cs-iam"] a.plan-link`)
		if got := eval[string](tb, `document.querySelector('#f-round').value + ' ' + document.querySelector('input[name=areas][value="cs-iam"]').checked + ' ' + document.querySelector('#f-title_en').value`); got != "r2025 true Access control for leaders" {
			t.Fatalf("the plan form is not prefilled: %q", got)
		}
		tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-date").value = "2025-04-01"`))
		tb.follow(`#plan-form button[type=submit]`)
		if got := tb.text("h1"); !strings.Contains(got, "Access control for leaders") {
			t.Fatalf("seminar page %q\n%s", got, tb.snapshot())
		}
		if got := eval[string](tb, `[...document.querySelectorAll('#invite-list tbody tr')].map(r => r.dataset.dept).join(' ')`); got != "AAA BBB" {
			t.Fatalf("invitations %q", got)
		}
	})

	t.Run("export the invitations", func(t *testing.T) {
		got := eval[string](tb, `fetch(document.querySelector('#seminar-downloads a').href).then(r => r.status + ' ' + r.headers.get('content-type') + ' ' + r.headers.get('content-disposition'))`,
			chromedp.EvalAwaitPromise)
		if !strings.HasPrefix(got, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") || !strings.Contains(got, "invitations-en.xlsx") {
			t.Fatalf("invitation download: %q", got)
		}
	})

	t.Run("record attendance", func(t *testing.T) {
		tb.do(chromedp.Click(chromedp.ID("att-AAA")))
		tb.follow(`#attendance-form button[type=submit]`)
		if got := tb.text("#attended-count"); got != "1" {
			t.Fatalf("attended %q\n%s", got, tb.snapshot())
		}
		if !eval[bool](tb, `document.querySelector('#att-AAA').checked && !document.querySelector('#att-BBB').checked`) {
			t.Fatal("the attendance form does not show what was saved")
		}
	})

	t.Run("the effect after a later round", func(t *testing.T) {
		// r2026 opened after r2025: it is offered, and its effect shown.
		if got := eval[string](tb, `document.querySelector('#f-effect-round').value`); got != "r2026" && got != "r2027" {
			t.Fatalf("later round %q", got)
		}
		tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-effect-round").value = "r2026"`))
		tb.follow(`#effect-form button[type=submit]`)
		rows := eval[string](tb, `[...document.querySelectorAll('#effect-table tbody tr')].map(r => r.innerText.replace(/\s+/g, ' ')).join(' | ')`)
		if !strings.Contains(rows, "Identity and access") || !strings.Contains(rows, "Caution") {
			t.Fatalf("effect rows %q", rows)
		}
		if got := tb.text("#effect-explain"); !strings.Contains(got, "Difference:") {
			t.Fatalf("the effect is not explained: %q", got)
		}
	})
}
