package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBureauxManagedList: bureaux are a bilingual list, kept through the
// API and the pages; departments choose theirs from it, and pages show a
// department's bureau in the page's language (free text of earlier
// versions stays as typed until the list has it).
func TestBureauxManagedList(t *testing.T) {
	h := newHarness(t)
	setupRound(t, h) // ABC and XYZ in "Test Bureau", free text
	h.must(http.StatusCreated, "POST", "/api/v1/bureaux", h.admin, map[string]any{"code": "HHB", "name_en": "Health Bureau", "name_zh": "醫務衞生局"})
	h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/bureaux", h.admin, map[string]any{"code": "x y", "name_en": "", "name_zh": ""})
	h.must(http.StatusConflict, "POST", "/api/v1/bureaux", h.admin, map[string]any{"code": "HHB", "name_en": "Again", "name_zh": "再"})
	if got := h.must(http.StatusOK, "GET", "/api/v1/bureaux", h.admin, nil)["bureaux"].([]any); len(got) != 1 {
		t.Fatalf("bureaux: %v", got)
	}

	admin := h.browser().signIn(h.admin)
	page := admin.page(http.StatusOK, "/admin/bureaux")
	if !strings.Contains(page, `<tr data-bureau="HHB">`) || !strings.Contains(page, `<ul id="unlisted"><li><a href="/admin/bureaux?name_en=Test%20Bureau#create-heading">Test Bureau</a>`) {
		t.Fatalf("bureaux page:\n%s", page)
	}
	if rec := admin.submit(http.StatusUnprocessableEntity, "/admin/bureaux", url.Values{"code": {"TB"}, "name_en": {"Test Bureau"}}); !strings.Contains(rec.Body.String(), `id="f-name_zh-error"`) {
		t.Fatalf("a bureau without its Chinese name:\n%s", rec.Body.String())
	}
	admin.submit(http.StatusSeeOther, "/admin/bureaux", url.Values{"code": {"tb"}, "name_en": {"Test Bureau"}, "name_zh": {"測試局"}})
	if page := admin.page(http.StatusOK, "/admin/bureaux"); strings.Contains(page, `id="unlisted"`) {
		t.Fatal("the free-text bureau is still unlisted once the list has it")
	}

	// The department form offers the list; a choice stores the code.
	form := admin.page(http.StatusOK, "/admin/departments/ABC")
	if !strings.Contains(form, `<option value="HHB">Health Bureau (HHB)</option>`) || !strings.Contains(form, `Test Bureau (not in the list)</option>`) {
		t.Fatalf("department form:\n%s", form)
	}
	admin.submit(http.StatusSeeOther, "/admin/departments/ABC", url.Values{"bureau": {"HHB"}, "version": {hidden(t, form, "version")}})
	if d := h.must(http.StatusOK, "GET", "/api/v1/departments", h.admin, nil)["departments"].([]any)[0].(map[string]any); d["bureau"] != "HHB" {
		t.Fatalf("ABC: %v", d)
	}

	// Pages show bureaux in the page's language.
	admin.get("/lang/zh?next=/")
	dash := admin.page(http.StatusOK, "/admin/rounds/2026")
	for _, want := range []string{"<td>醫務衞生局</td>", "<td>測試局</td>", `<option value="HHB">醫務衞生局</option>`} {
		if !strings.Contains(dash, want) {
			t.Fatalf("dashboard in Chinese lacks %s:\n%s", want, dash)
		}
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/bureaux/HHB", h.admin, map[string]any{"name_zh": "衞生局"})
	if dash := admin.page(http.StatusOK, "/admin/rounds/2026"); !strings.Contains(dash, "<td>衞生局</td>") {
		t.Fatal("a renamed bureau keeps its old name on the dashboard")
	}
}
