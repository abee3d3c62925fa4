package survey

// ChangeThroughLineage sets the change of every row of a topic ranking
// (RankTopics) by lineage instead of by area id, so that a round on a new
// questionnaire version compares with the previous round on the old one:
// each area is compared with the mean of the previous round's means of the
// areas it continues (lineage from AreaLineage, previous version to this
// one). An area with no lineage there (a new one) gets no change, never a
// change from 0. previous is filtered by f.Bureau as RankTopics filters it;
// nil or empty previous leaves every change nil.
func ChangeThroughLineage(rows []TopicRow, lineage map[string][]string, previous []TopicInput, f TopicFilter) {
	sums, counts := map[string]float64{}, map[string]int{}
	for _, d := range previous {
		if f.Bureau != "" && d.Bureau != f.Bureau {
			continue
		}
		for _, a := range d.Scores.Areas {
			if a.Score != nil {
				sums[a.ID] += *a.Score
				counts[a.ID]++
			}
		}
	}
	prevMeans := make(map[string]float64, len(sums))
	for id, sum := range sums {
		prevMeans[id] = Round2(sum / float64(counts[id]))
	}
	for i := range rows {
		rows[i].Change = nil
		ids, ok := lineage[rows[i].Area]
		if !ok || rows[i].MeanScore == nil {
			continue
		}
		if pv, has := PreviousValue(prevMeans, ids); has {
			rows[i].Change = round2Ptr(*rows[i].MeanScore - Round2(pv))
		}
	}
}

// ReverseLineage turns AreaLineage(older, ..., newer), which maps each area
// of newer to the areas of older it continues, around: each area of older
// to the areas of newer that continue it. It serves a comparison of a
// round with one on a later version of its questionnaire.
func ReverseLineage(lineage map[string][]string) map[string][]string {
	out := map[string][]string{}
	for to, froms := range lineage {
		for _, from := range froms {
			out[from] = append(out[from], to)
		}
	}
	return out
}
