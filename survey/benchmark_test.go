package survey

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func bmClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", what, got)
		}
		return
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestPercentileInc(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"p25 of 1..4", []float64{1, 2, 3, 4}, 0.25, 1.75},
		{"median of 1..4", []float64{1, 2, 3, 4}, 0.5, 2.5},
		{"p75 of 1..4", []float64{1, 2, 3, 4}, 0.75, 3.25},
		{"p0 is the minimum", []float64{1, 2, 3, 4}, 0, 1},
		{"p100 is the maximum", []float64{1, 2, 3, 4}, 1, 4},
		{"Excel docs example {1,2,3,4} k=0.3", []float64{1, 2, 3, 4}, 0.3, 1.9},
		{"p90 of 1..10", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1},
		{"odd count median", []float64{1, 2, 3, 4, 5}, 0.5, 3},
		{"ties", []float64{2, 2, 2, 5}, 0.5, 2},
		{"n=1", []float64{7}, 0.25, 7},
		{"empty is NaN", nil, 0.5, nan},
		{"p below 0 is NaN", []float64{1, 2}, -0.1, nan},
		{"p above 1 is NaN", []float64{1, 2}, 1.1, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bmClose(t, "PercentileInc", PercentileInc(tt.sorted, tt.p), tt.want)
		})
	}
}

func TestPercentRankInc(t *testing.T) {
	nan := math.NaN()
	// The example of Microsoft's PERCENTRANK.INC page (Excel shows the
	// results truncated to 3 digits: 0.333, 0.555, 0.666, 0.583).
	msDocs := []float64{13, 12, 11, 8, 4, 3, 2, 1, 1, 1}
	tests := []struct {
		name   string
		values []float64
		x      float64
		want   float64
	}{
		{"x in data", []float64{1, 2, 3, 4}, 3, 2.0 / 3},
		{"minimum is 0", []float64{1, 2, 3, 4}, 1, 0},
		{"maximum is 1", []float64{1, 2, 3, 4}, 4, 1},
		{"unsorted input", []float64{4, 1, 3, 2}, 3, 2.0 / 3},
		{"between data points interpolates", []float64{1, 2, 4}, 3, 0.75},
		{"ties count values strictly below", []float64{1, 2, 2, 3}, 2, 1.0 / 3},
		{"between ties and next", []float64{1, 2, 2, 3}, 2.5, 2.0 / 3},
		{"all tied", []float64{3, 3, 3}, 3, 0},
		{"ms docs x=2", msDocs, 2, 3.0 / 9},
		{"ms docs x=4", msDocs, 4, 5.0 / 9},
		{"ms docs x=8", msDocs, 8, 6.0 / 9},
		{"ms docs x=5", msDocs, 5, 5.0/9 + 0.25*(1.0/9)},
		{"n=1 equal", []float64{5}, 5, 1},
		{"n=1 different is NaN", []float64{5}, 4, nan},
		{"below range is NaN", []float64{1, 2, 3}, 0.5, nan},
		{"above range is NaN", []float64{1, 2, 3}, 3.5, nan},
		{"empty is NaN", nil, 1, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bmClose(t, "PercentRankInc", PercentRankInc(tt.values, tt.x), tt.want)
		})
	}
}

// bmDept builds a department's scores: area id -> score (nil for null).
func bmDept(code string, areas map[string]*float64) DepartmentScores {
	var s Scores
	for id, v := range areas {
		s.Areas = append(s.Areas, AreaScore{ID: id, ScoreValue: ScoreValue{Score: v}})
	}
	return DepartmentScores{Department: code, Scores: s}
}

func bmCheckPtr(t *testing.T, what string, got, want *float64) {
	t.Helper()
	if !scSameFloat(got, want) {
		t.Errorf("%s = %s, want %s", what, scFmtFloat(got), scFmtFloat(want))
	}
}

