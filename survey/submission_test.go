package survey_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// completeResponse answers every question of q at level 2, except cs-cloud-1
// which is N/A with a reason, plus one answer to a question q does not have.
func completeResponse(t *testing.T, q *survey.Questionnaire) *survey.Response {
	t.Helper()
	r := survey.NewResponse("r1", "ABC")
	r.Status = survey.StatusInProgress
	r.Version = 4
	r.UpdatedAt = timep(testNow.Add(-time.Hour))
	for _, id := range q.QuestionIDs() {
		r.Answers[id] = &survey.Answer{Level: intp(2), Rev: 1}
	}
	r.Answers[qNA] = &survey.Answer{NA: true, NAReason: "no cloud", Rev: 1}
	r.Answers["retired-question"] = &survey.Answer{Level: intp(5), Rev: 1}
	return r
}

func TestSubmit(t *testing.T) {
	q := surveytest.Small(t)
	targets := survey.Targets{Default: 3}
	const actor = "respondent:ABC:c1"

	t.Run("complete", func(t *testing.T) {
		r := completeResponse(t, q)
		want := survey.Score(q, r, targets)
		wantNoError(t, r.Submit(q, targets, actor, testNow))
		if r.Status != survey.StatusSubmitted {
			t.Errorf("status %s, want submitted", r.Status)
		}
		if r.Snapshot == nil || !reflect.DeepEqual(*r.Snapshot, want) {
			t.Errorf("snapshot %+v, want %+v", r.Snapshot, want)
		}
		if r.SubmittedAt == nil || !r.SubmittedAt.Equal(testNow) || r.SubmittedBy != actor {
			t.Errorf("submitted at %v by %q, want %v by %q", r.SubmittedAt, r.SubmittedBy, testNow, actor)
		}
		if r.UpdatedAt == nil || !r.UpdatedAt.Equal(testNow) {
			t.Errorf("updated_at %v, want %v", r.UpdatedAt, testNow)
		}
		if r.Version != 5 {
			t.Errorf("version %d, want 5", r.Version)
		}
		if r.Answered != q.QuestionCount() {
			t.Errorf("answered %d, want %d (questions of q only)", r.Answered, q.QuestionCount())
		}
	})

	t.Run("snapshot is scored under the targets given", func(t *testing.T) {
		other := survey.Targets{Default: 5}
		r := completeResponse(t, q)
		want := survey.Score(q, r, other)
		if reflect.DeepEqual(want, survey.Score(q, r, targets)) {
			t.Fatal("test is vacuous: both targets score the same")
		}
		wantNoError(t, r.Submit(q, other, actor, testNow))
		if r.Snapshot == nil || !reflect.DeepEqual(*r.Snapshot, want) {
			t.Errorf("snapshot %+v, want %+v", r.Snapshot, want)
		}
	})

	refusals := []struct {
		name   string
		edit   func(r *survey.Response)
		code   string
		fields []fe
	}{
		{"already submitted", func(r *survey.Response) { r.Status = survey.StatusSubmitted }, survey.ECONFLICT, nil},
		{"already submitted and incomplete is a conflict", func(r *survey.Response) {
			r.Status = survey.StatusSubmitted
			delete(r.Answers, "ds-gov-1")
		}, survey.ECONFLICT, nil},
		{"incomplete", func(r *survey.Response) {
			delete(r.Answers, "ds-gov-1")
			r.Answers[qNA].NAReason = " "
		}, survey.EINVALID, []fe{
			{"answers.cs-cloud-1.na_reason", survey.RuleReasonRequired, ""},
			{"answers.ds-gov-1", survey.RuleUnanswered, ""},
		}},
		{"nothing answered", func(r *survey.Response) { r.Answers = map[string]*survey.Answer{} }, survey.EINVALID, []fe{
			{"answers.cs-iam-1", survey.RuleUnanswered, ""},
			{"answers.cs-iam-2", survey.RuleUnanswered, ""},
			{"answers.cs-cloud-1", survey.RuleUnanswered, ""},
			{"answers.cs-cloud-2", survey.RuleUnanswered, ""},
			{"answers.ds-gov-1", survey.RuleUnanswered, ""},
			{"answers.ds-gov-2", survey.RuleUnanswered, ""},
		}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := completeResponse(t, q)
			tc.edit(r)
			before := cloneResponse(r)
			err := r.Submit(q, targets, actor, testNow)
			if tc.code == survey.EINVALID {
				wantFields(t, err, tc.fields...)
			} else {
				wantCode(t, err, tc.code)
			}
			if !reflect.DeepEqual(r, before) {
				t.Errorf("refused submit changed the response:\n got %+v\nwant %+v", r, before)
			}
		})
	}
}

