package handlers_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
)

// TestInvitationSignInOverSMTP: an invitation arrives over SMTP (bilingual,
// text and HTML, no tracking); its link opens a page whose button signs
// in (the GET alone does not); the session shows the user's name; the
// link then no longer works, and a forged one gets the same clear page.
func TestInvitationSignInOverSMTP(t *testing.T) {
	smtpd := newSMTPServer(t)
	h := newHarness(t)
	h.useSMTP(smtpd, 10*time.Millisecond)
	h.department("ABC")
	h.invite("Ben Wong", "Ben.Wong@abc.example", "respondent", "ABC", false)

	m := smtpd.wait(1)[0]
	if m.To != "Ben.Wong@abc.example" || m.From != "survey@dpo.example" {
		t.Fatalf("envelope %s -> %s", m.From, m.To)
	}
	for _, want := range []string{"invited", "誠邀", "Ben Wong"} {
		if !strings.Contains(m.Subject+m.Text, want) {
			t.Errorf("the invitation lacks %q:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
	if m.HTML == "" || strings.Contains(m.HTML, "<img") || !strings.Contains(m.HTML, `lang="zh-Hant"`) {
		t.Errorf("the HTML part is missing, has an image or lacks the Chinese half:\n%s", m.HTML)
	}
	token := signInToken(t, m.Text)

	b := h.browser()
	page := b.page(http.StatusOK, "/signin/"+token)
	if !strings.Contains(page, `id="confirm-signin"`) {
		t.Fatalf("the link's page has no sign-in button:\n%s", page)
	}
	for name := range b.cookies {
		if strings.HasSuffix(name, handlers.SessionCookie) {
			t.Fatal("opening the link (a GET) started a session")
		}
	}
	if got := b.page(http.StatusOK, "/signin/"+token); !strings.Contains(got, "confirm-signin") {
		t.Fatal("opening the link twice used it up")
	}
	res := b.followLink(token)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pressing the button: %d", res.StatusCode)
	}
	first := ""
	for name, c := range b.cookies {
		if strings.HasSuffix(name, handlers.SessionCookie) {
			first = c.Value
		}
	}
	if first == "" {
		t.Fatal("no session cookie after pressing the button")
	}
	if home := b.page(http.StatusOK, "/"); !strings.Contains(home, "Ben Wong") {
		t.Errorf("the page does not name the signed-in user:\n%.2000s", home)
	}
	for _, u := range h.must(http.StatusOK, "GET", "/api/v1/users", h.admin, nil)["users"].([]any) {
		if um := u.(map[string]any); um["name"] == "Ben Wong" && um["last_sign_in_at"] == nil {
			t.Error("the sign-in is not recorded on the user")
		}
	}

	t.Run("a used, forged or expired link signs nobody in", func(t *testing.T) {
		cases := []struct {
			name, token string
		}{
			{"used", token},
			{"forged", strings.Repeat("A", 43)},
			{"garbage", "not-a-token"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				other := h.browser()
				rec := other.get("/signin/" + tc.token)
				if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `id="signin-invalid"`) {
					t.Fatalf("GET: %d, want the clear 404 page\n%s", rec.Code, rec.Body.String())
				}
				for name := range other.cookies {
					if strings.HasSuffix(name, handlers.SessionCookie) {
						t.Fatal("a session was started")
					}
				}
			})
		}
		h.must(http.StatusOK, "POST", "/api/v1/users/"+userID(t, h, "ben.wong@abc.example")+"/invite", h.admin, nil)
		fresh := signInToken(t, smtpd.wait(2)[1].Text)
		if fresh == token {
			t.Fatal("the fresh invitation repeats the used link")
		}
		h.clock.Set(defaultTestNow.Add(31 * time.Minute))
		rec := h.browser().get("/signin/" + fresh)
		if rec.Code != http.StatusNotFound {
			t.Fatalf("an expired link: %d, want 404", rec.Code)
		}
	})

	t.Run("the outbox records the delivery", func(t *testing.T) {
		out := h.must(http.StatusOK, "GET", "/api/v1/outbox", h.admin, nil)
		if out["smtp"] != true {
			t.Errorf("smtp = %v, want true", out["smtp"])
		}
		msgs := out["messages"].([]any)
		last := msgs[len(msgs)-1].(map[string]any)
		if last["status"] != survey.MailSent || last["kind"] != "invitation" {
			t.Errorf("the invitation in the outbox: %v", last)
		}
		// With SMTP the link is in the e-mail alone: an admin (or a backup)
		// reading the outbox cannot sign in as the invited person.
		for _, raw := range msgs {
			m := raw.(map[string]any)
			if strings.Contains(m["text"].(string)+m["html"].(string), "/signin/") || m["redacted"] != true {
				t.Errorf("the outbox keeps a sign-in link: %v", m)
			}
		}
		if page := h.browser().signIn(h.admin).page(http.StatusOK, "/admin/outbox"); strings.Contains(page, token) {
			t.Error("the outbox page shows a sign-in link")
		}
	})
}

