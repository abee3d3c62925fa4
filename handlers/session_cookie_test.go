package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// cookieClient is a browser of one scheme (http or https: the latter gives
// the request a TLS state) keeping cookies by name.
type cookieClient struct {
	t       *testing.T
	srv     http.Handler
	base    string
	cookies map[string]*http.Cookie
}

func (b *cookieClient) do(method, path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, b.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, b.base+path, nil)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c
	}
	return rec
}

// signIn signs in through the form and returns the Set-Cookie of the session.
func (b *cookieClient) signIn(token string) *http.Cookie {
	b.t.Helper()
	page := b.do("GET", "/login", nil)
	m := loginToken.FindStringSubmatch(page.Body.String())
	if m == nil {
		b.t.Fatalf("no sign-in form: %d", page.Code)
	}
	rec := b.do("POST", "/login", url.Values{"csrf": {m[1]}, "token": {token}, "next": {"/"}})
	if rec.Code != http.StatusSeeOther {
		b.t.Fatalf("sign-in: %d\n%s", rec.Code, rec.Body.String())
	}
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, "dgs_session") {
			if session != nil {
				b.t.Fatalf("two session cookies: %s and %s", session.Name, c.Name)
			}
			session = c
		}
	}
	if session == nil {
		b.t.Fatal("sign-in set no session cookie")
	}
	return session
}

// TestSessionCookieName: when cookies are Secure (cookie_secure, or TLS
// here) the session cookie is __Host-dgs_session with Secure, Path=/ and no
// Domain, and the pages and the API read only that name; otherwise it is
// dgs_session and only that name is read.
func TestSessionCookieName(t *testing.T) {
	tests := []struct {
		name         string
		cookieSecure bool
		base         string
		want, other  string
	}{
		{"cookie_secure behind a proxy", true, "http://survey.example", "__Host-dgs_session", "dgs_session"},
		{"TLS", false, "https://survey.example", "__Host-dgs_session", "dgs_session"},
		{"plain HTTP", false, "http://survey.example", "dgs_session", "__Host-dgs_session"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *handlersConfig) { c.HTTP.CookieSecure = tc.cookieSecure })
			b := &cookieClient{t: t, srv: h.srv, base: tc.base, cookies: map[string]*http.Cookie{}}
			c := b.signIn(h.admin)
			secure := tc.want != "dgs_session"
			if c.Name != tc.want || c.Secure != secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie %+v, want %s (Secure %v, Path=/, no Domain, HttpOnly, Lax)", c, tc.want, secure)
			}
			page := b.do("GET", "/admin/rounds", nil)
			m := csrfMeta.FindStringSubmatch(page.Body.String())
			if page.Code != http.StatusOK || m == nil {
				t.Fatalf("a page with the cookie: %d", page.Code)
			}
			csrf := m[1]
			if rec := b.do("GET", "/api/v1/rounds", nil, "X-CSRF-Token", csrf); rec.Code != http.StatusOK {
				t.Fatalf("the API with the cookie: %d %s", rec.Code, rec.Body.String())
			}

			// The same session under the other name is not read at all.
			planted := &cookieClient{t: t, srv: h.srv, base: tc.base, cookies: map[string]*http.Cookie{
				tc.other: {Name: tc.other, Value: c.Value},
			}}
			if rec := planted.do("GET", "/admin/rounds", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
				t.Fatalf("a page with the cookie named %s: %d to %q", tc.other, rec.Code, rec.Header().Get("Location"))
			}
			if rec := planted.do("GET", "/api/v1/rounds", nil, "X-CSRF-Token", csrf); rec.Code != http.StatusUnauthorized {
				t.Fatalf("the API with the cookie named %s: %d", tc.other, rec.Code)
			}

			// Sign-out clears the cookie of the right name and ends the session.
			rec := b.do("POST", "/logout", url.Values{"csrf": {csrf}})
			cleared := false
			for _, sc := range rec.Result().Cookies() {
				if sc.Name == tc.want && sc.MaxAge < 0 && sc.Path == "/" && sc.Secure == secure {
					cleared = true
				}
			}
			if rec.Code != http.StatusSeeOther || !cleared {
				t.Fatalf("logout: %d, Set-Cookie %q", rec.Code, rec.Result().Header.Values("Set-Cookie"))
			}
			again := &cookieClient{t: t, srv: h.srv, base: tc.base, cookies: map[string]*http.Cookie{tc.want: {Name: tc.want, Value: c.Value}}}
			if rec := again.do("GET", "/admin/rounds", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("the old cookie after sign-out: %d", rec.Code)
			}
		})
	}
}
