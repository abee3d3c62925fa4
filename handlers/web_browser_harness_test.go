package handlers_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests drive a real headless Chromium against the real server on
// loopback. Without a browser they skip, unless SURVEY_REQUIRE_BROWSER=1
// (CI) makes that a failure.

// stepTimeout bounds every browser step: a hung page fails the test
// instead of hanging it.
const stepTimeout = 15 * time.Second

// chromium finds the browser binary, or skips (or fails) the test.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("SURVEY_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "no Chromium found (apt-get install -y chromium, or set SURVEY_CHROMIUM to a Chrome binary); browser tests skipped"
	if os.Getenv("SURVEY_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " — but SURVEY_REQUIRE_BROWSER=1 requires them")
	}
	t.Skip(msg)
	return ""
}

// site is the server under test on loopback, with a switch that drops the
// connections of API calls, as a lost network would.
type site struct {
	t       *testing.T
	h       *harness
	url     string
	apiDown atomic.Bool
	browser context.Context

	mu      sync.Mutex
	patches []patchSeen
}

// patchSeen is a PATCH the server received: its path, the session cookie
// it came with and its body.
type patchSeen struct {
	path, session, body string
}

// patchesSeen returns the PATCH requests received so far.
func (s *site) patchesSeen() []patchSeen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]patchSeen(nil), s.patches...)
}

// newSite starts the server and a browser for it.
func newSite(t *testing.T, h *harness) *site {
	t.Helper()
	path := chromium(t)
	s := &site{t: t, h: h}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var session string
			if c, err := r.Cookie("dgs_session"); err == nil {
				session = c.Value
			}
			s.mu.Lock()
			s.patches = append(s.patches, patchSeen{path: r.URL.Path, session: session, body: string(body)})
			s.mu.Unlock()
		}
		if s.apiDown.Load() && strings.HasPrefix(r.URL.Path, "/api/") {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		h.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	if host, _, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://")); host != "127.0.0.1" && host != "::1" {
		t.Fatalf("test server not on loopback: %s", srv.URL)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout, which
	// would end the browser with it.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	s.browser = bctx
	return s
}

// tab is one browser tab in its own browser context: its own cookies and
// local storage, like a separate browser profile.
type tab struct {
	s   *site
	t   *testing.T
	ctx context.Context
}

func (s *site) newTab() *tab { return s.newTabFor(s.t) }

// newTabFor opens a tab that reports to t (a subtest, say) and closes with it.
func (s *site) newTabFor(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(s.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return &tab{s: s, t: t, ctx: ctx}
}

// do runs steps within stepTimeout.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v\npage: %s", err, tb.snapshot())
	}
}

// eval evaluates js in the page and decodes its result.
func eval[T any](tb *tab, js string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v\npage: %s", js, err, tb.snapshot())
	}
	return v
}

// snapshot is the page's location and text, for failure messages.
func (tb *tab) snapshot() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 1500)`))
	if err != nil {
		return "(unavailable: " + err.Error() + ")"
	}
	return v
}

// open navigates to a path of the site and waits for the load.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.s.url + path))
}

// follow clicks sel and waits for the page it leads to.
func (tb *tab) follow(sel string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		tb.t.Fatalf("following %s: %v\npage: %s", sel, err, tb.snapshot())
	}
}

// navigateBy runs js, which makes the page navigate (a form post, say),
// and waits for the new page.
func (tb *tab) navigateBy(js string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		tb.t.Fatalf("navigating by %.80q: %v\npage: %s", js, err, tb.snapshot())
	}
}

// waitFor polls a JavaScript predicate until it holds.
func (tb *tab) waitFor(what, predicate string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingInterval(25*time.Millisecond))); err != nil {
		tb.t.Fatalf("waiting for %s: %v\npage: %s", what, err, tb.snapshot())
	}
}

// text is the text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector(`+jsString(sel)+`) || {textContent: ""}).textContent`)
}

// signIn signs the tab in through the sign-in form.
func (tb *tab) signIn(token string) {
	tb.t.Helper()
	tb.open("/login")
	tb.do(chromedp.SendKeys(chromedp.ID("token"), token))
	tb.follow(`form[action="/login"] button[type="submit"]`)
	if loc := eval[string](tb, `location.pathname`); loc == "/login" {
		tb.t.Fatalf("sign-in failed: %s", tb.snapshot())
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// eventually polls cond (a store read, say) until it holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
