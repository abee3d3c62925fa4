package survey

import (
	"slices"
	"testing"
)

// fairQuestionnaire has two themes over four areas; cs-iam has a stretch
// target of 4.
func fairQuestionnaire() *Questionnaire {
	four := 4
	area := func(id, theme string) Area {
		return Area{ID: id, Theme: theme, Title: Text{EN: id, ZH: id}, Topic: Text{EN: "T " + id, ZH: "主 " + id}, Weight: 1}
	}
	iam := area("cs-iam", "cyber")
	iam.Target = &four
	return &Questionnaire{ID: "fair", Version: 2,
		Themes: []Theme{
			{ID: "cyber", Title: Text{EN: "Cyber", ZH: "網絡"}, Seminar: Text{EN: "Protecting cybersecurity", ZH: "保障網絡安全"}},
			{ID: "resilience", Title: Text{EN: "Resilience", ZH: "韌性"}, Seminar: Text{EN: "Emergency response", ZH: "應急"}},
		},
		Domains: []Domain{
			{ID: "cs", Areas: []Area{iam, area("cs-log", "cyber")}},
			{ID: "ism", Areas: []Area{area("ism-bcp", "resilience"), area("ism-dr", "resilience")}},
		}}
}

// fairArea is an area score with the non-compliant mandatory questions.
func fairArea(id string, score float64, target int, noncompliant ...string) AreaScore {
	a := tpArea(id, &score, target)
	a.Noncompliant = noncompliant
	return a
}

func TestRankTopicsFair(t *testing.T) {
	q := fairQuestionnaire()
	// cs-iam scores 3.2 everywhere against its own target 4: a large
	// snapshot gap, but none against the baseline 3. ism-bcp is the weakest.
	current := []TopicInput{
		tpDept("A", "B1", fairArea("cs-iam", 3.2, 4), fairArea("cs-log", 2.5, 3, "cs-log-1"), fairArea("ism-bcp", 1.5, 3), fairArea("ism-dr", 2.5, 3)),
		tpDept("B", "B1", fairArea("cs-iam", 3.2, 4), fairArea("cs-log", 3, 3), fairArea("ism-bcp", 2, 3), fairArea("ism-dr", 3, 3)),
		tpDept("C", "B2", fairArea("cs-iam", 2.6, 4, "cs-iam-2"), fairArea("cs-log", 3.5, 3, "cs-log-1"), fairArea("ism-bcp", 2.5, 3), fairArea("ism-dr", 3, 3)),
	}
	tests := []struct {
		name     string
		filter   TopicFilter
		order    []string
		gap      map[string]float64
		stretch  map[string]float64
		noncomp  map[string][]string
		share    map[string]float64
		baseline int
	}{
		{
			name:    "stretch target in its own column, weakest area first",
			order:   []string{"ism-bcp", "cs-log", "ism-dr", "cs-iam"},
			gap:     map[string]float64{"ism-bcp": 3, "cs-log": 0.5, "ism-dr": 0.5, "cs-iam": 0.4},
			stretch: map[string]float64{"cs-iam": 0.8 + 0.8 + 1, "cs-log": 0},
			noncomp: map[string][]string{"cs-log": {"A", "C"}, "cs-iam": {"C"}, "ism-bcp": {}},
			share:   map[string]float64{"ism-bcp": 1, "cs-log": 0.333, "cs-iam": 0.333},
		},
		{
			name:   "ties on gap and below count fall back to the area id",
			filter: TopicFilter{Bureau: "B1"},
			// cs-log and ism-dr: gap 0.5, one below each.
			order: []string{"ism-bcp", "cs-log", "ism-dr", "cs-iam"},
			gap:   map[string]float64{"cs-log": 0.5, "ism-dr": 0.5, "cs-iam": 0},
		},
		{
			name:   "theme filter ranks the theme's areas only",
			filter: TopicFilter{Theme: "cyber"},
			order:  []string{"cs-log", "cs-iam"},
		},
		{
			name:     "a higher baseline counts every area against it",
			baseline: 4,
			order:    []string{"ism-bcp", "ism-dr", "cs-iam", "cs-log"},
			gap:      map[string]float64{"ism-bcp": 6, "ism-dr": 3.5, "cs-iam": 3, "cs-log": 3},
			stretch:  map[string]float64{"cs-iam": 0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			baseline := cmpOr(tc.baseline, 3)
			rows := RankTopics(TopicRanking{Questionnaire: q, Baseline: baseline, Current: current, Filter: tc.filter})
			var order []string
			by := map[string]TopicRow{}
			for _, r := range rows {
				order = append(order, r.Area)
				by[r.Area] = r
			}
			if !slices.Equal(order, tc.order) {
				t.Fatalf("order = %v, want %v", order, tc.order)
			}
			for a, want := range tc.gap {
				if got := by[a].TotalGap; !near(got, want) {
					t.Errorf("%s total_gap = %v, want %v", a, got, want)
				}
			}
			for a, want := range tc.stretch {
				if got := by[a].StretchGap; !near(got, want) {
					t.Errorf("%s stretch_gap = %v, want %v", a, got, want)
				}
			}
			for a, want := range tc.noncomp {
				if got := by[a].Noncompliant; !slices.Equal(got, want) {
					t.Errorf("%s noncompliant = %v, want %v", a, got, want)
				}
			}
			for a, want := range tc.share {
				if got := by[a].BelowShare; got == nil || !near(*got, want) {
					t.Errorf("%s below_share = %v, want %v", a, tpFmt(got), want)
				}
			}
		})
	}
}

