package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource reads axe-core's browser bundle from node_modules, found by
// walking up from the test's directory (npm install at the repository root
// puts it there; .ci/run does).
func axeSource(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
		if err == nil {
			return string(data)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	msg := "axe-core not installed (run npm install at the repository root); accessibility scan skipped"
	if os.Getenv("SURVEY_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " — but SURVEY_REQUIRE_BROWSER=1 requires it")
	}
	t.Skip(msg)
	return ""
}

// axeViolation is one failed rule of an axe-core run.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// scan runs axe-core on the tab's page and returns its violations.
func (tb *tab) scan(axe string) []axeViolation {
	tb.t.Helper()
	eval[chromedp.Void](tb, axe)
	return eval[[]axeViolation](tb, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))
	})))`, chromedp.EvalAwaitPromise)
}

// TestBrowserAccessibility scans every page and page state, in both
// languages, with axe-core (WCAG 2.1 A and AA rules among them) and fails
// on a violation of any impact.
func TestBrowserAccessibility(t *testing.T) {
	axe := axeSource(t)
	hk, _ := time.LoadLocation("Asia/Hong_Kong")
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	abc := setupRound(t, h) // ABC in progress, XYZ submitted, DEF complete
	h.department("DEF")
	xyz := h.credential("respondent", "XYZ")
	def := h.credential("respondent", "DEF")
	planner := h.credential("planner", "")
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", abc, map[string]any{"answers": map[string]any{
		"cs-iam-1": map[string]any{"level": 3, "comment": "MFA everywhere"}, "cs-cloud-1": map[string]any{"na": true}}})
	h.answerAll("2026", "XYZ", xyz, 3, -1)
	complete := map[string]any{}
	for _, id := range h.q.QuestionIDs() {
		complete[id] = map[string]any{"level": 2}
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/DEF", def, map[string]any{"answers": complete})
	h.round("2027", "small", false)
	seminar := h.must(http.StatusCreated, "POST", "/api/v1/seminars", planner, map[string]any{"title_en": "Access control for leaders",
		"title_zh": "領導者的存取控制", "date": "2026-06-01", "areas": []string{"cs-iam"}, "round": "2026"})["id"].(string)
	// A reopened response, for its notice.
	h.department("REO")
	reo := h.credential("respondent", "REO")
	h.answerAll("2026", "REO", reo, 4, 2)
	h.must(http.StatusOK, "POST", "/api/v1/rounds/2026/responses/REO/reopen", h.admin, map[string]any{"reason": "Please check ds-gov-2"})
	revokable := h.must(http.StatusCreated, "POST", "/api/v1/credentials", h.admin, map[string]any{"role": "planner", "label": "axe"})["id"].(string)

	s := newSite(t, h)
	tokens := map[string]string{"anonymous": "", "ABC": abc, "XYZ": xyz, "DEF": def, "REO": reo, "admin": h.admin, "admin forms": h.admin,
		"admin dialogs": h.admin, "planner": planner}

	// A page is a tab, a path, and optionally what to do there before the
	// scan (to show a form with its errors, say).
	type pageCase struct {
		who, path string
		then      func(tb *tab)
	}
	submitWith := func(set, button string) func(tb *tab) {
		return func(tb *tab) {
			tb.do(chromedp.Evaluate[chromedp.Void](set))
			tb.follow(button)
		}
	}
	pages := []pageCase{
		{"anonymous", "/login", nil},
		{"anonymous", "/login", submitWith(`document.getElementById('token').value = 'wrong'`, `form[action="/login"] button[type=submit]`)},
		{"ABC", "/rounds/2026/responses/XYZ", nil}, // the 404 page
		{"planner", "/", nil},
		{"ABC", "/", nil},
		{"ABC", "/rounds/2026/responses/ABC", nil},
		{"ABC", "/rounds/2026/responses/ABC/domains/cs", nil},
		{"ABC", "/rounds/2026/responses/ABC/domains/ds", nil},
		// The answer form's errors, as a browser without the script gets them.
		{"ABC", "/rounds/2026/responses/ABC/domains/cs?area=cs-cloud", func(tb *tab) {
			tb.navigateBy(`document.getElementById('cs-cloud-2-l2').checked = true;
				document.getElementById('cs-cloud-2-reason').value = 'reason without N/A';
				document.getElementById('cs-cloud-1-comment').value = 'x'.repeat(4001);
				document.getElementById('cs-cloud-1-comment').removeAttribute('maxlength');
				HTMLFormElement.prototype.submit.call(document.getElementById('answers'))`)
			if eval[bool](tb, `!document.getElementById('error-summary')`) {
				t.Fatalf("no error summary: %s", tb.snapshot())
			}
		}},
		{"ABC", "/rounds/2026/responses/ABC/review", nil},
		{"DEF", "/rounds/2026/responses/DEF/review", nil},
		{"DEF", "/rounds/2026/responses/DEF/submit", nil},
		{"XYZ", "/rounds/2026/responses/XYZ", nil},
		{"XYZ", "/rounds/2026/responses/XYZ/domains/cs", nil},
		{"admin", "/admin/rounds", nil},
		{"admin forms", "/admin/rounds", submitWith(`document.getElementById('f-id').value = 'Bad Id'`, `form[action="/admin/rounds"] button[type=submit]`)},
		{"admin", "/admin/rounds/2026", nil},
		{"admin", "/admin/departments", nil},
		{"admin forms", "/admin/departments", submitWith(`document.getElementById('f-code').value = '?'`, `form[action="/admin/departments"] button[type=submit]`)},
		{"admin", "/admin/departments/ABC", nil},
		{"admin", "/admin/credentials", nil},
		{"admin", "/admin/users", nil},
		{"admin", "/admin/outbox", nil},
		{"admin", "/admin/rounds/2026/reminders", nil},
		{"anonymous", "/signin/not-a-valid-link", nil},
		{"admin forms", "/admin/credentials", submitWith(`document.getElementById('f-label').value = 'axe'`, `form[action="/admin/credentials"] button[type=submit]`)},
		{"admin", "/rounds/2026/responses/XYZ", nil}, // with the reopen form
		// The seminar planner's page: ranking, chart and heatmap; an
		// invitation list; the filter form used; a round with no submission.
		{"planner", "/planner/rounds/2026", nil},
		{"planner", "/planner/rounds/2026?topic=cs-iam", nil},
		{"planner", "/planner/rounds/2026", submitWith(`document.getElementById('f-domain').value = 'cs'`, `#filters button[type=submit]`)},
		{"planner", "/planner/rounds/2027", nil},
		{"admin", "/planner/rounds/2026?topic=cs-cloud", nil},
		// The seminar plan: the list and plan form (and its errors), a seminar.
		{"planner", "/planner/seminars", nil},
		{"planner", "/planner/seminars?round=2026&area=cs-cloud", submitWith(`document.getElementById('f-title_en').value = ''`, `#plan-form button[type=submit]`)},
		{"planner", "/planner/seminars/" + seminar, nil},

		// Pages, version 2: every step and state of the answer form, the
		// reopened notice, the review after submission, the 403 page, the
		// dashboard's views, confirmations (pages and dialogs), the token
		// page shown and shown already, the audit trail and the heatmap's
		// arrangements.
		{"ABC", "/rounds/2026/responses/ABC/domains/cs?area=cs-cloud", func(tb *tab) {
			tb.do(chromedp.Click(chromedp.ID("cs-cloud-2-na")))
			tb.waitFor("reason needed", `document.getElementById('save-cs-cloud-2').textContent !== ''`)
		}},
		{"ABC", "/rounds/2026/responses/ABC/domains/ds?area=ds-gov", nil},
		{"ABC", "/admin/rounds", nil}, // 403
		{"REO", "/rounds/2026/responses/REO", nil},
		{"REO", "/rounds/2026/responses/REO/domains/ds", nil},
		{"XYZ", "/rounds/2026/responses/XYZ/review", nil},
		{"admin", "/admin/rounds/2026?status=reopened", nil},
		{"admin", "/admin/rounds/2026?q=zzz", nil}, // nothing matches
		{"admin", "/admin/rounds/2026?sort=progress&bureau=Test+Bureau&status=in_progress", nil},
		{"admin", "/admin/rounds/2026/state?to=closed", nil},
		{"admin", "/admin/departments/ABC/active?to=false", nil},
		{"admin", "/admin/credentials/" + revokable + "/revoke", nil},
		{"admin", "/admin/credentials/issued/" + revokable, nil}, // shown already
		{"admin", "/admin/audit", nil},
		{"admin", "/admin/bureaux", nil},
		{"admin", "/admin/audit?round=2026&action=response.reopen", nil},
		{"admin", "/admin/audit?department=bad%20code", nil}, // a field error
		{"admin dialogs", "/admin/rounds", func(tb *tab) {
			tb.do(chromedp.Click(chromedp.CSS(`a.confirm-link`)))
			tb.waitFor("the dialog", `document.getElementById('confirm-dialog').open`)
		}},
		{"admin dialogs", "/admin/credentials", func(tb *tab) {
			tb.do(chromedp.SetValue(chromedp.ID("f-role"), "planner"), chromedp.SetValue(chromedp.ID("f-label"), "axe token"))
			tb.follow(`form[action="/admin/credentials"] button[type=submit]`)
		}},
		{"planner", "/planner/rounds/2026?heat_sort=bureau", nil},
		{"planner", "/planner/rounds/2026?heat_sort=score&heat_below=1", nil},
	}
	// The scan must be able to fail: a planted fault is found.
	probe := s.newTab()
	probe.open("/login")
	probe.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('main').insertAdjacentHTML('beforeend',
		'<input type="text" id="unlabelled"><p style="color:#ccc">faint</p>')`))
	if vs := probe.scan(axe); !hasRule(vs, "label") {
		t.Fatalf("axe-core did not report a planted unlabelled input: %+v", vs)
	}

	// One subtest per signed-in tab, in parallel: each walks its pages in
	// both languages.
	byWho := map[string][]pageCase{}
	for _, p := range pages {
		byWho[p.who] = append(byWho[p.who], p)
	}
	for who, list := range byWho {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			tb := s.newTabFor(t)
			if tokens[who] != "" {
				tb.signIn(tokens[who])
			}
			var failures []string
			for _, lang := range []string{"en", "zh"} {
				for _, p := range list {
					name := lang + " " + p.path
					tb.open("/lang/" + lang + "?next=" + url.QueryEscape(p.path))
					if p.then != nil {
						p.then(tb)
						name += " (after a form post)"
					}
					if got := eval[string](tb, `document.documentElement.lang`); got != map[string]string{"en": "en", "zh": "zh-Hant"}[lang] {
						t.Fatalf("%s: <html lang=%q>", name, got)
					}
					for _, v := range tb.scan(axe) {
						failures = append(failures, fmt.Sprintf("%s: [%s] %s: %s\n    %s", name, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n    ")))
					}
				}
			}
			if len(failures) > 0 {
				t.Fatalf("%d accessibility violations:\n%s", len(failures), strings.Join(failures, "\n"))
			}
		})
	}
}

func hasRule(vs []axeViolation, id string) bool {
	for _, v := range vs {
		if v.ID == id {
			return true
		}
	}
	return false
}
