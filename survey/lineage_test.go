package survey_test

import (
	"reflect"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

func lineageBank(id string, version int, areas ...survey.Area) *survey.Questionnaire {
	return &survey.Questionnaire{ID: id, Version: version, Domains: []survey.Domain{{ID: "d", Areas: areas}}}
}

func TestAreaLineage(t *testing.T) {
	v1 := lineageBank("q", 1, survey.Area{ID: "a"}, survey.Area{ID: "b"}, survey.Area{ID: "c"})
	v2 := lineageBank("q", 2,
		survey.Area{ID: "a"}, // nil lineage: same id
		survey.Area{ID: "bc", Lineage: []string{"b", "c"}}, // merged
		survey.Area{ID: "n", Lineage: []string{}},          // new
	)
	v3 := lineageBank("q", 3, survey.Area{ID: "x", Lineage: []string{"bc", "n"}}, survey.Area{ID: "a"})
	tests := []struct {
		name string
		path []*survey.Questionnaire
		want map[string][]string
	}{
		{"same version is the identity", []*survey.Questionnaire{v1, v1}, map[string][]string{"a": {"a"}, "b": {"b"}, "c": {"c"}}},
		{"one step", []*survey.Questionnaire{v1, v2}, map[string][]string{"a": {"a"}, "bc": {"b", "c"}}},
		{"two steps compose, new areas drop out", []*survey.Questionnaire{v1, v2, v3}, map[string][]string{"x": {"b", "c"}, "a": {"a"}}},
		{"nothing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := survey.AreaLineage(tt.path...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AreaLineage = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPreviousValue(t *testing.T) {
	prev := map[string]float64{"b": 2, "c": 3}
	tests := []struct {
		ids    []string
		want   float64
		wantOK bool
	}{
		{[]string{"b", "c"}, 2.5, true},
		{[]string{"b", "z"}, 2, true},
		{[]string{"z"}, 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		got, ok := survey.PreviousValue(prev, tt.ids)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("PreviousValue(%v) = %v, %v; want %v, %v", tt.ids, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestReverseLineage(t *testing.T) {
	got := survey.ReverseLineage(map[string][]string{"bc": {"b", "c"}, "x": {"b"}, "a": {"a"}})
	want := map[string][]string{"a": {"a"}, "b": {"bc", "x"}, "c": {"bc"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReverseLineage = %v, want %v", got, want)
	}
}