// userID finds a user's id by address through the API.
func userID(t *testing.T, h *harness, addr string) string {
	t.Helper()
	for _, u := range h.must(http.StatusOK, "GET", "/api/v1/users", h.admin, nil)["users"].([]any) {
		if um := u.(map[string]any); strings.EqualFold(um["email"].(string), addr) {
			return um["id"].(string)
		}
	}
	t.Fatalf("no user %s", addr)
	return ""
}

// TestUserBadInput: every bad invitation is refused with the field named,
// and nothing is stored.
func TestUserBadInput(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	h.invite("Ada Chan", "ada@dpo.example", "admin", "", false)
	cases := []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"invalid address", map[string]any{"name": "X", "email": "not-an-address", "role": "planner"}, 422, "email"},
		{"display name in the address", map[string]any{"name": "X", "email": "Eve <eve@x.example>", "role": "planner"}, 422, "email"},
		{"line break in the address", map[string]any{"name": "X", "email": "eve@x.example\r\nBcc: all@x.example", "role": "planner"}, 422, "email"},
		{"line break in the name", map[string]any{"name": "Eve\r\nBcc: all@x.example", "email": "eve@x.example", "role": "planner"}, 422, "name"},
		{"duplicate address in another case", map[string]any{"name": "Ada", "email": "ADA@dpo.example", "role": "planner"}, 409, "email"},
		{"unknown role", map[string]any{"name": "X", "email": "x@x.example", "role": "boss"}, 422, "role"},
		{"respondent without department", map[string]any{"name": "X", "email": "x@x.example", "role": "respondent"}, 422, "department"},
		{"unknown department", map[string]any{"name": "X", "email": "x@x.example", "role": "respondent", "department": "NOPE"}, 422, "department"},
		{"planner with a department", map[string]any{"name": "X", "email": "x@x.example", "role": "planner", "department": "ABC"}, 422, "department"},
		{"missing name", map[string]any{"email": "x@x.example", "role": "planner"}, 422, "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.must(http.StatusOK, "GET", "/api/v1/users", h.admin, nil)["users"].([]any))
			rec := h.request("POST", "/api/v1/users", h.admin, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			body := checkJSONError(t, rec)
			found := false
			for _, f := range body.Error.Fields {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Errorf("the error does not name %s: %s", tc.field, rec.Body.String())
			}
			if after := len(h.must(http.StatusOK, "GET", "/api/v1/users", h.admin, nil)["users"].([]any)); after != before {
				t.Errorf("%d users after a refused invitation, %d before", after, before)
			}
		})
	}
	t.Run("a stale change is refused", func(t *testing.T) {
		id := userID(t, h, "ada@dpo.example")
		h.must(http.StatusOK, "PATCH", "/api/v1/users/"+id, h.admin, map[string]any{"name": "Ada C."}, "If-Match", `"1"`)
		rec := h.request("PATCH", "/api/v1/users/"+id, h.admin, map[string]any{"name": "Ada Again"}, "If-Match", `"1"`)
		if rec.Code != http.StatusPreconditionFailed {
			t.Fatalf("stale If-Match: %d, want 412", rec.Code)
		}
	})
}

