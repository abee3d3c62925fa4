package survey_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestAnswersCanonical pins the documented canonical bytes: sorted by
// question id, fixed keys, no white space, no HTML escaping, and nothing
// of who changed what or when.
func TestAnswersCanonical(t *testing.T) {
	three := 3
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	r := &survey.Response{Answers: map[string]*survey.Answer{
		"b-q": {Level: &three, Comment: "a <b> & \"c\"\nd", Rev: 4, UpdatedAt: at, UpdatedBy: "x", UpdatedByName: "Ben"},
		"a-q": {NA: true, NAReason: "none", Evidence: "中文"},
	}}
	want := `[{"question":"a-q","level":null,"na":true,"na_reason":"none","comment":"","evidence":"中文"},` +
		`{"question":"b-q","level":3,"na":false,"na_reason":"","comment":"a <b> & \"c\"\nd","evidence":""}]`
	if got := string(survey.AnswersCanonical(r)); got != want {
		t.Fatalf("canonical bytes\n got %s\nwant %s", got, want)
	}
	sum := sha256.Sum256([]byte(want))
	if got := survey.AnswersDigest(r); got != hex.EncodeToString(sum[:]) {
		t.Errorf("digest %s", got)
	}
	r.Answers["b-q"].Rev, r.Answers["b-q"].UpdatedBy = 9, "someone else"
	if got := survey.AnswersDigest(r); got != hex.EncodeToString(sum[:]) {
		t.Error("the digest depends on revisions or authors")
	}
	r.Answers["b-q"].Comment = "changed"
	if survey.AnswersDigest(r) == hex.EncodeToString(sum[:]) {
		t.Error("the digest does not change with an answer")
	}
}

func TestSignOffTransitions(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	r := &survey.Response{Status: survey.StatusInProgress, Answers: map[string]*survey.Answer{}}
	if err := r.SendBackToPreparers("why", "Carmen", now); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("sending back an in-progress response: %v", err)
	}
	r.Status = survey.StatusReady
	if err := r.SendBackToPreparers("  ", "Carmen", now); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("sending back without a reason: %v", err)
	}
	if err := r.SendBackToPreparers("check q1", "Carmen", now); err != nil || r.Status != survey.StatusInProgress || r.SentBack.Reason != "check q1" || r.Version != 1 {
		t.Errorf("sending back: %v %+v", err, r)
	}
}
