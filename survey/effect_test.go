package survey

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey/questionnaires"
)

func TestSeminarEffect(t *testing.T) {
	dept := func(code string, scores map[string]float64) TopicInput {
		var areas []AreaScore
		for id, v := range scores {
			areas = append(areas, fairArea(id, v, 3))
		}
		return TopicInput{Department: code, Scores: Scores{Areas: areas}}
	}
	// Attendees A, B improved by 1 and 0.5 in ism-bcp; others C, D did not
	// move; E submitted only later and is left out.
	from := []TopicInput{
		dept("A", map[string]float64{"ism-bcp": 1, "cs-log": 2}),
		dept("B", map[string]float64{"ism-bcp": 2, "cs-log": 2}),
		dept("C", map[string]float64{"ism-bcp": 2, "cs-log": 2}),
		dept("D", map[string]float64{"ism-bcp": 3, "cs-log": 2}),
	}
	to := []TopicInput{
		dept("A", map[string]float64{"ism-bcp": 2, "cs-log": 2}),
		dept("B", map[string]float64{"ism-bcp": 2.5, "cs-log": 2}),
		dept("C", map[string]float64{"ism-bcp": 2, "cs-log": 2.5}),
		dept("D", map[string]float64{"ism-bcp": 3, "cs-log": 2}),
		dept("E", map[string]float64{"ism-bcp": 0, "cs-log": 0}),
	}
	tests := []struct {
		name     string
		in       EffectInput
		want     []EffectArea
		wantText string
	}{
		{
			name: "attendees improved, the others did not; small groups give the caution",
			in:   EffectInput{Areas: []string{"ism-bcp"}, Attended: []string{"A", "B"}, From: from, To: to, ToAreas: []string{"cs-log", "ism-bcp"}, MinGroup: 5},
			want: []EffectArea{{Area: "ism-bcp", FromAreas: []string{"ism-bcp"}, Continued: true,
				Attendees: EffectGroup{N: 2, MeanChange: tpF(0.75)}, Others: EffectGroup{N: 2, MeanChange: tpF(0)}, Difference: tpF(0.75), Caution: true}},
		},
		{
			name: "groups at the threshold give no caution",
			in:   EffectInput{Areas: []string{"ism-bcp"}, Attended: []string{"A", "B"}, From: from, To: to, ToAreas: []string{"ism-bcp"}, MinGroup: 2},
			want: []EffectArea{{Area: "ism-bcp", FromAreas: []string{"ism-bcp"}, Continued: true,
				Attendees: EffectGroup{N: 2, MeanChange: tpF(0.75)}, Others: EffectGroup{N: 2, MeanChange: tpF(0)}, Difference: tpF(0.75)}},
		},
		{
			name: "nobody attended: no attendees' figure, no difference",
			in:   EffectInput{Areas: []string{"cs-log"}, From: from, To: to, ToAreas: []string{"cs-log"}, MinGroup: 2},
			want: []EffectArea{{Area: "cs-log", FromAreas: []string{"cs-log"}, Continued: true,
				Attendees: EffectGroup{}, Others: EffectGroup{N: 4, MeanChange: tpF(0.13)}, Caution: true}},
		},
		{
			name: "lineage across versions: a merged area compares with the mean of its origins, a dropped one is not continued",
			in: EffectInput{Areas: []string{"ism-bcp", "ism-old"}, Attended: []string{"A"}, From: from,
				To: []TopicInput{
					dept("A", map[string]float64{"ism-resilience": 2.5}),
					dept("C", map[string]float64{"ism-resilience": 2}),
				},
				ToAreas: []string{"ism-resilience", "ism-new"},
				Lineage: map[string][]string{"ism-resilience": {"ism-bcp", "cs-log"}}, MinGroup: 1},
			// A: 2.5 − mean(1, 2) = 1; C: 2 − mean(2, 2) = 0.
			want: []EffectArea{
				{Area: "ism-resilience", FromAreas: []string{"ism-bcp", "cs-log"}, Continued: true,
					Attendees: EffectGroup{N: 1, MeanChange: tpF(1)}, Others: EffectGroup{N: 1, MeanChange: tpF(0)}, Difference: tpF(1)},
				{Area: "ism-old", FromAreas: []string{"ism-old"}, Caution: true},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SeminarEffect(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Area != w.Area || strings.Join(g.FromAreas, ",") != strings.Join(w.FromAreas, ",") || g.Continued != w.Continued || g.Caution != w.Caution ||
					g.Attendees.N != w.Attendees.N || g.Others.N != w.Others.N || !tpSame(g.Attendees.MeanChange, w.Attendees.MeanChange) ||
					!tpSame(g.Others.MeanChange, w.Others.MeanChange) || !tpSame(g.Difference, w.Difference) {
					t.Errorf("row %d = %+v (att %s oth %s diff %s), want %+v", i, g, tpFmt(g.Attendees.MeanChange), tpFmt(g.Others.MeanChange), tpFmt(g.Difference), w)
				}
			}
		})
	}
}

