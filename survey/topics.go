package survey

import (
	"cmp"
	"slices"
)

// TopicInput is one submitted department's score snapshot in a round, the
// input of the seminar topic ranking. Each area score in Scores carries the
// target and gap of that snapshot, which is what the ranking uses.
type TopicInput struct {
	Department string
	Bureau     string
	Scores     Scores
}

// TopicFilter restricts a topic ranking to one domain and/or the departments
// of one bureau; an empty field means no restriction.
type TopicFilter struct {
	Domain string
	Bureau string
}

// TopicRow is one capability area in the seminar planner's ranking
// (topic ranking).
type TopicRow struct {
	// Rank is the 1-based position in the ranking; ranks are never shared.
	Rank        int    `json:"rank"`
	Area        string `json:"area"`
	Domain      string `json:"domain"`
	TopicEN     string `json:"topic_en"`
	TopicZH     string `json:"topic_zh"`
	AreaTitleEN string `json:"area_title_en"`
	AreaTitleZH string `json:"area_title_zh"`
	// BelowTarget lists the codes, sorted, of the departments whose area
	// score is below their snapshot's target; never nil.
	BelowTarget []string `json:"below_target"`
	// DepartmentScores maps each department of BelowTarget to its area score
	// (for invitation lists); never nil.
	DepartmentScores map[string]float64 `json:"below_target_scores"`
	// MeanScore is the mean of the departments' non-null area scores, rounded
	// to two decimals; nil when no department has a score.
	MeanScore *float64 `json:"mean_score"`
	// TotalGap is the sum of the departments' gaps, rounded to two decimals.
	TotalGap float64 `json:"total_gap"`
	// Change is MeanScore minus the previous round's mean score of the same
	// area, rounded to two decimals; nil when there is no previous round,
	// the area is absent there, or either mean is nil.
	Change *float64 `json:"change"`
	// Departments is the number of departments with a non-null area score.
	Departments int `json:"departments"`
}

// RankTopics ranks the areas of q as seminar topics over the submitted
// departments of the current round, comparing with previous (the previous
// round's submitted departments; nil or empty when there is none).
//
// Only areas of f.Domain and departments of f.Bureau take part when those are
// set, in previous as in current, so ranks and changes are recomputed over
// the filtered set. For each area: the total gap is the sum of the
// departments' gaps (a null gap, i.e. an area answered all N/A, adds
// nothing); a department is below target when it has a score and that score
// is below its snapshot's target; the mean is over non-null scores. Areas are
// ranked by total gap descending, then by more departments below target,
// then by area id. Previous areas match by id; those not in q are ignored.
// Pass each department once per slice. The result is never nil.
func RankTopics(q *Questionnaire, current []TopicInput, previous []TopicInput, f TopicFilter) []TopicRow {
	rows := []TopicRow{}
	if q == nil {
		return rows
	}
	cur := topicAreaScores(current, f.Bureau)
	var prev map[string][]topicScore
	if len(previous) > 0 {
		prev = topicAreaScores(previous, f.Bureau)
	}
	for _, dom := range q.Domains {
		if f.Domain != "" && dom.ID != f.Domain {
			continue
		}
		for _, area := range dom.Areas {
			row := TopicRow{
				Area:             area.ID,
				Domain:           dom.ID,
				TopicEN:          area.Topic.EN,
				TopicZH:          area.Topic.ZH,
				AreaTitleEN:      area.Title.EN,
				AreaTitleZH:      area.Title.ZH,
				BelowTarget:      []string{},
				DepartmentScores: map[string]float64{},
			}
			var gap float64
			for _, s := range cur[area.ID] {
				if s.score.Gap != nil {
					gap += *s.score.Gap
				}
				if s.score.Score == nil {
					continue
				}
				row.Departments++
				if s.score.Gap != nil && *s.score.Score < float64(s.score.Target) {
					row.BelowTarget = append(row.BelowTarget, s.department)
					row.DepartmentScores[s.department] = *s.score.Score
				}
			}
			slices.Sort(row.BelowTarget)
			row.TotalGap = Round2(gap)
			row.MeanScore = topicMean(cur[area.ID])
			if prevScores, ok := prev[area.ID]; ok && row.MeanScore != nil {
				if pm := topicMean(prevScores); pm != nil {
					row.Change = round2Ptr(*row.MeanScore - *pm)
				}
			}
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b TopicRow) int {
		if c := cmp.Compare(b.TotalGap, a.TotalGap); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.BelowTarget), len(a.BelowTarget)); c != 0 {
			return c
		}
		return cmp.Compare(a.Area, b.Area)
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
	return rows
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

// topicMean is the mean of the non-null scores, rounded to two decimals; nil
// when there are none.
func topicMean(scores []topicScore) *float64 {
	var values []float64
	for _, s := range scores {
		if s.score.Score != nil {
			values = append(values, *s.score.Score)
		}
	}
	if len(values) == 0 {
		return nil
	}
	return round2Ptr(meanOf(values))
}

// PreviousRound returns the round a topic ranking of current compares with:
// "the latest round closing before this one opens that has submitted
// responses". Among rounds other than current (by id) whose
// ClosesAt is before current.OpensAt and for which hasSubmitted reports
// submitted responses, it picks the latest ClosesAt, breaking ties by the
// greater id. It returns a copy, or nil when there is no such round or
// current is nil. A nil hasSubmitted counts every round as having
// submissions.
func PreviousRound(current *Round, rounds []Round, hasSubmitted func(roundID string) bool) *Round {
	if current == nil {
		return nil
	}
	var best *Round
	for i := range rounds {
		r := &rounds[i]
		if r.ID == current.ID || !r.ClosesAt.Before(current.OpensAt) {
			continue
		}
		if best != nil {
			if r.ClosesAt.Before(best.ClosesAt) || (r.ClosesAt.Equal(best.ClosesAt) && r.ID < best.ID) {
				continue
			}
		}
		if hasSubmitted != nil && !hasSubmitted(r.ID) {
			continue
		}
		best = r
	}
	if best == nil {
		return nil
	}
	out := *best
	return &out
}
