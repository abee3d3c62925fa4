package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// The seminar plan's pages (planners and admins): the list of seminars with
// the form that plans one (prefilled from a row of the ranking), and a
// seminar's page with its invitation list and contacts, the attendance form
// and the effect after a later round. They call the API's use cases, so the
// page, the JSON and the workbook agree, and they show scores only: never a
// comment, evidence or N/A reason.

// seminarForm is the plan form.
type seminarForm struct {
	TitleEN string   `form:"title_en"`
	TitleZH string   `form:"title_zh"`
	Date    string   `form:"date"`
	Round   string   `form:"round"`
	Theme   string   `form:"theme"`
	Areas   []string `form:"areas"`
}

// seminarRow is one planned seminar in the list.
type seminarRow struct {
	ID, Title, Date, Round, Covers string
	Attended                       int
}

// areaChoice is one area of the plan form.
type areaChoice struct {
	ID, Title string
	Checked   bool
}

type seminarsPage struct {
	page
	Seminars []seminarRow
	Form     seminarForm
	Errors   formErrors
	Rounds   []plannerOption
	Themes   []plannerOption
	Areas    []areaChoice
}

// plannerSeminars lists the seminars and the plan form; ?round=, ?theme=
// and ?area= prefill it (the ranking's "Plan a seminar" links).
func (pg *Pages) plannerSeminars(c *gin.Context) {
	form := seminarForm{Round: c.Query("round"), Theme: c.Query("theme")}
	if a := c.Query("area"); a != "" {
		form.Areas = []string{a}
	}
	pg.renderSeminars(c, http.StatusOK, form, nil)
}

