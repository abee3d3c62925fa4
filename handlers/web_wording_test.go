package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestWebWordingAndStyle: the 403 page explains itself in the user's
// language; warnings are not styled as success; the error summary lists
// fields in form order; Chinese lists use the full-width comma; times say
// Hong Kong time (香港時間), never "Asia/Hong_Kong" or "HKT".
func TestWebWordingAndStyle(t *testing.T) {
	hk, _ := time.LoadLocation("Asia/Hong_Kong")
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	respondent := setupRound(t, h)
	resp := h.browser().signIn(respondent)
	admin := h.browser().signIn(h.admin)

	t.Run("the 403 page in both languages", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "Your role may not use this page.", "zh": "你的角色無權使用此頁面。"} {
			resp.get("/lang/" + lang + "?next=/")
			rec := resp.get("/admin/rounds")
			if body := rec.Body.String(); rec.Code != http.StatusForbidden || !strings.Contains(body, want) || strings.Contains(body, "your role may not use this page") {
				t.Fatalf("%s 403 page (%d):\n%s", lang, rec.Code, body)
			}
		}
		resp.get("/lang/en?next=/")
	})

	t.Run("a warning is not a success", func(t *testing.T) {
		page := resp.page(http.StatusOK, "/rounds/2026/responses/ABC/review?flash=incomplete")
		if !strings.Contains(page, `<p class="flash flash-warn" role="status">`) {
			t.Fatalf("warning flash:\n%s", page)
		}
		if page := resp.page(http.StatusOK, "/rounds/2026/responses/ABC?flash=saved"); !strings.Contains(page, `<p class="flash" role="status">`) {
			t.Fatal("a success styled as a warning")
		}
	})

	t.Run("the error summary follows the form", func(t *testing.T) {
		rec := admin.submit(http.StatusUnprocessableEntity, "/admin/departments", url.Values{"code": {"?"}})
		links := regexp.MustCompile(`<li><a href="#f-([a-z_]+)">`).FindAllStringSubmatch(rec.Body.String(), -1)
		var order []string
		for _, l := range links {
			order = append(order, l[1])
		}
		if got := strings.Join(order, " "); got != "code name_en name_zh bureau" {
			t.Fatalf("error summary order %q", got)
		}
	})

	t.Run("Chinese punctuation and Hong Kong time", func(t *testing.T) {
		admin.get("/lang/zh?next=/")
		dash := admin.page(http.StatusOK, "/admin/rounds/2026")
		chase := dash[strings.Index(dash, `<ul id="chase"`):]
		chase = chase[:strings.Index(chase, "</ul>")]
		if !strings.Contains(chase, "未開始，已回答") || strings.Contains(chase, ", ") {
			t.Fatalf("chase list in Chinese: %s", chase)
		}
		rounds := admin.page(http.StatusOK, "/admin/rounds")
		for _, page := range []string{dash, rounds} {
			if !strings.Contains(page, "香港時間") || strings.Contains(page, "Asia/Hong_Kong") || strings.Contains(page, "HKT") {
				t.Fatalf("times in Chinese:\n%s", page)
			}
		}
	})
}

// TestWebChaseExport: the to-chase list downloads as a workbook, in the
// page's order (least progress first), with the Reopened status and no
// answer text; only administrators may have it.
func TestWebChaseExport(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	h.department("DEF")
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", respondent,
		map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2, "comment": "secret comment"}}})
	def := h.credential("respondent", "DEF")
	h.answerAll("2026", "DEF", def, 3, 3)
	h.must(http.StatusOK, "POST", "/api/v1/rounds/2026/responses/DEF/reopen", h.admin, map[string]any{"reason": "check"})

	admin := h.browser().signIn(h.admin)
	rec := admin.get("/admin/rounds/2026/chase.xlsx?lang=en")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "2026-to-chase.xlsx") {
		t.Fatalf("chase download: %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	f := openWorkbook(t, rec.Body.Bytes())
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var codes, statuses []string
	for _, r := range rows[4:] {
		codes = append(codes, r[0])
		statuses = append(statuses, r[3])
	}
	if got := strings.Join(codes, " "); got != "XYZ ABC DEF" {
		t.Fatalf("to chase, in order: %q (rows %v)", got, rows)
	}
	if statuses[2] != "Reopened" {
		t.Fatalf("statuses %v", statuses)
	}
	for _, r := range rows {
		if strings.Contains(strings.Join(r, " "), "secret comment") {
			t.Fatal("the to-chase workbook holds answer text")
		}
	}
	if rec := h.browser().signIn(respondent).get("/admin/rounds/2026/chase.xlsx"); rec.Code != http.StatusForbidden {
		t.Fatalf("a respondent's download: %d", rec.Code)
	}
}
