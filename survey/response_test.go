package survey_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// In the small questionnaire cs-iam-1 does not allow N/A and cs-cloud-1 does.
const (
	qNoNA = "cs-iam-1"
	qNA   = "cs-cloud-1"
)

func TestPatchValidate(t *testing.T) {
	q := surveytest.Small(t)
	tests := []struct {
		name  string
		patch survey.Patch
		want  []fe // nil: valid
	}{
		{"nil patch", nil, []fe{{"answers", survey.RuleRequired, ""}}},
		{"empty patch", survey.Patch{}, []fe{{"answers", survey.RuleRequired, ""}}},
		{"unknown question", survey.Patch{"nope": {Level: survey.Of(1)}},
			[]fe{{"answers.nope", survey.RuleUnknown, "question"}}},
		{"unknown question cleared", survey.Patch{"nope": nil},
			[]fe{{"answers.nope", survey.RuleUnknown, "question"}}},
		{"clear a known question", survey.Patch{qNoNA: nil}, nil},
		{"level 0", survey.Patch{qNoNA: {Level: survey.Of(0)}}, nil},
		{"level 5", survey.Patch{qNoNA: {Level: survey.Of(survey.MaxLevel)}}, nil},
		{"level -1", survey.Patch{qNoNA: {Level: survey.Of(-1)}},
			[]fe{{"answers.cs-iam-1.level", survey.RuleRange, "0-5"}}},
		{"level 6", survey.Patch{qNoNA: {Level: survey.Of(6)}},
			[]fe{{"answers.cs-iam-1.level", survey.RuleRange, "0-5"}}},
		{"no level no na", survey.Patch{qNoNA: {Comment: survey.Of("thinking")}}, nil},
		{"na allowed", survey.Patch{qNA: {NA: survey.Of(true), NAReason: survey.Of("no cloud")}}, nil},
		{"na without reason is a draft", survey.Patch{qNA: {NA: survey.Of(true)}}, nil},
		{"level and na", survey.Patch{qNA: {Level: survey.Of(2), NA: survey.Of(true)}},
			[]fe{{"answers.cs-cloud-1", survey.RuleExclusive, ""}}},
		{"level and na where na not allowed", survey.Patch{qNoNA: {Level: survey.Of(2), NA: survey.Of(true)}},
			[]fe{{"answers.cs-iam-1", survey.RuleExclusive, ""}, {"answers.cs-iam-1.na", survey.RuleNANotAllowed, ""}}},
		{"na not allowed", survey.Patch{qNoNA: {NA: survey.Of(true), NAReason: survey.Of("why")}},
			[]fe{{"answers.cs-iam-1.na", survey.RuleNANotAllowed, ""}}},
		{"na_reason without na", survey.Patch{qNA: {Level: survey.Of(1), NAReason: survey.Of("why")}},
			[]fe{{"answers.cs-cloud-1.na_reason", survey.RuleNAOnly, ""}}},
		{"base_rev 0", survey.Patch{qNoNA: {Level: survey.Of(1), BaseRev: intp(0)}}, nil},
		{"base_rev negative", survey.Patch{qNoNA: {Level: survey.Of(1), BaseRev: intp(-1)}},
			[]fe{{"answers.cs-iam-1.base_rev", survey.RuleNotNegative, ""}}},
		{"comment 4000 characters", survey.Patch{qNoNA: {Comment: survey.Of(zh(4000))}}, nil},
		{"comment 4001 characters", survey.Patch{qNoNA: {Comment: survey.Of(zh(4001))}},
			[]fe{{"answers.cs-iam-1.comment", survey.RuleMaxLength, "4000"}}},
		{"evidence 4000 characters", survey.Patch{qNoNA: {Evidence: survey.Of(zh(4000))}}, nil},
		{"evidence 4001 characters", survey.Patch{qNoNA: {Evidence: survey.Of(zh(4001))}},
			[]fe{{"answers.cs-iam-1.evidence", survey.RuleMaxLength, "4000"}}},
		{"na_reason 1000 characters", survey.Patch{qNA: {NA: survey.Of(true), NAReason: survey.Of(zh(1000))}}, nil},
		{"na_reason 1001 characters", survey.Patch{qNA: {NA: survey.Of(true), NAReason: survey.Of(zh(1001))}},
			[]fe{{"answers.cs-cloud-1.na_reason", survey.RuleMaxLength, "1000"}}},
		{"every fault of one item", survey.Patch{qNoNA: {
			Level: survey.Of(9), NA: survey.Of(true), BaseRev: intp(-2),
			Comment: survey.Of(zh(4001)), Evidence: survey.Of(zh(4001)), NAReason: survey.Of(zh(1001)),
		}}, []fe{
			{"answers.cs-iam-1.level", survey.RuleRange, "0-5"},
			{"answers.cs-iam-1", survey.RuleExclusive, ""},
			{"answers.cs-iam-1.na", survey.RuleNANotAllowed, ""},
			{"answers.cs-iam-1.base_rev", survey.RuleNotNegative, ""},
			{"answers.cs-iam-1.comment", survey.RuleMaxLength, "4000"},
			{"answers.cs-iam-1.evidence", survey.RuleMaxLength, "4000"},
			{"answers.cs-iam-1.na_reason", survey.RuleMaxLength, "1000"},
		}},
		{"faults of several items in id order", survey.Patch{
			"zz":       {Level: survey.Of(1)},
			"ds-gov-1": {Level: survey.Of(7)},
			qNA:        {Level: survey.Of(2), NAReason: survey.Of("x")},
			qNoNA:      {Level: survey.Of(3)},
		}, []fe{
			{"answers.cs-cloud-1.na_reason", survey.RuleNAOnly, ""},
			{"answers.ds-gov-1.level", survey.RuleRange, "0-5"},
			{"answers.zz", survey.RuleUnknown, "question"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.patch.Validate(q)
			if tc.want == nil {
				wantNoError(t, err)
				return
			}
			wantFields(t, err, tc.want...)
		})
	}
}

// answered is a response in progress with two answers: cs-iam-1 at level 3
// (rev 2) and cs-cloud-1 N/A (rev 1).
func answered() *survey.Response {
	earlier := testNow.Add(-time.Hour)
	r := survey.NewResponse("r1", "ABC")
	r.Status = survey.StatusInProgress
	r.Version = 7
	r.UpdatedAt = timep(earlier)
	r.Answers[qNoNA] = &survey.Answer{Level: intp(3), Comment: "c", Evidence: "e", Rev: 2, UpdatedAt: earlier, UpdatedBy: "respondent:ABC:old"}
	r.Answers[qNA] = &survey.Answer{NA: true, NAReason: "no cloud", Rev: 1, UpdatedAt: earlier, UpdatedBy: "respondent:ABC:old"}
	return r
}

func TestPatchApplyConflicts(t *testing.T) {
	tests := []struct {
		name  string
		patch survey.Patch
		want  map[string]*survey.Answer // conflicting ids and their current answer
	}{
		{"stale rev of an existing answer", survey.Patch{qNoNA: {Level: survey.Of(4), BaseRev: intp(1)}},
			map[string]*survey.Answer{qNoNA: answered().Answers[qNoNA]}},
		{"rev of an answer that does not exist", survey.Patch{"ds-gov-1": {Level: survey.Of(4), BaseRev: intp(1)}},
			map[string]*survey.Answer{"ds-gov-1": nil}},
		{"every conflict is reported, the rest is not applied", survey.Patch{
			qNoNA:      {Level: survey.Of(4), BaseRev: intp(5)},
			qNA:        {Level: survey.Of(1), BaseRev: intp(1)}, // current
			"ds-gov-1": {Level: survey.Of(2), BaseRev: intp(3)},
			"ds-gov-2": {Level: survey.Of(2)}, // no base_rev: never a conflict
			"cs-iam-2": nil,
		}, map[string]*survey.Answer{qNoNA: answered().Answers[qNoNA], "ds-gov-1": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := answered()
			before := cloneResponse(r)
			changed, err := tc.patch.Apply(r, "respondent:ABC:c1", testNow)
			if changed != nil {
				t.Errorf("changed %v on conflict, want nil", changed)
			}
			var ce *survey.AnswerConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want *AnswerConflictError", err, err)
			}
			if !errors.Is(err, survey.ErrConflict) {
				t.Error("conflict does not match ErrConflict")
			}
			if !reflect.DeepEqual(ce.Current, tc.want) {
				t.Errorf("conflicts %+v, want %+v", ce.Current, tc.want)
			}
			if !reflect.DeepEqual(r, before) {
				t.Errorf("response changed on conflict:\n got %+v\nwant %+v", r, before)
			}
		})
	}
}

