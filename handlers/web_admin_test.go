package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestWebAdminDepartments(t *testing.T) {
	h := newHarness(t)
	admin := h.browser().signIn(h.admin)

	tests := []struct {
		name      string
		form      url.Values
		wantField string // the field whose error the page must show
	}{
		{"bad code", url.Values{"code": {"a"}, "name_en": {"A"}, "name_zh": {"甲"}, "bureau": {"B"}}, "code"},
		{"missing names", url.Values{"code": {"ABC"}, "bureau": {"B"}}, "name_en"},
		{"too long", url.Values{"code": {"ABC"}, "name_en": {strings.Repeat("n", 201)}, "name_zh": {"甲"}, "bureau": {"B"}}, "name_en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dbSnapshot()
			rec := admin.submit(http.StatusUnprocessableEntity, "/admin/departments", tc.form)
			body := rec.Body.String()
			described := regexp.MustCompile(`aria-describedby="[^"]*\bf-` + tc.wantField + `-error"`)
			if !strings.Contains(body, `<a href="#f-`+tc.wantField+`">`) || !strings.Contains(body, `id="f-`+tc.wantField+`-error"`) ||
				!described.MatchString(body) {
				t.Fatalf("no error at %s:\n%s", tc.wantField, body)
			}
			if diff := snapshotDiff(before, h.dbSnapshot()); diff != "" {
				t.Fatalf("a refused form changed the store:\n%s", diff)
			}
		})
	}

	admin.submit(http.StatusSeeOther, "/admin/departments", url.Values{"code": {"abc"}, "name_en": {"Alphabet Department"}, "name_zh": {"字母署"}, "bureau": {"Innovation Bureau"}})
	if rec := admin.submit(http.StatusUnprocessableEntity, "/admin/departments", url.Values{"code": {"ABC"}, "name_en": {"x"}, "name_zh": {"x"}, "bureau": {"x"}}); !strings.Contains(rec.Body.String(), "already exists") {
		t.Fatalf("duplicate code:\n%s", rec.Body.String())
	}
	list := admin.page(http.StatusOK, "/admin/departments")
	if !strings.Contains(list, `<th scope="row">ABC</th>`) || !strings.Contains(list, `<td lang="zh-Hant">字母署</td>`) {
		t.Fatalf("department list:\n%s", list)
	}
	edit := admin.page(http.StatusOK, "/admin/departments/ABC")
	if !strings.Contains(edit, `value="Alphabet Department"`) || !strings.Contains(edit, `id="f-active-true" name="active" value="true" checked`) {
		t.Fatalf("edit form:\n%s", edit)
	}
	admin.submit(http.StatusSeeOther, "/admin/departments/ABC", url.Values{"name_en": {"Alphabet Dept"}, "name_zh": {"字母署"}, "bureau": {"Innovation Bureau"}, "active": {"true"}})
	admin.submit(http.StatusSeeOther, "/admin/departments/ABC", url.Values{"active": {"false"}})
	d, err := h.store.Department(context.Background(), "ABC")
	if err != nil || d.NameEN != "Alphabet Dept" || d.Active || d.NameZH != "字母署" {
		t.Fatalf("after edit and deactivation: %+v %v", d, err)
	}
	if rec := admin.get("/admin/departments/NOPE"); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown department: %d", rec.Code)
	}
}

