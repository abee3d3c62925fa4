package api

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey/assess"
)

func (a *API) departmentScores(c *gin.Context) {
	v, err := a.svc.ScoresOf(c, httpx.Principal(c), c.Param("round"), c.Param("dept"))
	a.reply(c, http.StatusOK, v, err)
}

func (a *API) roundScores(c *gin.Context) {
	v, err := a.svc.ScoresOfRound(c, httpx.Principal(c), c.Param("round"))
	a.reply(c, http.StatusOK, v, err)
}

// topicsQuery reads the ranking's filters and the workbook language.
func topicsQuery(c *gin.Context) (assess.TopicQuery, string, error) {
	var q struct {
		assess.TopicQuery
		Lang string `form:"lang"`
	}
	if err := c.ShouldBindQuery(&q); err != nil {
		return assess.TopicQuery{}, "", httpx.Malformed("invalid query parameters")
	}
	return q.TopicQuery, q.Lang, nil
}

func (a *API) topics(c *gin.Context) {
	q, lang, err := topicsQuery(c)
	if err == nil {
		_, err = assess.CheckLang(lang)
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	ranking, err := a.svc.Topics(c, httpx.Principal(c), c.Param("round"), q)
	a.reply(c, http.StatusOK, ranking, err)
}

func (a *API) topicsWorkbook(c *gin.Context) {
	q, lang, err := topicsQuery(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	wb, err := a.svc.TopicsWorkbook(c, httpx.Principal(c), c.Param("round"), lang, q)
	a.sendWorkbook(c, wb, err)
}

func (a *API) departmentReport(c *gin.Context) {
	wb, err := a.svc.DepartmentWorkbook(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), c.Query("lang"))
	a.sendWorkbook(c, wb, err)
}

func (a *API) consolidatedReport(c *gin.Context) {
	err := a.svc.ConsolidatedWorkbook(c, httpx.Principal(c), c.Param("round"), c.Query("lang"), func(name string) io.Writer {
		return httpx.StartDownload(c, name)
	})
	httpx.EndStream(c, err, a.log, a.Fail)
}

// sendWorkbook answers with a finished workbook, or the error.
func (a *API) sendWorkbook(c *gin.Context, wb *assess.Workbook, err error) {
	if err != nil {
		a.Fail(c, err)
		return
	}
	httpx.SendDownload(c, wb)
}