// TestSignInLinkRequests: the sign-in page answers alike for registered
// and unknown addresses, throttles per address (429 with Retry-After),
// keeps e-mail addresses out of the logs, and a deactivated user gets no
// link and loses their session.
func TestSignInLinkRequests(t *testing.T) {
	var logs bytes.Buffer
	h := newHarness(t, func(c *handlersConfig) {
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Logger, c.HTTP.Logger = logger, logger
	})
	h.department("ABC")
	h.invite("Ben Wong", "ben@abc.example", "respondent", "ABC", false)

	ask := func(addr string) *http.Response {
		b := h.browser()
		m := formCSRF.FindStringSubmatch(b.get("/login").Body.String())
		return b.do("POST", "/login/email", url.Values{"csrf": {m[1]}, "email": {addr}}).Result()
	}
	known, unknown := ask("ben@abc.example"), ask("nobody@abc.example")
	if known.StatusCode != http.StatusSeeOther || !strings.Contains(known.Header.Get("Location"), "flash=link-sent") {
		t.Fatalf("asking for a link: %d %s", known.StatusCode, known.Header.Get("Location"))
	}
	if known.StatusCode != unknown.StatusCode || known.Header.Get("Location") != unknown.Header.Get("Location") {
		t.Fatalf("registered and unknown addresses answer differently: %d %s / %d %s",
			known.StatusCode, known.Header.Get("Location"), unknown.StatusCode, unknown.Header.Get("Location"))
	}
	h.outboxTo("ben@abc.example", "sign_in")
	if bad := ask("not an address"); bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an invalid address: %d, want 422", bad.StatusCode)
	}
	var limited *http.Response
	for range 10 {
		if r := ask("nobody@abc.example"); r.StatusCode == http.StatusTooManyRequests {
			limited = r
			break
		}
	}
	if limited == nil || limited.Header.Get("Retry-After") == "" {
		t.Fatal("asking for links again and again is never throttled (429 with Retry-After)")
	}

	_, ben := h.signInAs("ben@abc.example")
	if code, _ := h.api(ben, "GET", "/api/v1/rounds", nil); code != http.StatusOK {
		t.Fatalf("a signed-in user's API call: %d", code)
	}
	id := userID(t, h, "ben@abc.example")
	h.must(http.StatusOK, "PATCH", "/api/v1/users/"+id, h.admin, map[string]any{"active": false})
	if code, _ := h.api(ben, "GET", "/api/v1/rounds", nil); code != http.StatusUnauthorized {
		t.Errorf("a deactivated user's session still works: %d", code)
	}
	for _, addr := range []string{"ben@abc.example", "nobody@abc.example"} {
		if strings.Contains(strings.ToLower(logs.String()), addr) {
			t.Errorf("the logs hold the address %s:\n%s", addr, logs.String())
		}
	}
}

// TestOutboxWithoutSMTP: with no SMTP server, invitations are kept in the
// outbox, on the API and on the admin page.
func TestOutboxWithoutSMTP(t *testing.T) {
	h := newHarness(t)
	h.invite("Daniel Ho", "daniel@csc.example", "planner", "", false)
	out := h.must(http.StatusOK, "GET", "/api/v1/outbox", h.admin, nil)
	msgs := out["messages"].([]any)
	if out["smtp"] != false || len(msgs) != 1 || msgs[0].(map[string]any)["status"] != survey.MailKept {
		t.Fatalf("outbox: %v", out)
	}
	page := h.browser().signIn(h.admin).page(http.StatusOK, "/admin/outbox")
	for _, want := range []string{`id="outbox-kept"`, "daniel@csc.example", "/signin/"} {
		if !strings.Contains(page, want) {
			t.Errorf("the outbox page lacks %q", want)
		}
	}
}

// TestSMTPDownRetried: while the SMTP server refuses, the invitation is
// still created at once; the message is retried with back-off and
// delivered, and the outbox shows the attempts.
func TestSMTPDownRetried(t *testing.T) {
	smtpd := newSMTPServer(t)
	smtpd.refuseNext(2)
	h := newHarness(t)
	h.useSMTP(smtpd, 20*time.Millisecond)
	h.invite("Daniel Ho", "daniel@csc.example", "planner", "", false)
	smtpd.wait(1)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := h.outboxTo("daniel@csc.example", "invitation")
		if m.Status == survey.MailSent {
			if m.Attempts != 3 {
				t.Errorf("delivered after %d attempts, want 3", m.Attempts)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox never recorded the delivery: %+v", m)
		}
		time.Sleep(10 * time.Millisecond)
	}

	t.Run("a server that never answers: failed, visible, request unaffected", func(t *testing.T) {
		h2 := newHarness(t)
		h2.withSMTP("127.0.0.1:1", time.Millisecond)
		h2.invite("Eve Yip", "eve@csc.example", "planner", "", false)
		deadline := time.Now().Add(10 * time.Second)
		for {
			m := h2.outboxTo("eve@csc.example", "invitation")
			if m.Status == survey.MailFailed {
				if m.Attempts != 4 || m.LastError == "" {
					t.Errorf("failed after %d attempts, error %q", m.Attempts, m.LastError)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("never marked failed: %+v", m)
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = context.Background()
	})
}