func TestNewSeminar(t *testing.T) {
	q := fairQuestionnaire()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ok := SeminarInput{TitleEN: " Resilience ", TitleZH: "韌性", Date: "2026-05-04", Theme: "resilience", Round: "2026"}
	s, err := NewSeminar(ok, q, "planner", now)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "2026_20260504_resilience" || s.TitleEN != "Resilience" || strings.Join(s.Areas, ",") != "ism-bcp,ism-dr" || s.Attendance == nil || s.Version != 1 {
		t.Errorf("seminar = %+v", s)
	}
	byAreas, err := NewSeminar(SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Areas: []string{"ism-dr", "cs-log"}, Round: "2026"}, q, "p", now)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := NewSeminar(SeminarInput{TitleEN: "c", TitleZH: "d", Date: "2026-05-04", Areas: []string{"cs-log", "ism-dr"}, Round: "2026"}, q, "p", now)
	if strings.Join(byAreas.Areas, ",") != "cs-log,ism-dr" || byAreas.ID != again.ID || !ValidSeminarID(byAreas.ID) {
		t.Errorf("by areas = %+v, again %q: the id must not depend on the order given", byAreas, again.ID)
	}
	bad := []struct {
		name  string
		in    SeminarInput
		field string
		rule  string
	}{
		{"no title", SeminarInput{TitleZH: "b", Date: "2026-05-04", Theme: "cyber", Round: "2026"}, "title_en", RuleRequired},
		{"not a date", SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-02-30", Theme: "cyber", Round: "2026"}, "date", RuleType},
		{"neither theme nor areas", SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Round: "2026"}, "theme", RuleRequired},
		{"both", SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Theme: "cyber", Areas: []string{"cs-log"}, Round: "2026"}, "areas", RuleExclusive},
		{"unknown theme", SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Theme: "nope", Round: "2026"}, "theme", RuleUnknown},
		{"unknown area", SeminarInput{TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Areas: []string{"cs-log", "zz"}, Round: "2026"}, "areas[1]", RuleUnknown},
		{"long title", SeminarInput{TitleEN: strings.Repeat("x", MaxSeminarTitle+1), TitleZH: "b", Date: "2026-05-04", Theme: "cyber", Round: "2026"}, "title_en", RuleMaxLength},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSeminar(tc.in, q, "p", now)
			e, isErr := err.(*Error)
			if !isErr || e.Code != EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tc.field || e.Fields[0].Rule != tc.rule {
				t.Errorf("NewSeminar = %v, want %s %s", err, tc.field, tc.rule)
			}
		})
	}
}

func TestSeminarAttendanceAndApply(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s := Seminar{ID: "x", TitleEN: "a", TitleZH: "b", Date: "2026-05-04", Attendance: []string{}, Version: 1}
	known := func(c string) bool { return c != "NOPE" }
	got, changed, err := s.SetAttendance([]string{"ZED", "ABC", "ZED"}, known, "p", now)
	if err != nil || !changed || strings.Join(got.Attendance, ",") != "ABC,ZED" || got.Version != 2 {
		t.Errorf("SetAttendance = %+v, %v, %v", got, changed, err)
	}
	if _, changed, _ := got.SetAttendance([]string{"ZED", "ABC"}, known, "p", now); changed {
		t.Errorf("the same attendance again changed the seminar")
	}
	if _, _, err := s.SetAttendance([]string{"ABC", "NOPE", "bad"}, known, "p", now); err == nil || len(err.(*Error).Fields) != 2 {
		t.Errorf("unknown and malformed codes: %v", err)
	}
	title := "New"
	edited, changed, err := s.Apply(SeminarChange{TitleEN: &title}, "p", now)
	if err != nil || !changed || edited.TitleEN != "New" || edited.Version != 2 {
		t.Errorf("Apply = %+v, %v, %v", edited, changed, err)
	}
	bad := "tomorrow"
	if _, _, err := s.Apply(SeminarChange{Date: &bad}, "p", now); err == nil {
		t.Errorf("a bad date was accepted")
	}
}

// BenchmarkPlannerFigures ranks the themes and computes a seminar's effect
// over the built-in bank: linear in departments.
func BenchmarkPlannerFigures(b *testing.B) {
	bank, err := LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		b.Fatal(err)
	}
	var q *Questionnaire
	for _, v := range bank {
		if v.ID == "dg-capability" && len(v.Themes) > 0 {
			q = v
		}
	}
	if q == nil {
		b.Fatal("no themed dg-capability in the bank")
	}
	for _, n := range []int{50, 1000} {
		current, previous := benchSnapshots(q, n, 1), benchSnapshots(q, n, 2)
		var areas, attended []string
		for _, d := range q.Domains[:1] {
			for _, a := range d.Areas {
				areas = append(areas, a.ID)
			}
		}
		for i := 0; i < n; i += 2 {
			attended = append(attended, current[i].Department)
		}
		var toAreas []string
		for _, d := range q.Domains {
			for _, a := range d.Areas {
				toAreas = append(toAreas, a.ID)
			}
		}
		b.Run(fmt.Sprintf("themes/departments=%d", n), func(b *testing.B) {
			for b.Loop() {
				RankThemes(TopicRanking{Questionnaire: q, Current: current, Previous: previous})
			}
		})
		b.Run(fmt.Sprintf("effect/departments=%d", n), func(b *testing.B) {
			for b.Loop() {
				SeminarEffect(EffectInput{Areas: areas, Attended: attended, From: previous, To: current, ToAreas: toAreas, MinGroup: 5})
			}
		})
	}
}
