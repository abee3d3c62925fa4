package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// withSMTP sends the harness's e-mail to an SMTP server on loopback, with
// retries after backoff (short, for tests). It rebuilds the engine.
func (h *harness) withSMTP(addr string, backoff time.Duration) *mail.Queue {
	h.t.Helper()
	sender, err := mail.NewSMTP(mail.SMTPConfig{Addr: addr, From: "survey@dpo.example", StartTLS: mail.StartTLSOpportunistic, Timeout: 5 * time.Second})
	if err != nil {
		h.t.Fatal(err)
	}
	q := mail.NewQueue(sender, h.store, mail.QueueConfig{Attempts: 4, Backoff: backoff})
	h.t.Cleanup(q.Close)
	h.config.People.Mailer = q
	h.srv = newServer(h.store, h.config)
	return q
}

// useSMTP sends the harness's e-mail to s, where signInAs then reads the
// links (the outbox keeps none when SMTP is configured).
func (h *harness) useSMTP(s *smtpServer, backoff time.Duration) *mail.Queue {
	h.smtpd = s
	return h.withSMTP(s.addr, backoff)
}

// linkTextTo is the text of the newest e-mail to addr of kind: from the SMTP
// server when there is one (after the before'th message to addr), else
// from the outbox.
func (h *harness) linkTextTo(addr, kind string, before int) string {
	h.t.Helper()
	if h.smtpd == nil {
		return h.outboxTo(addr, kind).Text
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if got := h.smtpd.to(addr); len(got) > before {
			return got[len(got)-1].Text
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no e-mail to %s arrived", addr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// invite invites a user through the API and returns their id.
func (h *harness) invite(name, email, role, dept string, approver bool) string {
	h.t.Helper()
	body := map[string]any{"name": name, "email": email, "role": role, "approver": approver}
	if dept != "" {
		body["department"] = dept
	}
	return h.must(http.StatusCreated, "POST", "/api/v1/users", h.admin, body)["id"].(string)
}

// outboxTo is the newest outbox message to addr of kind.
func (h *harness) outboxTo(addr, kind string) *survey.Message {
	h.t.Helper()
	msgs, err := h.store.Messages(context.Background(), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := range msgs {
		if strings.EqualFold(msgs[i].To, addr) && msgs[i].Kind == kind {
			return &msgs[i]
		}
	}
	h.t.Fatalf("no %s message to %s in the outbox", kind, addr)
	return nil
}

var formCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// followLink opens a sign-in link in b and presses its button; it returns
// the answer to the press.
func (b *webClient) followLink(token string) *http.Response {
	b.h.t.Helper()
	page := b.get("/signin/" + token)
	if page.Code != http.StatusOK {
		b.h.t.Fatalf("GET /signin/…: %d\n%s", page.Code, page.Body.String())
	}
	m := formCSRF.FindStringSubmatch(page.Body.String())
	if m == nil {
		b.h.t.Fatalf("the sign-in link's page has no button form:\n%s", page.Body.String())
	}
	return b.do("POST", "/signin/"+token, url.Values{"csrf": {m[1]}}).Result()
}

// signInAs signs the user of addr in through an e-mailed link (from the
// outbox) and returns the browser and the caller for API calls with the
// session.
func (h *harness) signInAs(addr string) (*webClient, caller) {
	h.t.Helper()
	b := h.browser()
	page := b.get("/login")
	m := formCSRF.FindStringSubmatch(page.Body.String())
	if m == nil {
		h.t.Fatal("no sign-in form token")
	}
	before := 0
	if h.smtpd != nil {
		before = len(h.smtpd.to(addr))
	}
	if rec := b.do("POST", "/login/email", url.Values{"csrf": {m[1]}, "email": {addr}}); rec.Code != http.StatusSeeOther {
		h.t.Fatalf("asking for a link: %d", rec.Code)
	}
	token := signInToken(h.t, h.linkTextTo(addr, "sign_in", before))
	if res := b.followLink(token); res.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("pressing the sign-in button: %d", res.StatusCode)
	}
	b.page(http.StatusOK, "/")
	var cookie string
	for name, c := range b.cookies {
		if strings.HasSuffix(name, "dgs_session") {
			cookie = c.Value
		}
	}
	if cookie == "" || b.csrf == "" {
		h.t.Fatal("no session after signing in by link")
	}
	return b, caller{name: addr, cookie: cookie, csrf: b.csrf}
}

// api sends an API request as a signed-in browser does: the session cookie
// and its CSRF header.
func (h *harness) api(c caller, method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	rec := h.send(method, path, c, body, "X-CSRF-Token", c.csrf)
	out := map[string]any{}
	if rec.Body.Len() > 0 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
	}
	return rec.Code, out
}

// completeAnswers answers every question of the small questionnaire.
func completeAnswers() map[string]any {
	return map[string]any{"answers": map[string]any{
		"cs-iam-1": map[string]any{"level": 3, "comment": "MFA <everywhere> & more"}, "cs-iam-2": map[string]any{"level": 2},
		"cs-cloud-1": map[string]any{"na": true, "na_reason": "no cloud"}, "cs-cloud-2": map[string]any{"level": 1},
		"ds-gov-1": map[string]any{"level": 4}, "ds-gov-2": map[string]any{"level": 5},
	}}
}