func TestWebAdminCredentials(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	admin := h.browser().signIn(h.admin)

	if rec := admin.submit(http.StatusUnprocessableEntity, "/admin/credentials", url.Values{"role": {"respondent"}, "label": {"x"}}); !strings.Contains(rec.Body.String(), `id="f-department-error"`) {
		t.Fatalf("respondent without department:\n%s", rec.Body.String())
	}
	// Issuing redirects to the page that shows the token once: a reload
	// shows it no more and never issues a second credential.
	rec := admin.submit(http.StatusSeeOther, "/admin/credentials", url.Values{"role": {"respondent"}, "department": {"ABC"}, "label": {"ABC IT manager"}})
	shown := rec.Header().Get("Location")
	if !strings.HasPrefix(shown, "/admin/credentials/issued/") || strings.Contains(rec.Body.String(), "new-token") {
		t.Fatalf("after issuing: %q\n%s", shown, rec.Body.String())
	}
	page := admin.page(http.StatusOK, shown)
	m := regexp.MustCompile(`<input type="text" id="new-token" value="([A-Za-z0-9_-]{43})" readonly`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `data-copy="new-token"`) {
		t.Fatalf("token page:\n%s", page)
	}
	token := m[1]
	again := admin.page(http.StatusOK, shown)
	if strings.Contains(again, token) || !strings.Contains(again, `id="token-gone"`) {
		t.Fatalf("the reloaded token page:\n%s", again)
	}
	creds := h.must(http.StatusOK, "GET", "/api/v1/credentials", h.admin, nil)["credentials"].([]any)
	if n := len(creds); n != 2 {
		t.Fatalf("%d credentials after one issue and a reload, want 2 (the admin's and the new one)", n)
	}
	if other := h.browser().signIn(h.admin).get(shown); other.Code != http.StatusOK || strings.Contains(other.Body.String(), token) {
		t.Fatal("another browser of the same administrator sees the token")
	}
	list := admin.page(http.StatusOK, "/admin/credentials")
	if strings.Contains(list, token) || !strings.Contains(list, "ABC IT manager") {
		t.Fatal("the credential list shows a token, or misses the new credential")
	}
	resp := h.browser().signIn(token)
	id := regexp.MustCompile(`href="/admin/credentials/([0-9a-f]+)/revoke" class="button danger confirm-link"[^>]*>Revoke<span class="visually-hidden"> ABC IT manager`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("no revoke button for the new credential:\n%s", list)
	}
	// Revoking asks first, on a page of its own without the script.
	confirm := admin.page(http.StatusOK, "/admin/credentials/"+id[1]+"/revoke")
	if !strings.Contains(confirm, `<form method="post" action="/admin/credentials/`+id[1]+`/revoke"`) || !strings.Contains(confirm, "Yes, revoke it") {
		t.Fatalf("revoke confirmation:\n%s", confirm)
	}
	if rec := resp.get("/"); rec.Code != http.StatusOK {
		t.Fatalf("the confirmation page revoked the credential: %d", rec.Code)
	}
	admin.submit(http.StatusSeeOther, "/admin/credentials/"+id[1]+"/revoke", nil)
	if rec := resp.get("/"); rec.Code != http.StatusSeeOther {
		t.Fatalf("a revoked credential's session still opens pages: %d", rec.Code)
	}
	if rec := h.browser().attemptSignIn(token); rec.Code != http.StatusUnauthorized {
		t.Fatalf("sign-in with a revoked token: %d", rec.Code)
	}
}