func (pg *Pages) renderSeminars(c *gin.Context, status int, form seminarForm, errs formErrors) {
	p := httpx.Principal(c)
	lang := pageLang(c)
	list, err := pg.svc.ListSeminars(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	rounds, err := pg.svc.Rounds(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &seminarsPage{page: pg.newPage(c, "seminars.title"), Form: form, Errors: errs}
	if data.IsAdmin() {
		data.Nav = "rounds"
	}
	// Newest round first: a plan is usually made from the latest results.
	slices.SortFunc(rounds, func(a, b survey.Round) int { return b.OpensAt.Compare(a.OpensAt) })
	for _, r := range rounds {
		if r.State == survey.RoundDraft {
			continue
		}
		if form.Round == "" {
			form.Round = r.ID
			data.Form.Round = r.ID
		}
		data.Rounds = append(data.Rounds, plannerOption{Value: r.ID, Label: r.Title.In(lang) + " (" + r.ID + ")", Selected: r.ID == form.Round})
	}
	var q *survey.Questionnaire
	if form.Round != "" && survey.ValidRoundID(form.Round) {
		if q, err = pg.svc.RoundQuestionnaire(c, form.Round); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
			pg.Fail(c, err)
			return
		}
	}
	areaTitle := map[string]string{}
	if q != nil {
		data.Themes = append(data.Themes, plannerOption{Value: "", Label: data.T("seminars.by_areas"), Selected: form.Theme == ""})
		for _, th := range q.Themes {
			data.Themes = append(data.Themes, plannerOption{Value: th.ID, Label: th.Title.In(lang) + " — " + th.Seminar.In(lang), Selected: th.ID == form.Theme})
		}
		for _, d := range q.Domains {
			for _, a := range d.Areas {
				areaTitle[a.ID] = a.Title.In(lang)
				data.Areas = append(data.Areas, areaChoice{ID: a.ID, Title: a.Title.In(lang), Checked: slices.Contains(form.Areas, a.ID)})
			}
		}
		if data.Form.TitleEN == "" && data.Form.TitleZH == "" {
			// A useful default title: the theme's seminar, or the area's topic.
			if th := q.Theme(form.Theme); th != nil {
				data.Form.TitleEN, data.Form.TitleZH = th.Seminar.EN, th.Seminar.ZH
			} else if len(form.Areas) == 1 {
				for _, d := range q.Domains {
					for _, a := range d.Areas {
						if a.ID == form.Areas[0] {
							data.Form.TitleEN, data.Form.TitleZH = a.Topic.EN, a.Topic.ZH
						}
					}
				}
			}
		}
	}
	for _, s := range list.Seminars {
		data.Seminars = append(data.Seminars, seminarRow{ID: s.ID, Title: s.Title(lang), Date: s.Date, Round: s.Round,
			Covers: coversText(s, areaTitle, q), Attended: len(s.Attendance)})
	}
	pg.render(c, status, "seminars", data)
}

// coversText names what a seminar covers: its theme, else its areas.
func coversText(s survey.Seminar, areaTitle map[string]string, q *survey.Questionnaire) string {
	if q != nil {
		if th := q.Theme(s.Theme); th != nil && s.Theme != "" {
			return th.Title.EN + " / " + th.Title.ZH
		}
	}
	out := ""
	for i, a := range s.Areas {
		if i > 0 {
			out += "; "
		}
		out += cmp.Or(areaTitle[a], a)
	}
	return out
}

// createSeminar plans a seminar from the form and opens its page.
func (pg *Pages) createSeminar(c *gin.Context) {
	var f seminarForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	in := survey.SeminarInput{TitleEN: f.TitleEN, TitleZH: f.TitleZH, Date: f.Date, Round: f.Round, Theme: f.Theme}
	if f.Theme == "" {
		in.Areas = f.Areas
	}
	sem, err := pg.svc.CreateSeminar(c, httpx.Principal(c), in)
	if err == nil {
		redirect(c, "/planner/seminars/"+sem.ID+"?flash=seminar-created")
		return
	}
	errs := formErrors{}
	if pg.formError(c, err, errs, map[string]string{"date": "seminars.exists"}) {
		for field := range errs {
			if len(field) > 6 && field[:6] == "areas[" {
				errs["areas"] = errs[field]
			}
		}
		pg.renderSeminars(c, http.StatusUnprocessableEntity, f, errs)
	}
}

// inviteeRow is one department of a seminar's invitation list on its page.
type inviteeRow struct {
	Code, Name, Bureau, Score, Gap, Below string
	Contacts                              []survey.Contact
	Attended                              bool
}

// attendanceChoice is one department of the attendance form.
type attendanceChoice struct {
	Code, Name string
	Invited    bool
	Checked    bool
}

// effectRow is one area of a seminar's effect on its page.
type effectRow struct {
	Area, From             string
	Continued, Caution     bool
	AttN, OthN             int
	AttMean, OthMean, Diff string
	AttChange, OthChange   changeView
	Verdict                string
}

type seminarPage struct {
	page
	Seminar          survey.Seminar
	Covers           string
	RoundTitle       string
	Invitees         []inviteeRow
	Attendance       []attendanceChoice
	Version          string
	Baseline         int
	Downloads        []downloadLink
	JSONPath         string
	LaterRounds      []plannerOption
	EffectRound      string
	Effect           []effectRow
	MinGroup         int
	HasEffect        bool
	EffectRoundTitle string
}

// plannerSeminar shows one seminar: what it covers, whom to invite (with
// contacts), who came, and — with ?round= — its effect by that round.
func (pg *Pages) plannerSeminar(c *gin.Context) {
	p := httpx.Principal(c)
	lang := pageLang(c)
	inv, err := pg.svc.SeminarInvitations(c, p, c.Param("id"))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	sem := inv.Seminar
	res := inv.Results
	data := &seminarPage{page: pg.newPage(c, "seminar.title", sem.Title(lang)), Seminar: sem, Baseline: inv.Baseline,
		RoundTitle: res.Round.Title.In(lang), Version: strconv.Itoa(sem.Version), JSONPath: "/api/v1/seminars/" + sem.ID + "/invitations"}
	if data.IsAdmin() {
		data.Nav = "rounds"
	}
	areaTitle := map[string]string{}
	for _, d := range res.Questionnaire.Domains {
		for _, a := range d.Areas {
			areaTitle[a.ID] = a.Title.In(lang)
		}
	}
	data.Covers = coversText(sem, areaTitle, res.Questionnaire)
	if th := res.Questionnaire.Theme(sem.Theme); th != nil {
		data.Covers = th.Title.In(lang) + " — " + th.Seminar.In(lang)
	}
	invited := map[string]bool{}
	for _, d := range inv.Departments {
		invited[d.Department] = true
		below := ""
		for i, a := range d.BelowAreas {
			if i > 0 {
				below += "; "
			}
			below += cmp.Or(areaTitle[a], a)
		}
		data.Invitees = append(data.Invitees, inviteeRow{Code: d.Department, Name: cmp.Or(survey.Text{EN: d.NameEN, ZH: d.NameZH}.Or(lang), d.Department),
			Bureau: d.Bureau, Score: fmt2(d.Score), Gap: fmt2(d.Gap), Below: below, Contacts: d.Contacts, Attended: d.Attended})
	}
	// Attendance: the invited departments first, then every other one.
	for _, d := range res.Departments {
		if !d.Active && !slices.Contains(sem.Attendance, d.Code) {
			continue
		}
		data.Attendance = append(data.Attendance, attendanceChoice{Code: d.Code, Name: cmp.Or(d.Name(lang), d.Code), Invited: invited[d.Code],
			Checked: slices.Contains(sem.Attendance, d.Code)})
	}
	slices.SortStableFunc(data.Attendance, func(a, b attendanceChoice) int {
		if a.Invited != b.Invited {
			if a.Invited {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Code, b.Code)
	})
	data.Downloads = pg.link(c, "seminars/"+sem.ID+"/invitations.xlsx", "seminar.download_xlsx")

	later, err := pg.svc.LaterRounds(c, p, &sem)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data.EffectRound = c.Query("round")
	if data.EffectRound == "" && len(later) > 0 {
		data.EffectRound = later[0].ID
	}
	for _, r := range later {
		data.LaterRounds = append(data.LaterRounds, plannerOption{Value: r.ID, Label: r.Title.In(lang) + " (" + r.ID + ")", Selected: r.ID == data.EffectRound})
		if r.ID == data.EffectRound {
			data.EffectRoundTitle = r.Title.In(lang)
		}
	}
	if data.EffectRound != "" {
		eff, err := pg.svc.SeminarEffect(c, p, sem.ID, data.EffectRound)
		if err != nil {
			pg.Fail(c, err)
			return
		}
		data.HasEffect, data.MinGroup = true, eff.MinGroup
		toTitle := map[string]string{}
		for _, d := range eff.ToResults.Questionnaire.Domains {
			for _, a := range d.Areas {
				toTitle[a.ID] = a.Title.In(lang)
			}
		}
		for _, a := range eff.Areas {
			row := effectRow{Area: cmp.Or(toTitle[a.Area], areaTitle[a.Area], a.Area), Continued: a.Continued, Caution: a.Caution,
				AttN: a.Attendees.N, OthN: a.Others.N, AttChange: changeOf(a.Attendees.MeanChange), OthChange: changeOf(a.Others.MeanChange),
				AttMean: "—", OthMean: "—", Diff: "—"}
			var from []string
			for _, f := range a.FromAreas {
				from = append(from, cmp.Or(areaTitle[f], f))
			}
			if len(a.FromAreas) != 1 || a.FromAreas[0] != a.Area {
				// Say what it is compared with only where lineage changed it.
				row.From = strings.Join(from, "; ")
			}
			if a.Difference != nil {
				row.Diff = changeOf(a.Difference).Text
				switch {
				case *a.Difference > 0:
					row.Verdict = data.T("effect.verdict.more", fmt2(*a.Difference))
				case *a.Difference < 0:
					row.Verdict = data.T("effect.verdict.less", changeOf(a.Difference).Text)
				default:
					row.Verdict = data.T("effect.verdict.same")
				}
			} else {
				row.Verdict = data.T("effect.verdict.none")
			}
			data.Effect = append(data.Effect, row)
		}
	}
	pg.render(c, http.StatusOK, "seminar", data)
}

// attendanceForm is the posted attendance.
type attendanceForm struct {
	Departments []string `form:"departments"`
	Version     string   `form:"version"`
}

// saveAttendance records who attended, at the version the page showed.
func (pg *Pages) saveAttendance(c *gin.Context) {
	var f attendanceForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	id := c.Param("id")
	_, err := pg.svc.SetAttendance(c, httpx.Principal(c), id, assess.AttendanceInput{Departments: f.Departments}, formVersion(f.Version))
	switch {
	case survey.ErrorCode(err) == survey.EPRECONDITION:
		redirect(c, "/planner/seminars/"+id+"?flash=changed-meanwhile")
	case err != nil:
		pg.Fail(c, err)
	default:
		redirect(c, "/planner/seminars/"+id+"?flash=attendance-saved#attendance")
	}
}

// downloadInvitations sends a seminar's invitation list as a workbook.
func (pg *Pages) downloadInvitations(c *gin.Context) {
	wb, err := pg.svc.InvitationsWorkbook(c, httpx.Principal(c), c.Param("id"), c.Query("lang"))
	pg.sendWorkbook(c, wb, err)
}
