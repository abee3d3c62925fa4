package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// PeopleRoutes are the pages of named users: e-mail sign-in, the users
// and outbox pages, sign-off and reminders (the engine adds them to Routes).
func (pg *Pages) PeopleRoutes() []httpx.Route {
	page := pg.signedIn
	r := func(method, path string, h func(*gin.Context)) httpx.Route {
		return httpx.Route{Method: method, Path: path, Handle: h}
	}
	return []httpx.Route{
		r("POST", "/login/email", pg.requestLink),
		r("GET", "/signin/:token", pg.signInPage),
		r("GET", "/auth/oidc/start", pg.oidcStart),
		r("GET", "/auth/oidc/callback", pg.oidcCallback),
		r("POST", "/signin/:token", pg.confirmSignIn),
		r("GET", "/admin/users", page(httpx.AdminOnly, pg.adminUsers)),
		r("POST", "/admin/users", page(httpx.AdminOnly, pg.inviteUser)),
		r("POST", "/admin/users/:id", page(httpx.AdminOnly, pg.changeUser)),
		r("POST", "/admin/users/:id/invite", page(httpx.AdminOnly, pg.reinviteUser)),
		r("GET", "/admin/outbox", page(httpx.AdminOnly, pg.outbox)),
		r("GET", "/admin/rounds/:round/reminders", page(httpx.AdminOnly, pg.reminders)),
		r("POST", "/admin/rounds/:round/reminders", page(httpx.AdminOnly, pg.sendReminders)),
		r("POST", "/rounds/:round/responses/:dept/ready", page(httpx.DepartmentUser, pg.askApproval)),
		r("POST", "/rounds/:round/responses/:dept/send-back", page(httpx.DepartmentUser, pg.sendBack)),
	}
}

// userForm is the invitation form.
type userForm struct {
	Name       string `form:"name"`
	Email      string `form:"email"`
	Role       string `form:"role"`
	Department string `form:"department"`
	Approver   bool   `form:"approver"`
}

type usersPage struct {
	page
	Users       []survey.User
	Departments []survey.Department
	Roles       []string
	Form        userForm
	Errors      formErrors
	SMTP        bool
}

func (pg *Pages) adminUsers(c *gin.Context) {
	pg.renderUsers(c, http.StatusOK, userForm{Role: survey.RoleRespondent}, nil)
}

func (pg *Pages) renderUsers(c *gin.Context, status int, form userForm, errs formErrors) {
	users, err := pg.svc.Users(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	active, err := pg.activeDepartments(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &usersPage{page: pg.newPage(c, "users.title"), Users: users, Departments: active, Form: form, Errors: errs,
		Roles: []string{survey.RoleRespondent, survey.RolePlanner, survey.RoleAdmin}, SMTP: pg.svc.MailConfigured()}
	data.Nav = "users"
	pg.render(c, status, "users", data)
}

// inviteUser invites a user; problems show on the form (422, or 409 for an
// address already registered).
func (pg *Pages) inviteUser(c *gin.Context) {
	var f userForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	if f.Role != survey.RoleRespondent {
		f.Department, f.Approver = "", false
	}
	_, err := pg.svc.InviteUser(c, httpx.Principal(c), assess.NewUser(f))
	if err == nil {
		redirect(c, "/admin/users?flash=user-invited")
		return
	}
	errs := formErrors{}
	status := http.StatusUnprocessableEntity
	if survey.ErrorCode(err) == survey.ECONFLICT {
		status = http.StatusConflict
	}
	if pg.formError(c, err, errs, map[string]string{"email": "users.duplicate"}) {
		pg.renderUsers(c, status, f, errs)
	}
}

// changeUser applies one of the row buttons: approver on or off, active
// on or off. The form carries the version the page showed.
func (pg *Pages) changeUser(c *gin.Context) {
	var ch survey.UserChange
	yes, no := true, false
	flag := func(v string) *bool {
		switch v {
		case "on":
			return &yes
		case "off":
			return &no
		}
		return nil
	}
	ch.Approver = flag(c.Request.PostFormValue("approver"))
	ch.Active = flag(c.Request.PostFormValue("active"))
	_, err := pg.svc.ChangeUser(c, httpx.Principal(c), c.Param("id"), ch, formVersion(c.Request.PostFormValue("version")))
	switch {
	case err == nil:
		redirect(c, "/admin/users?flash=user-changed")
	case survey.ErrorCode(err) == survey.EPRECONDITION:
		redirect(c, "/admin/users?flash=changed-meanwhile")
	default:
		pg.Fail(c, err)
	}
}

func (pg *Pages) reinviteUser(c *gin.Context) {
	if _, err := pg.svc.ResendInvitation(c, httpx.Principal(c), c.Param("id")); err != nil {
		pg.Fail(c, err)
		return
	}
	redirect(c, "/admin/users?flash=user-invited")
}

type outboxPage struct {
	page
	Messages []survey.Message
	SMTP     bool
}

// outbox lists the e-mail the service made, newest first.
func (pg *Pages) outbox(c *gin.Context) {
	msgs, err := pg.svc.Outbox(c, httpx.Principal(c), 0)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &outboxPage{page: pg.newPage(c, "outbox.title"), Messages: msgs, SMTP: pg.svc.MailConfigured()}
	data.Nav = "outbox"
	pg.render(c, http.StatusOK, "outbox", data)
}
