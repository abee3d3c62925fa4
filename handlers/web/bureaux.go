package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// bureauForm is the add and rename form of a bureau.
type bureauForm struct {
	Code    string `form:"code"`
	NameEN  string `form:"name_en"`
	NameZH  string `form:"name_zh"`
	Version string `form:"version"`
}

type bureauxPage struct {
	page
	Bureaux []survey.Bureau
	// Unlisted are bureau values of departments that no entry names (free
	// text from earlier versions), to add to the list.
	Unlisted []string
	Form     bureauForm
	Errors   formErrors
}

// adminBureaux lists the managed bureaux with the add form.
func (pg *Pages) adminBureaux(c *gin.Context) {
	pg.renderBureaux(c, http.StatusOK, bureauForm{Code: c.Query("code"), NameEN: c.Query("name_en")}, nil)
}

func (pg *Pages) renderBureaux(c *gin.Context, status int, form bureauForm, errs formErrors) {
	p := httpx.Principal(c)
	bs, err := pg.svc.Bureaux(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	ds, err := pg.svc.Departments(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	names := survey.NewBureauNames(bs)
	data := &bureauxPage{page: pg.newPage(c, "bureaux.title"), Bureaux: bs, Form: form, Errors: errs}
	data.Nav = "departments"
	for _, d := range ds {
		if _, ok := names[d.Bureau]; !ok && d.Bureau != "" && names.Name(d.Bureau, survey.LangZH) == d.Bureau && !slices.Contains(data.Unlisted, d.Bureau) {
			data.Unlisted = append(data.Unlisted, d.Bureau)
		}
	}
	slices.Sort(data.Unlisted)
	pg.render(c, status, "bureaux", data)
}

// createBureau adds a bureau from the form.
func (pg *Pages) createBureau(c *gin.Context) {
	var f bureauForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	f.Code = strings.ToUpper(strings.TrimSpace(f.Code))
	_, err := pg.svc.CreateBureau(c, httpx.Principal(c), assess.NewBureau{Code: f.Code, NameEN: f.NameEN, NameZH: f.NameZH})
	if err == nil {
		redirect(c, "/admin/bureaux?flash=bureau-created")
		return
	}
	errs := formErrors{}
	if pg.formError(c, err, errs, map[string]string{"code": "bureaux.exists"}) {
		pg.renderBureaux(c, http.StatusUnprocessableEntity, f, errs)
	}
}

// updateBureau renames a bureau from its row's form.
func (pg *Pages) updateBureau(c *gin.Context) {
	var f bureauForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	ch := survey.BureauChange{}
	if _, ok := c.Request.PostForm["name_en"]; ok {
		ch.NameEN = &f.NameEN
	}
	if _, ok := c.Request.PostForm["name_zh"]; ok {
		ch.NameZH = &f.NameZH
	}
	_, err := pg.svc.ChangeBureau(c, httpx.Principal(c), c.Param("code"), ch, formVersion(f.Version))
	switch {
	case err == nil:
		redirect(c, "/admin/bureaux?flash=bureau-saved")
	case survey.ErrorCode(err) == survey.EPRECONDITION:
		redirect(c, "/admin/bureaux?flash=changed-meanwhile")
	default:
		errs := formErrors{}
		if pg.formError(c, err, errs, nil) {
			f.Code = c.Param("code")
			pg.renderBureaux(c, http.StatusUnprocessableEntity, f, errs)
		}
	}
}

// bureauNames are the bureaux for showing departments' bureau values; a
// failure to read them only leaves the values as stored.
func (pg *Pages) bureauNames(c *gin.Context) survey.BureauNames {
	names, err := pg.svc.BureauNames(c, httpx.Principal(c))
	if err != nil {
		return survey.BureauNames{}
	}
	return names
}

// listedBureaux reads the bureaux once for a form page; a failure to read
// them only leaves the bureau a text field and values as stored.
func (pg *Pages) listedBureaux(c *gin.Context) []survey.Bureau {
	bs, err := pg.svc.Bureaux(c, httpx.Principal(c))
	if err != nil {
		return nil
	}
	return bs
}

// bureauChoices are the options of a department's bureau: every listed
// bureau, and the current value when no entry has it as its code (free
// text of an earlier version), so saving the form never changes it
// unasked. Empty when the list is empty: the form then shows a text field.
func (pg *Pages) bureauChoices(c *gin.Context, bs []survey.Bureau, current string) []choice {
	if len(bs) == 0 {
		return nil
	}
	lang := pageLang(c)
	out := []choice{{Value: "", Label: message(pg.messages, lang, "credentials.no_department")}}
	listed := false
	for _, b := range bs {
		out = append(out, choice{Value: b.Code, Label: b.Name(lang) + " (" + b.Code + ")", Selected: b.Code == current})
		listed = listed || b.Code == current
	}
	if current != "" && !listed {
		out = append(out, choice{Value: current, Label: message(pg.messages, lang, "bureaux.other", current), Selected: true})
	}
	return out
}
