package web

import (
	"net/url"
	"strings"

	"github.com/dpo/dgsurvey/survey"
)

// The answer form is one capability area per step: a domain page shows the
// area named by ?area= (its first area without one), a list of the domain's
// areas with their completion marks, and links to the previous and next
// step across domains, the last step leading to the review.

// areaStep is one capability area in the list of steps.
type areaStep struct {
	ID, Title, URL string
	progressView
	Current bool
	// QIDs lists the area's questions, so the script can update its mark.
	QIDs string
}

// Complete reports whether every question of the area is answered.
func (s areaStep) Complete() bool { return s.Total > 0 && s.Answered == s.Total }

// stepLink is the previous or next step of the form.
type stepLink struct {
	URL, Label string
}

// areaURL is the page of one area of a response.
func areaURL(base, domain, area string) string {
	return base + "/domains/" + domain + "?area=" + url.QueryEscape(area)
}

// questionURL is the place of one question on the form.
func questionURL(base string, ref survey.QuestionRef) string {
	return areaURL(base, ref.Domain.ID, ref.Area.ID) + "#q-" + ref.Question.ID
}

// firstUnanswered is the form's place of the first question, in
// questionnaire order, that has no level and no N/A; "" when all have one.
func firstUnanswered(base string, q *survey.Questionnaire, r *survey.Response) string {
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				if !r.Answers[qu.ID].Answered() {
					return areaURL(base, d.ID, a.ID) + "#q-" + qu.ID
				}
			}
		}
	}
	return ""
}

// areaSteps lists the areas of domain d with their progress, marking the
// current one.
func areaSteps(base string, d *survey.Domain, r *survey.Response, lang, current string) []areaStep {
	steps := make([]areaStep, 0, len(d.Areas))
	for _, a := range d.Areas {
		st := areaStep{ID: a.ID, Title: a.Title.In(lang), URL: areaURL(base, d.ID, a.ID), Current: a.ID == current}
		ids := make([]string, 0, len(a.Questions))
		for _, qu := range a.Questions {
			ids = append(ids, qu.ID)
			st.Total++
			if r.Answers[qu.ID].Answered() {
				st.Answered++
			}
		}
		st.QIDs = strings.Join(ids, " ")
		steps = append(steps, st)
	}
	return steps
}

// neighbourSteps are the steps before and after area of domain d, across
// domains; after the last area comes the review (when the form is open).
func (pg *Pages) neighbourSteps(lang, base string, q *survey.Questionnaire, d *survey.Domain, area string, review bool) (prev, next *stepLink) {
	type place struct {
		dom  *survey.Domain
		area *survey.Area
	}
	var flat []place
	for i := range q.Domains {
		for j := range q.Domains[i].Areas {
			flat = append(flat, place{&q.Domains[i], &q.Domains[i].Areas[j]})
		}
	}
	for i, f := range flat {
		if f.dom.ID != d.ID || f.area.ID != area {
			continue
		}
		if i > 0 {
			p := flat[i-1]
			prev = &stepLink{URL: areaURL(base, p.dom.ID, p.area.ID), Label: p.area.Title.In(lang)}
		}
		if i+1 < len(flat) {
			n := flat[i+1]
			next = &stepLink{URL: areaURL(base, n.dom.ID, n.area.ID), Label: n.area.Title.In(lang)}
		} else if review {
			next = &stepLink{URL: base + "/review", Label: message(pg.messages, lang, "response.review")}
		}
	}
	return prev, next
}

// areaOf finds the area of domain d named by the URL's ?area=, its first
// area when none is named; nil for an area the domain does not have.
func areaOf(d *survey.Domain, id string) *survey.Area {
	if id == "" && len(d.Areas) > 0 {
		return &d.Areas[0]
	}
	for i := range d.Areas {
		if d.Areas[i].ID == id {
			return &d.Areas[i]
		}
	}
	return nil
}
