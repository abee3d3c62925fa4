package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// hostileNext are next parameters as an attacker writes them in a link's
// query string (so one level of percent-encoding is the query's own): each
// must send the browser to "/".
var hostileNext = []struct{ name, raw string }{
	{"tab after the slash", "/%09/evil.example"},
	{"newline after the slash", "/%0a/evil.example"},
	{"carriage return after the slash", "/%0d/evil.example"},
	{"CRLF first", "%0d%0a/evil.example"},
	{"vertical tab", "/%0Bevil.example"},
	{"protocol-relative", "//evil.example"},
	{"triple slash", "///evil.example"},
	{"slash backslash", "/%5Cevil.example"},
	{"backslash slash", "%5C/evil.example"},
	{"two backslashes", "%5C%5Cevil.example"},
	{"slash two backslashes", "/%5C%5Cevil.example"},
	{"slash tab backslash", "/%09%5Cevil.example"},
	{"encoded slashes", "/%2f%2fevil.example"},
	{"encoded leading slashes", "%2F%2Fevil.example"},
	{"double-encoded slashes", "/%252f%252fevil.example"},
	{"triple-encoded slashes", "/%25252F%25252Fevil.example"},
	{"double-encoded backslash", "/%255cevil.example"},
	{"double-encoded tab", "/%2509/evil.example"},
	{"double-encoded NUL", "/%2500evil.example"},
	{"protocol-relative then tab", "//%09evil.example"},
	{"http URL", "http://evil.example/"},
	{"https without slashes", "https:evil.example"},
	{"javascript", "javascript:alert(1)"},
	{"javascript mixed case encoded colon", "JavaScript%3Aalert(1)"},
	{"data URL", "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"},
	{"mailto", "mailto:x@evil.example"},
	{"no leading slash", "evil.example"},
	{"leading space", "%20/x"},
	{"leading space then protocol-relative", "%20//evil.example"},
	{"space inside", "/x%20y"},
	{"plus is a space in a query", "/x+y"},
	{"full-width solidus twice", "%EF%BC%8F%EF%BC%8Fevil.example"},
	{"slash then full-width solidus", "/%EF%BC%8Fevil.example"},
	{"full-width reverse solidus", "/%EF%BC%BCevil.example"},
	{"division slash", "/%E2%88%95evil.example"},
	{"ideographic space", "/%E3%80%80"},
	{"no-break space", "/%C2%A0x"},
	{"zero-width space", "/%E2%80%8Bx"},
	{"right-to-left override", "/%E2%80%AEx"},
	{"line separator", "/%E2%80%A8x"},
	{"next line", "/x%C2%85"},
	{"NUL", "/%00"},
	{"DEL", "/x%7F"},
	{"invalid UTF-8", "/%FF"},
	{"invalid escape", "/%25"},
	{"backslash later", "/admin%5C..%5Cevil"},
}

// localNext are targets that must come back unchanged.
var localNext = []string{
	"/",
	"/rounds/2026/responses/ABC?x=1",
	"/admin/rounds#a",
	"/rounds/2026/responses/ABC/domains/cs",
	"/login?next=%2Fadmin%2Frounds",
}

// checkRedirect fails unless rec is a 303 to want, and never to anything a
// browser could read as another host.
func checkRedirect(t *testing.T, rec interface {
	Result() *http.Response
}, want string) {
	t.Helper()
	res := rec.Result()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || loc != want {
		t.Fatalf("status %d to %q, want 303 to %q", res.StatusCode, loc, want)
	}
	if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.IndexFunc(loc, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || r > unicode.MaxASCII
	}) >= 0 {
		t.Fatalf("Location %q", loc)
	}
}

// TestRedirectTargetsStayOnSite: the language switch, the sign-in page of a
// signed-in browser and the sign-in form itself follow next only to a local
// path.
func TestRedirectTargetsStayOnSite(t *testing.T) {
	h := newHarness(t)
	signedIn := h.browser().signIn(h.admin)

	type target struct{ name, raw, want string }
	var targets []target
	for _, tc := range hostileNext {
		targets = append(targets, target{tc.name, tc.raw, "/"})
	}
	for _, p := range localNext {
		targets = append(targets, target{"local " + p, url.QueryEscape(p), p})
	}
	for _, tc := range targets {
		t.Run(tc.name, func(t *testing.T) {
			decoded, err := url.QueryUnescape(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("language switch", func(t *testing.T) {
				checkRedirect(t, h.browser().get("/lang/en?next="+tc.raw), tc.want)
			})
			t.Run("sign-in page when signed in", func(t *testing.T) {
				checkRedirect(t, signedIn.get("/login?next="+tc.raw), tc.want)
			})
			t.Run("after sign-in", func(t *testing.T) {
				b := h.browser()
				page := b.get("/login?next=" + tc.raw)
				m := loginToken.FindStringSubmatch(page.Body.String())
				if m == nil {
					t.Fatalf("no form token: %d", page.Code)
				}
				checkRedirect(t, b.do("POST", "/login", url.Values{"csrf": {m[1]}, "token": {h.admin}, "next": {decoded}}), tc.want)
			})
		})
	}
}
