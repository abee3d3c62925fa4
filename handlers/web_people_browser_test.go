package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dpo/dgsurvey/survey"
)

// TestBrowserInviteSignInApprove: in a browser, against a real SMTP server
// on loopback, an administrator invites a preparer and an approver from
// the people page; the preparer opens the link from the captured message,
// signs in with its button, answers and asks for approval; the approver
// signs in from their invitation and submits; everyone gets a receipt.
func TestBrowserInviteSignInApprove(t *testing.T) {
	smtpd := newSMTPServer(t)
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *handlersConfig) { c.Location = hk })
	setupRound(t, h)
	s := newSite(t, h)
	h.config.People.BaseURL = s.url
	h.useSMTP(smtpd, 10*time.Millisecond)

	admin := s.newTab()
	admin.signIn(h.admin)
	invite := func(name, email string, approver bool) {
		t.Helper()
		admin.open("/admin/users")
		admin.do(chromedp.SendKeys(chromedp.ID("f-name"), name), chromedp.SendKeys(chromedp.ID("f-email"), email),
			chromedp.SetValue(chromedp.ID("f-role"), "respondent"), chromedp.SetValue(chromedp.ID("f-department"), "ABC"))
		if approver {
			admin.do(chromedp.Click(chromedp.ID("f-approver")))
		}
		admin.follow(`#invite-submit`)
		if !strings.Contains(admin.text("main"), email) {
			t.Fatalf("the invited user is not listed: %s", admin.snapshot())
		}
	}
	invite("Ben Wong", "ben@abc.example", false)
	invite("Carmen Lee", "carmen@abc.example", true)

	linkIn := func(m capturedMail) string {
		t.Helper()
		i := strings.Index(m.Text, s.url+"/signin/")
		if i < 0 {
			t.Fatalf("no link to this site in the message:\n%s", m.Text)
		}
		return strings.Fields(m.Text[i:])[0]
	}
	signInByLink := func(tb *tab, addr, name string) {
		t.Helper()
		link := linkIn(smtpd.waitFor(addr, "invited"))
		tb.do(chromedp.Navigate(link))
		tb.follow(`#confirm-signin`)
		if !strings.Contains(tb.text("header"), name) {
			t.Fatalf("not signed in as %s: %s", name, tb.snapshot())
		}
	}

	ben := s.newTab()
	signInByLink(ben, "ben@abc.example", "Ben Wong")
	// The answer form shows one capability area per step.
	for _, domain := range h.q.Domains {
		for _, area := range domain.Areas {
			ben.open("/rounds/2026/responses/ABC/domains/" + domain.ID + "?area=" + area.ID)
			for _, qu := range area.Questions {
				ben.do(chromedp.Click(chromedp.ID(qu.ID + "-l3")))
				eventually(t, qu.ID+" stored", hasLevel(t, h, qu.ID, 3))
			}
		}
	}
	ben.open("/rounds/2026/responses/ABC/review")
	if eval[bool](ben, `!!document.getElementById('to-submit')`) {
		t.Fatal("the preparer is offered the submit button in a department with an approver")
	}
	ben.follow(`#ask-approval`)
	if !strings.Contains(ben.text("main"), "approvers have been asked") {
		t.Fatalf("no confirmation of the request: %s", ben.snapshot())
	}
	if ask := smtpd.waitFor("carmen@abc.example", "Approval requested"); !strings.Contains(ask.Text, "Ben Wong") {
		t.Errorf("the approval request does not name the preparer:\n%s", ask.Text)
	}

	carmen := s.newTab()
	signInByLink(carmen, "carmen@abc.example", "Carmen Lee")
	carmen.open("/rounds/2026/responses/ABC/review")
	carmen.follow(`#to-submit`)
	carmen.follow(`#confirm-submit`)
	r, err := h.store.Response(context.Background(), "2026", "ABC")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != survey.StatusSubmitted || r.SubmittedByName != "Carmen Lee" {
		t.Fatalf("after the approver's submit: %s by %q", r.Status, r.SubmittedByName)
	}
	if got := carmen.text("#receipt-sha256"); got != r.AnswersSHA256 {
		t.Errorf("the page shows the receipt %q, want %q", got, r.AnswersSHA256)
	}
	for _, addr := range []string{"ben@abc.example", "carmen@abc.example"} {
		if rc := smtpd.waitFor(addr, "Receipt"); !strings.Contains(rc.Text, r.AnswersSHA256) {
			t.Errorf("the receipt to %s lacks the hash", addr)
		}
	}
}
