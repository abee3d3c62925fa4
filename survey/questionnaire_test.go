package survey_test

import (
	"slices"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

func TestQuestionnaireAccessors(t *testing.T) {
	q := surveytest.Small(t)
	wantIDs := []string{"cs-iam-1", "cs-iam-2", "cs-cloud-1", "cs-cloud-2", "ds-gov-1", "ds-gov-2"}
	if got := q.QuestionIDs(); !slices.Equal(got, wantIDs) {
		t.Errorf("QuestionIDs %v, want %v", got, wantIDs)
	}
	want := survey.QuestionnaireSummary{ID: "small", Version: 1, Title: q.Title, Questions: 6}
	if got := q.Summary(); got != want {
		t.Errorf("Summary %+v, want %+v", got, want)
	}
	idx := q.Index()
	if ref := idx["cs-cloud-2"]; ref.Question == nil || ref.Area.ID != "cs-cloud" || ref.Domain.ID != "cs" || !ref.Question.NAAllowed {
		t.Errorf("Index[cs-cloud-2] = %+v", ref)
	}
	for lang, want := range map[string]string{survey.LangEN: "Small test questionnaire", survey.LangZH: "小型測試問卷", "fr": "Small test questionnaire"} {
		if got := q.Title.In(lang); got != want {
			t.Errorf("Title.In(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestResponseBasics(t *testing.T) {
	q := surveytest.Small(t)
	if got := survey.ResponseID("r1", "ABC"); got != "r1/ABC" {
		t.Errorf("ResponseID = %q", got)
	}
	r := survey.NewResponse("r1", "ABC")
	if r.Status != survey.StatusNotStarted || r.Answers == nil || r.Version != 0 {
		t.Errorf("NewResponse = %+v", r)
	}
	r.Answers = map[string]*survey.Answer{
		"cs-iam-1":   {Level: intp(0)},
		"cs-iam-2":   {NA: true},
		"cs-cloud-1": {Comment: "only a comment"},
		"ds-gov-1":   nil,
		"retired":    {Level: intp(3)},
	}
	if got := r.CountAnswered(q); got != 2 {
		t.Errorf("CountAnswered = %d, want 2 (a level or N/A, questions of q only)", got)
	}
	var none *survey.Answer
	if none.Answered() {
		t.Error("a nil answer counts as answered")
	}
}
