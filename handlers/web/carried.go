package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
)

// Carried-over answers on the respondent's pages: the mark on each
// question whose answer was carried over from the last round and not yet
// confirmed, with its own confirm button, and the area's "confirm all
// still true in this area" (templates/carryover.html). Both post the answer
// form to confirmCarried.

// carriedMark says a question's answer was carried over from round From.
type carriedMark struct {
	From      string
	Confirmed bool
}

// carriedOf is the mark of a stored answer; nil when it was not carried.
func carriedOf(a *survey.Answer) *carriedMark {
	if a == nil || !a.Carried {
		return nil
	}
	return &carriedMark{From: a.CarriedFrom, Confirmed: a.Confirmed}
}

// Unconfirmed counts the area's carried answers not yet confirmed.
func (a areaView) Unconfirmed() int {
	n := 0
	for _, q := range a.Questions {
		if q.Carry != nil && !q.Carry.Confirmed {
			n++
		}
	}
	return n
}

// carriedView is what the carried partials get: the page, the item (a
// questionView or an areaView) and where the confirm form posts.
type carriedView struct {
	page
	V      any
	Action string
}

// CarriedFor pairs an item of the domain page with the confirm action.
func (d *domainPage) CarriedFor(v any) carriedView {
	return carriedView{page: d.page, V: v, Action: d.H.Base + "/confirm"}
}

// confirmCarried confirms carried answers: one question, or every
// unconfirmed one of an area, then goes back to the domain.
func (pg *Pages) confirmCarried(c *gin.Context) {
	form := c.Request.PostForm
	area := strings.TrimSpace(form.Get("confirm_area"))
	var questions []string
	if q := strings.TrimSpace(form.Get("confirm_question")); q != "" {
		questions = []string{q}
	}
	if area == "" && len(questions) == 0 {
		pg.Fail(c, survey.Invalid("nothing to confirm", survey.Fault("confirm_question", survey.RuleRequired, "")))
		return
	}
	sc, err := pg.svc.ConfirmCarried(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), area, questions)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	target := area
	if target == "" {
		target = questions[0]
	}
	domain := ""
	for _, d := range sc.Questionnaire.Domains {
		for _, a := range d.Areas {
			if a.ID == target {
				domain = d.ID
			}
			for _, q := range a.Questions {
				if q.ID == target {
					domain = d.ID
				}
			}
		}
	}
	base := "/rounds/" + sc.Round.ID + "/responses/" + sc.Department
	if domain == "" {
		redirect(c, base)
		return
	}
	anchor := "#area-" + area
	if area == "" {
		anchor = "#q-" + questions[0]
	}
	c.Redirect(http.StatusSeeOther, base+"/domains/"+domain+"?flash=confirmed"+anchor)
	c.Abort()
}
