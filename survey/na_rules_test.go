package survey

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// naQ is a questionnaire whose question a-2 may be N/A only when a-1 is at
// least level 3; a-3 may be N/A unconditionally.
func naQ() *Questionnaire {
	q1 := Question{ID: "a-1", Weight: 1}
	q2 := Question{ID: "a-2", Weight: 1, NAAllowed: true, NARequires: &NARequires{Question: "a-1", MinLevel: 3}}
	q3 := Question{ID: "a-3", Weight: 1, NAAllowed: true}
	return &Questionnaire{ID: "q", Version: 2, Domains: []Domain{{ID: "d", Areas: []Area{{ID: "a", Weight: 1, Questions: []Question{q1, q2, q3}}}}}}
}

func TestSubmissionNARequires(t *testing.T) {
	lvl := func(l int) *Answer { return &Answer{Level: &l} }
	na := &Answer{NA: true, NAReason: "we have none"}
	tests := []struct {
		name    string
		answers map[string]*Answer
		want    []string // fields with problems
	}{
		{"condition met", map[string]*Answer{"a-1": lvl(3), "a-2": na, "a-3": na}, nil},
		{"condition exceeded", map[string]*Answer{"a-1": lvl(5), "a-2": na, "a-3": lvl(0)}, nil},
		{"other below the level", map[string]*Answer{"a-1": lvl(2), "a-2": na, "a-3": na}, []string{"answers.a-2.na"}},
		{"other N/A", map[string]*Answer{"a-1": {NA: true, NAReason: "x"}, "a-2": na, "a-3": na}, []string{"answers.a-2.na"}},
		{"other unanswered", map[string]*Answer{"a-2": na, "a-3": na}, []string{"answers.a-1", "answers.a-2.na"}},
		{"not N/A: no rule", map[string]*Answer{"a-1": lvl(0), "a-2": lvl(1), "a-3": na}, nil},
		{"unconditional N/A", map[string]*Answer{"a-1": lvl(0), "a-2": lvl(0), "a-3": na}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Response{Answers: tc.answers}
			problems := r.SubmissionProblems(naQ())
			var got []string
			for _, p := range problems {
				got = append(got, p.Field)
				if p.Field == "answers.a-2.na" && (!strings.Contains(p.Message, "a-1") || !strings.Contains(p.Message, "level 3")) {
					t.Errorf("message %q does not name the other question and its level", p.Message)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %v, want %v", problems, tc.want)
			}
		})
	}
}

func TestScoreNoncompliant(t *testing.T) {
	mk := func(id string, mandatory bool) Question {
		return Question{ID: id, Weight: 1, Mandatory: mandatory, NAAllowed: true}
	}
	q := &Questionnaire{ID: "q", Version: 2, Domains: []Domain{
		{ID: "d", Areas: []Area{
			{ID: "d-a", Weight: 1, Questions: []Question{mk("d-a-1", true), mk("d-a-2", false), mk("d-a-3", true)}},
			{ID: "d-b", Weight: 1, Questions: []Question{mk("d-b-1", true), mk("d-b-2", true), mk("d-b-3", true)}},
		}},
	}}
	l := func(v int) *Answer { return &Answer{Level: &v} }
	tests := []struct {
		name        string
		answers     map[string]*Answer
		want, wantA []string
		wantB       []string
	}{
		{"none answered", nil, []string{}, []string{}, []string{}},
		{"mandatory at 3 is compliant", map[string]*Answer{"d-a-1": l(3), "d-a-3": l(5), "d-b-1": l(4)}, []string{}, []string{}, []string{}},
		{"below 3 in order", map[string]*Answer{"d-a-1": l(2), "d-a-2": l(0), "d-a-3": l(0), "d-b-1": l(3), "d-b-2": l(1), "d-b-3": {NA: true, NAReason: "x"}},
			[]string{"d-a-1", "d-a-3", "d-b-2"}, []string{"d-a-1", "d-a-3"}, []string{"d-b-2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Score(q, &Response{Answers: tc.answers}, Targets{})
			if !slices.Equal(s.Noncompliant, tc.want) || s.Noncompliant == nil {
				t.Errorf("noncompliant = %#v, want %v", s.Noncompliant, tc.want)
			}
			if !slices.Equal(s.Areas[0].Noncompliant, tc.wantA) || !slices.Equal(s.Areas[1].Noncompliant, tc.wantB) {
				t.Errorf("areas: %v %v, want %v %v", s.Areas[0].Noncompliant, s.Areas[1].Noncompliant, tc.wantA, tc.wantB)
			}
			b, _ := json.Marshal(s)
			if !strings.Contains(string(b), `"noncompliant":[`) {
				t.Errorf("json has no noncompliant list: %s", b)
			}
		})
	}
}
