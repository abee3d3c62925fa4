package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

func (a *API) createDepartment(c *gin.Context) {
	var in assess.NewDepartment
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	d, err := a.svc.CreateDepartment(c, httpx.Principal(c), in)
	a.reply(c, http.StatusCreated, d, err)
}

func (a *API) listDepartments(c *gin.Context) {
	ds, err := a.svc.Departments(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"departments": ds}, err)
}

func (a *API) updateDepartment(c *gin.Context) {
	var ch survey.DepartmentChange
	pre, ok := a.readChange(c, &ch)
	if !ok {
		return
	}
	d, err := a.svc.ChangeDepartment(c, httpx.Principal(c), c.Param("code"), ch, pre)
	if err == nil {
		setETag(c, d.Version)
	}
	a.reply(c, http.StatusOK, d, err)
}

func (a *API) issueCredential(c *gin.Context) {
	var in assess.NewCredential
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	issued, err := a.svc.IssueCredential(c, httpx.Principal(c), in)
	a.reply(c, http.StatusCreated, issued, err)
}

func (a *API) listCredentials(c *gin.Context) {
	creds, err := a.svc.Credentials(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"credentials": creds}, err)
}

func (a *API) revokeCredential(c *gin.Context) {
	if err := a.svc.RevokeCredential(c, httpx.Principal(c), c.Param("id")); err != nil {
		a.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// reply writes body with status, or the error when there is one.
func (a *API) reply(c *gin.Context, status int, body any, err error) {
	if err != nil {
		a.Fail(c, err)
		return
	}
	c.JSON(status, body)
}

func (a *API) listAudit(c *gin.Context) {
	var q assess.AuditQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		a.Fail(c, httpx.Malformed("invalid query parameters: limit must be a whole number"))
		return
	}
	page, err := a.svc.ListAudit(c, httpx.Principal(c), q)
	a.reply(c, http.StatusOK, page, err)
}
