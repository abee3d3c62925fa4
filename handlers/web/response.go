package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// progressView is answered out of total, for a progress bar.
type progressView struct {
	Answered, Total int
}

// domainNav is a domain in the navigation of a response, with its progress.
type domainNav struct {
	ID, Title, URL string
	progressView
	Current bool
	// QIDs lists the domain's questions, so the script can update its bar.
	QIDs string
}

// responseHeader is what every page of one response shows at the top.
type responseHeader struct {
	RoundID, RoundTitle, RoundState string
	Dept, DeptName                  string
	Status                          string
	Editable                        bool
	// Closed says why answers cannot change although the response is not
	// submitted: the message key of the reason (deadline passed, round not
	// yet open or closed, department deactivated), empty when they can.
	Closed     string
	ClosedText string
	ClosesAt   time.Time
	// TimeLeft is the time to the deadline in words, while it is ahead.
	TimeLeft    string
	SubmittedAt *time.Time
	UpdatedAt   *time.Time
	Overall     progressView
	Domains     []domainNav
	// Base is the pages' URL of the response; API the API's (for the script).
	Base, API string
	TZ        string
	// Continue is the place of the first unanswered question ("" when
	// every question has an answer).
	Continue string
	// Reopened is set while a response the DPO reopened is not yet
	// submitted again.
	Reopened *reopenNotice
	// SignOff: approval, sending back and the receipt (signoff.go).
	SignOff signOffView
}

// reopenNotice tells respondents that and why their submission was reopened.
type reopenNotice struct {
	At     time.Time
	By     string
	Reason string
}

// loadedResponse is a response with its round, questionnaire and header.
type loadedResponse struct {
	sc *assess.Scoped
	r  *survey.Response
	h  *responseHeader
}

// loadResponse resolves the round and department of the URL for the signed-in
// user (another department's answers 404) and reads the response.
func (pg *Pages) loadResponse(c *gin.Context, current string) (*loadedResponse, error) {
	sc, err := pg.svc.Response(c, httpx.Principal(c), c.Param("round"), c.Param("dept"))
	if err != nil {
		return nil, err
	}
	r := sc.Response
	lang := pageLang(c)
	h := &responseHeader{
		RoundID: sc.Round.ID, RoundTitle: sc.Round.Title.In(lang), RoundState: sc.Round.State,
		Dept: sc.Department, DeptName: sc.Department, Status: r.Status,
		ClosesAt: sc.Round.Deadline(sc.Department), SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt,
		Overall: progressView{Answered: r.CountAnswered(sc.Questionnaire), Total: sc.Questionnaire.QuestionCount()},
		Base:    "/rounds/" + sc.Round.ID + "/responses/" + sc.Department,
		API:     "/api/v1/rounds/" + sc.Round.ID + "/responses/" + sc.Department,
		TZ:      pg.location().String(),
	}
	if d, err := pg.svc.Department(c, httpx.Principal(c), sc.Department); err == nil {
		h.DeptName = d.Name(lang)
		if !d.Active && httpx.Principal(c).Role == survey.RoleRespondent {
			h.Closed = "closed.inactive"
		}
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return nil, err
	}
	now := pg.svc.Now()
	switch err := sc.Round.AcceptsChanges(sc.Department, now); {
	case err == nil:
		h.TimeLeft = timeLeft(pg.messages, lang, h.ClosesAt.Sub(now))
	case survey.ErrorCode(err) == survey.EDEADLINE:
		h.Closed = "closed.deadline"
	default:
		h.Closed = "closed.not_open"
	}
	h.Editable = h.Closed == "" && r.Status != survey.StatusSubmitted
	h.Continue = firstUnanswered(h.Base, sc.Questionnaire, r)
	if r.Status == survey.StatusInProgress {
		// Only a submission can be reopened, so only a response in
		// progress may have been.
		key := lang + "/" + sc.Round.ID + "/" + sc.Department + "/" + strconv.Itoa(r.Version)
		notice, ok := pg.reopened.get(key)
		if !ok {
			ro, err := pg.svc.LastReopening(c, httpx.Principal(c), sc.Round.ID, sc.Department)
			if err != nil {
				return nil, err
			}
			if ro != nil {
				notice = &reopenNotice{At: ro.At, By: actorName(pg.messages, lang, ro.Actor), Reason: ro.Reason}
			}
			pg.reopened.put(key, notice)
		}
		h.Reopened = notice
	}
	if h.Closed != "" {
		h.ClosedText = message(pg.messages, lang, h.Closed)
	}
	for _, d := range sc.Questionnaire.Domains {
		nav := domainNav{ID: d.ID, Title: d.Title.In(lang), URL: h.Base + "/domains/" + d.ID, Current: d.ID == current}
		var ids []string
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				ids = append(ids, qu.ID)
				nav.Total++
				if r.Answers[qu.ID].Answered() {
					nav.Answered++
				}
			}
		}
		nav.QIDs = strings.Join(ids, " ")
		h.Domains = append(h.Domains, nav)
	}
	if err := pg.fillSignOff(c, h, r); err != nil {
		return nil, err
	}
	return &loadedResponse{sc: sc, r: r, h: h}, nil
}