func TestPatchApply(t *testing.T) {
	const actor = "respondent:ABC:c1"
	tests := []struct {
		name        string
		start       func() *survey.Response
		patch       survey.Patch
		wantChanged []string
		check       func(t *testing.T, before, r *survey.Response)
	}{
		{
			name:  "identical item changes nothing",
			start: answered,
			patch: survey.Patch{
				qNoNA: {Level: survey.Of(3), Comment: survey.Of("c"), Evidence: survey.Of("e"), BaseRev: intp(2)},
				qNA:   {NA: survey.Of(true), NAReason: survey.Of("  no cloud  ")}, // equal once trimmed
			},
			check: func(t *testing.T, before, r *survey.Response) {
				if !reflect.DeepEqual(r, before) {
					t.Errorf("response changed:\n got %+v\nwant %+v", r, before)
				}
			},
		},
		{
			name:  "clearing an absent answer changes nothing",
			start: answered,
			patch: survey.Patch{"ds-gov-1": nil},
			check: func(t *testing.T, before, r *survey.Response) {
				if !reflect.DeepEqual(r, before) {
					t.Errorf("response changed:\n got %+v\nwant %+v", r, before)
				}
			},
		},
		{
			name:        "nil item clears",
			start:       answered,
			patch:       survey.Patch{qNoNA: nil},
			wantChanged: []string{qNoNA},
			check: func(t *testing.T, before, r *survey.Response) {
				if _, ok := r.Answers[qNoNA]; ok {
					t.Errorf("answer %s not cleared: %+v", qNoNA, r.Answers[qNoNA])
				}
				if !reflect.DeepEqual(r.Answers[qNA], before.Answers[qNA]) {
					t.Errorf("untouched answer changed: %+v", r.Answers[qNA])
				}
				wantBumped(t, before, r)
			},
		},
		{
			name:        "changed answer takes the next rev",
			start:       answered,
			patch:       survey.Patch{qNoNA: {Level: survey.Of(4), Comment: survey.Of("c"), Evidence: survey.Of("e"), BaseRev: intp(2)}},
			wantChanged: []string{qNoNA},
			check: func(t *testing.T, before, r *survey.Response) {
				want := &survey.Answer{Level: intp(4), Comment: "c", Evidence: "e", Rev: 3, UpdatedAt: testNow, UpdatedBy: actor}
				if !reflect.DeepEqual(r.Answers[qNoNA], want) {
					t.Errorf("answer %+v, want %+v", r.Answers[qNoNA], want)
				}
				if r.Answers[qNA].Rev != 1 {
					t.Errorf("untouched answer rev %d, want 1", r.Answers[qNA].Rev)
				}
				wantBumped(t, before, r)
			},
		},
		{
			name:        "a comment alone is a change",
			start:       answered,
			patch:       survey.Patch{qNoNA: {Level: survey.Of(3), Comment: survey.Of("new"), Evidence: survey.Of("e")}},
			wantChanged: []string{qNoNA},
			check: func(t *testing.T, before, r *survey.Response) {
				if a := r.Answers[qNoNA]; a.Rev != 3 || a.Comment != "new" {
					t.Errorf("answer %+v, want rev 3 and the new comment", a)
				}
				wantBumped(t, before, r)
			},
		},
		{
			name:        "first answers of a new response",
			start:       func() *survey.Response { return survey.NewResponse("r1", "ABC") },
			patch:       survey.Patch{"ds-gov-2": {Level: survey.Of(0)}, qNA: {NA: survey.Of(true), NAReason: survey.Of("  none  "), BaseRev: intp(0)}},
			wantChanged: []string{qNA, "ds-gov-2"},
			check: func(t *testing.T, before, r *survey.Response) {
				want := map[string]*survey.Answer{
					"ds-gov-2": {Level: intp(0), Rev: 1, UpdatedAt: testNow, UpdatedBy: actor},
					qNA:        {NA: true, NAReason: "none", Rev: 1, UpdatedAt: testNow, UpdatedBy: actor},
				}
				if !reflect.DeepEqual(r.Answers, want) {
					t.Errorf("answers %+v, want %+v", r.Answers, want)
				}
				wantBumped(t, before, r)
			},
		},
		{
			name: "a response without an answers map",
			start: func() *survey.Response {
				return &survey.Response{Round: "r1", Department: "ABC", Status: survey.StatusNotStarted}
			},
			patch:       survey.Patch{qNoNA: {Level: survey.Of(2)}},
			wantChanged: []string{qNoNA},
			check: func(t *testing.T, before, r *survey.Response) {
				if a := r.Answers[qNoNA]; a == nil || *a.Level != 2 || a.Rev != 1 {
					t.Errorf("answer %+v, want level 2 rev 1", a)
				}
				wantBumped(t, before, r)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.start()
			before := cloneResponse(r)
			changed, err := tc.patch.Apply(r, actor, testNow)
			wantNoError(t, err)
			if !slices.Equal(changed, tc.wantChanged) {
				t.Errorf("changed %v, want %v", changed, tc.wantChanged)
			}
			tc.check(t, before, r)
		})
	}
}

