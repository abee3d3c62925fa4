package survey_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// fe is the part of a FieldError a test names: field, rule and parameter.
// The message is checked separately against survey.RuleMessage.
type fe struct{ Field, Rule, Param string }

func intp(v int) *int              { return &v }
func strp(s string) *string        { return &s }
func boolp(b bool) *bool           { return &b }
func timep(t time.Time) *time.Time { return &t }

// zh returns n Chinese characters (three bytes each in UTF-8), so a limit
// counted in bytes instead of characters fails the test.
func zh(n int) string { return strings.Repeat("資", n) }

// testNow is a fixed instant for every test of this package.
var testNow = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

// wantCode fails unless err is a domain error with the given code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := survey.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %s, want %s", err, got, code)
	}
}

// wantFields fails unless err is an EINVALID *survey.Error whose fields
// are exactly want, in order, each with the message RuleMessage gives.
func wantFields(t *testing.T, err error, want ...fe) {
	t.Helper()
	wantCode(t, err, survey.EINVALID)
	var e *survey.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not a *survey.Error", err)
	}
	checkFields(t, e.Fields, want...)
}

// checkFields fails unless got holds exactly want, in order.
func checkFields(t *testing.T, got []survey.FieldError, want ...fe) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("fields %+v, want %+v", got, want)
	}
	for i, w := range want {
		g := got[i]
		if (fe{g.Field, g.Rule, g.Param}) != w {
			t.Fatalf("field %d: %+v, want %+v (all: %+v)", i, g, w, got)
		}
		if msg := survey.RuleMessage(g.Rule, g.Param); g.Message != msg {
			t.Fatalf("field %d: message %q, want %q", i, g.Message, msg)
		}
	}
}

// wantNoError fails on any error.
func wantNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// cloneResponse is a deep copy of r, for proving a refused change left it
// exactly as it was.
func cloneResponse(r *survey.Response) *survey.Response {
	c := *r
	if r.Answers != nil {
		c.Answers = make(map[string]*survey.Answer, len(r.Answers))
		for id, a := range r.Answers {
			if a == nil {
				c.Answers[id] = nil
				continue
			}
			ac := *a
			if a.Level != nil {
				ac.Level = intp(*a.Level)
			}
			c.Answers[id] = &ac
		}
	}
	if r.UpdatedAt != nil {
		c.UpdatedAt = timep(*r.UpdatedAt)
	}
	if r.SubmittedAt != nil {
		c.SubmittedAt = timep(*r.SubmittedAt)
	}
	if r.Snapshot != nil {
		s := *r.Snapshot
		c.Snapshot = &s
	}
	return &c
}
