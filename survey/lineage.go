package survey

import "slices"

// AreaLineage maps every area of the newest questionnaire in path to the
// areas of the oldest it continues, so that figures of rounds on different
// questionnaire versions can be compared (Trend, the planner's change, a
// seminar's effect). path runs from the oldest version to the newest, each
// one the version after the one before it (the same questionnaire twice is
// the identity). An area's lineage nil means "the area of the same id" and
// empty means new; an area mapped to no earlier area is absent from the
// map, so callers show it as new, never as a change from 0.
func AreaLineage(path ...*Questionnaire) map[string][]string {
	if len(path) == 0 || path[len(path)-1] == nil {
		return nil
	}
	last := path[len(path)-1]
	// back[area of the current step] = areas of path[0] it continues.
	back := map[string][]string{}
	for _, d := range path[0].Domains {
		for _, a := range d.Areas {
			back[a.ID] = []string{a.ID}
		}
	}
	for i := 1; i < len(path); i++ {
		prev, next := path[i-1], path[i]
		if prev == nil || next == nil {
			return nil
		}
		if prev.ID == next.ID && prev.Version == next.Version {
			continue
		}
		step := map[string][]string{}
		for _, d := range next.Domains {
			for _, a := range d.Areas {
				ids := a.Lineage
				if ids == nil {
					ids = []string{a.ID}
				}
				var origin []string
				seen := map[string]bool{}
				for _, id := range ids {
					for _, o := range back[id] {
						if !seen[o] {
							seen[o] = true
							origin = append(origin, o)
						}
					}
				}
				if len(origin) > 0 {
					step[a.ID] = origin
				}
			}
		}
		back = step
	}
	out := map[string][]string{}
	for _, d := range last.Domains {
		for _, a := range d.Areas {
			if ids, ok := back[a.ID]; ok {
				out[a.ID] = ids
			}
		}
	}
	return out
}

// PreviousValue is the earlier figure of an area continued from the areas
// ids: the mean of those of them that have a figure in prev (an area that
// merged two earlier ones is compared with their mean). ok is false when
// none has one.
func PreviousValue(prev map[string]float64, ids []string) (value float64, ok bool) {
	var sum float64
	n := 0
	for _, id := range ids {
		if v, has := prev[id]; has {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// ReverseLineage turns AreaLineage(older, ..., newer), which maps each area
// of newer to the areas of older it continues, around: each area of older
// to the areas of newer that continue it, sorted. It serves a comparison of
// a round with one on a later version of its questionnaire.
func ReverseLineage(lineage map[string][]string) map[string][]string {
	out := map[string][]string{}
	for to, froms := range lineage {
		for _, from := range froms {
			out[from] = append(out[from], to)
		}
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}
