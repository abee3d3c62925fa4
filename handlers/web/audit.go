package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"

	"github.com/dpo/dgsurvey/survey/assess"
)

// auditActions are the kinds of event the audit page can filter by; an
// event of another kind shows its action as stored.
var auditActions = assess.AuditActions

// auditPageSize is how many events one page of the audit trail shows.
const auditPageSize = 50

// auditRow is one event as the audit page shows it.
type auditRow struct {
	At                   time.Time
	Who, Action, Details string
	Round, Department    string
	Reason               string
}

type auditPage struct {
	page
	Round, Department, Action string
	Rounds, Actions           []choice
	Rows                      []auditRow
	Older, Newest             string
	Paged                     bool
	Errors                    formErrors
}

// auditTrail is the audit page: who changed what and when, reopen reasons
// among it, filtered by round, department and kind, newest first, paged.
func (pg *Pages) auditTrail(c *gin.Context) {
	p := httpx.Principal(c)
	data := &auditPage{page: pg.newPage(c, "audit.title"), Round: c.Query("round"),
		Department: strings.ToUpper(strings.TrimSpace(c.Query("department"))), Action: c.Query("action")}
	data.Nav = "audit"
	if !slices.Contains(auditActions, data.Action) {
		data.Action = ""
	}
	rounds, err := pg.svc.Rounds(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data.Rounds = []choice{{Value: "", Label: data.T("audit.all_rounds"), Selected: data.Round == ""}}
	for _, r := range rounds {
		data.Rounds = append(data.Rounds, choice{Value: r.ID, Label: r.Title.In(data.Lang) + " (" + r.ID + ")", Selected: r.ID == data.Round})
	}
	data.Actions = []choice{{Value: "", Label: data.T("audit.all_actions"), Selected: data.Action == ""}}
	for _, a := range auditActions {
		data.Actions = append(data.Actions, choice{Value: a, Label: data.T("audit.action." + a), Selected: a == data.Action})
	}
	status := http.StatusOK
	res, err := pg.svc.AuditTrail(c, p, assess.AuditView{AuditQuery: assess.AuditQuery{Round: data.Round, Department: data.Department,
		Before: c.Query("before"), Limit: auditPageSize}, Action: data.Action})
	if err != nil {
		data.Errors = formErrors{}
		if !pg.formError(c, err, data.Errors, nil) {
			return
		}
		status = http.StatusUnprocessableEntity
		res = &assess.AuditPage{}
	}
	for _, ev := range res.Events {
		row := auditRow{At: ev.At, Who: actorName(pg.messages, data.Lang, ev.Actor), Action: ev.Action, Round: ev.Round, Department: ev.Department}
		if slices.Contains(auditActions, ev.Action) {
			row.Action = data.T("audit.action." + ev.Action)
		}
		row.Reason, row.Details = auditDetails(ev.Details)
		data.Rows = append(data.Rows, row)
	}
	q := url.Values{}
	for k, v := range map[string]string{"round": data.Round, "department": data.Department, "action": data.Action} {
		if v != "" {
			q.Set(k, v)
		}
	}
	data.Paged = c.Query("before") != ""
	data.Newest = "/admin/audit"
	if len(q) > 0 {
		data.Newest += "?" + q.Encode()
	}
	if res.NextBefore != "" {
		q.Set("before", res.NextBefore)
		data.Older = "/admin/audit?" + q.Encode()
	}
	pg.render(c, status, "audit", data)
}

// auditDetails splits an event's details into the reason (shown in full)
// and the rest, compactly; question ids and numbers are not translated.
func auditDetails(d map[string]any) (reason, rest string) {
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range d {
			if !yield(k) {
				return
			}
		}
	}) {
		if k == "reason" {
			reason, _ = d[k].(string)
			continue
		}
		v := fmt.Sprint(d[k])
		if len(v) > 200 {
			v = v[:200] + "…"
		}
		parts = append(parts, k+": "+v)
	}
	return reason, strings.Join(parts, "; ")
}
