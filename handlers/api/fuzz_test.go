package api

import (
	"bytes"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// fuzzBaseResponse is a response with some answers already given, fresh
// for every input so that Apply may change it.
func fuzzBaseResponse() *survey.Response {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	lv := func(n int) *int { return &n }
	r := survey.NewResponse("r1", "ABC")
	r.Status, r.Version, r.UpdatedAt = survey.StatusInProgress, 4, &at
	r.Answers = map[string]*survey.Answer{
		"cs-iam-1":   {Level: lv(3), Comment: "MFA", Rev: 2, UpdatedAt: at, UpdatedBy: "x"},
		"cs-cloud-1": {NA: true, NAReason: "no cloud", Rev: 1, UpdatedAt: at, UpdatedBy: "x"},
		"ds-gov-2":   {Level: lv(0), Rev: 3, UpdatedAt: at, UpdatedBy: "x"},
	}
	return r
}

func cloneResponse(r *survey.Response) *survey.Response {
	c := *r
	c.Answers = make(map[string]*survey.Answer, len(r.Answers))
	for k, a := range r.Answers {
		ac := *a
		if a.Level != nil {
			l := *a.Level
			ac.Level = &l
		}
		c.Answers[k] = &ac
	}
	return &c
}

// FuzzPatch: the answer-patch path of PATCH …/responses/:dept (strictJSON
// into patchRequest, Patch.Validate against the round's questionnaire,
// Patch.Apply to the stored response) never panics on any body; a body it
// refuses is refused with a 4xx error; and whatever Validate accepts, Apply
// merges without breaking the response's invariants: levels 0..5, never a
// level with N/A, N/A only where allowed, text within limits, only the
// questionnaire's question ids, revs +1 for exactly the changed answers,
// version +1 when anything changed, and nothing at all on a base_rev
// conflict. Seeds: f.Add below and testdata/fuzz/FuzzPatch.
func FuzzPatch(f *testing.F) {
	q := surveytest.Small(f)
	for _, seed := range []string{
		`{"answers": {"cs-iam-2": {"level": 3, "comment": "quarterly review"}}}`,
		`{"answers": {"cs-iam-1": {"level": 4, "base_rev": 2}, "cs-iam-2": {"level": 1}}}`,
		`{"answers": {"cs-iam-1": {"level": 4, "base_rev": 1}}}`,
		`{"answers": {"cs-cloud-2": {"na": true, "na_reason": "none"}, "ds-gov-2": null}}`,
		`{"answers": {"cs-cloud-1": {"na": true, "na_reason": "no cloud"}}}`,
		`{"answers": {"cs-cloud-1": {"level": 2, "na": true}}}`,
		`{"answers": {"ds-gov-1": {"na": true}}}`,
		`{"answers": {"cs-iam-2": {"level": 2.5}}}`,
		`{"answers": {"cs-iam-2": {"level": {"$gt": 1}}}}`,
		`{"answers": {"$where": {"level": 1}, "a.b": {"level": 1}}}`,
		`{"$set": {"answers.cs-iam-2.level": 5}}`,
		`{"answers": {"cs-iam-2": {"level": 1, "rev": 9}}}`,
		`{"answers": {"cs-iam-2": {"evidence": "e", "base_rev": 0}}}`,
		`{"answers": {}}`,
		`{"answers": {"cs-iam-2": {"level": 6}}}`,
		`{"answers": {"cs-iam-2": {"level": -1, "base_rev": -1}}}`,
		"{\"answers\": {\"cs-iam-2\": {\"comment\": \"\xff\"}}}",
		`{"answers": {"cs-iam-2": {"comment": "` + strings.Repeat("字", 4001) + `"}}}`,
		`[`, `null`, ``, `{"answers": {"cs-iam-2": {"level": 1}}} {}`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := http.NewRequest("PATCH", "/api/v1/rounds/r1/responses/ABC", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		var pr patchRequest
		if err := decodeJSON(req, 64<<10, &pr); err != nil {
			checkClientError(t, err, survey.EMALFORMED, survey.EINVALID, httpx.CodeTooLarge)
			return
		}
		if err := pr.Answers.Validate(q); err != nil {
			checkClientError(t, err, survey.EINVALID)
			return
		}
		idx := q.Index()
		base := fuzzBaseResponse()
		r := cloneResponse(base)
		changed, err := pr.Answers.Apply(r, "respondent:ABC:fuzz", now)
		if err != nil {
			var ce *survey.AnswerConflictError
			if !errors.As(err, &ce) || len(ce.Current) == 0 {
				t.Fatalf("Apply of a valid patch failed other than by a conflict: %v", err)
			}
			if !reflect.DeepEqual(r, base) {
				t.Fatal("a conflicting patch changed the response")
			}
			return
		}
		changedSet := map[string]bool{}
		for _, id := range changed {
			if changedSet[id] {
				t.Fatalf("%s reported changed twice", id)
			}
			changedSet[id] = true
			if _, ok := pr.Answers[id]; !ok {
				t.Fatalf("%s changed but was not in the patch", id)
			}
		}
		wantVersion := base.Version
		if len(changed) > 0 {
			wantVersion++
		}
		if r.Version != wantVersion {
			t.Fatalf("version %d after %d changes from %d", r.Version, len(changed), base.Version)
		}
		for id, a := range r.Answers {
			ref, ok := idx[id]
			if !ok {
				t.Fatalf("answer to %q, not a question of the questionnaire", id)
			}
			if a == nil {
				t.Fatalf("nil answer stored for %s", id)
			}
			if a.Level != nil && (*a.Level < 0 || *a.Level > survey.MaxLevel) {
				t.Fatalf("%s: level %d stored", id, *a.Level)
			}
			if a.Level != nil && a.NA {
				t.Fatalf("%s: both a level and N/A", id)
			}
			if a.NA && !ref.Question.NAAllowed {
				t.Fatalf("%s: N/A where it is not allowed", id)
			}
			if !a.NA && a.NAReason != "" {
				t.Fatalf("%s: an N/A reason without N/A", id)
			}
			if utf8.RuneCountInString(a.Comment) > survey.MaxCommentLength || utf8.RuneCountInString(a.Evidence) > survey.MaxCommentLength ||
				utf8.RuneCountInString(a.NAReason) > survey.MaxReasonLength {
				t.Fatalf("%s: text over its limit", id)
			}
			prev := base.Answers[id]
			switch {
			case changedSet[id] && prev == nil && a.Rev != 1:
				t.Fatalf("%s: new answer at rev %d", id, a.Rev)
			case changedSet[id] && prev != nil && a.Rev != prev.Rev+1:
				t.Fatalf("%s: rev %d after %d", id, a.Rev, prev.Rev)
			case !changedSet[id] && (prev == nil || !reflect.DeepEqual(a, prev)):
				t.Fatalf("%s: changed but not reported", id)
			}
		}
		for id := range base.Answers {
			if _, still := r.Answers[id]; !still && !changedSet[id] {
				t.Fatalf("%s: cleared but not reported", id)
			}
		}
	})
}

// checkClientError asserts err is a client error with one of the codes.
func checkClientError(t *testing.T, err error, codes ...string) {
	t.Helper()
	var (
		he *httpx.Error
		de *survey.Error
	)
	code := ""
	switch {
	case errors.As(err, &he):
		code = he.Code
	case errors.As(err, &de):
		code = de.Code
	}
	for _, c := range codes {
		if code == c {
			return
		}
	}
	t.Fatalf("refused with %T %v (code %q), want one of %v", err, err, code, codes)
}
