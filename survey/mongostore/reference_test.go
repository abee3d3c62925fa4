package mongostore_test

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/survey"
)

// TestQuestionReferenceBSON: a round's copy of its questionnaire stored
// before references became bilingual (a plain string) still decodes, and a
// bilingual reference and the other v2 fields survive a round trip.
func TestQuestionReferenceBSON(t *testing.T) {
	legacy, err := bson.Marshal(bson.D{{Key: "id", Value: "q-1"}, {Key: "reference", Value: "ISO/IEC 27001:2022"}})
	if err != nil {
		t.Fatal(err)
	}
	var old survey.Question
	if err := bson.Unmarshal(legacy, &old); err != nil {
		t.Fatal(err)
	}
	if old.Reference != (survey.Reference{EN: "ISO/IEC 27001:2022"}) {
		t.Errorf("legacy reference = %+v", old.Reference)
	}

	q := survey.Question{ID: "q-2", Reference: survey.Reference{EN: "S17 v8.2", ZH: "《基線資訊科技保安政策》"},
		Mandatory: true, Central: true, NARequires: &survey.NARequires{Question: "q-1", MinLevel: 3},
		Lineage: []string{}, Tags: survey.Tags{S17: []string{"access-control"}, CSF: []string{"PR"}}}
	b, err := bson.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back survey.Question
	if err := bson.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, q) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, q)
	}

	s := survey.Scores{Areas: []survey.AreaScore{{ID: "a", Noncompliant: []string{}}}, Noncompliant: []string{"q-2"}}
	b, err = bson.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var sb survey.Scores
	if err := bson.Unmarshal(b, &sb); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sb, s) {
		t.Errorf("scores round trip:\n got %#v\nwant %#v", sb, s)
	}
}
