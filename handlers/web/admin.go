package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// roundRow is a round in the administrators' list.
type roundRow struct {
	ID, Title, Questionnaire, State string
	OpensAt, ClosesAt               time.Time
	Version                         int
	// Confirm is the confirmation of the row's open or close button.
	Confirm confirmation
}

// bankOption is a questionnaire a round can be created on.
type bankOption struct {
	Value, Label string
	Selected     bool
}

// roundForm is the create-round form, as posted.
type roundForm struct {
	ID            string `form:"id"`
	TitleEN       string `form:"title_en"`
	TitleZH       string `form:"title_zh"`
	Questionnaire string `form:"questionnaire"`
	OpensAt       string `form:"opens_at"`
	ClosesAt      string `form:"closes_at"`
}

type roundsPage struct {
	page
	Rounds []roundRow
	Bank   []bankOption
	Form   roundForm
	Errors formErrors
	TZ     string
}

// formErrors maps a form field name to its message.
type formErrors map[string]string

// Has reports whether the field has an error (templates use it for
// aria-invalid and aria-describedby).
func (f formErrors) Has(field string) bool { _, ok := f[field]; return ok }

// Get is the field's message.
func (f formErrors) Get(field string) string { return f[field] }

// formOrder is the order fields appear in on the admin forms (each form
// uses a subset), so an error summary lists its links as the form shows
// the fields.
var formOrder = []string{"id", "title_en", "title_zh", "questionnaire", "opens_at", "closes_at",
	"code", "name_en", "name_zh", "bureau", "active", "role", "department", "label", "name", "email", "approver", "reason"}

// Ordered lists the fields with an error in form order; fields the order
// does not know come last, by name.
func (f formErrors) Ordered() []string {
	out := make([]string, 0, len(f))
	for _, name := range formOrder {
		if _, ok := f[name]; ok {
			out = append(out, name)
		}
	}
	var rest []string
	for name := range f {
		if !slices.Contains(formOrder, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// adminRounds lists the rounds with their state buttons and the create form.
func (pg *Pages) adminRounds(c *gin.Context) {
	pg.renderRounds(c, http.StatusOK, roundForm{}, nil)
}

func (pg *Pages) renderRounds(c *gin.Context, status int, form roundForm, errs formErrors) {
	lang := pageLang(c)
	data := &roundsPage{page: pg.newPage(c, "rounds.title"), Form: form, Errors: errs, TZ: zoneLabel(pg.messages, lang, pg.location())}
	data.Nav = "rounds"
	rounds, err := pg.svc.Rounds(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	for _, r := range rounds {
		row := roundRow{ID: r.ID, Title: r.Title.In(lang),
			Questionnaire: r.QuestionnaireID + " v" + strconv.Itoa(r.QuestionnaireVersion), State: r.State,
			OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, Version: r.Version}
		to := survey.RoundOpen
		if r.State == survey.RoundOpen {
			to = survey.RoundClosed
		}
		row.Confirm = roundConfirmation(data.page, row, to)
		data.Rounds = append(data.Rounds, row)
	}
	published, err := pg.svc.PublishedQuestionnaires(c)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	for _, q := range published {
		v := q.ID + ":" + strconv.Itoa(q.Version)
		data.Bank = append(data.Bank, bankOption{Value: v, Label: q.Title.In(lang) + " (" + q.ID + " v" + strconv.Itoa(q.Version) + ")",
			Selected: v == form.Questionnaire})
	}
	pg.render(c, status, "rounds", data)
}

// createRound creates a round from the form; times are entered in the
// configured zone.
func (pg *Pages) createRound(c *gin.Context) {
	var f roundForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	qid, qv, _ := strings.Cut(f.Questionnaire, ":")
	version, _ := strconv.Atoi(qv)
	errs := formErrors{}
	in := assess.NewRound{ID: strings.TrimSpace(f.ID), TitleEN: f.TitleEN, TitleZH: f.TitleZH, Questionnaire: qid,
		QuestionnaireVersion: version,
		OpensAt:              pg.localTime(c, "opens_at", f.OpensAt, errs),
		ClosesAt:             pg.localTime(c, "closes_at", f.ClosesAt, errs)}
	if len(errs) == 0 {
		_, err := pg.svc.CreateRound(c, httpx.Principal(c), in)
		if err == nil {
			redirect(c, "/admin/rounds/"+in.ID+"?flash=round-created")
			return
		}
		if !pg.formError(c, err, errs, map[string]string{"id": "rounds.exists"}) {
			return
		}
	}
	pg.renderRounds(c, http.StatusUnprocessableEntity, f, errs)
}

// localTime reads a datetime-local value in the configured zone, as the
// RFC 3339 text the use case takes.
func (pg *Pages) localTime(c *gin.Context, field, v string, errs formErrors) string {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), pg.location())
	if err != nil {
		errs[field] = pg.t(c, "err.datetime")
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// formError turns a validation error into field messages and a duplicate
// (conflict) into a message on the field named by conflict; it reports
// false after rendering an error page for anything else.
func (pg *Pages) formError(c *gin.Context, err error, errs formErrors, conflict map[string]string) bool {
	var de *survey.Error
	if errors.As(err, &de) {
		switch de.Code {
		case survey.EINVALID:
			for _, fe := range de.Fields {
				if _, dup := errs[fe.Field]; !dup {
					errs[fe.Field] = pg.fieldMessage(pageLang(c), fe)
				}
			}
			return true
		case survey.ECONFLICT:
			for field, key := range conflict {
				errs[field] = pg.t(c, key)
				return true
			}
		}
	}
	pg.Fail(c, err)
	return false
}

// formVersion is the version a form showed: the change applies only to
// that version, so a stale page never undoes someone else's change. A form
// without one (an old page) applies to whatever is stored.
func formVersion(v string) assess.Precondition {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return assess.Precondition{}
	}
	return assess.Precondition{Set: true, Version: n}
}

// changeRound opens or closes a round.
func (pg *Pages) changeRound(c *gin.Context) {
	state := c.Request.PostFormValue("state")
	if state != survey.RoundOpen && state != survey.RoundClosed {
		pg.Fail(c, survey.Invalid("invalid round change", survey.Fault("state", survey.RuleOneOf, "open closed")))
		return
	}
	r, err := pg.svc.ChangeRound(c, httpx.Principal(c), c.Param("round"), assess.RoundEdit{State: &state},
		formVersion(c.Request.PostFormValue("version")))
	if survey.ErrorCode(err) == survey.EPRECONDITION {
		redirect(c, "/admin/rounds?flash=changed-meanwhile")
		return
	}
	if err != nil {
		pg.Fail(c, err)
		return
	}
	redirect(c, "/admin/rounds?flash=round-"+r.State)
}
