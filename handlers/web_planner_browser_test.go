package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlannerPage: a seminar planner signs in, opens a round's
// planner page from the start page, reads the ranking, the chart and the
// heatmap, filters by bureau with the plain form, opens a topic's
// invitation list, follows the JSON link, and does it all again in Chinese.
func TestBrowserPlannerPage(t *testing.T) {
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	pw := newPlannerWorld(t, h)
	s := newSite(t, h)
	tb := s.newTab()
	tb.signIn(pw.planner)

	firstArea := `document.querySelector('#ranking tbody tr').dataset.area`

	t.Run("from the start page to the ranking", func(t *testing.T) {
		tb.follow(`main a[href="/planner/rounds/r2026"]`)
		if h1 := tb.text("h1"); !strings.Contains(h1, "Seminar topics") {
			t.Fatalf("h1 %q", h1)
		}
		if got := eval[string](tb, `[...document.querySelectorAll('#ranking tbody tr')].map(r => r.dataset.area).join(' ')`); got != "ds-gov cs-cloud cs-iam" {
			t.Fatalf("ranking %q", got)
		}
		if got := tb.text("#previous-round"); !strings.Contains(got, "Round 2025") {
			t.Fatalf("previous round %q", got)
		}
		if got := tb.text("#submitted-count"); got != "3 of 4" {
			t.Fatalf("submitted %q", got)
		}
	})

	t.Run("the chart is drawn, styled by the stylesheet, and named", func(t *testing.T) {
		// Bars have width in the rendered page and take their colour from
		// app.css (the CSP allows no style attribute).
		widths := eval[[]float64](tb, `[...document.querySelectorAll('#gap-chart .chart-bar')].map(r => r.getBBox().width)`)
		if len(widths) != 3 || !(widths[0] > widths[2] && widths[2] > 0) {
			t.Fatalf("bar widths %v", widths)
		}
		if fill := eval[string](tb, `getComputedStyle(document.querySelector('#gap-chart .chart-bar')).fill`); fill != "rgb(0, 69, 124)" {
			t.Fatalf("bar fill %q: the stylesheet did not apply", fill)
		}
		if n := eval[int](tb, `document.querySelectorAll('[style]').length`); n != 0 {
			t.Fatalf("%d elements with a style attribute", n)
		}
		if name := eval[string](tb, `document.getElementById(document.getElementById('gap-chart').getAttribute('aria-labelledby')).textContent`); name != "Total gap by seminar topic" {
			t.Fatalf("chart name %q", name)
		}
	})

	t.Run("the heatmap scrolls in a focusable region", func(t *testing.T) {
		if !eval[bool](tb, `(() => { const r = document.querySelector('.scroll[role=region][aria-labelledby=heatmap-caption]'); r.focus(); return document.activeElement === r })()`) {
			t.Fatal("the heatmap region does not take focus")
		}
		if got := tb.text(`#heatmap tr[data-dept="CCC"]`); !strings.Contains(got, "N/A") || !strings.Contains(got, "4.00") {
			t.Fatalf("CCC row %q", got)
		}
	})

	t.Run("the filter form recomputes the ranks", func(t *testing.T) {
		tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('f-bureau').value = 'Bureau B'`))
		tb.follow(`#filters button[type=submit]`)
		if got := eval[string](tb, firstArea); got != "ds-gov" {
			t.Fatalf("first topic for Bureau B: %s\n%s", got, tb.snapshot())
		}
		if got := eval[string](tb, `new URLSearchParams(location.search).get('bureau')`); got != "Bureau B" {
			t.Fatalf("query bureau %q", got)
		}
	})

	t.Run("a topic's invitation list", func(t *testing.T) {
		tb.follow(`#ranking tr[data-area="ds-gov"] a`)
		if got := eval[string](tb, `location.hash + ' ' + new URLSearchParams(location.search).get('topic')`); got != "#invite ds-gov" {
			t.Fatalf("location %q", got)
		}
		if got := eval[string](tb, `[...document.querySelectorAll('#invite-list tbody tr')].map(r => r.dataset.dept).join(' ')`); got != "CCC" {
			t.Fatalf("Bureau B invitations %q", got)
		}
		if got := tb.text("#invite-heading"); !strings.Contains(got, "Leading data governance") {
			t.Fatalf("invitation heading %q", got)
		}
	})

	t.Run("the JSON link", func(t *testing.T) {
		tb.follow(`#planner-downloads a[href*="topics.json"]`)
		if got := eval[string](tb, `(() => { const j = JSON.parse(document.body.innerText); return j.round + ' ' + j.topics[0].area })()`); got != "r2026 ds-gov" {
			t.Fatalf("JSON %q", got)
		}
		tb.open("/planner/rounds/r2026")
	})

	t.Run("in Chinese", func(t *testing.T) {
		tb.follow(`a[hreflang="zh-Hant"]`)
		if lang := eval[string](tb, `document.documentElement.lang`); lang != "zh-Hant" {
			t.Fatalf("lang %q", lang)
		}
		if loc := eval[string](tb, `location.pathname`); loc != "/planner/rounds/r2026" {
			t.Fatalf("the switch left the page: %s", loc)
		}
		if h1 := tb.text("h1"); !strings.Contains(h1, "研討會主題") {
			t.Fatalf("h1 %q", h1)
		}
		if got := tb.text(`#ranking tr[data-area="cs-iam"] th`); got != "領導者的存取控制" {
			t.Fatalf("topic in Chinese %q", got)
		}
		if got := tb.text("#gap-chart-title"); got != "各研討會主題的總差距" {
			t.Fatalf("chart title %q", got)
		}
		tb.follow(`#ranking tr[data-area="cs-iam"] a`)
		if got := eval[string](tb, `[...document.querySelectorAll('#invite-list tbody tr')].map(r => r.dataset.dept).join(' ')`); got != "AAA" {
			t.Fatalf("invitations %q", got)
		}
		tb.follow(`a[hreflang="en"]`)
	})

	t.Run("a respondent is refused", func(t *testing.T) {
		r := s.newTab()
		r.signIn(pw.tokens["AAA"])
		r.open("/planner/rounds/r2026")
		if h1 := r.text("h1"); h1 != "Not allowed" {
			t.Fatalf("respondent sees %q", h1)
		}
	})
}
