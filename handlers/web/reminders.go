package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

type remindersPage struct {
	page
	Round *survey.Round
	Rows  []assess.ReminderRow
	Sent  []assess.ReminderResult
}

// reminders lists a round's departments that have not submitted, with the
// reminders each has had, and a form to remind one, several or all now.
func (pg *Pages) reminders(c *gin.Context) {
	pg.renderReminders(c, http.StatusOK, nil)
}

func (pg *Pages) renderReminders(c *gin.Context, status int, sent []assess.ReminderResult) {
	r, rows, err := pg.svc.ReminderOverview(c, httpx.Principal(c), c.Param("round"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &remindersPage{page: pg.newPage(c, "reminders.title", r.Title.In(pageLang(c))), Round: r, Rows: rows, Sent: sent}
	data.Nav = "rounds"
	pg.render(c, status, "reminders", data)
}

// sendReminders sends reminders now: to the departments ticked, or with
// "all" to every active department not submitted.
func (pg *Pages) sendReminders(c *gin.Context) {
	in := assess.RemindersInput{}
	if c.Request.PostFormValue("all") == "" {
		in.Departments = c.Request.PostForm["department"]
		if len(in.Departments) == 0 {
			pg.Fail(c, survey.Invalid("choose at least one department", survey.Fault("departments", survey.RuleRequired, "")))
			return
		}
	}
	sent, err := pg.svc.SendRemindersNow(c, httpx.Principal(c), c.Param("round"), in)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.renderReminders(c, http.StatusOK, sent)
}
