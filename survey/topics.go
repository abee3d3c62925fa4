package survey

import (
	"cmp"
	"slices"
)

// TopicInput is one submitted department's score snapshot in a round, the
// input of the seminar topic ranking.
type TopicInput struct {
	Department string
	Bureau     string
	Scores     Scores
}

// TopicFilter restricts a topic ranking to one domain, one seminar theme
// and/or the departments of one bureau; an empty field means no restriction.
type TopicFilter struct {
	Domain string
	Bureau string
	Theme  string
}

// TopicRanking is what a ranking of seminar topics (and of themes) is
// computed from.
type TopicRanking struct {
	// Questionnaire is the current round's questionnaire.
	Questionnaire *Questionnaire
	// Baseline is the round's baseline level (scoring.target_level), the
	// same for every area, against which total_gap is measured; 0 means
	// DefaultTargetLevel.
	Baseline int
	// Current and Previous are the submitted departments of the round and
	// of the round it is compared with (nil or empty when there is none);
	// each department once per slice.
	Current, Previous []TopicInput
	// Lineage maps each area of Questionnaire to the previous round's areas
	// it continues (AreaLineage); an area absent from a non-nil map is new
	// and has no change. Nil means the previous round is on the same
	// questionnaire (areas match by id).
	Lineage map[string][]string
	Filter  TopicFilter
}

// TopicRow is one capability area in the seminar planner's ranking
// (topic ranking).
type TopicRow struct {
	// Rank is the 1-based position in the ranking; ranks are never shared.
	Rank        int    `json:"rank"`
	Area        string `json:"area"`
	Domain      string `json:"domain"`
	Theme       string `json:"theme"`
	TopicEN     string `json:"topic_en"`
	TopicZH     string `json:"topic_zh"`
	AreaTitleEN string `json:"area_title_en"`
	AreaTitleZH string `json:"area_title_zh"`
	// Target is the area's own target level (the baseline unless the
	// questionnaire sets a higher or lower one).
	Target int `json:"target"`
	// BelowTarget lists the codes, sorted, of the departments whose area
	// score is below the baseline; never nil.
	BelowTarget []string `json:"below_target"`
	// DepartmentScores maps each department of BelowTarget to its area score
	// (for invitation lists); never nil.
	DepartmentScores map[string]float64 `json:"below_target_scores"`
	// Noncompliant lists the codes, sorted, of the departments with a
	// mandatory question of the area below ComplianceLevel; never nil.
	Noncompliant []string `json:"noncompliant"`
	// MeanScore is the mean of the departments' non-null area scores, rounded
	// to two decimals; nil when no department has a score.
	MeanScore *float64 `json:"mean_score"`
	// TotalGap is the sum of the departments' gaps against the baseline,
	// rounded to two decimals.
	TotalGap float64 `json:"total_gap"`
	// StretchGap is the sum of the extra shortfall against the area's own
	// target where that is above the baseline (0 otherwise), rounded.
	StretchGap float64 `json:"stretch_gap"`
	// BelowShare is the share (0–1, three decimals) of the departments with
	// a score that are below the baseline; nil when none has a score.
	BelowShare *float64 `json:"below_share"`
	// Change is MeanScore minus the previous round's mean score of the areas
	// this one continues, rounded to two decimals; nil when there is no
	// previous round, the area is new, or either mean is missing.
	Change *float64 `json:"change"`
	// Departments is the number of departments with a non-null area score.
	Departments int `json:"departments"`
}

// baselineOf is the baseline in force: b, or DefaultTargetLevel when unset.
func baselineOf(b int) int {
	if b <= 0 {
		return DefaultTargetLevel
	}
	return b
}

