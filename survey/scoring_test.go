package survey

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// Builders for small questionnaires and responses.

func scF(v float64) *float64 { return &v }
func scI(v int) *int         { return &v }

func scQ(id string, weight float64) Question {
	return Question{ID: id, Weight: weight, NAAllowed: true}
}

func scArea(id string, weight float64, target *int, qs ...Question) Area {
	return Area{ID: id, Weight: weight, Target: target, Questions: qs}
}

func scDomain(id string, areas ...Area) Domain { return Domain{ID: id, Areas: areas} }

func scQuestionnaire(domains ...Domain) *Questionnaire {
	return &Questionnaire{ID: "test", Version: 1, Domains: domains}
}

func scLevel(n int) *Answer { return &Answer{Level: scI(n), Rev: 1} }
func scNA() *Answer         { return &Answer{NA: true, NAReason: "not applicable", Rev: 1} }

func scResponse(answers map[string]*Answer) *Response {
	r := NewResponse("2026", "ABC")
	r.Status = StatusInProgress
	r.Answers = answers
	return r
}

// scSameFloat reports whether two optional scores are equal (both nil, or
// equal to within float noise).
func scSameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func scFmtFloat(p *float64) string {
	if p == nil {
		return "null"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

func scFmtInt(p *int) string {
	if p == nil {
		return "null"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

func scCheckValue(t *testing.T, what string, got ScoreValue, score *float64, level *int) {
	t.Helper()
	if !scSameFloat(got.Score, score) {
		t.Errorf("%s score = %s, want %s", what, scFmtFloat(got.Score), scFmtFloat(score))
	}
	if (got.Level == nil) != (level == nil) || (level != nil && *got.Level != *level) {
		t.Errorf("%s level = %s, want %s", what, scFmtInt(got.Level), scFmtInt(level))
	}
}

// scWantArea is the expectation for one area; AllNA, Answered and Total are
// only checked when total > 0.
type scWantArea struct {
	score         *float64
	level         *int
	target        int
	gap           *float64
	allNA         bool
	answered, tot int
}

func scCheckArea(t *testing.T, got AreaScore, want scWantArea) {
	t.Helper()
	scCheckValue(t, "area "+got.ID, got.ScoreValue, want.score, want.level)
	if got.Target != want.target {
		t.Errorf("area %s target = %d, want %d", got.ID, got.Target, want.target)
	}
	if !scSameFloat(got.Gap, want.gap) {
		t.Errorf("area %s gap = %s, want %s", got.ID, scFmtFloat(got.Gap), scFmtFloat(want.gap))
	}
	if want.tot > 0 && (got.AllNA != want.allNA || got.Answered != want.answered || got.Total != want.tot) {
		t.Errorf("area %s all_na/answered/total = %v/%d/%d, want %v/%d/%d", got.ID,
			got.AllNA, got.Answered, got.Total, want.allNA, want.answered, want.tot)
	}
}

func TestRound2(t *testing.T) {
	tests := []struct {
		in, want float64
	}{
		{2.675, 2.68},
		{2.665, 2.67},
		{1.005, 1.01},
		{10.0 / 3, 3.33},
		{2.999, 3},
		{2.994999, 2.99},
		{0.125, 0.13},
		{123456.785, 123456.79},
		{9.995, 10},
		{-2.675, -2.68},
		{-0.001, 0},
		{0, 0},
		{5, 5},
		{2.6749999999999998, 2.68}, // a mean that "is" 2.675 after float error
	}
	for _, tt := range tests {
		t.Run(scFmtFloat(&tt.in), func(t *testing.T) {
			got := Round2(tt.in)
			if got != tt.want { // exact: the nearest float64 to the decimal
				t.Errorf("Round2(%v) = %v, want %v", tt.in, got, tt.want)
			}
			if got == 0 && math.Signbit(got) {
				t.Errorf("Round2(%v) = -0, want +0", tt.in)
			}
		})
	}
	if !math.IsNaN(Round2(math.NaN())) || !math.IsInf(Round2(math.Inf(1)), 1) {
		t.Error("Round2 must pass NaN and Inf through")
	}
	if got := round3(2.0 / 3); got != 0.667 {
		t.Errorf("round3(2/3) = %v, want 0.667", got)
	}
}

func TestTargetsFor(t *testing.T) {
	tests := []struct {
		name    string
		targets Targets
		area    Area
		want    int
	}{
		{"zero value is the default 3", Targets{}, Area{}, 3},
		{"configured default", Targets{Default: 4}, Area{}, 4},
		{"area override", Targets{Default: 4}, Area{Target: scI(2)}, 2},
		{"area override wins over zero value", Targets{}, Area{Target: scI(5)}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.targets.For(&tt.area); got != tt.want {
				t.Errorf("For = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestScore(t *testing.T) {
	twoDomains := scQuestionnaire(
		scDomain("d1",
			scArea("a1", 1, nil, scQ("q1", 1), scQ("q2", 3)),
			scArea("a2", 3, nil, scQ("q3", 1))),
		scDomain("d2", scArea("a3", 1, nil, scQ("q4", 1))),
	)
	tests := []struct {
		name    string
		q       *Questionnaire
		answers map[string]*Answer
		targets Targets
		overall ScoreValue
		domains []ScoreValue
		areas   []scWantArea
	}{
		{
			name:    "weighted means at every level",
			q:       twoDomains,
			answers: map[string]*Answer{"q1": scLevel(2), "q2": scLevel(4), "q3": scLevel(1), "q4": scLevel(5)},
			// a1 = (2*1+4*3)/4 = 3.5; d1 = (3.5*1 + 1*3)/4 = 1.625; overall = (1.625+5)/2 = 3.3125
			overall: ScoreValue{scF(3.31), scI(3)},
			domains: []ScoreValue{{scF(1.63), scI(1)}, {scF(5), scI(5)}},
			areas: []scWantArea{
				{scF(3.5), scI(3), 3, scF(0), false, 2, 2},
				{scF(1), scI(1), 3, scF(2), false, 1, 1},
				{scF(5), scI(5), 3, scF(0), false, 1, 1},
			},
		},
		{
			name:    "NA excluded from the area mean",
			q:       twoDomains,
			answers: map[string]*Answer{"q1": scLevel(4), "q2": scNA(), "q3": scLevel(2), "q4": scLevel(3)},
			// a1 = 4 (q2 heavy but N/A); d1 = (4 + 2*3)/4 = 2.5; overall = 2.75
			overall: ScoreValue{scF(2.75), scI(2)},
			domains: []ScoreValue{{scF(2.5), scI(2)}, {scF(3), scI(3)}},
			areas: []scWantArea{
				{scF(4), scI(4), 3, scF(0), false, 2, 2},
				{scF(2), scI(2), 3, scF(1), false, 1, 1},
				{scF(3), scI(3), 3, scF(0), false, 1, 1},
			},
		},
		{
			name:    "all-NA area is null and left out of its domain",
			q:       twoDomains,
			answers: map[string]*Answer{"q1": scNA(), "q2": scNA(), "q3": scLevel(2), "q4": scLevel(4)},
			overall: ScoreValue{scF(3), scI(3)},
			domains: []ScoreValue{{scF(2), scI(2)}, {scF(4), scI(4)}},
			areas: []scWantArea{
				{nil, nil, 3, nil, true, 2, 2},
				{scF(2), scI(2), 3, scF(1), false, 1, 1},
				{scF(4), scI(4), 3, scF(0), false, 1, 1},
			},
		},
		{
			name:    "domain with no scored area is null and left out of the overall",
			q:       twoDomains,
			answers: map[string]*Answer{"q1": scNA(), "q2": scNA(), "q4": scLevel(1)},
			overall: ScoreValue{scF(1), scI(1)},
			domains: []ScoreValue{{}, {scF(1), scI(1)}},
			areas: []scWantArea{
				{nil, nil, 3, nil, true, 2, 2},
				{nil, nil, 3, nil, false, 0, 1},
				{scF(1), scI(1), 3, scF(2), false, 1, 1},
			},
		},
		{
			name:    "empty response is null everywhere",
			q:       twoDomains,
			answers: nil,
			domains: []ScoreValue{{}, {}},
			areas: []scWantArea{
				{nil, nil, 3, nil, false, 0, 2},
				{nil, nil, 3, nil, false, 0, 1},
				{nil, nil, 3, nil, false, 0, 1},
			},
		},
		{
			name:    "draft preview leaves unanswered out; NA plus unanswered is not all-NA",
			q:       scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 1), scQ("q2", 1)), scArea("b", 1, nil, scQ("q3", 1), scQ("q4", 1)))),
			answers: map[string]*Answer{"q1": scLevel(4), "q3": scNA()},
			overall: ScoreValue{scF(4), scI(4)},
			domains: []ScoreValue{{scF(4), scI(4)}},
			areas: []scWantArea{
				{scF(4), scI(4), 3, scF(0), false, 1, 2},
				{nil, nil, 3, nil, false, 1, 2},
			},
		},
		{
			// The gap comes from the score as shown (2.68), not the raw 2.675.
			name:    "weighted mean of 2.675 rounds half away from zero",
			q:       scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 0.325), scQ("q2", 0.675)))),
			answers: map[string]*Answer{"q1": scLevel(2), "q2": scLevel(3)},
			overall: ScoreValue{scF(2.68), scI(2)},
			domains: []ScoreValue{{scF(2.68), scI(2)}},
			areas:   []scWantArea{{scF(2.68), scI(2), 3, scF(0.32), false, 2, 2}},
		},
		{
			name:    "thirds round to 3.33",
			q:       scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 1), scQ("q2", 1), scQ("q3", 1)))),
			answers: map[string]*Answer{"q1": scLevel(3), "q2": scLevel(3), "q3": scLevel(4)},
			overall: ScoreValue{scF(3.33), scI(3)},
			domains: []ScoreValue{{scF(3.33), scI(3)}},
			areas:   []scWantArea{{scF(3.33), scI(3), 3, scF(0), false, 3, 3}},
		},
		{
			name: "level is the floor of the rounded score; gap from the unrounded",
			// (3*999 + 2*1)/1000 = 2.999 -> 3.00 -> level 3; gap 0.001 -> 0.00
			q:       scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 999), scQ("q2", 1)))),
			answers: map[string]*Answer{"q1": scLevel(3), "q2": scLevel(2)},
			overall: ScoreValue{scF(3), scI(3)},
			domains: []ScoreValue{{scF(3), scI(3)}},
			areas:   []scWantArea{{scF(3), scI(3), 3, scF(0), false, 2, 2}},
		},
		{
			name: "target override per area and configured default",
			q: scQuestionnaire(scDomain("d",
				scArea("a", 1, scI(4), scQ("q1", 1)),
				scArea("b", 1, nil, scQ("q2", 1)),
				scArea("c", 1, nil, scQ("q3", 1)))),
			answers: map[string]*Answer{"q1": scLevel(3), "q2": scLevel(1), "q3": scLevel(5)},
			targets: Targets{Default: 2},
			overall: ScoreValue{scF(3), scI(3)},
			domains: []ScoreValue{{scF(3), scI(3)}},
			areas: []scWantArea{
				{scF(3), scI(3), 4, scF(1), false, 1, 1},
				{scF(1), scI(1), 2, scF(1), false, 1, 1},
				{scF(5), scI(5), 2, scF(0), false, 1, 1}, // above target: gap 0, not negative
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.q, scResponse(tt.answers), tt.targets)
			scCheckValue(t, "overall", got.Overall, tt.overall.Score, tt.overall.Level)
			if len(got.Domains) != len(tt.domains) || len(got.Areas) != len(tt.areas) {
				t.Fatalf("got %d domains, %d areas; want %d, %d", len(got.Domains), len(got.Areas), len(tt.domains), len(tt.areas))
			}
			for i, d := range tt.q.Domains {
				if got.Domains[i].ID != d.ID {
					t.Errorf("domain %d = %s, want %s (questionnaire order)", i, got.Domains[i].ID, d.ID)
				}
				scCheckValue(t, "domain "+d.ID, got.Domains[i].ScoreValue, tt.domains[i].Score, tt.domains[i].Level)
			}
			i := 0
			for _, d := range tt.q.Domains {
				for _, a := range d.Areas {
					if got.Areas[i].ID != a.ID || got.Areas[i].Domain != d.ID {
						t.Errorf("area %d = %s/%s, want %s/%s", i, got.Areas[i].Domain, got.Areas[i].ID, d.ID, a.ID)
					}
					scCheckArea(t, got.Areas[i], tt.areas[i])
					i++
				}
			}
		})
	}
}

