package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWebSignIn(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.FailedAuthPerMinute = 3 })
	respondent := setupRound(t, h)

	t.Run("pages send a signed-out browser to the sign-in page", func(t *testing.T) {
		b := h.browser()
		for _, path := range []string{"/", "/admin/rounds", "/rounds/2026/responses/ABC"} {
			rec := b.get(path)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next="+url.QueryEscape(path) {
				t.Fatalf("GET %s: %d to %q", path, rec.Code, rec.Header().Get("Location"))
			}
		}
	})

	t.Run("a valid token signs in and lands on the start page", func(t *testing.T) {
		b := h.browser()
		rec := b.attemptSignIn(respondent)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
			t.Fatalf("sign-in: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		cookie := b.cookies["dgs_session"]
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie: %+v", cookie)
		}
		home := b.page(http.StatusOK, "/")
		if !strings.Contains(home, "Round 2026") || !strings.Contains(home, `<progress id="progress-2026" max="6" value="0">`) {
			t.Fatalf("home page lacks the round and its progress:\n%s", home)
		}
		// Signing out ends the session: the cookie no longer opens pages.
		old := *cookie
		b.submit(http.StatusSeeOther, "/logout", nil)
		b.cookies["dgs_session"] = &old
		if rec := b.get("/"); rec.Code != http.StatusSeeOther {
			t.Fatalf("after sign-out: %d", rec.Code)
		}
	})

	t.Run("the sign-in form refuses a post without its form token", func(t *testing.T) {
		b := h.browser()
		rec := b.do("POST", "/login", url.Values{"token": {respondent}})
		if rec.Code != http.StatusForbidden || b.cookies["dgs_session"] != nil {
			t.Fatalf("login without form token: %d, cookies %v", rec.Code, b.cookies)
		}
		if !strings.Contains(rec.Body.String(), "<html lang=\"en\">") {
			t.Fatalf("403 is not a page: %s", rec.Body.String())
		}
	})

	t.Run("wrong tokens get the form again, then 429", func(t *testing.T) {
		b := h.browser()
		for i := range 3 {
			rec := b.attemptSignIn("not-a-token")
			body := rec.Body.String()
			if rec.Code != http.StatusUnauthorized || !strings.Contains(body, `aria-describedby="token-hint token-error"`) ||
				!strings.Contains(body, `id="token-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Fatalf("attempt %d: %d\n%s", i, rec.Code, body)
			}
		}
		rec := b.attemptSignIn("not-a-token")
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("over the limit: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		// A valid token is never throttled.
		b.signIn(respondent)
	})
}

func TestWebCSRF(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026/responses/ABC", respondent, map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2}}})
	planner := h.credential("planner", "")
	creds := h.must(http.StatusOK, "GET", "/api/v1/credentials", h.admin, nil)["credentials"].([]any)
	credID := creds[len(creds)-1].(map[string]any)["id"].(string)
	admin := h.browser().signIn(h.admin)
	values := strings.NewReplacer(":round", "2026", ":dept", "ABC", ":domain", "cs", ":code", "ABC", ":id", credID)

	before := h.dbSnapshot()
	n := 0
	for _, r := range h.srv.Routes() {
		if r.Method != http.MethodPost || isAPIPath(r.Path) || r.Path == "/login" {
			continue
		}
		n++
		path := values.Replace(r.Path)
		for name, token := range map[string]string{"none": "", "wrong": wrongToken(admin.csrf)} {
			t.Run(path+" with "+name+" token", func(t *testing.T) {
				form := url.Values{"csrf": {token}, "state": {"closed"}, "active": {"false"}, "reason": {"r"},
					"code": {"NEW"}, "name_en": {"n"}, "name_zh": {"n"}, "bureau": {"b"}, "role": {"planner"},
					"level.cs-iam-1": {"5"}, "base.cs-iam-1": {"1"}}
				if name == "none" {
					form.Del("csrf")
				}
				rec := admin.do("POST", path, form)
				if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
					t.Fatalf("status %d (%s), want a 403 page", rec.Code, rec.Header().Get("Content-Type"))
				}
			})
		}
	}
	if n < 10 {
		t.Fatalf("only %d state-changing pages found", n)
	}
	if diff := snapshotDiff(before, h.dbSnapshot()); diff != "" {
		t.Fatalf("rejected forms changed the store:\n%s", diff)
	}
	// The same session's own token goes through, and a planner may not use
	// the administrators' forms at all.
	admin.submit(http.StatusSeeOther, "/admin/rounds/2026/state", url.Values{"state": {"closed"}})
	p := h.browser().signIn(planner)
	if rec := p.post("/admin/departments", url.Values{"code": {"NEW"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("planner on an admin form: %d", rec.Code)
	}
}

func TestWebLanguage(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, acceptLanguage, cookie, wantLang, wantText string
	}{
		{"default", "", "", `lang="en"`, "Sign in"},
		{"english", "en-GB,en;q=0.9", "", `lang="en"`, "Sign in"},
		{"hong kong chinese", "zh-HK,zh;q=0.9,en;q=0.8", "", `lang="zh-Hant"`, "登入"},
		{"taiwan chinese", "zh-TW", "", `lang="zh-Hant"`, "登入"},
		{"chinese preferred by quality", "en;q=0.5,zh-Hant;q=0.9", "", `lang="zh-Hant"`, "登入"},
		{"other languages fall back to english", "fr-FR,de", "", `lang="en"`, "Sign in"},
		{"cookie wins over the header", "zh-HK", "en", `lang="en"`, "Sign in"},
		{"cookie chinese", "en", "zh", `lang="zh-Hant"`, "登入"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			b.acceptLanguage = tc.acceptLanguage
			if tc.cookie != "" {
				b.cookies["lang"] = &http.Cookie{Name: "lang", Value: tc.cookie}
			}
			page := b.page(http.StatusOK, "/login")
			if !strings.Contains(page, "<html "+tc.wantLang+">") || !strings.Contains(page, tc.wantText) {
				t.Fatalf("want %s and %q:\n%.600s", tc.wantLang, tc.wantText, page)
			}
		})
	}

	t.Run("the switch sets the cookie and returns to the page", func(t *testing.T) {
		b := h.browser()
		page := b.page(http.StatusOK, "/login?next=%2Fadmin%2Frounds")
		if !strings.Contains(page, `href="/lang/zh?next=%2flogin%3fnext%3d%252Fadmin%252Frounds"`) {
			t.Fatalf("no switch link back to this page:\n%s", page)
		}
		rec := b.get("/lang/zh?next=%2Flogin")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" || b.cookies["lang"].Value != "zh" {
			t.Fatalf("switch: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if page := b.page(http.StatusOK, "/login"); !strings.Contains(page, `<html lang="zh-Hant">`) ||
			!strings.Contains(page, `lang="en" hreflang="en">English</a>`) {
			t.Fatalf("after the switch:\n%.800s", page)
		}
	})

	t.Run("the switch never leaves the site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", ""} {
			rec := h.browser().get("/lang/en?next=" + url.QueryEscape(next))
			if rec.Header().Get("Location") != "/" {
				t.Fatalf("next %q: redirect to %q", next, rec.Header().Get("Location"))
			}
		}
		if rec := h.browser().get("/lang/fr"); rec.Code != http.StatusNotFound {
			t.Fatalf("unknown language: %d", rec.Code)
		}
	})
}

func TestUnknownPageIsAPage(t *testing.T) {
	h := newHarness(t)
	rec := h.request("GET", "/no/such/page", "", nil, "Accept", "text/html,application/xhtml+xml")
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("browser 404: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = h.request("GET", "/api/v1/nothing", "", nil, "Accept", "text/html")
	if rec.Code != http.StatusNotFound || errorCode(t, rec) != "not_found" {
		t.Fatalf("API 404 must stay JSON: %d", rec.Code)
	}
}