// RankTopics ranks the areas of the questionnaire as seminar topics over the
// submitted departments of the current round, comparing with the previous
// round's.
//
// Only areas of Filter.Domain and Filter.Theme and departments of
// Filter.Bureau take part when those are set, in the previous round as in the
// current, so ranks and changes are recomputed over the filtered set. For
// each area: the total gap is the sum of max(0, baseline − score) over the
// departments with a score (an area answered all N/A adds nothing), so a
// stretch target never pushes an area up the list; the stretch gap is the
// further shortfall against the area's own target where that is higher; a
// department is below target when its score is below the baseline, and
// non-compliant when its snapshot lists a mandatory question of the area
// below ComplianceLevel. Areas are ranked by total gap descending, then by
// more departments below the baseline, then by area id. The result is never
// nil.
func RankTopics(in TopicRanking) []TopicRow {
	rows := []TopicRow{}
	q := in.Questionnaire
	if q == nil {
		return rows
	}
	baseline := float64(baselineOf(in.Baseline))
	f := in.Filter
	cur := topicAreaScores(in.Current, f.Bureau)
	prevMeans := previousAreaMeans(in.Previous, f.Bureau)
	targets := Targets{Default: baselineOf(in.Baseline)}
	for _, dom := range q.Domains {
		if f.Domain != "" && dom.ID != f.Domain {
			continue
		}
		for ai := range dom.Areas {
			area := &dom.Areas[ai]
			if f.Theme != "" && area.Theme != f.Theme {
				continue
			}
			row := TopicRow{
				Area:             area.ID,
				Domain:           dom.ID,
				Theme:            area.Theme,
				TopicEN:          area.Topic.EN,
				TopicZH:          area.Topic.ZH,
				AreaTitleEN:      area.Title.EN,
				AreaTitleZH:      area.Title.ZH,
				Target:           targets.For(area),
				BelowTarget:      []string{},
				DepartmentScores: map[string]float64{},
				Noncompliant:     []string{},
			}
			var gap, stretch float64
			for _, s := range cur[area.ID] {
				if len(s.score.Noncompliant) > 0 {
					row.Noncompliant = append(row.Noncompliant, s.department)
				}
				if s.score.Score == nil {
					continue
				}
				score := *s.score.Score
				row.Departments++
				gap += max(0, baseline-score)
				if own := float64(row.Target); own > baseline {
					stretch += max(0, own-max(score, baseline))
				}
				if score < baseline {
					row.BelowTarget = append(row.BelowTarget, s.department)
					row.DepartmentScores[s.department] = score
				}
			}
			slices.Sort(row.BelowTarget)
			slices.Sort(row.Noncompliant)
			row.TotalGap = Round2(gap)
			row.StretchGap = Round2(stretch)
			if row.Departments > 0 {
				share := round3(float64(len(row.BelowTarget)) / float64(row.Departments))
				row.BelowShare = &share
			}
			mean, ok := topicMean(cur[area.ID])
			if ok {
				row.MeanScore = round2Ptr(mean)
				if prevMeans != nil {
					if pm, has := PreviousValue(prevMeans, lineageOf(in.Lineage, area.ID)); has {
						row.Change = round2Ptr(Round2(mean) - Round2(pm))
					}
				}
			}
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b TopicRow) int {
		return cmp.Or(cmp.Compare(b.TotalGap, a.TotalGap), cmp.Compare(len(b.BelowTarget), len(a.BelowTarget)), cmp.Compare(a.Area, b.Area))
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
	return rows
}

// lineageOf is the previous round's areas that area continues: the lineage
// map's entry (none when the map is set and the area is new), or the area
// itself when there is no map.
func lineageOf(lineage map[string][]string, area string) []string {
	if lineage == nil {
		return []string{area}
	}
	return lineage[area]
}

// topicScore is one department's score in one area.
type topicScore struct {
	department string
	score      AreaScore
}

// topicAreaScores groups the area scores of the departments of bureau (all
// departments when bureau is empty) by area id. An area id is a key as soon
// as one such department's snapshot has the area, even with a null score.
func topicAreaScores(in []TopicInput, bureau string) map[string][]topicScore {
	out := map[string][]topicScore{}
	for _, d := range in {
		if bureau != "" && d.Bureau != bureau {
			continue
		}
		for _, a := range d.Scores.Areas {
			out[a.ID] = append(out[a.ID], topicScore{department: d.Department, score: a})
		}
	}
	return out
}

// previousAreaMeans is the mean area score, by area id, of the previous
// round's departments of bureau; nil when there is no previous round.
func previousAreaMeans(in []TopicInput, bureau string) map[string]float64 {
	if len(in) == 0 {
		return nil
	}
	out := map[string]float64{}
	for id, scores := range topicAreaScores(in, bureau) {
		if m, ok := topicMean(scores); ok {
			out[id] = m
		}
	}
	return out
}

// topicMean is the unrounded mean of the non-null scores; ok is false when
// there are none.
func topicMean(scores []topicScore) (float64, bool) {
	var values []float64
	for _, s := range scores {
		if s.score.Score != nil {
			values = append(values, *s.score.Score)
		}
	}
	if len(values) == 0 {
		return 0, false
	}
	return meanOf(values), true
}

// PreviousRound returns the round a ranking (or a Trend) of current compares
// with: the latest other round that opened before current opened, is closed
// and has submitted responses. Among rounds other than current (by id) in
// state closed whose OpensAt is before current.OpensAt and for which
// hasSubmitted reports submitted responses, it picks the latest OpensAt,
// breaking ties by the greater id. It returns a copy, or nil when there is
// no such round or current is nil. A nil hasSubmitted counts every round as
// having submissions; candidates are tried newest first, so hasSubmitted is
// called only until one qualifies.
func PreviousRound(current *Round, rounds []Round, hasSubmitted func(roundID string) bool) *Round {
	if current == nil {
		return nil
	}
	var candidates []*Round
	for i := range rounds {
		r := &rounds[i]
		if r.ID == current.ID || r.State != RoundClosed || !r.OpensAt.Before(current.OpensAt) {
			continue
		}
		candidates = append(candidates, r)
	}
	slices.SortFunc(candidates, func(a, b *Round) int {
		return cmp.Or(b.OpensAt.Compare(a.OpensAt), cmp.Compare(b.ID, a.ID))
	})
	for _, r := range candidates {
		if hasSubmitted == nil || hasSubmitted(r.ID) {
			out := *r
			return &out
		}
	}
	return nil
}
