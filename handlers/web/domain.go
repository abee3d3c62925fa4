package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// errorLink is one entry of a page's error summary, linked to its field.
type errorLink struct {
	Target, Text string
}

type domainPage struct {
	page
	H          *responseHeader
	Domain     domainNav
	Areas      []areaView
	Errors     []errorLink
	Prev, Next *domainNav
	Action     string
	// The area-by-area form: the domain's areas with their marks, the
	// area shown and the steps around it.
	Steps              []areaStep
	AreaID             string
	PrevStep, NextStep *stepLink
}

// domainOf finds the domain of the URL in the round's questionnaire.
func domainOf(q *survey.Questionnaire, id string) *survey.Domain {
	for i := range q.Domains {
		if q.Domains[i].ID == id {
			return &q.Domains[i]
		}
	}
	return nil
}

// loadDomain loads the response of the URL and the domain it names, and
// the area of ?area= (the domain's first area without one).
func (pg *Pages) loadDomain(c *gin.Context) (*loadedResponse, *survey.Domain, *survey.Area, error) {
	lr, err := pg.loadResponse(c, c.Param("domain"))
	if err != nil {
		return nil, nil, nil, err
	}
	d := domainOf(lr.sc.Questionnaire, c.Param("domain"))
	if d == nil {
		return nil, nil, nil, survey.Errorf(survey.ENOTFOUND, "no such domain")
	}
	a := areaOf(d, c.Query("area"))
	if a == nil {
		return nil, nil, nil, survey.Errorf(survey.ENOTFOUND, "no such area")
	}
	return lr, d, a, nil
}

// shownAreas are the areas a domain page shows: the current step while the
// form is open, every area of the domain read-only.
func shownAreas(lr *loadedResponse, d *survey.Domain, a *survey.Area) *survey.Domain {
	if !lr.h.Editable {
		return d
	}
	one := *d
	one.Areas = []survey.Area{*a}
	return &one
}

