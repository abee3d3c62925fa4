package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
)

// loginPost posts the sign-in form to srv with the given form cookie and
// field, as a browser holding that cookie would.
func loginPost(srv http.Handler, base, cookieName, cookie, field, token string) *httptest.ResponseRecorder {
	form := url.Values{"csrf": {field}, "token": {token}, "next": {"/"}}
	req := httptest.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// loginForm loads the sign-in page from srv and returns its form cookie and
// the token of its form.
func loginForm(t *testing.T, srv http.Handler, base string) (*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", base+"/login", nil))
	m := loginToken.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("sign-in page: %d", rec.Code)
	}
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, "dgs_login") {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("the sign-in page sets no form cookie")
	}
	return cookie, m[1]
}

func signedInBy(rec *httptest.ResponseRecorder) bool {
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, handlers.SessionCookie) && c.Value != "" && c.MaxAge >= 0 {
			return rec.Code == http.StatusSeeOther
		}
	}
	return false
}

// TestSignInFormTokenBoundToServer: the sign-in form's token is an HMAC
// with a key kept in the store, so a cookie and field an attacker planted
// (any pair of their own making) are refused with 403, while a genuine form
// signs in, also on another instance sharing the store.
func TestSignInFormTokenBoundToServer(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	h := newHarness(t, func(c *handlersConfig) { c.Now = clock })
	const base = "http://survey.example"

	t.Run("a failed post on a fresh store writes nothing", func(t *testing.T) {
		random, _, _ := survey.NewToken()
		if rec := loginPost(h.srv, base, "dgs_login", random, random, h.admin); rec.Code != http.StatusForbidden {
			t.Fatalf("status %d", rec.Code)
		}
		n, err := h.store.Database().Collection("secrets").CountDocuments(context.Background(), bson.D{})
		if err != nil || n != 0 {
			t.Fatalf("%d secrets stored by a refused post (%v)", n, err)
		}
	})

	genuine, field := loginForm(t, h.srv, base)
	if genuine.Value != field || genuine.Path != "/login" || !genuine.HttpOnly || genuine.SameSite != http.SameSiteStrictMode {
		t.Fatalf("form cookie %+v for field %q", genuine, field)
	}

	t.Run("pairs an attacker made are refused", func(t *testing.T) {
		random, _, _ := survey.NewToken()
		parts := strings.Split(field, ".")
		if len(parts) != 3 {
			t.Fatalf("token %q is not nonce.expiry.mac", field)
		}
		exp, _ := strconv.ParseInt(parts[1], 10, 64)
		forged := []struct{ name, value string }{
			{"random token (the old double submit)", random},
			{"right shape, made-up MAC", parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))},
			{"another nonce with this MAC", strings.Repeat("B", len(parts[0])) + "." + parts[1] + "." + parts[2]},
			{"a later expiry with this MAC", parts[0] + "." + strconv.FormatInt(exp+86400, 10) + "." + parts[2]},
			{"no MAC", parts[0] + "." + parts[1]},
			{"dots only", ".."},
		}
		for _, f := range forged {
			t.Run(f.name, func(t *testing.T) {
				rec := loginPost(h.srv, base, "dgs_login", f.value, f.value, h.admin)
				if rec.Code != http.StatusForbidden || signedInBy(rec) {
					t.Fatalf("status %d, signed in %v", rec.Code, signedInBy(rec))
				}
			})
		}
		if rec := loginPost(h.srv, base, "dgs_login", random, field, h.admin); rec.Code != http.StatusForbidden {
			t.Fatalf("a genuine field with another cookie: %d", rec.Code)
		}
		if rec := loginPost(h.srv, base, "dgs_login", "", field, h.admin); rec.Code != http.StatusForbidden {
			t.Fatalf("a genuine field without the cookie: %d", rec.Code)
		}
	})

	t.Run("a genuine form signs in", func(t *testing.T) {
		if rec := loginPost(h.srv, base, genuine.Name, genuine.Value, field, h.admin); !signedInBy(rec) {
			t.Fatalf("status %d\n%s", rec.Code, rec.Body.String())
		}
	})

	t.Run("another instance on the same store accepts it", func(t *testing.T) {
		other := newServer(h.store, h.config) // its own caches, the store's key
		if rec := loginPost(other, base, genuine.Name, genuine.Value, field, h.admin); !signedInBy(rec) {
			t.Fatalf("a token of the first instance on the second: %d", rec.Code)
		}
		c, f := loginForm(t, other, base)
		if rec := loginPost(h.srv, base, c.Name, c.Value, f, h.admin); !signedInBy(rec) {
			t.Fatalf("a token of the second instance on the first: %d", rec.Code)
		}
		n, err := h.store.Database().Collection("secrets").CountDocuments(context.Background(), bson.D{})
		if err != nil || n != 1 {
			t.Fatalf("%d secrets stored (%v), want one shared", n, err)
		}
	})

	t.Run("a token expires after an hour", func(t *testing.T) {
		c, f := loginForm(t, h.srv, base)
		advance(61 * time.Minute)
		if rec := loginPost(h.srv, base, c.Name, c.Value, f, h.admin); rec.Code != http.StatusForbidden {
			t.Fatalf("an expired form: %d", rec.Code)
		}
	})

	t.Run("when Secure the form cookie is __Host-dgs_login", func(t *testing.T) {
		hs := newHarness(t, func(c *handlersConfig) { c.HTTP.CookieSecure = true })
		c, f := loginForm(t, hs.srv, base)
		if c.Name != "__Host-dgs_login" || c.Path != "/" || c.Domain != "" || !c.Secure {
			t.Fatalf("form cookie %+v", c)
		}
		if rec := loginPost(hs.srv, base, "dgs_login", c.Value, f, hs.admin); rec.Code != http.StatusForbidden {
			t.Fatalf("the pair under the plain name: %d", rec.Code)
		}
		if rec := loginPost(hs.srv, base, c.Name, c.Value, f, hs.admin); !signedInBy(rec) {
			t.Fatalf("the genuine form: %d", rec.Code)
		}
	})
}