// homeRound is one round on a respondent's home page.
type homeRound struct {
	ID, Title, State, Status, URL string
	ClosesAt                      time.Time
	progressView
}

type homePage struct {
	page
	DeptName string
	Rounds   []homeRound
}

// home sends administrators to their rounds and shows a respondent the
// rounds of their department with status, deadline and progress.
func (pg *Pages) home(c *gin.Context) {
	p := httpx.Principal(c)
	switch p.Role {
	case survey.RoleAdmin:
		redirect(c, "/admin/rounds")
		return
	case survey.RolePlanner:
		pg.plannerHome(c)
		return
	}
	lang := pageLang(c)
	data := &homePage{page: pg.newPage(c, "home.title"), DeptName: p.Department}
	if d, err := pg.svc.Department(c, p, p.Department); err == nil {
		data.DeptName = d.Name(lang)
	}
	rounds, err := pg.svc.Rounds(c, p)
	if err != nil {
		pg.Fail(c, err)
		return
	}
	for _, rd := range rounds {
		if rd.State == survey.RoundDraft {
			continue // not yet announced to departments
		}
		sc, err := pg.svc.Response(c, p, rd.ID, p.Department)
		if err != nil {
			pg.Fail(c, err)
			return
		}
		r, q := sc.Response, sc.Questionnaire
		data.Rounds = append(data.Rounds, homeRound{ID: rd.ID, Title: rd.Title.In(lang), State: rd.State, Status: r.Status,
			URL: "/rounds/" + rd.ID + "/responses/" + p.Department, ClosesAt: rd.Deadline(p.Department),
			progressView: progressView{Answered: r.CountAnswered(q), Total: q.QuestionCount()}})
	}
	pg.render(c, http.StatusOK, "home", data)
}

// plannerRound is a round on the planners' start page with its downloads.
type plannerRound struct {
	ID, Title, State string
	Downloads        []downloadLink
}

type plannerPage struct {
	page
	Rounds []plannerRound
}

// plannerHome lists the rounds with the downloads planners may use (scores
// and rankings themselves are served by the API).
func (pg *Pages) plannerHome(c *gin.Context) {
	lang := pageLang(c)
	rounds, err := pg.svc.Rounds(c, httpx.Principal(c))
	if err != nil {
		pg.Fail(c, err)
		return
	}
	data := &plannerPage{page: pg.newPage(c, "planner.title")}
	for _, r := range rounds {
		if r.State == survey.RoundDraft {
			continue
		}
		data.Rounds = append(data.Rounds, plannerRound{ID: r.ID, Title: r.Title.In(lang), State: r.State,
			Downloads: pg.link(c, "rounds/"+r.ID+"/topics.xlsx", "download.topics")})
	}
	pg.render(c, http.StatusOK, "planner", data)
}

// downloadLink is a file the user may download.
type downloadLink struct {
	URL, Label string
}

type overviewPage struct {
	page
	H         *responseHeader
	Sections  []domainSection
	Downloads []downloadLink
	// Reopen form (administrators, submitted responses).
	CanReopen   bool
	Reason      string
	ReasonError string
}

// overview is a response's start page: progress per domain, and once it can
// no longer change, every answer read-only with the report link.
func (pg *Pages) overview(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.renderOverview(c, http.StatusOK, lr, "", "")
}

func (pg *Pages) renderOverview(c *gin.Context, status int, lr *loadedResponse, reason, reasonErr string) {
	lang := pageLang(c)
	data := &overviewPage{page: pg.newPage(c, "response.title", lr.h.DeptName), H: lr.h,
		CanReopen: httpx.Principal(c).Role == survey.RoleAdmin && lr.r.Status == survey.StatusSubmitted,
		Reason:    reason, ReasonError: reasonErr}
	if !lr.h.Editable {
		values := map[string]answerValue{}
		for id, a := range lr.r.Answers {
			values[id] = valueOf(a)
		}
		for i := range lr.sc.Questionnaire.Domains {
			d := &lr.sc.Questionnaire.Domains[i]
			data.Sections = append(data.Sections, domainSection{ID: d.ID, Title: d.Title.In(lang),
				Areas: pg.questionViews(lang, lr.sc.Questionnaire, d, values, lr.r)})
		}
	}
	if lr.r.Status == survey.StatusSubmitted {
		data.Downloads = pg.departmentDownloads(c, lr.sc.Round.ID, lr.sc.Department)
	}
	pg.render(c, status, "response", data)
}

type reopenForm struct {
	Reason string `form:"reason"`
}

