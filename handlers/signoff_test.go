package handlers_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestSignOffAndReceipts: in a department with an approver, a preparer
// cannot submit but asks for approval (the approver is e-mailed); the
// approver sends it back with a reason, then submits; every user of the
// department gets a receipt naming the approver, the time and the SHA-256
// of the canonical answers, which the read-only page shows too. Names, not
// ids, are recorded next to every change.
func TestSignOffAndReceipts(t *testing.T) {
	smtpd := newSMTPServer(t)
	h := newHarness(t)
	h.useSMTP(smtpd, 10*time.Millisecond)
	h.department("ABC")
	h.department("XYZ")
	h.round("r1", "small", true)
	h.invite("Ben Wong", "ben@abc.example", "respondent", "ABC", false)
	h.invite("Carmen Lee", "carmen@abc.example", "respondent", "ABC", true)
	h.invite("Xavier Yu", "xavier@xyz.example", "respondent", "XYZ", true)
	_, ben := h.signInAs("ben@abc.example")
	carmenPages, carmen := h.signInAs("carmen@abc.example")
	_, xavier := h.signInAs("xavier@xyz.example")
	const base = "/api/v1/rounds/r1/responses/ABC"

	if code, out := h.api(ben, "PATCH", base, completeAnswers()); code != http.StatusOK {
		t.Fatalf("answering: %d %v", code, out)
	} else if a := out["answers"].(map[string]any)["cs-iam-1"].(map[string]any); a["updated_by_name"] != "Ben Wong" {
		t.Errorf("updated_by_name = %v, want Ben Wong", a["updated_by_name"])
	}
	if code, _ := h.api(ben, "POST", base+"/submit", nil); code != http.StatusForbidden {
		t.Fatalf("a preparer submitted a department with an approver: %d", code)
	}
	if code, _ := h.api(carmen, "POST", base+"/send-back", map[string]any{"reason": "not ready"}); code != http.StatusConflict {
		t.Errorf("sending back a response nobody asked approval for: %d, want 409", code)
	}
	code, out := h.api(ben, "POST", base+"/ready", nil)
	if code != http.StatusOK || out["status"] != survey.StatusReady || out["ready_by_name"] != "Ben Wong" {
		t.Fatalf("asking for approval: %d %v", code, out)
	}
	if code, _ := h.api(ben, "POST", base+"/ready", nil); code != http.StatusConflict {
		t.Errorf("asking twice: %d, want 409", code)
	}
	if ask := smtpd.waitFor("carmen@abc.example", "Approval requested"); !strings.Contains(ask.Text, "Ben Wong") {
		t.Fatalf("the approval request does not name the preparer:\n%s", ask.Text)
	}
	for _, tc := range []struct {
		name string
		who  caller
		want int
	}{
		{"preparer", ben, http.StatusForbidden},
		{"approver of another department", xavier, http.StatusNotFound},
	} {
		if code, _ := h.api(tc.who, "POST", base+"/send-back", map[string]any{"reason": "no"}); code != tc.want {
			t.Errorf("send-back by the %s: %d, want %d", tc.name, code, tc.want)
		}
	}
	if code, _ := h.api(carmen, "POST", base+"/send-back", map[string]any{"reason": " "}); code != http.StatusUnprocessableEntity {
		t.Errorf("send-back without a reason: %d, want 422", code)
	}
	code, out = h.api(carmen, "POST", base+"/send-back", map[string]any{"reason": "Check cs-iam-2 again"})
	if code != http.StatusOK || out["status"] != survey.StatusInProgress {
		t.Fatalf("sending back: %d %v", code, out)
	}
	if sb := out["sent_back"].(map[string]any); sb["by_name"] != "Carmen Lee" || sb["reason"] != "Check cs-iam-2 again" {
		t.Errorf("sent_back = %v", sb)
	}
	h.api(ben, "POST", base+"/ready", nil)
	code, out = h.api(ben, "PATCH", base, map[string]any{"answers": map[string]any{"cs-iam-2": map[string]any{"level": 3}}})
	if _, asked := out["ready_by_name"]; code != http.StatusOK || out["status"] != survey.StatusInProgress || asked {
		t.Errorf("a change after asking for approval does not withdraw the request: %d %v %v", code, out["status"], out["ready_by_name"])
	}
	h.api(ben, "POST", base+"/ready", nil)

	// The approver submits from the review page.
	review := carmenPages.page(http.StatusOK, "/rounds/r1/responses/ABC/review")
	if !strings.Contains(review, `id="to-submit"`) || !strings.Contains(review, `id="send-back"`) {
		t.Fatalf("the approver's review page lacks the submit or send-back button:\n%.3000s", review)
	}
	carmenPages.submit(http.StatusSeeOther, "/rounds/r1/responses/ABC/submit", url.Values{})

	r, err := h.store.Response(t.Context(), "r1", "ABC")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(survey.AnswersCanonical(r))
	want := hex.EncodeToString(sum[:])
	if r.AnswersSHA256 != want || r.SubmittedByName != "Carmen Lee" || r.Status != survey.StatusSubmitted {
		t.Fatalf("submission: sha %s (want %s), by %q, status %s", r.AnswersSHA256, want, r.SubmittedByName, r.Status)
	}
	canonical := string(survey.AnswersCanonical(r))
	if !strings.HasPrefix(canonical, `[{"question":"cs-cloud-1","level":null,"na":true,"na_reason":"no cloud","comment":"","evidence":""}`) ||
		!strings.Contains(canonical, `"comment":"MFA <everywhere> & more"`) {
		t.Errorf("canonical bytes not as documented: %s", canonical)
	}
	for _, addr := range []string{"ben@abc.example", "carmen@abc.example"} {
		receipt := smtpd.waitFor(addr, "Receipt")
		if !strings.Contains(receipt.Text, want) || !strings.Contains(receipt.Text, "Carmen Lee") || !strings.Contains(receipt.Text, "已提交答案的 SHA-256") {
			t.Errorf("the receipt to %s lacks the hash or the submitter:\n%s", addr, receipt.Text)
		}
	}
	smtpd.waitFor("xavier@xyz.example", "sign-in link")
	for _, m := range smtpd.to("xavier@xyz.example") {
		if strings.Contains(m.Subject, "Receipt") || strings.Contains(m.Subject, "Approval") {
			t.Errorf("another department's approver got %q", m.Subject)
		}
	}
	page := carmenPages.page(http.StatusOK, "/rounds/r1/responses/ABC")
	if !strings.Contains(page, want) || !strings.Contains(page, `id="receipt-by">Carmen Lee<`) {
		t.Errorf("the read-only page does not show the receipt")
	}
	audit := h.must(http.StatusOK, "GET", "/api/v1/audit?round=r1&department=ABC", h.admin, nil)
	names := map[string]string{}
	for _, e := range audit["events"].([]any) {
		ev := e.(map[string]any)
		name, _ := ev["actor_name"].(string)
		names[ev["action"].(string)] = name
	}
	for action, name := range map[string]string{"response.answer": "Ben Wong", "response.ready": "Ben Wong", "response.send_back": "Carmen Lee", "response.submit": "Carmen Lee"} {
		if names[action] != name {
			t.Errorf("audit %s by %q, want %q", action, names[action], name)
		}
	}

	t.Run("a department without an approver submits as before; an admin on its behalf", func(t *testing.T) {
		h.department("NOA")
		h.invite("Nora Au", "nora@noa.example", "respondent", "NOA", false)
		_, nora := h.signInAs("nora@noa.example")
		h.api(nora, "PATCH", "/api/v1/rounds/r1/responses/NOA", completeAnswers())
		if code, _ := h.api(nora, "POST", "/api/v1/rounds/r1/responses/NOA/ready", nil); code != http.StatusConflict {
			t.Errorf("asking approval with no approver: %d, want 409", code)
		}
		if code, out := h.api(nora, "POST", "/api/v1/rounds/r1/responses/NOA/submit", nil); code != http.StatusOK || out["submitted_by_name"] != "Nora Au" {
			t.Errorf("submitting without an approver: %d %v", code, out)
		}
		h.api(xavier, "PATCH", "/api/v1/rounds/r1/responses/XYZ", completeAnswers())
		out := h.must(http.StatusOK, "POST", "/api/v1/rounds/r1/responses/XYZ/submit", h.admin, nil)
		if out["submitted_by_name"] != "test admin" {
			t.Errorf("an admin's submission is by %v, want the credential's label", out["submitted_by_name"])
		}
	})
}