func TestReopen(t *testing.T) {
	q := surveytest.Small(t)
	submitted := func(t *testing.T) *survey.Response {
		t.Helper()
		r := completeResponse(t, q)
		wantNoError(t, r.Submit(q, survey.Targets{}, "respondent:ABC:c1", testNow.Add(-time.Hour)))
		return r
	}

	t.Run("submitted", func(t *testing.T) {
		r := submitted(t)
		before := cloneResponse(r)
		wantNoError(t, r.Reopen("typo in cs-iam-2", testNow))
		if r.Status != survey.StatusInProgress {
			t.Errorf("status %s, want in_progress", r.Status)
		}
		if r.Snapshot != nil || r.SubmittedAt != nil || r.SubmittedBy != "" {
			t.Errorf("snapshot %v, submitted %v by %q: want all cleared", r.Snapshot, r.SubmittedAt, r.SubmittedBy)
		}
		if r.UpdatedAt == nil || !r.UpdatedAt.Equal(testNow) {
			t.Errorf("updated_at %v, want %v", r.UpdatedAt, testNow)
		}
		if r.Version != before.Version+1 {
			t.Errorf("version %d, want %d", r.Version, before.Version+1)
		}
		if !reflect.DeepEqual(r.Answers, before.Answers) {
			t.Error("reopen changed the answers")
		}
		// A reopened response can be changed and submitted again.
		if _, err := (survey.Patch{"ds-gov-1": {Level: survey.Of(4)}}).Apply(r, "a", testNow); err != nil {
			t.Fatalf("patch after reopen: %v", err)
		}
		wantNoError(t, r.Submit(q, survey.Targets{}, "a", testNow))
	})

	tests := []struct {
		name   string
		status string
		reason string
		code   string
		fields []fe
	}{
		{"1000 characters", survey.StatusSubmitted, zh(1000), "", nil},
		{"empty reason", survey.StatusSubmitted, "", survey.EINVALID, []fe{{"reason", survey.RuleRequired, ""}}},
		{"blank reason", survey.StatusSubmitted, " \t\n ", survey.EINVALID, []fe{{"reason", survey.RuleRequired, ""}}},
		{"1001 characters", survey.StatusSubmitted, zh(1001), survey.EINVALID, []fe{{"reason", survey.RuleMaxLength, "1000"}}},
		{"in progress", survey.StatusInProgress, "why", survey.ECONFLICT, nil},
		{"not started", survey.StatusNotStarted, "why", survey.ECONFLICT, nil},
		{"the reason is checked first", survey.StatusInProgress, "", survey.EINVALID, []fe{{"reason", survey.RuleRequired, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := submitted(t)
			r.Status = tc.status
			before := cloneResponse(r)
			err := r.Reopen(tc.reason, testNow)
			switch tc.code {
			case "":
				wantNoError(t, err)
				return
			case survey.EINVALID:
				wantFields(t, err, tc.fields...)
			default:
				wantCode(t, err, tc.code)
			}
			if !reflect.DeepEqual(r, before) {
				t.Errorf("refused reopen changed the response:\n got %+v\nwant %+v", r, before)
			}
		})
	}
}

func TestValidateReopenReason(t *testing.T) {
	wantNoError(t, survey.ValidateReopenReason("ok"))
	wantFields(t, survey.ValidateReopenReason("  "), fe{"reason", survey.RuleRequired, ""})
	err := survey.ValidateReopenReason(zh(survey.MaxReasonLength + 1))
	wantFields(t, err, fe{"reason", survey.RuleMaxLength, "1000"})
	if !errors.Is(err, &survey.Error{Code: survey.EINVALID}) {
		t.Error("invalid reason does not match EINVALID")
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		max      int
		required bool
		want     *fe
	}{
		{"optional empty", "", 5, false, nil},
		{"optional blank", "   ", 5, false, nil},
		{"required empty", "", 5, true, &fe{"f", survey.RuleRequired, ""}},
		{"required blank", " \t ", 5, true, &fe{"f", survey.RuleRequired, ""}},
		{"at the limit in characters", zh(5), 5, true, nil},
		{"over the limit", zh(6), 5, false, &fe{"f", survey.RuleMaxLength, "5"}},
		{"spaces count towards the limit", "abc   ", 5, true, &fe{"f", survey.RuleMaxLength, "5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := survey.CheckText("f", tc.value, tc.max, tc.required)
			if tc.want == nil {
				if !ok || got != (survey.FieldError{}) {
					t.Fatalf("CheckText = %+v, %v; want ok", got, ok)
				}
				return
			}
			if ok {
				t.Fatalf("CheckText ok, want %+v", *tc.want)
			}
			checkFields(t, []survey.FieldError{got}, *tc.want)
		})
	}
}
