package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
)

// Actions that are hard to undo (closing or opening a round, revoking a
// credential, deactivating a department) are confirmed first. The list's
// button is a link to a confirmation page (GET, so it works without the
// script) holding the form that acts; with the script, the same link opens
// a dialog built from its data attributes, whose form posts the same
// fields. The form handlers themselves are unchanged.

// hiddenField is a field the confirming form posts.
type hiddenField struct {
	Name, Value string
}

// confirmation is one action to confirm: what it does, where its form
// posts and with what, and where "cancel" goes.
type confirmation struct {
	Heading, Text, Yes string
	Action, Back, Page string
	Fields             []hiddenField
	Danger             bool
}

// FieldsJSON is the fields for the dialog's data attribute.
func (c confirmation) FieldsJSON() string {
	m := map[string]string{}
	for _, f := range c.Fields {
		m[f.Name] = f.Value
	}
	b, _ := json.Marshal(m)
	return string(b)
}

type confirmActionPage struct {
	page
	C confirmation
}

func (pg *Pages) renderConfirm(c *gin.Context, cf confirmation) {
	data := &confirmActionPage{page: pg.newPage(c, "confirm.title"), C: cf}
	data.Title = cf.Heading
	pg.render(c, http.StatusOK, "confirm", data)
}

// roundConfirmation confirms opening or closing round r.
func roundConfirmation(p page, r roundRow, to string) confirmation {
	cf := confirmation{Action: "/admin/rounds/" + r.ID + "/state", Back: "/admin/rounds",
		Page:   "/admin/rounds/" + r.ID + "/state?to=" + to,
		Fields: []hiddenField{{"state", to}, {"version", strconv.Itoa(r.Version)}}}
	if to == survey.RoundClosed {
		cf.Heading, cf.Text, cf.Yes, cf.Danger = p.T("confirm.close_title", r.Title), p.T("confirm.close_text"), p.T("confirm.close_yes"), true
	} else {
		cf.Heading, cf.Text, cf.Yes = p.T("confirm.open_title", r.Title), p.T("confirm.open_text"), p.T("confirm.open_yes")
		if r.State == survey.RoundClosed {
			cf.Text, cf.Danger = p.T("confirm.reopen_text"), true
		}
	}
	return cf
}

// confirmRound is the confirmation page of opening or closing a round.
func (pg *Pages) confirmRound(c *gin.Context) {
	r, err := pg.svc.Round(c, httpx.Principal(c), c.Param("round"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	to := c.Query("to")
	if to == "" {
		// The list's own button: the opposite of the current state.
		to = survey.RoundOpen
		if r.State == survey.RoundOpen {
			to = survey.RoundClosed
		}
	}
	if to != survey.RoundOpen && to != survey.RoundClosed {
		pg.Fail(c, survey.Invalid("invalid round change", survey.Fault("to", survey.RuleOneOf, "open closed")))
		return
	}
	p := pg.newPage(c, "confirm.title")
	pg.renderConfirm(c, roundConfirmation(p, roundRow{ID: r.ID, Title: r.Title.In(p.Lang), State: r.State, Version: r.Version}, to))
}

// credentialConfirmation confirms revoking a credential.
func credentialConfirmation(p page, cr survey.Credential) confirmation {
	return confirmation{Heading: p.T("confirm.revoke_title", cr.Label), Text: p.T("confirm.revoke_text"), Yes: p.T("confirm.revoke_yes"),
		Action: "/admin/credentials/" + cr.ID + "/revoke", Back: "/admin/credentials", Page: "/admin/credentials/" + cr.ID + "/revoke", Danger: true}
}

// RevokeConfirm is credentialConfirmation for the credentials list.
func (p *credentialsPage) RevokeConfirm(cr survey.Credential) confirmation {
	return credentialConfirmation(p.page, cr)
}

// confirmRevoke is the confirmation page of revoking a credential.
func (pg *Pages) confirmRevoke(c *gin.Context) {
	creds, err := pg.svc.Credentials(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	for _, cr := range creds {
		if cr.ID == c.Param("id") && !cr.Revoked {
			pg.renderConfirm(c, credentialConfirmation(pg.newPage(c, "confirm.title"), cr))
			return
		}
	}
	pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "no such credential"))
}

// departmentConfirmation confirms deactivating (or activating) a department.
func departmentConfirmation(p page, d survey.Department) confirmation {
	cf := confirmation{Action: "/admin/departments/" + d.Code, Back: "/admin/departments",
		Page:   "/admin/departments/" + d.Code + "/active?to=" + strconv.FormatBool(!d.Active),
		Fields: []hiddenField{{"active", strconv.FormatBool(!d.Active)}, {"version", strconv.Itoa(d.Version)}}}
	name := d.Code + " " + d.Name(p.Lang)
	if d.Active {
		cf.Heading, cf.Text, cf.Yes, cf.Danger = p.T("confirm.deactivate_title", name), p.T("confirm.deactivate_text"), p.T("confirm.deactivate_yes"), true
	} else {
		cf.Heading, cf.Text, cf.Yes = p.T("confirm.activate_title", name), p.T("confirm.activate_text"), p.T("confirm.activate_yes")
	}
	return cf
}

// ActiveConfirm is departmentConfirmation for the departments list.
func (p *departmentsPage) ActiveConfirm(d survey.Department) confirmation {
	return departmentConfirmation(p.page, d)
}

// confirmDepartment is the confirmation page of (de)activating a department.
func (pg *Pages) confirmDepartment(c *gin.Context) {
	d, err := pg.svc.Department(c, httpx.Principal(c), c.Param("code"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	if to := c.Query("to"); to != "" && to != strconv.FormatBool(!d.Active) {
		// Already in that state (a stale link): the list shows it.
		redirect(c, "/admin/departments")
		return
	}
	pg.renderConfirm(c, departmentConfirmation(pg.newPage(c, "confirm.title"), *d))
}
