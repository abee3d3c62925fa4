package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// peopleRoutes are the endpoints of named users, sign-off, reminders and
// the outbox (appended to Routes).
func (a *API) peopleRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/users", Roles: httpx.AdminOnly, Handle: a.inviteUser},
		{Method: "GET", Path: "/api/v1/users", Roles: httpx.AdminOnly, Handle: a.listUsers},
		{Method: "PATCH", Path: "/api/v1/users/:id", Roles: httpx.AdminOnly, Handle: a.updateUser},
		{Method: "POST", Path: "/api/v1/users/:id/invite", Roles: httpx.AdminOnly, Handle: a.reinviteUser},
		{Method: "GET", Path: "/api/v1/outbox", Roles: httpx.AdminOnly, Handle: a.listOutbox},
		{Method: "POST", Path: "/api/v1/rounds/:round/responses/:dept/ready", Roles: httpx.DepartmentUser, Handle: a.askApproval},
		{Method: "POST", Path: "/api/v1/rounds/:round/responses/:dept/send-back", Roles: httpx.DepartmentUser, Handle: a.sendBack},
		{Method: "POST", Path: "/api/v1/rounds/:round/reminders", Roles: httpx.AdminOnly, Handle: a.sendReminders},
	}
}

func (a *API) inviteUser(c *gin.Context) {
	var in assess.NewUser
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	u, err := a.svc.InviteUser(c, httpx.Principal(c), in)
	if err == nil {
		setETag(c, u.Version)
	}
	a.reply(c, http.StatusCreated, u, err)
}

func (a *API) listUsers(c *gin.Context) {
	users, err := a.svc.Users(c, httpx.Principal(c))
	a.reply(c, http.StatusOK, gin.H{"users": users}, err)
}

func (a *API) updateUser(c *gin.Context) {
	var ch survey.UserChange
	pre, ok := a.readChange(c, &ch)
	if !ok {
		return
	}
	u, err := a.svc.ChangeUser(c, httpx.Principal(c), c.Param("id"), ch, pre)
	if err == nil {
		setETag(c, u.Version)
	}
	a.reply(c, http.StatusOK, u, err)
}

func (a *API) reinviteUser(c *gin.Context) {
	u, err := a.svc.ResendInvitation(c, httpx.Principal(c), c.Param("id"))
	a.reply(c, http.StatusOK, u, err)
}

func (a *API) listOutbox(c *gin.Context) {
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			a.Fail(c, httpx.Malformed("invalid query parameters: limit must be a whole number"))
			return
		}
		limit = n
	}
	msgs, err := a.svc.Outbox(c, httpx.Principal(c), limit)
	a.reply(c, http.StatusOK, gin.H{"smtp": a.svc.MailConfigured(), "messages": msgs}, err)
}

func (a *API) askApproval(c *gin.Context) {
	a.changeResponse(c, nil, func(pre assess.Precondition) (*assess.Scoped, error) {
		return a.svc.AskApproval(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), pre)
	})
}

func (a *API) sendBack(c *gin.Context) {
	var req reopenRequest
	a.changeResponse(c, &req, func(pre assess.Precondition) (*assess.Scoped, error) {
		return a.svc.SendBack(c, httpx.Principal(c), c.Param("round"), c.Param("dept"), req.Reason, pre)
	})
}

func (a *API) sendReminders(c *gin.Context) {
	var in assess.RemindersInput
	if err := a.bind(c, &in); err != nil {
		a.Fail(c, err)
		return
	}
	sent, err := a.svc.SendRemindersNow(c, httpx.Principal(c), c.Param("round"), in)
	a.reply(c, http.StatusOK, gin.H{"reminders": sent}, err)
}