func TestWebAdminRounds(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.Location, _ = time.LoadLocation("Asia/Hong_Kong") })
	admin := h.browser().signIn(h.admin)
	page := admin.page(http.StatusOK, "/admin/rounds")
	if !strings.Contains(page, `<option value="small:1">`) || !strings.Contains(page, "Times are in Hong Kong time") {
		t.Fatalf("rounds page:\n%s", page)
	}
	form := url.Values{"id": {"2026"}, "title_en": {"2026 assessment"}, "title_zh": {"2026年度評估"}, "questionnaire": {"small:1"},
		"opens_at": {"2026-01-05T09:00"}, "closes_at": {"2026-01-04T18:00"}}
	if rec := admin.submit(http.StatusUnprocessableEntity, "/admin/rounds", form); !strings.Contains(rec.Body.String(), `id="f-closes_at-error"`) {
		t.Fatalf("deadline before opening:\n%s", rec.Body.String())
	}
	form.Set("closes_at", "2026-03-31T18:00")
	rec := admin.submit(http.StatusSeeOther, "/admin/rounds", form)
	if rec.Header().Get("Location") != "/admin/rounds/2026?flash=round-created" {
		t.Fatalf("after create: %q", rec.Header().Get("Location"))
	}
	r, err := h.store.Round(context.Background(), "2026")
	if err != nil || !r.ClosesAt.Equal(time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)) || r.State != "draft" {
		t.Fatalf("stored round: %+v %v (times are entered in Hong Kong time)", r, err)
	}
	if rec := admin.submit(http.StatusUnprocessableEntity, "/admin/rounds", form); !strings.Contains(rec.Body.String(), "already exists") {
		t.Fatalf("duplicate id:\n%s", rec.Body.String())
	}
	if page := admin.page(http.StatusOK, "/admin/rounds"); !strings.Contains(page, "2026-03-31 18:00 Hong Kong time") {
		t.Fatalf("deadline not shown in the configured zone:\n%s", page)
	}
	admin.submit(http.StatusSeeOther, "/admin/rounds/2026/state", url.Values{"state": {"open"}})
	admin.submit(http.StatusSeeOther, "/admin/rounds/2026/state", url.Values{"state": {"closed"}})
	if rec := admin.post("/admin/rounds/2026/state", url.Values{"state": {"draft"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("moving back to draft: %d", rec.Code)
	}
	if r, _ := h.store.Round(context.Background(), "2026"); r.State != "closed" {
		t.Fatalf("state %s", r.State)
	}
}

func TestWebDownloads(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	planner := h.credential("planner", "")
	xyz := h.credential("respondent", "XYZ")
	h.answerAll("2026", "XYZ", xyz, 3, 2)
	admin := h.browser().signIn(h.admin)
	resp := h.browser().signIn(respondent)
	plan := h.browser().signIn(planner)

	dash := admin.page(http.StatusOK, "/admin/rounds/2026")
	for _, link := range []string{"/download/rounds/2026/report.xlsx?lang=en", "/download/rounds/2026/topics.xlsx?lang=en",
		"/download/rounds/2026/departments/XYZ/report.xlsx?lang=en"} {
		if !strings.Contains(dash, `href="`+link+`"`) {
			t.Fatalf("dashboard lacks %s:\n%s", link, dash)
		}
	}
	if home := plan.page(http.StatusOK, "/"); !strings.Contains(home, `href="/download/rounds/2026/topics.xlsx?lang=en"`) {
		t.Fatalf("planner page:\n%s", home)
	}
	ok := []struct {
		who  *webClient
		path string
	}{
		{admin, "/download/rounds/2026/report.xlsx?lang=zh"},
		{admin, "/download/rounds/2026/departments/XYZ/report.xlsx"},
		{plan, "/download/rounds/2026/topics.xlsx"},
	}
	for _, tc := range ok {
		rec := tc.who.get(tc.path)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "PK") {
			t.Fatalf("%s: %d %.200s", tc.path, rec.Code, rec.Body.String())
		}
	}
	refused := []struct {
		name string
		who  *webClient
		path string
		want int
	}{
		{"not an endpoint", admin, "/download/rounds/2026/nope.xlsx", http.StatusNotFound},
		{"not a workbook", admin, "/download/departments", http.StatusNotFound},
		{"no climbing out", admin, "/download/rounds/../departments/x.xlsx", http.StatusNotFound},
		{"the API refuses a respondent", resp, "/download/rounds/2026/report.xlsx", http.StatusForbidden},
		{"another department", resp, "/download/rounds/2026/departments/XYZ/report.xlsx", http.StatusNotFound},
		{"signed out", h.browser(), "/download/rounds/2026/report.xlsx", http.StatusSeeOther},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			rec := tc.who.get(tc.path)
			if rec.Code != tc.want {
				t.Fatalf("%s: %d, want %d", tc.path, rec.Code, tc.want)
			}
			if tc.want != http.StatusSeeOther && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("%s: %s, want an error page", tc.path, rec.Header().Get("Content-Type"))
			}
		})
	}
}