// wantBumped checks the response-level effects of an Apply that changed
// something: one more version, in progress, updated now.
func wantBumped(t *testing.T, before, r *survey.Response) {
	t.Helper()
	if r.Version != before.Version+1 {
		t.Errorf("version %d, want %d", r.Version, before.Version+1)
	}
	if r.Status != survey.StatusInProgress {
		t.Errorf("status %s, want %s", r.Status, survey.StatusInProgress)
	}
	if r.UpdatedAt == nil || !r.UpdatedAt.Equal(testNow) {
		t.Errorf("updated_at %v, want %v", r.UpdatedAt, testNow)
	}
}

// TestPatchApplyVersionPerApply: the version counts Applies that changed
// something, not changed answers; a rev counts changes of its own answer.
func TestPatchApplyVersionPerApply(t *testing.T) {
	r := survey.NewResponse("r1", "ABC")
	steps := []struct {
		patch   survey.Patch
		version int
		rev     int // of cs-iam-1 after the step
	}{
		{survey.Patch{qNoNA: {Level: survey.Of(1)}, "cs-iam-2": {Level: survey.Of(1)}, "ds-gov-1": {Level: survey.Of(1)}}, 1, 1},
		{survey.Patch{qNoNA: {Level: survey.Of(2)}}, 2, 2},
		{survey.Patch{qNoNA: {Level: survey.Of(2)}}, 2, 2}, // identical
		{survey.Patch{qNoNA: {Level: survey.Of(3), BaseRev: intp(2)}, "cs-iam-2": {Level: survey.Of(2)}}, 3, 3},
	}
	for i, s := range steps {
		if _, err := s.patch.Apply(r, "a", testNow.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if r.Version != s.version || r.Answers[qNoNA].Rev != s.rev {
			t.Fatalf("step %d: version %d rev %d, want version %d rev %d", i, r.Version, r.Answers[qNoNA].Rev, s.version, s.rev)
		}
	}
	if got := r.Answers["cs-iam-2"].Rev; got != 2 {
		t.Errorf("cs-iam-2 rev %d, want 2", got)
	}
	if got := r.Answers["ds-gov-1"].Rev; got != 1 {
		t.Errorf("ds-gov-1 rev %d, want 1", got)
	}
}

func TestPatchApplySubmitted(t *testing.T) {
	r := answered()
	r.Status = survey.StatusSubmitted
	before := cloneResponse(r)
	changed, err := survey.Patch{qNoNA: {Level: survey.Of(5)}}.Apply(r, "a", testNow)
	wantCode(t, err, survey.ECONFLICT)
	if changed != nil {
		t.Errorf("changed %v, want nil", changed)
	}
	if !reflect.DeepEqual(r, before) {
		t.Errorf("submitted response changed:\n got %+v\nwant %+v", r, before)
	}
}

func TestSubmissionProblems(t *testing.T) {
	q := surveytest.Small(t)
	level := func(n int) *survey.Answer { return &survey.Answer{Level: intp(n), Rev: 1} }
	na := func(reason string) *survey.Answer { return &survey.Answer{NA: true, NAReason: reason, Rev: 1} }
	complete := func() map[string]*survey.Answer {
		m := map[string]*survey.Answer{}
		for _, id := range q.QuestionIDs() {
			m[id] = level(3)
		}
		return m
	}
	with := func(edits map[string]*survey.Answer) map[string]*survey.Answer {
		m := complete()
		for id, a := range edits {
			if a == nil {
				delete(m, id)
			} else {
				m[id] = a
			}
		}
		return m
	}
	tests := []struct {
		name    string
		answers map[string]*survey.Answer
		want    []fe
	}{
		{"nothing answered, in questionnaire order", nil, []fe{
			{"answers.cs-iam-1", survey.RuleUnanswered, ""},
			{"answers.cs-iam-2", survey.RuleUnanswered, ""},
			{"answers.cs-cloud-1", survey.RuleUnanswered, ""},
			{"answers.cs-cloud-2", survey.RuleUnanswered, ""},
			{"answers.ds-gov-1", survey.RuleUnanswered, ""},
			{"answers.ds-gov-2", survey.RuleUnanswered, ""},
		}},
		{"complete", complete(), nil},
		{"level 0 counts as answered", with(map[string]*survey.Answer{"ds-gov-1": level(0)}), nil},
		{"N/A with a reason", with(map[string]*survey.Answer{qNA: na("no cloud")}), nil},
		{"a comment alone is unanswered", with(map[string]*survey.Answer{"cs-iam-2": {Comment: "later"}}),
			[]fe{{"answers.cs-iam-2", survey.RuleUnanswered, ""}}},
		{"unanswered and N/A without reason, in questionnaire order", with(map[string]*survey.Answer{
			"ds-gov-2":   nil,
			"cs-cloud-2": na(""),
			qNA:          na("   "),
			"cs-iam-2":   nil,
		}), []fe{
			{"answers.cs-iam-2", survey.RuleUnanswered, ""},
			{"answers.cs-cloud-1.na_reason", survey.RuleReasonRequired, ""},
			{"answers.cs-cloud-2.na_reason", survey.RuleReasonRequired, ""},
			{"answers.ds-gov-2", survey.RuleUnanswered, ""},
		}},
		{"answers outside the questionnaire are ignored", with(map[string]*survey.Answer{"old-question": na("")}), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := survey.NewResponse("r1", "ABC")
			r.Answers = tc.answers
			checkFields(t, r.SubmissionProblems(q), tc.want...)
		})
	}
}

