package main

import (
	"fmt"
	"math/rand/v2"
)

// comments are the kind of short notes respondents type next to a rating.
var comments = []string{
	"Documented in the departmental IT security policy (v3.2), reviewed annually by the ITMC.",
	"Partly in place: the two main systems follow it, the legacy registry system does not yet.",
	"Procedure approved in 2025; first internal audit scheduled for Q3.",
	"Handled by the central IT platform team under the shared services agreement.",
	"Ad hoc at present; a working group is drafting a standard procedure.",
	"Quarterly reports go to the Departmental IT Steering Committee with KPIs.",
	"Vendor contract includes this obligation; compliance checked at each renewal.",
	"Covered by the business continuity plan; last drill in November, lessons logged.",
	"Tooling procured; roll-out to all divisions planned by year end.",
	"Measured monthly and improved through the continual improvement register.",
}

// plannedAnswer is what a simulated respondent enters for one question.
type plannedAnswer struct {
	Level    *int
	NA       bool
	NAReason string
	Comment  string
}

// planAnswer picks a deterministic answer for question i of department d:
// mostly a level with a comment, sometimes N/A with a reason where allowed.
func planAnswer(seed int64, d, i int, naAllowed bool) plannedAnswer {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(d)<<20|uint64(i)))
	if naAllowed && rng.IntN(15) == 0 {
		return plannedAnswer{NA: true, NAReason: "Not applicable: the department runs no such systems of its own; the bureau's shared service covers it."}
	}
	level := rng.IntN(6)
	return plannedAnswer{Level: &level, Comment: fmt.Sprintf("%s (ref. %c-%d)", comments[rng.IntN(len(comments))], 'A'+rune(d%26), i+1)}
}

// patchItem is the JSON of one PATCH item with its base_rev.
func (a plannedAnswer) patchItem(baseRev int) map[string]any {
	item := map[string]any{"base_rev": baseRev}
	if a.NA {
		item["na"], item["na_reason"] = true, a.NAReason
	} else {
		item["level"], item["comment"] = *a.Level, a.Comment
	}
	return item
}