// domainForm shows one domain of the questionnaire: its areas and questions
// as a form, or read-only once the response can no longer change.
func (pg *Pages) domainForm(c *gin.Context) {
	lr, d, a, err := pg.loadDomain(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	values := map[string]answerValue{}
	for id, a := range lr.r.Answers {
		values[id] = valueOf(a)
	}
	data := pg.newDomainPage(c, lr, d, a)
	data.Areas = pg.questionViews(data.Lang, lr.sc.Questionnaire, shownAreas(lr, d, a), values, lr.r)
	pg.render(c, http.StatusOK, "domain", data)
}

func (pg *Pages) newDomainPage(c *gin.Context, lr *loadedResponse, d *survey.Domain, a *survey.Area) *domainPage {
	lang := pageLang(c)
	title := d.Title.In(lang)
	if lr.h.Editable {
		title = a.Title.In(lang) + " · " + title
	}
	data := &domainPage{page: pg.newPage(c, "domain.title", title, lr.h.DeptName), H: lr.h,
		Action: areaURL(lr.h.Base, d.ID, a.ID), AreaID: a.ID,
		Steps: areaSteps(lr.h.Base, d, lr.r, lang, a.ID)}
	data.PrevStep, data.NextStep = pg.neighbourSteps(lang, lr.h.Base, lr.sc.Questionnaire, d, a.ID, lr.h.Editable)
	for i, nav := range lr.h.Domains {
		if nav.ID != d.ID {
			continue
		}
		data.Domain = nav
		if i > 0 {
			data.Prev = &lr.h.Domains[i-1]
		}
		if i+1 < len(lr.h.Domains) {
			data.Next = &lr.h.Domains[i+1]
		}
	}
	return data
}

// saveDomain is the answer form's post, for browsers without the script
// (with it, answers save one by one as they change). Only answers the user
// changed on the page are sent, each guarded by the rev the page showed, and
// they go through the same rules as the API's PATCH. Field errors and
// conflicts re-render the form with what the user posted.
func (pg *Pages) saveDomain(c *gin.Context) {
	lr, d, area, err := pg.loadDomain(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	lang := pageLang(c)
	form := c.Request.PostForm
	posted := map[string]postedAnswer{}
	patch := survey.Patch{}
	var fields []survey.FieldError
	shown := shownAreas(lr, d, area)
	for _, a := range shown.Areas {
		for _, qu := range a.Questions {
			if _, onForm := form[fieldOrig+qu.ID]; !onForm {
				// Not on the page that was posted (another step): a
				// missing field is no change.
				continue
			}
			p := readPosted(form, qu.ID)
			posted[qu.ID] = p
			if !p.changed() {
				continue
			}
			in, fe := p.input(qu.ID)
			if fe != nil {
				fields = append(fields, *fe)
				continue
			}
			patch[qu.ID] = in
		}
	}
	if len(fields) == 0 && len(patch) == 0 {
		redirect(c, areaURL(lr.h.Base, d.ID, area.ID)+"&flash=unchanged")
		return
	}
	if len(fields) == 0 {
		_, err = pg.svc.SaveAnswers(c, httpx.Principal(c), lr.sc.Round.ID, lr.sc.Department, patch, assess.Precondition{})
		if err == nil {
			redirect(c, areaURL(lr.h.Base, d.ID, area.ID)+"&flash=saved")
			return
		}
	} else {
		err = survey.Invalid("invalid answers", fields...)
	}

	var (
		de *survey.Error
		ce *survey.AnswerConflictError
	)
	switch {
	case errors.As(err, &ce):
	case errors.As(err, &de) && de.Code == survey.EINVALID:
	default:
		pg.Fail(c, err)
		return
	}
	// Re-render what the user posted, with the errors at their fields.
	values := map[string]answerValue{}
	for id, p := range posted {
		values[id] = p.value
	}
	data := pg.newDomainPage(c, lr, d, area)
	data.Areas = pg.questionViews(lang, lr.sc.Questionnaire, shown, values, lr.r)
	idx := lr.sc.Questionnaire.Index()
	for ai := range data.Areas {
		for qi := range data.Areas[ai].Questions {
			qv := &data.Areas[ai].Questions[qi]
			p := posted[qv.ID]
			// Keep what the page originally showed, so that the user's
			// changes still count as changes on the next save.
			qv.Orig, qv.Base = p.orig, p.base
			if ce != nil {
				if cur, ok := ce.Current[qv.ID]; ok {
					// Saving again now means "keep mine": it goes against
					// the current rev.
					qv.Base = 0
					if cur != nil {
						qv.Base = cur.Rev
					}
					qv.Theirs = pg.describeAnswer(lang, lr.sc.Questionnaire, cur)
					data.Errors = append(data.Errors, errorLink{Target: "theirs-" + qv.ID,
						Text: qv.ID + " " + qv.Text + ": " + data.T("conflict.summary")})
				}
			}
		}
	}
	status := http.StatusConflict
	if de != nil {
		status = http.StatusUnprocessableEntity
		for _, fe := range de.Fields {
			id, input := fieldOfAnswer(fe.Field)
			ref, ok := idx[id]
			if !ok {
				continue
			}
			msg := pg.fieldMessage(lang, fe)
			target := pg.setFieldError(data.Areas, id, input, msg)
			data.Errors = append(data.Errors, errorLink{Target: target, Text: id + " " + ref.Question.Text.In(lang) + ": " + msg})
		}
	}
	pg.render(c, status, "domain", data)
}

// fieldOfAnswer splits "answers.<qid>[.<input>]" into the question id and the input.
func fieldOfAnswer(field string) (qid, input string) {
	rest := strings.TrimPrefix(field, "answers.")
	qid, input, _ = strings.Cut(rest, ".")
	return qid, input
}

// setFieldError puts msg at the input of question id it is about and
// returns the id of the element the error summary links to.
func (pg *Pages) setFieldError(areas []areaView, id, input, msg string) string {
	for ai := range areas {
		for qi := range areas[ai].Questions {
			qv := &areas[ai].Questions[qi]
			if qv.ID != id {
				continue
			}
			switch input {
			case "na_reason":
				qv.ErrReason = msg
				return qv.ID + "-reason"
			case "comment", "evidence":
				qv.ErrComment = msg
				return qv.ID + "-comment"
			default:
				qv.ErrLevel = msg
				return qv.Options[0].ID
			}
		}
	}
	return ""
}
