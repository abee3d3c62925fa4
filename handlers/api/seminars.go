package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The seminar planner's routes: the theme ranking of a round, and the
// seminars planned from it (admin, planner).

func (a *API) themes(c *gin.Context) {
	q, lang, err := topicsQuery(c)
	if err == nil && lang != "" {
		err = httpx.Malformed("lang applies to workbooks only")
	}
	if err == nil && q.Theme != "" {
		err = survey.Invalid("invalid request", survey.Fault("theme", survey.RuleUnknownField, ""))
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	ranking, err := a.svc.Themes(c, httpx.Principal(c), c.Param("round"), q)
	a.reply(c, http.StatusOK, ranking, err)
}

// writeSeminar answers with a seminar and its version as the ETag.
func (a *API) writeSeminar(c *gin.Context, status int, sem *survey.Seminar, err error) {
	if err != nil {
		a.Fail(c, err)
		return
	}
	setETag(c, sem.Version)
	c.JSON(status, sem)
}

func (a *API) createSeminar(c *gin.Context) {
	var in survey.SeminarInput
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	sem, err := a.svc.CreateSeminar(c, httpx.Principal(c), in)
	a.writeSeminar(c, http.StatusCreated, sem, err)
}

func (a *API) listSeminars(c *gin.Context) {
	list, err := a.svc.ListSeminars(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, list, err)
}

func (a *API) getSeminar(c *gin.Context) {
	sem, err := a.svc.Seminar(c, httpx.Principal(c), c.Param("id"))
	a.writeSeminar(c, http.StatusOK, sem, err)
}

func (a *API) updateSeminar(c *gin.Context) {
	var ch survey.SeminarChange
	pre, ok := a.readChange(c, &ch)
	if !ok {
		return
	}
	sem, err := a.svc.UpdateSeminar(c, httpx.Principal(c), c.Param("id"), ch, pre)
	a.writeSeminar(c, http.StatusOK, sem, err)
}

func (a *API) setAttendance(c *gin.Context) {
	var in assess.AttendanceInput
	pre, ok := a.readChange(c, &in)
	if !ok {
		return
	}
	sem, err := a.svc.SetAttendance(c, httpx.Principal(c), c.Param("id"), in, pre)
	a.writeSeminar(c, http.StatusOK, sem, err)
}

func (a *API) seminarInvitations(c *gin.Context) {
	inv, err := a.svc.SeminarInvitations(c, httpx.Principal(c), c.Param("id"))
	a.reply(c, http.StatusOK, inv, err)
}

func (a *API) seminarInvitationsWorkbook(c *gin.Context) {
	wb, err := a.svc.InvitationsWorkbook(c, httpx.Principal(c), c.Param("id"), c.Query("lang"))
	a.sendWorkbook(c, wb, err)
}

func (a *API) seminarEffect(c *gin.Context) {
	eff, err := a.svc.SeminarEffect(c, httpx.Principal(c), c.Param("id"), c.Query("round"))
	a.reply(c, http.StatusOK, eff, err)
}
