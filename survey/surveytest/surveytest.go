// Package surveytest gives tests of every package the same small
// questionnaire (two domains, three areas, six questions, N/A allowed in
// one area, a target override), embedded so no test depends on its working
// directory.
package surveytest

import (
	_ "embed"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

//go:embed small.yaml
var smallYAML []byte

// SmallYAML returns the small questionnaire's file, for tests of the loader.
func SmallYAML() []byte { return append([]byte(nil), smallYAML...) }

// Small parses the small questionnaire; each call returns a fresh copy that
// the test may change.
func Small(t testing.TB) *survey.Questionnaire {
	t.Helper()
	q, err := survey.ParseQuestionnaire("small.yaml", smallYAML)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
