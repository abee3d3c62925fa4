package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// gatedSessions is the store with a hook run once after the next session
// read, to hold a request between reading its session and caching it.
type gatedSessions struct {
	assess.Store
	mu   sync.Mutex
	gate func()
}

func (g *gatedSessions) Session(ctx context.Context, hash string) (*survey.Session, error) {
	sess, err := g.Store.Session(ctx, hash)
	g.mu.Lock()
	f := g.gate
	g.gate = nil
	g.mu.Unlock()
	if f != nil {
		f()
	}
	return sess, err
}

func (g *gatedSessions) arm(f func()) {
	g.mu.Lock()
	g.gate = f
	g.mu.Unlock()
}

// sessionRequest sends a request with a session cookie (and, for the API,
// its CSRF header).
func sessionRequest(srv http.Handler, method, path, cookie, csrf string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: cookie})
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// signInCookie signs in through the form without loading a page, so the
// new session is not cached yet, and returns its cookie and CSRF token.
func signInCookie(t *testing.T, h *harness, token string) (cookie, csrf string) {
	t.Helper()
	b := h.browser()
	if rec := b.attemptSignIn(token); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", rec.Code)
	}
	c := b.cookies[handlers.SessionCookie]
	if c == nil {
		t.Fatal("no session cookie")
	}
	sess, err := h.store.Session(context.Background(), survey.HashToken(c.Value))
	if err != nil {
		t.Fatal(err)
	}
	return c.Value, sess.CSRF
}

// signedOutEverywhere fails unless neither a page nor the API accepts cookie.
func signedOutEverywhere(t *testing.T, srv http.Handler, cookie, csrf string) {
	t.Helper()
	if rec := sessionRequest(srv, "GET", "/", cookie, "", nil); rec.Code != http.StatusSeeOther ||
		!strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Fatalf("a page after sign-out: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := sessionRequest(srv, "GET", "/api/v1/rounds", cookie, csrf, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("the API after sign-out: %d", rec.Code)
	}
}

// TestLogoutIsFinalWithRequestsInFlight: a request that read its session
// from the store just before logout, and caches it just after, does not
// keep the session alive: the next request with the cookie, on the same
// instance and at once, is signed out.
func TestLogoutIsFinalWithRequestsInFlight(t *testing.T) {
	// Requests after the logout fail authentication; they must not run
	// into the failure limiter, which would hide what they got.
	h := newHarness(t, func(c *handlersConfig) { c.FailedAuthPerMinute = 1 << 20 })
	gated := &gatedSessions{Store: h.store}
	h.srv = newServer(gated, h.config)

	t.Run("one request between its store read and its cache write", func(t *testing.T) {
		cookie, csrf := signInCookie(t, h, h.admin)
		read, release := make(chan struct{}), make(chan struct{})
		gated.arm(func() { close(read); <-release })
		inflight := make(chan int)
		go func() { inflight <- sessionRequest(h.srv, "GET", "/", cookie, "", nil).Code }()
		<-read // the request holds the session it read; now sign out
		if rec := sessionRequest(h.srv, "POST", "/logout", cookie, "", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", rec.Code)
		}
		close(release)
		<-inflight // it may finish as it began; what matters is what follows
		signedOutEverywhere(t, h.srv, cookie, csrf)
	})

	t.Run("many requests, pages and API, around the logout", func(t *testing.T) {
		for range 5 {
			cookie, csrf := signInCookie(t, h, h.admin)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Go(func() {
					<-start
					for range 10 {
						if i%2 == 0 {
							sessionRequest(h.srv, "GET", "/", cookie, "", nil)
						} else {
							sessionRequest(h.srv, "GET", "/api/v1/rounds", cookie, csrf, nil)
						}
					}
				})
			}
			close(start)
			if rec := sessionRequest(h.srv, "POST", "/logout", cookie, "", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("logout: %d", rec.Code)
			}
			wg.Wait()
			signedOutEverywhere(t, h.srv, cookie, csrf)
		}
	})
}