// reopen lets an administrator reopen a submitted response, with a reason.
func (pg *Pages) reopen(c *gin.Context) {
	var f reopenForm
	if err := bindForm(c, &f); err != nil {
		pg.Fail(c, err)
		return
	}
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	if _, err := pg.svc.Reopen(c, httpx.Principal(c), lr.sc.Round.ID, lr.sc.Department, f.Reason, assess.Precondition{}); err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			pg.renderOverview(c, http.StatusUnprocessableEntity, lr, f.Reason, pg.t(c, "err.reason_required"))
			return
		}
		pg.Fail(c, err)
		return
	}
	redirect(c, lr.h.Base+"?flash=reopened")
}

// scoreRow is one line of the score preview.
type scoreRow struct {
	Title, Score, Level string
	Target              int
}

// problemLink is a question that stops submission, linked to its place.
type problemLink struct {
	URL, Question, Problem string
}

type reviewPage struct {
	page
	H        *responseHeader
	Problems []problemLink
	Overall  scoreRow
	Domains  []scoreRow
	Areas    []scoreRow
}

// review lists what stops submission and previews the domain scores.
func (pg *Pages) review(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	pg.renderReview(c, http.StatusOK, lr)
}

func (pg *Pages) renderReview(c *gin.Context, status int, lr *loadedResponse) {
	lang := pageLang(c)
	data := &reviewPage{page: pg.newPage(c, "review.title", lr.h.DeptName), H: lr.h}
	idx := lr.sc.Questionnaire.Index()
	for _, fe := range lr.r.SubmissionProblems(lr.sc.Questionnaire) {
		id := strings.TrimSuffix(strings.TrimPrefix(fe.Field, "answers."), ".na_reason")
		ref, ok := idx[id]
		if !ok {
			continue
		}
		key := "review.unanswered"
		if strings.HasSuffix(fe.Field, ".na_reason") {
			key = "review.no_reason"
		}
		if fe.Rule == survey.RuleUnconfirmed {
			key = "review.unconfirmed"
		}
		data.Problems = append(data.Problems, problemLink{URL: questionURL(lr.h.Base, ref),
			Question: id + " " + ref.Question.Text.In(lang), Problem: data.T(key)})
	}
	scores := lr.r.ScoresFor(lr.sc.Questionnaire, pg.svc.Targets())
	data.Overall = pg.scoreRow(lang, lr.sc.Questionnaire, data.T("review.overall"), scores.Overall, 0)
	for i, d := range scores.Domains {
		data.Domains = append(data.Domains, pg.scoreRow(lang, lr.sc.Questionnaire, lr.sc.Questionnaire.Domains[i].Title.In(lang), d.ScoreValue, 0))
	}
	areaTitles := map[string]string{}
	for _, d := range lr.sc.Questionnaire.Domains {
		for _, a := range d.Areas {
			areaTitles[a.ID] = a.Title.In(lang)
		}
	}
	for _, a := range scores.Areas {
		data.Areas = append(data.Areas, pg.scoreRow(lang, lr.sc.Questionnaire, areaTitles[a.ID], a.ScoreValue, a.Target))
	}
	pg.render(c, status, "review", data)
}

func (pg *Pages) scoreRow(lang string, q *survey.Questionnaire, title string, v survey.ScoreValue, target int) scoreRow {
	row := scoreRow{Title: title, Score: "—", Level: "—", Target: target}
	if v.Score != nil {
		row.Score = strconv.FormatFloat(*v.Score, 'f', 2, 64)
	}
	if v.Level != nil {
		row.Level = message(pg.messages, lang, "answer.level", *v.Level, q.LevelName(*v.Level, lang))
	}
	return row
}

type confirmPage struct {
	page
	H *responseHeader
}

// confirmSubmit is the confirmation step before submitting; an incomplete
// response goes back to the review instead.
func (pg *Pages) confirmSubmit(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	if !lr.h.Editable {
		redirect(c, lr.h.Base)
		return
	}
	if len(lr.r.SubmissionProblems(lr.sc.Questionnaire)) > 0 {
		redirect(c, lr.h.Base+"/review?flash=incomplete")
		return
	}
	if !lr.h.SignOff.MaySubmit {
		redirect(c, lr.h.Base+"/review") // the department's approvers submit
		return
	}
	pg.render(c, http.StatusOK, "submit", &confirmPage{page: pg.newPage(c, "submit.title", lr.h.DeptName), H: lr.h})
}

// submit submits the response; when something is missing the review page
// shows what, with 422.
func (pg *Pages) submit(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	if _, err := pg.svc.Submit(c, httpx.Principal(c), lr.sc.Round.ID, lr.sc.Department, assess.Precondition{}); err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			pg.renderReview(c, http.StatusUnprocessableEntity, lr)
			return
		}
		pg.Fail(c, err)
		return
	}
	redirect(c, lr.h.Base+"?flash=submitted")
}