func TestBenchmarks(t *testing.T) {
	q := scQuestionnaire(scDomain("d1", scArea("a", 1, nil, scQ("q1", 1))), scDomain("d2", scArea("b", 1, nil, scQ("q2", 1))))
	type stats struct{ mean, median, p25, p75, min, max *float64 }
	tests := []struct {
		name  string
		depts []DepartmentScores
		area  string // the area checked; the other is only checked for order
		n     int
		stats stats
		ranks map[string]float64
	}{
		{name: "no departments", area: "a", ranks: map[string]float64{}},
		{
			name:  "only null scores (all NA) give n=0",
			depts: []DepartmentScores{bmDept("A", map[string]*float64{"a": nil}), bmDept("B", nil)},
			area:  "a", ranks: map[string]float64{},
		},
		{
			name:  "n=1",
			depts: []DepartmentScores{bmDept("A", map[string]*float64{"a": scF(2.5)}), bmDept("B", map[string]*float64{"a": nil})},
			area:  "a", n: 1,
			stats: stats{scF(2.5), scF(2.5), scF(2.5), scF(2.5), scF(2.5), scF(2.5)},
			ranks: map[string]float64{"A": 1},
		},
		{
			name: "ties",
			depts: []DepartmentScores{
				bmDept("A", map[string]*float64{"a": scF(1)}), bmDept("B", map[string]*float64{"a": scF(2)}),
				bmDept("C", map[string]*float64{"a": scF(2)}), bmDept("D", map[string]*float64{"a": scF(4)}),
			},
			area: "a", n: 4,
			stats: stats{scF(2.25), scF(2), scF(1.75), scF(2.5), scF(1), scF(4)},
			ranks: map[string]float64{"A": 0, "B": 0.333, "C": 0.333, "D": 1},
		},
		{
			name: "outputs rounded to 2 decimals, ranks to 3",
			depts: []DepartmentScores{
				bmDept("A", map[string]*float64{"b": scF(2.67)}), bmDept("B", map[string]*float64{"b": scF(2.68)}),
				bmDept("C", map[string]*float64{"b": scF(2.68)}), bmDept("D", map[string]*float64{"b": scF(3.01)}),
			},
			// mean 11.04/4 = 2.76; p25 rank .75 -> 2.6775 -> 2.68; p75 rank 2.25 -> 2.7625 -> 2.76
			area: "b", n: 4,
			stats: stats{scF(2.76), scF(2.68), scF(2.68), scF(2.76), scF(2.67), scF(3.01)},
			ranks: map[string]float64{"A": 0, "B": 0.333, "C": 0.333, "D": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Benchmarks(q, tt.depts)
			if len(got) != 2 || got[0].Area != "a" || got[0].Domain != "d1" || got[1].Area != "b" || got[1].Domain != "d2" {
				t.Fatalf("benchmarks = %+v, want areas a/d1, b/d2 in questionnaire order", got)
			}
			b := got[0]
			if tt.area == "b" {
				b = got[1]
			}
			if b.N != tt.n {
				t.Errorf("n = %d, want %d", b.N, tt.n)
			}
			bmCheckPtr(t, "mean", b.Mean, tt.stats.mean)
			bmCheckPtr(t, "median", b.Median, tt.stats.median)
			bmCheckPtr(t, "p25", b.P25, tt.stats.p25)
			bmCheckPtr(t, "p75", b.P75, tt.stats.p75)
			bmCheckPtr(t, "min", b.Min, tt.stats.min)
			bmCheckPtr(t, "max", b.Max, tt.stats.max)
			if b.Percentiles == nil || len(b.Percentiles) != len(tt.ranks) {
				t.Fatalf("percentiles = %v, want %v", b.Percentiles, tt.ranks)
			}
			for code, want := range tt.ranks {
				if got, ok := b.Percentiles[code]; !ok || got != want {
					t.Errorf("percentile of %s = %v (present %v), want %v", code, got, ok, want)
				}
			}
		})
	}
}

func TestPublicBenchmark(t *testing.T) {
	b := AreaBenchmark{
		Area: "a", Domain: "d", N: 3,
		Mean: scF(2.5), Median: scF(2.4), P25: scF(2), P75: scF(3), Min: scF(1), Max: scF(4),
		Percentiles: map[string]float64{"A": 0, "B": 0.5, "C": 1},
	}
	tests := []struct {
		name     string
		n        int
		minGroup int
		visible  bool
	}{
		{"n equals the threshold", 3, 3, true},
		{"n above the threshold", 3, 2, true},
		{"n below the threshold", 2, 3, false},
		{"n=0 is never visible", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := b
			in.N = tt.n
			got, ok := in.Public(tt.minGroup)
			if ok != tt.visible {
				t.Fatalf("visible = %v, want %v", ok, tt.visible)
			}
			if got.Area != "a" || got.Domain != "d" {
				t.Errorf("ids = %s/%s, want a/d", got.Domain, got.Area)
			}
			if !ok {
				if got.N != 0 || got.Mean != nil || got.Median != nil || got.P25 != nil || got.P75 != nil {
					t.Errorf("hidden benchmark leaks figures: %+v", got)
				}
				return
			}
			if got.N != tt.n || *got.Mean != 2.5 || *got.Median != 2.4 || *got.P25 != 2 || *got.P75 != 3 {
				t.Errorf("public = %+v", got)
			}
			js, _ := json.Marshal(got)
			for _, key := range []string{`"min"`, `"max"`, `"percentiles"`, `"A"`} {
				if strings.Contains(string(js), key) {
					t.Errorf("public JSON %s contains %s", js, key)
				}
			}
		})
	}
}

func TestGovernmentMeans(t *testing.T) {
	q := scQuestionnaire(scDomain("d1"), scDomain("d2"), scDomain("d3"))
	dept := func(code string, overall *float64, d1, d2 *float64) DepartmentScores {
		t.Helper()
		return DepartmentScores{Department: code, Scores: Scores{
			Overall: ScoreValue{Score: overall},
			Domains: []DomainScore{{ID: "d1", ScoreValue: ScoreValue{Score: d1}}, {ID: "d2", ScoreValue: ScoreValue{Score: d2}}},
		}}
	}
	tests := []struct {
		name    string
		depts   []DepartmentScores
		overall *float64
		domains map[string]*float64
	}{
		{"no departments", nil, nil, map[string]*float64{"d1": nil, "d2": nil, "d3": nil}},
		{
			name: "null scores left out",
			depts: []DepartmentScores{
				dept("A", scF(2), scF(1), nil),
				dept("B", scF(3.01), scF(2), scF(4)),
				dept("C", nil, nil, nil),
			},
			overall: scF(2.51), // 5.01/2 = 2.505 -> 2.51
			domains: map[string]*float64{"d1": scF(1.5), "d2": scF(4), "d3": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bmCheckPtr(t, "overall mean", OverallMean(tt.depts), tt.overall)
			got := DomainMeans(q, tt.depts)
			if len(got) != len(tt.domains) {
				t.Errorf("domain means = %v, want keys of %v", got, tt.domains)
			}
			for id, want := range tt.domains {
				bmCheckPtr(t, "domain "+id, got[id], want)
			}
		})
	}
}
