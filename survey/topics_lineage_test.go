package survey_test

import (
	"fmt"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

func topicInput(dept, bureau string, scores map[string]float64) survey.TopicInput {
	in := survey.TopicInput{Department: dept, Bureau: bureau}
	for id, v := range scores {
		v := v
		in.Scores.Areas = append(in.Scores.Areas, survey.AreaScore{ID: id, ScoreValue: survey.ScoreValue{Score: &v}})
	}
	return in
}

// TestChangeThroughLineage: each row compares with the mean of the
// previous means of the areas it continues; a new area, or one whose
// predecessors have no score, has no change.
func TestChangeThroughLineage(t *testing.T) {
	previous := []survey.TopicInput{
		topicInput("A", "b1", map[string]float64{"old-1": 2, "old-2": 4, "same": 3}),
		topicInput("B", "b2", map[string]float64{"old-1": 3, "old-2": 1, "same": 1}),
	}
	mean := func(v float64) *float64 { return &v }
	lineage := map[string][]string{"same": {"same"}, "merged": {"old-1", "old-2"}, "renamed": {"old-1"}, "gone": {"nothing"}}
	tests := []struct {
		name string
		f    survey.TopicFilter
		want map[string]string
	}{
		{"every department", survey.TopicFilter{}, map[string]string{"same": "1", "merged": "0.5", "renamed": "0.5", "new": "<nil>", "gone": "<nil>"}},
		// Bureau b1 only: same 3, old-1 2, old-2 4.
		{"one bureau", survey.TopicFilter{Bureau: "b1"}, map[string]string{"same": "0", "merged": "0", "renamed": "1", "new": "<nil>", "gone": "<nil>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := []survey.TopicRow{{Area: "same", MeanScore: mean(3)}, {Area: "merged", MeanScore: mean(3)},
				{Area: "renamed", MeanScore: mean(3)}, {Area: "new", MeanScore: mean(3)}, {Area: "gone", MeanScore: mean(3)}}
			survey.ChangeThroughLineage(rows, lineage, previous, tc.f)
			for _, r := range rows {
				got := "<nil>"
				if r.Change != nil {
					got = fmt.Sprint(*r.Change)
				}
				if got != tc.want[r.Area] {
					t.Errorf("%s: change %s, want %s", r.Area, got, tc.want[r.Area])
				}
			}
		})
	}
}
