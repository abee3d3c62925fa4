package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// webClient stands in for a browser in handler tests: it keeps cookies
// between requests and knows the page's CSRF token.
type webClient struct {
	h       *harness
	cookies map[string]*http.Cookie
	// acceptLanguage is sent with every request when set.
	acceptLanguage string
	// csrf is the session's token, read from the last page that had one.
	csrf string
}

func (h *harness) browser() *webClient {
	return &webClient{h: h, cookies: map[string]*http.Cookie{}}
}

var (
	csrfMeta   = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)
	loginToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// do sends a request with the client's cookies and remembers the cookies
// and CSRF token of the answer.
func (b *webClient) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	b.h.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if b.acceptLanguage != "" {
		req.Header.Set("Accept-Language", b.acceptLanguage)
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c
	}
	if m := csrfMeta.FindStringSubmatch(rec.Body.String()); m != nil {
		b.csrf = m[1]
	}
	return rec
}

func (b *webClient) get(path string) *httptest.ResponseRecorder {
	b.h.t.Helper()
	return b.do("GET", path, nil)
}

// post sends a form with the session's CSRF token unless the form has one.
func (b *webClient) post(path string, form url.Values) *httptest.ResponseRecorder {
	b.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	return b.do("POST", path, form)
}

// page gets a page and fails the test unless it answers want.
func (b *webClient) page(want int, path string) string {
	b.h.t.Helper()
	rec := b.get(path)
	if rec.Code != want {
		b.h.t.Fatalf("GET %s: status %d, want %d\n%s", path, rec.Code, want, rec.Body.String())
	}
	return rec.Body.String()
}

// submit posts a form and fails the test unless it answers want.
func (b *webClient) submit(want int, path string, form url.Values) *httptest.ResponseRecorder {
	b.h.t.Helper()
	rec := b.post(path, form)
	if rec.Code != want {
		b.h.t.Fatalf("POST %s: status %d, want %d\n%s", path, rec.Code, want, rec.Body.String())
	}
	return rec
}

// attemptSignIn fills in the sign-in form with token.
func (b *webClient) attemptSignIn(token string) *httptest.ResponseRecorder {
	b.h.t.Helper()
	page := b.get("/login")
	m := loginToken.FindStringSubmatch(page.Body.String())
	if m == nil {
		b.h.t.Fatalf("sign-in page has no form token:\n%s", page.Body.String())
	}
	return b.do("POST", "/login", url.Values{"csrf": {m[1]}, "token": {token}, "next": {"/"}})
}

// signIn signs in with token and loads the start page (for its CSRF token).
func (b *webClient) signIn(token string) *webClient {
	b.h.t.Helper()
	rec := b.attemptSignIn(token)
	if rec.Code != http.StatusSeeOther {
		b.h.t.Fatalf("sign-in: status %d\n%s", rec.Code, rec.Body.String())
	}
	for i := 0; rec.Code == http.StatusSeeOther && i < 5; i++ {
		rec = b.get(rec.Header().Get("Location"))
	}
	if b.csrf == "" {
		b.h.t.Fatal("no CSRF token after sign-in")
	}
	return b
}

// hidden reads the value of a hidden input by name from a page.
func hidden(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no input %s on the page", name)
	}
	return m[1]
}

// answerForm is the posted answer form of a domain page as the page shows
// it: every question's hidden fields, with changes applied on top.
func answerForm(t *testing.T, page string, changes map[string]string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="((?:base|orig|evidence)\.[a-z0-9-]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`<input type="radio" name="(level\.[a-z0-9-]+)" id="[^"]+" value="([^"]+)" checked>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`<textarea id="[^"]+" name="((?:comment|na_reason)\.[a-z0-9-]+)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	for k, v := range changes {
		form.Set(k, v)
	}
	return form
}

// setupRound makes the usual fixture: department ABC (and XYZ), a
// respondent for ABC, and an open round 2026 on the small questionnaire.
func setupRound(t *testing.T, h *harness) (respondent string) {
	t.Helper()
	h.department("ABC")
	h.department("XYZ")
	respondent = h.credential("respondent", "ABC")
	h.round("2026", "small", true)
	return respondent
}