func TestScoreNilResponseAndJSON(t *testing.T) {
	q := scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 1))))
	got := Score(q, nil, Targets{})
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"overall":{"score":null,"level":null},"domains":[{"id":"d","score":null,"level":null}],` +
		`"areas":[{"id":"a","domain":"d","score":null,"level":null,"target":3,"gap":null,"all_na":false,"answered":0,"total":1,"noncompliant":[]}],"noncompliant":[]}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
	scored, _ := json.Marshal(Score(q, scResponse(map[string]*Answer{"q1": scLevel(2)}), Targets{}))
	if !strings.Contains(string(scored), `"score":2,"level":2,"target":3,"gap":1`) {
		t.Errorf("scored JSON = %s", scored)
	}
}

func TestScoresFor(t *testing.T) {
	q := scQuestionnaire(scDomain("d", scArea("a", 1, nil, scQ("q1", 1))))
	answers := map[string]*Answer{"q1": scLevel(2)}
	submitted := func(snapshot bool) *Response {
		t.Helper()
		r := scResponse(answers)
		r.Status = StatusSubmitted
		if snapshot {
			s := Score(q, r, Targets{}) // frozen with target 3: gap 1
			r.Snapshot = &s
		}
		return r
	}
	raised := Targets{Default: 5} // targets changed after submission
	overridden := scQuestionnaire(scDomain("d", scArea("a", 1, scI(4), scQ("q1", 1))))
	tests := []struct {
		name    string
		r       *Response
		q       *Questionnaire
		target  int
		wantGap float64
	}{
		{"submitted keeps its snapshot after a target change", submitted(true), q, 3, 1},
		{"submitted keeps its snapshot after an area override", submitted(true), overridden, 3, 1},
		{"submitted without snapshot is computed", submitted(false), q, 5, 3},
		{"draft is computed with current targets", scResponse(answers), q, 5, 3},
		{"draft with a stale snapshot is computed", func() *Response { r := submitted(true); r.Status = StatusInProgress; return r }(), q, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.r.ScoresFor(tt.q, raised)
			scCheckArea(t, got.Areas[0], scWantArea{score: scF(2), level: scI(2), target: tt.target, gap: scF(tt.wantGap)})
		})
	}
	t.Run("returned slices do not alias the snapshot", func(t *testing.T) {
		r := submitted(true)
		got := r.ScoresFor(q, raised)
		got.Areas[0].Target = 99
		if r.Snapshot.Areas[0].Target != 3 {
			t.Error("changing the result changed the stored snapshot")
		}
	})
	t.Run("nil response", func(t *testing.T) {
		var r *Response
		if got := r.ScoresFor(q, raised); got.Overall.Score != nil || len(got.Areas) != 1 {
			t.Errorf("nil response scores = %+v", got)
		}
	})
}
