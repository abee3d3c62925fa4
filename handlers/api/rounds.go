package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

func (a *API) listQuestionnaires(c *gin.Context) {
	list, err := a.svc.Questionnaires(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"questionnaires": list}, err)
}

func (a *API) getQuestionnaire(c *gin.Context) {
	version := 0
	if v := c.Query("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			a.Fail(c, survey.Invalid("invalid version", survey.Fault("version", survey.RuleMin, "1")))
			return
		}
		version = n
	}
	q, err := a.svc.Questionnaire(c, httpx.Principal(c), c.Param("id"), version)
	a.reply(c, http.StatusOK, q, err)
}

func (a *API) createRound(c *gin.Context) {
	var in assess.NewRound
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	r, err := a.svc.CreateRound(c, httpx.Principal(c), in)
	a.reply(c, http.StatusCreated, r, err)
}

func (a *API) listRounds(c *gin.Context) {
	rs, err := a.svc.Rounds(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"rounds": rs}, err)
}

func (a *API) getRound(c *gin.Context) {
	r, err := a.svc.Round(c, httpx.Principal(c), c.Param("round"))
	a.reply(c, http.StatusOK, r, err)
}

func (a *API) updateRound(c *gin.Context) {
	var in assess.RoundEdit
	pre, ok := a.readChange(c, &in)
	if !ok {
		return
	}
	r, err := a.svc.ChangeRound(c, httpx.Principal(c), c.Param("round"), in, pre)
	if err == nil {
		setETag(c, r.Version)
	}
	a.reply(c, http.StatusOK, r, err)
}

func (a *API) extendDeadline(c *gin.Context) {
	var in assess.ExtensionInput
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	r, err := a.svc.ExtendDeadline(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), in)
	a.reply(c, http.StatusOK, r, err)
}

func (a *API) removeExtension(c *gin.Context) {
	if _, err := a.svc.RemoveExtension(c, httpx.Principal(c), c.Param("round"), c.Param("dept")); err != nil {
		a.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *API) roundStatus(c *gin.Context) {
	st, err := a.svc.Status(c, httpx.Principal(c), c.Param("round"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"round": st.Round.ID, "departments": st.Rows})
}