func TestRankTopicsChangeAcrossVersions(t *testing.T) {
	q := fairQuestionnaire()
	// ism-dr is new in this version (empty lineage): no change, never a
	// change from 0. ism-bcp continues two earlier areas.
	lineage := map[string][]string{"cs-iam": {"cs-iam"}, "cs-log": {"cs-log"}, "ism-bcp": {"old-bcp", "old-plan"}}
	current := []TopicInput{tpDept("A", "B1", fairArea("cs-iam", 3, 3), fairArea("cs-log", 2, 3), fairArea("ism-bcp", 2, 3), fairArea("ism-dr", 1, 3))}
	previous := []TopicInput{tpDept("A", "B1", fairArea("cs-iam", 2, 3), fairArea("old-bcp", 1, 3), fairArea("old-plan", 2, 3), fairArea("ism-dr", 4, 3))}
	rows := RankTopics(TopicRanking{Questionnaire: q, Current: current, Previous: previous, Lineage: lineage})
	want := map[string]*float64{"cs-iam": tpF(1), "cs-log": nil, "ism-bcp": tpF(0.5), "ism-dr": nil}
	for _, r := range rows {
		if !tpSame(r.Change, want[r.Area]) {
			t.Errorf("%s change = %s, want %s", r.Area, tpFmt(r.Change), tpFmt(want[r.Area]))
		}
	}
	themes := RankThemes(TopicRanking{Questionnaire: q, Current: current, Previous: previous, Lineage: lineage})
	for _, th := range themes {
		// cyber: now mean(3, 2) = 2.5, then only cs-iam continues with 2 → 0.5.
		// resilience: now mean(2, 1) = 1.5, then ism-bcp's lineage 1.5 → 0.
		w := map[string]float64{"cyber": 0.5, "resilience": 0}[th.Theme]
		if th.Change == nil || !near(*th.Change, w) {
			t.Errorf("theme %s change = %s, want %v", th.Theme, tpFmt(th.Change), w)
		}
	}
}

func TestRankThemes(t *testing.T) {
	q := fairQuestionnaire()
	current := []TopicInput{
		tpDept("A", "B1", fairArea("cs-iam", 3.2, 4), fairArea("cs-log", 2.5, 3, "cs-log-1"), fairArea("ism-bcp", 1.5, 3), fairArea("ism-dr", 2.5, 3)),
		tpDept("B", "B2", fairArea("cs-iam", 3, 4), fairArea("cs-log", 3, 3), fairArea("ism-bcp", 3, 3), fairArea("ism-dr", 3, 3)),
	}
	tests := []struct {
		name   string
		filter TopicFilter
		want   []ThemeRow
	}{
		{
			name: "a theme's gap per department is the mean gap of its areas",
			// resilience: A mean(1.5, 0.5) = 1, B 0 → 1; cyber: A mean(0, 0.5) = 0.25.
			want: []ThemeRow{
				{Rank: 1, Theme: "resilience", Areas: []string{"ism-bcp", "ism-dr"}, BelowTarget: []string{"A"}, Noncompliant: []string{}, TotalGap: 1, MeanScore: tpF(2.5)},
				{Rank: 2, Theme: "cyber", Areas: []string{"cs-iam", "cs-log"}, BelowTarget: []string{"A"}, Noncompliant: []string{"A"}, TotalGap: 0.25, StretchGap: 0.9, MeanScore: tpF(2.93)},
			},
		},
		{
			name:   "domain filter keeps the themes with areas in it",
			filter: TopicFilter{Domain: "cs", Bureau: "B2"},
			want: []ThemeRow{
				{Rank: 1, Theme: "cyber", Areas: []string{"cs-iam", "cs-log"}, BelowTarget: []string{}, Noncompliant: []string{}, TotalGap: 0, StretchGap: 0.5, MeanScore: tpF(3)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RankThemes(TopicRanking{Questionnaire: q, Baseline: 3, Current: current, Filter: tc.filter})
			if len(got) != len(tc.want) {
				t.Fatalf("got %d themes %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Rank != w.Rank || g.Theme != w.Theme || !slices.Equal(g.Areas, w.Areas) || !slices.Equal(g.BelowTarget, w.BelowTarget) ||
					!slices.Equal(g.Noncompliant, w.Noncompliant) || !near(g.TotalGap, w.TotalGap) || !near(g.StretchGap, w.StretchGap) || !tpSame(g.MeanScore, w.MeanScore) {
					t.Errorf("row %d = %+v (mean %s), want %+v (mean %s)", i, g, tpFmt(g.MeanScore), w, tpFmt(w.MeanScore))
				}
				if g.SeminarEN == "" || g.TitleZH == "" {
					t.Errorf("row %d lacks its titles: %+v", i, g)
				}
			}
		})
	}
	if got := RankThemes(TopicRanking{Questionnaire: tpQuestionnaire()}); got == nil || len(got) != 0 {
		t.Errorf("a questionnaire without themes ranks %v, want none", got)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}
