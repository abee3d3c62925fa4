package survey

import (
	"cmp"
	"slices"
)

// ThemeRow is one seminar theme in the planner's theme ranking: the areas
// that feed the theme taken together.
type ThemeRow struct {
	// Rank is the 1-based position in the ranking; ranks are never shared.
	Rank      int    `json:"rank"`
	Theme     string `json:"theme"`
	TitleEN   string `json:"title_en"`
	TitleZH   string `json:"title_zh"`
	SeminarEN string `json:"seminar_en"`
	SeminarZH string `json:"seminar_zh"`
	// Areas are the theme's areas in questionnaire order (within the domain
	// filter, if any); never nil.
	Areas []string `json:"areas"`
	// BelowTarget lists, sorted, the departments below the baseline in at
	// least one of the theme's areas (those with a gap); never nil.
	BelowTarget []string `json:"below_target"`
	// Noncompliant lists, sorted, the departments with a mandatory question
	// below ComplianceLevel in one of the theme's areas; never nil.
	Noncompliant []string `json:"noncompliant"`
	// MeanScore is the mean over departments of each one's mean score in the
	// theme's areas, rounded; nil when no department has a score.
	MeanScore *float64 `json:"mean_score"`
	// TotalGap is the sum over departments of each one's mean gap against
	// the baseline in the theme's areas, rounded.
	TotalGap float64 `json:"total_gap"`
	// StretchGap is the same sum for the shortfall beyond the baseline
	// against areas' own higher targets, rounded.
	StretchGap float64 `json:"stretch_gap"`
	// BelowShare is the share (0–1) of departments with a score that are in
	// BelowTarget; nil when none has a score.
	BelowShare *float64 `json:"below_share"`
	// Change is MeanScore minus the same mean in the previous round, over
	// the areas the theme's areas continue; nil when there is none.
	Change *float64 `json:"change"`
	// Departments is the number of departments with a score in the theme.
	Departments int `json:"departments"`
}

// RankThemes ranks the questionnaire's seminar themes as RankTopics ranks
// areas: a theme's gap per department is the mean baseline gap of its areas
// in which the department has a score; themes are ranked by total gap
// descending, then more departments below the baseline, then theme id.
// Filter.Domain and Filter.Bureau apply as in RankTopics (Filter.Theme is
// ignored). A theme with no area in the domain filter is left out. The
// result is never nil.
func RankThemes(in TopicRanking) []ThemeRow {
	rows := []ThemeRow{}
	q := in.Questionnaire
	if q == nil || len(q.Themes) == 0 {
		return rows
	}
	baseline := float64(baselineOf(in.Baseline))
	targets := Targets{Default: baselineOf(in.Baseline)}
	f := in.Filter
	areaTarget := map[string]int{}
	themeAreas := map[string][]string{}
	for _, dom := range q.Domains {
		if f.Domain != "" && dom.ID != f.Domain {
			continue
		}
		for ai := range dom.Areas {
			a := &dom.Areas[ai]
			if a.Theme == "" {
				continue
			}
			themeAreas[a.Theme] = append(themeAreas[a.Theme], a.ID)
			areaTarget[a.ID] = targets.For(a)
		}
	}
	cur := departmentAreas(in.Current, f.Bureau)
	prev := previousScores(departmentAreas(in.Previous, f.Bureau))
	for _, th := range q.Themes {
		areas := themeAreas[th.ID]
		if len(areas) == 0 {
			continue
		}
		row := ThemeRow{
			Theme: th.ID, TitleEN: th.Title.EN, TitleZH: th.Title.ZH, SeminarEN: th.Seminar.EN, SeminarZH: th.Seminar.ZH,
			Areas: areas, BelowTarget: []string{}, Noncompliant: []string{},
		}
		var gap, stretch, scoreSum float64
		for _, d := range cur {
			var sum, gapSum, stretchSum float64
			n := 0
			noncompliant := false
			for _, id := range areas {
				a, ok := d.areas[id]
				if !ok {
					continue
				}
				noncompliant = noncompliant || len(a.Noncompliant) > 0
				if a.Score == nil {
					continue
				}
				s := *a.Score
				n++
				sum += s
				gapSum += max(0, baseline-s)
				if own := float64(areaTarget[id]); own > baseline {
					stretchSum += max(0, own-max(s, baseline))
				}
			}
			if noncompliant {
				row.Noncompliant = append(row.Noncompliant, d.code)
			}
			if n == 0 {
				continue
			}
			row.Departments++
			scoreSum += sum / float64(n)
			gap += gapSum / float64(n)
			stretch += stretchSum / float64(n)
			if gapSum > 0 {
				row.BelowTarget = append(row.BelowTarget, d.code)
			}
		}
		slices.Sort(row.BelowTarget)
		slices.Sort(row.Noncompliant)
		row.TotalGap, row.StretchGap = Round2(gap), Round2(stretch)
		if row.Departments > 0 {
			mean := scoreSum / float64(row.Departments)
			row.MeanScore = round2Ptr(mean)
			share := round3(float64(len(row.BelowTarget)) / float64(row.Departments))
			row.BelowShare = &share
			if pm, ok := previousThemeMean(prev, areas, in.Lineage); ok {
				row.Change = round2Ptr(Round2(mean) - Round2(pm))
			}
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b ThemeRow) int {
		return cmp.Or(cmp.Compare(b.TotalGap, a.TotalGap), cmp.Compare(len(b.BelowTarget), len(a.BelowTarget)), cmp.Compare(a.Theme, b.Theme))
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
	return rows
}

// deptAreas is one department's area scores by area id.
type deptAreas struct {
	code  string
	areas map[string]AreaScore
}

// departmentAreas indexes the area scores of the departments of bureau (all
// when empty), in input order.
func departmentAreas(in []TopicInput, bureau string) []deptAreas {
	var out []deptAreas
	for _, d := range in {
		if bureau != "" && d.Bureau != bureau {
			continue
		}
		m := make(map[string]AreaScore, len(d.Scores.Areas))
		for _, a := range d.Scores.Areas {
			m[a.ID] = a
		}
		out = append(out, deptAreas{code: d.Department, areas: m})
	}
	return out
}

// previousScores is each previous department's non-null area scores.
func previousScores(prev []deptAreas) []map[string]float64 {
	out := make([]map[string]float64, 0, len(prev))
	for _, d := range prev {
		scores := make(map[string]float64, len(d.areas))
		for id, a := range d.areas {
			if a.Score != nil {
				scores[id] = *a.Score
			}
		}
		out = append(out, scores)
	}
	return out
}

// previousThemeMean is the theme's mean in the previous round: per previous
// department, the mean over the theme's areas of the earlier figure of the
// areas each continues (PreviousValue), then the mean over departments.
func previousThemeMean(prev []map[string]float64, areas []string, lineage map[string][]string) (float64, bool) {
	var total float64
	n := 0
	for _, scores := range prev {
		var sum float64
		k := 0
		for _, id := range areas {
			if v, ok := PreviousValue(scores, lineageOf(lineage, id)); ok {
				sum += v
				k++
			}
		}
		if k > 0 {
			total += sum / float64(k)
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return total / float64(n), true
}
