package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/handlers/web"
)

// TestOIDCSignIn runs single sign-on against an OpenID Connect provider in
// the test process (github.com/oauth2-proxy/mockoidc on loopback): a
// verified address of an active user signs in; a wrong state, a wrong
// nonce, an unverified address and an unknown address get a clear page and
// no session.
func TestOIDCSignIn(t *testing.T) {
	provider, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = provider.Shutdown() })
	pc := provider.Config()
	h := newHarness(t, func(c *handlersConfig) {
		c.HTTP.OIDC = &web.OIDCConfig{Issuer: pc.Issuer, ClientID: pc.ClientID, ClientSecret: pc.ClientSecret,
			RedirectURL: "http://127.0.0.1:8080/auth/oidc/callback"}
	})
	h.department("ABC")
	h.invite("Ben Wong", "ben@abc.example", "respondent", "ABC", false)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// begin starts a sign-on in b and has the provider authenticate user;
	// it returns the callback's path and query.
	begin := func(b *webClient, user *mockoidc.MockUser) string {
		t.Helper()
		start := b.get("/auth/oidc/start")
		if start.Code != http.StatusSeeOther {
			t.Fatalf("start: %d %s", start.Code, start.Body.String())
		}
		provider.QueueUser(user)
		res, err := noRedirect.Get(start.Header().Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		back, err := url.Parse(res.Header.Get("Location"))
		if err != nil || back.Query().Get("code") == "" {
			t.Fatalf("the provider did not send the browser back with a code: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		return back.Path + "?" + back.RawQuery
	}
	session := func(b *webClient) bool {
		for name := range b.cookies {
			if strings.HasSuffix(name, handlers.SessionCookie) {
				return true
			}
		}
		return false
	}
	ben := &mockoidc.MockUser{Subject: "ben", Email: "Ben@abc.example", EmailVerified: true}

	t.Run("verified address of an active user", func(t *testing.T) {
		b := h.browser()
		if !strings.Contains(b.page(http.StatusOK, "/login"), `id="oidc-start"`) {
			t.Error("the sign-in page does not offer single sign-on")
		}
		rec := b.get(begin(b, ben))
		if rec.Code != http.StatusSeeOther || !session(b) {
			t.Fatalf("callback: %d, session %v\n%s", rec.Code, session(b), rec.Body.String())
		}
		if !strings.Contains(b.page(http.StatusOK, "/"), "Ben Wong") {
			t.Error("the signed-in page does not name the user")
		}
	})
	refused := []struct {
		name   string
		run    func(b *webClient) *http.Response
		reason string
	}{
		{"wrong state", func(b *webClient) *http.Response {
			cb := begin(b, ben)
			u, _ := url.Parse(cb)
			q := u.Query()
			q.Set("state", "forged")
			return b.get(u.Path + "?" + q.Encode()).Result()
		}, "did not come from the sign-in you started"},
		{"wrong nonce: a code from another sign-on", func(b *webClient) *http.Response {
			other := h.browser()
			cb := begin(other, ben)   // the provider put other's nonce in this code's token
			b.get("/auth/oidc/start") // b's own flow: its state and nonce
			u, _ := url.Parse(cb)
			state, _, _ := strings.Cut(b.cookies["dgs_oidc"].Value, ".")
			q := u.Query()
			q.Set("state", state)
			return b.get(u.Path + "?" + q.Encode()).Result()
		}, "did not come from the sign-in you started"},
		{"unverified address", func(b *webClient) *http.Response {
			return b.get(begin(b, &mockoidc.MockUser{Subject: "ben", Email: "ben@abc.example", EmailVerified: false})).Result()
		}, "has not verified"},
		{"unknown address", func(b *webClient) *http.Response {
			return b.get(begin(b, &mockoidc.MockUser{Subject: "eve", Email: "eve@abc.example", EmailVerified: true})).Result()
		}, "No active user"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			res := tc.run(b)
			body := new(strings.Builder)
			buf := make([]byte, 64<<10)
			n, _ := res.Body.Read(buf)
			body.Write(buf[:n])
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body.String(), tc.reason) || !strings.Contains(body.String(), `id="oidc-refused"`) {
				t.Fatalf("status %d, want 403 with %q:\n%s", res.StatusCode, tc.reason, body)
			}
			if session(b) {
				t.Fatal("a session was started")
			}
		})
	}
}