// TestPatchMergeLeavesNoReasonWithoutNA: a reason alone is valid only when
// the stored answer is N/A; merged into a level it is refused, and nothing
// of the patch is applied.
func TestPatchMergeLeavesNoReasonWithoutNA(t *testing.T) {
	r := &survey.Response{Answers: map[string]*survey.Answer{
		"cs-cloud-1": {NA: true, Rev: 1},
		"cs-cloud-2": {Level: intp(2), Rev: 1},
	}}
	before := *r.Answers["cs-cloud-2"]
	if _, err := (survey.Patch{"cs-cloud-1": {NAReason: survey.Of("no cloud")}}).Apply(r, "a", testNow); err != nil {
		t.Fatalf("a reason for a stored N/A: %v", err)
	}
	if r.Answers["cs-cloud-1"].NAReason != "no cloud" || !r.Answers["cs-cloud-1"].NA {
		t.Fatalf("merged: %+v", r.Answers["cs-cloud-1"])
	}
	_, err := (survey.Patch{"cs-cloud-2": {NAReason: survey.Of("why")}}).Apply(r, "a", testNow)
	wantFields(t, err, fe{"answers.cs-cloud-2.na_reason", survey.RuleNAOnly, ""})
	if *r.Answers["cs-cloud-2"] != before {
		t.Fatalf("a refused merge changed the answer: %+v", r.Answers["cs-cloud-2"])
	}
}
