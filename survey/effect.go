package survey

// EffectGroup is how one group of departments moved in an area between two
// rounds.
type EffectGroup struct {
	// N is the number of departments of the group with a score in the area
	// in both rounds.
	N int `json:"n"`
	// MeanChange is the mean of their later score minus their earlier one,
	// rounded to two decimals; nil when N is 0.
	MeanChange *float64 `json:"mean_change"`
}

// EffectArea is a seminar's effect in one area: how attending departments
// and the others moved, and the difference.
type EffectArea struct {
	// Area is the area in the later round's questionnaire.
	Area string `json:"area"`
	// FromAreas are the areas of the seminar's round it continues.
	FromAreas []string `json:"from_areas"`
	// Continued is false for a seminar area no area of the later round
	// continues (then Area is the seminar's area and both groups are empty).
	Continued bool        `json:"continued"`
	Attendees EffectGroup `json:"attendees"`
	Others    EffectGroup `json:"others"`
	// Difference is the attendees' mean change minus the others'; nil when
	// either is missing.
	Difference *float64 `json:"difference"`
	// Caution is set when either group has fewer than the minimum group
	// size: the figures say little and may describe single departments.
	Caution bool `json:"caution"`
}

// EffectInput is what a seminar's effect is computed from.
type EffectInput struct {
	// Areas are the seminar's areas, in the seminar round's questionnaire.
	Areas []string
	// Attended are the departments that attended.
	Attended []string
	// From and To are the submitted departments of the seminar's round and
	// of the later round.
	From, To []TopicInput
	// ToAreas are the later questionnaire's area ids in order, and Lineage
	// maps each to the seminar round's areas it continues (AreaLineage); nil
	// Lineage means the same questionnaire.
	ToAreas []string
	Lineage map[string][]string
	// MinGroup is privacy.min_group.
	MinGroup int
}

// SeminarEffect compares, for every area of the later round that continues
// one of the seminar's areas, the mean change of the attending departments
// with that of the others: over departments submitted in both rounds with a
// score there in both, a department's change is its later area score minus
// the earlier figure of the areas it continues (PreviousValue). A seminar
// area no later area continues gets a row with Continued false. Rows come in
// the later questionnaire's order, then the discontinued ones.
func SeminarEffect(in EffectInput) []EffectArea {
	rows := []EffectArea{}
	seminar := map[string]bool{}
	for _, a := range in.Areas {
		seminar[a] = true
	}
	attended := map[string]bool{}
	for _, d := range in.Attended {
		attended[d] = true
	}
	from := map[string]map[string]float64{}
	for _, d := range in.From {
		m := map[string]float64{}
		for _, a := range d.Scores.Areas {
			if a.Score != nil {
				m[a.ID] = *a.Score
			}
		}
		from[d.Department] = m
	}
	covered := map[string]bool{}
	for _, area := range in.ToAreas {
		origin := lineageOf(in.Lineage, area)
		touches := false
		for _, o := range origin {
			touches = touches || seminar[o]
		}
		if !touches {
			continue
		}
		var fromAreas []string
		for _, o := range origin {
			covered[o] = true
			fromAreas = append(fromAreas, o)
		}
		var att, oth []float64
		for _, d := range in.To {
			earlier, ok := from[d.Department]
			if !ok {
				continue
			}
			later, ok := areaScoreOf(d.Scores, area)
			if !ok {
				continue
			}
			before, ok := PreviousValue(earlier, origin)
			if !ok {
				continue
			}
			if attended[d.Department] {
				att = append(att, later-before)
			} else {
				oth = append(oth, later-before)
			}
		}
		rows = append(rows, effectRow(area, fromAreas, true, att, oth, in.MinGroup))
	}
	for _, a := range in.Areas {
		if !covered[a] {
			rows = append(rows, effectRow(a, []string{a}, false, nil, nil, in.MinGroup))
		}
	}
	return rows
}

// effectRow summarises the changes of the two groups.
func effectRow(area string, from []string, continued bool, att, oth []float64, minGroup int) EffectArea {
	group := func(v []float64) EffectGroup {
		g := EffectGroup{N: len(v)}
		if len(v) > 0 {
			g.MeanChange = round2Ptr(meanOf(v))
		}
		return g
	}
	row := EffectArea{Area: area, FromAreas: from, Continued: continued, Attendees: group(att), Others: group(oth)}
	if row.FromAreas == nil {
		row.FromAreas = []string{}
	}
	if len(att) > 0 && len(oth) > 0 {
		row.Difference = round2Ptr(meanOf(att) - meanOf(oth))
	}
	row.Caution = len(att) < max(minGroup, 1) || len(oth) < max(minGroup, 1)
	return row
}

// areaScoreOf is the department's score in area, if it has one.
func areaScoreOf(s Scores, area string) (float64, bool) {
	for _, a := range s.Areas {
		if a.ID == area && a.Score != nil {
			return *a.Score, true
		}
	}
	return 0, false
}
