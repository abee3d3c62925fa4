package survey

import "time"

// This file holds pre-fill: a round created with prefill_from starts each
// department from its submitted answers of that earlier round, for the
// questions that continue one earlier question each.

// QuestionCarry maps every question of the newest questionnaire in path to
// the question of the oldest whose answer it takes over, through lineage
// (nil = the question of the same id, empty = new), step by step along
// path (oldest first, each the version after the one before; the same
// questionnaire twice is the identity). Only one-to-one continuations
// carry: a question that continues two earlier ones (a merge) asks
// something neither answer answers alone, and when one earlier question is
// continued by two (a split) neither is given its answer, so both are
// answered afresh.
func QuestionCarry(path ...*Questionnaire) map[string]string {
	if len(path) == 0 {
		return nil
	}
	for _, q := range path {
		if q == nil {
			return nil
		}
	}
	back := map[string][]string{}
	for _, id := range path[0].QuestionIDs() {
		back[id] = []string{id}
	}
	for i := 1; i < len(path); i++ {
		prev, next := path[i-1], path[i]
		if prev.ID == next.ID && prev.Version == next.Version {
			continue
		}
		step := map[string][]string{}
		for _, d := range next.Domains {
			for _, a := range d.Areas {
				for _, qu := range a.Questions {
					ids := qu.Lineage
					if ids == nil {
						ids = []string{qu.ID}
					}
					var origin []string
					for _, id := range ids {
						origin = append(origin, back[id]...)
					}
					if len(origin) > 0 {
						step[qu.ID] = origin
					}
				}
			}
		}
		back = step
	}
	continuedBy := map[string]int{}
	for _, origin := range back {
		for _, o := range origin {
			continuedBy[o]++
		}
	}
	out := map[string]string{}
	for id, origin := range back {
		if len(origin) == 1 && continuedBy[origin[0]] == 1 {
			out[id] = origin[0]
		}
	}
	return out
}

// CarryAnswers is what a department starts a pre-filled round with: for
// every question carry maps, its answer of prev (a submitted response of
// round from) with level or N/A, reason, comment and evidence, marked
// carried from that round and not confirmed, at rev 1. Questions prev left
// without an answer are not carried.
func CarryAnswers(prev *Response, carry map[string]string, from, actor string, now time.Time) map[string]*Answer {
	out := map[string]*Answer{}
	if prev == nil || prev.Status != StatusSubmitted {
		return out
	}
	for id, old := range carry {
		a := prev.Answers[old]
		if a == nil || (a.Level == nil && !a.NA && a.Comment == "" && a.Evidence == "") {
			continue
		}
		c := Answer{NA: a.NA, NAReason: a.NAReason, Comment: a.Comment, Evidence: a.Evidence,
			Rev: 1, UpdatedAt: now, UpdatedBy: actor, Carried: true, CarriedFrom: from}
		if a.Level != nil {
			l := *a.Level
			c.Level = &l
		}
		if old != id {
			c.CarriedQuestion = old
		}
		out[id] = &c
	}
	return out
}

// Prefill gives r, a response never changed (version 0, a copy the caller
// owns), the carried answers; it changes nothing when there are none or r
// has been changed already (the first access wins). The status stays
// not_started: nobody in the department has done anything yet.
func (r *Response) Prefill(carried map[string]*Answer, q *Questionnaire, now time.Time) bool {
	if r.Version != 0 || len(carried) == 0 {
		return false
	}
	if r.Answers == nil {
		r.Answers = map[string]*Answer{}
	}
	for id, a := range carried {
		r.Answers[id] = a
	}
	r.Answered = r.CountAnswered(q)
	r.UpdatedAt = &now
	r.Version++
	return true
}

// Unconfirmed reports a carried answer nobody has confirmed or changed yet:
// it does not count as answered.
func (a *Answer) Unconfirmed() bool { return a != nil && a.Carried && !a.Confirmed }

// UnconfirmedIDs lists the questions of q whose answers are carried and
// not yet confirmed, in questionnaire order.
func (r *Response) UnconfirmedIDs(q *Questionnaire) []string {
	var ids []string
	for _, id := range q.QuestionIDs() {
		if r.Answers[id].Unconfirmed() {
			ids = append(ids, id)
		}
	}
	return ids
}
