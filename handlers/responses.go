package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// responseScope is what every response endpoint resolves first.
type responseScope struct {
	round *survey.Round
	q     *survey.Questionnaire
	dept  string
}

// scope checks that the caller may see the department's response (another
// department's answers 404, so codes cannot be probed) and loads the round
// and its questionnaire.
func (s *Server) scope(c *gin.Context) (*responseScope, error) {
	dept := c.Param("dept")
	p := principal(c)
	if !p.CanSeeDepartment(dept) {
		return nil, survey.Errorf(survey.ENOTFOUND, "response not found")
	}
	round, err := s.store.Round(c, c.Param("round"))
	if err != nil {
		return nil, err
	}
	if p.Role == survey.RoleAdmin {
		if _, err := s.store.Department(c, dept); err != nil {
			return nil, err
		}
	}
	q, err := s.roundQuestionnaire(c, round.ID)
	if err != nil {
		return nil, err
	}
	return &responseScope{round: round, q: q, dept: dept}, nil
}

// progress counts answered questions against the questionnaire.
type progress struct {
	Answered int `json:"answered"`
	Total    int `json:"total"`
}

// responseView is the API shape of a response.
type responseView struct {
	*survey.Response
	Progress progress `json:"progress"`
}

func (s *Server) writeResponse(c *gin.Context, r *survey.Response, q *survey.Questionnaire) {
	c.Header("ETag", strconv.Quote(strconv.Itoa(r.Version)))
	c.JSON(http.StatusOK, responseView{Response: r, Progress: progress{Answered: r.CountAnswered(q), Total: q.QuestionCount()}})
}

func (s *Server) getResponse(c *gin.Context) {
	sc, err := s.scope(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.store.Response(c, sc.round.ID, sc.dept)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeResponse(c, r, sc.q)
}

// ifMatch reads an If-Match precondition: ok is false when there is none.
func ifMatch(c *gin.Context) (version int, any bool, ok bool, err error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return 0, false, false, nil
	}
	if h == "*" {
		return 0, true, true, nil
	}
	v, convErr := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if convErr != nil || v < 0 {
		return 0, false, false, malformed(`If-Match must be a version as given in the ETag, e.g. "3", or *`)
	}
	return v, false, true, nil
}

// noPrecondition accepts any stored response.
func noPrecondition(*survey.Response) error { return nil }

// precondition returns the check an update applies to the stored version.
func precondition(c *gin.Context) (func(*survey.Response) error, error) {
	want, anyVersion, ok, err := ifMatch(c)
	if err != nil {
		return nil, err
	}
	return func(r *survey.Response) error {
		if ok && !anyVersion && r.Version != want {
			return survey.Errorf(survey.EPRECONDITION, "the response is at version %d, not %d; reload it", r.Version, want)
		}
		return nil
	}, nil
}

type patchRequest struct {
	Answers survey.Patch `json:"answers" validate:"required"`
}

func (s *Server) patchResponse(c *gin.Context) {
	var req patchRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sc, err := s.scope(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	check, err := precondition(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.saveAnswers(c, sc, req.Answers, check)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeResponse(c, r, sc.q)
}

// saveAnswers applies a patch of answers to the response in scope, for the
// API PATCH and the pages alike; check is the caller's precondition on the
// stored response (noPrecondition when there is none).
func (s *Server) saveAnswers(c *gin.Context, sc *responseScope, patch survey.Patch, check func(*survey.Response) error) (*survey.Response, error) {
	if !sc.round.IsOpen() {
		return nil, survey.Errorf(survey.ECONFLICT, "round %s is %s; answers can change only while it is open", sc.round.ID, sc.round.State)
	}
	if err := patch.Validate(sc.q); err != nil {
		return nil, err
	}
	var changed []string
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
		if err := check(r); err != nil {
			return err
		}
		var err error
		changed, err = patch.Apply(r, principal(c).Actor(), s.now())
		r.Answered = r.CountAnswered(sc.q)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		s.audit(c, "response.answer", sc.round.ID, sc.dept, answerAuditDetails(r, changed))
	}
	return r, nil
}

// answerAuditDetails records which answers changed to what level: never the
// comment, evidence or reason text.
func answerAuditDetails(r *survey.Response, changed []string) map[string]any {
	answers := make(map[string]any, len(changed))
	for _, id := range changed {
		a := r.Answers[id]
		switch {
		case a == nil:
			answers[id] = "cleared"
		case a.NA:
			answers[id] = "na"
		case a.Level != nil:
			answers[id] = *a.Level
		default:
			answers[id] = "comment"
		}
	}
	return map[string]any{"answers": answers, "version": r.Version}
}

func (s *Server) submitResponse(c *gin.Context) {
	sc, err := s.scope(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	check, err := precondition(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.submitScoped(c, sc, check)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeResponse(c, r, sc.q)
}

// submitScoped submits the response in scope (POST …/submit): complete
// answers only, scores frozen in a snapshot, audited.
func (s *Server) submitScoped(c *gin.Context, sc *responseScope, check func(*survey.Response) error) (*survey.Response, error) {
	if !sc.round.IsOpen() {
		return nil, survey.Errorf(survey.ECONFLICT, "round %s is %s; responses can be submitted only while it is open", sc.round.ID, sc.round.State)
	}
	p := principal(c)
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
		if err := check(r); err != nil {
			return err
		}
		if r.Status == survey.StatusSubmitted {
			return survey.Errorf(survey.ECONFLICT, "the response is already submitted")
		}
		if problems := r.SubmissionProblems(sc.q); len(problems) > 0 {
			return survey.Invalid("the response is not complete: answer every question and give a reason for each N/A", problems...)
		}
		now := s.now()
		snapshot := survey.Score(sc.q, r, s.targets())
		r.Snapshot = &snapshot
		r.Status = survey.StatusSubmitted
		r.SubmittedAt, r.SubmittedBy = &now, p.Actor()
		r.UpdatedAt = &now
		r.Answered = r.CountAnswered(sc.q)
		r.Version++
		return nil
	})
	if err != nil {
		return nil, err
	}
	details := map[string]any{"version": r.Version}
	if p.Role == survey.RoleAdmin {
		details["on_behalf_of"] = sc.dept
	}
	s.audit(c, "response.submit", sc.round.ID, sc.dept, details)
	return r, nil
}

type reopenRequest struct {
	Reason string `json:"reason" validate:"notblank,max=1000"`
}

func (s *Server) reopenResponse(c *gin.Context) {
	var req reopenRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sc, err := s.scope(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	check, err := precondition(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.reopenScoped(c, sc, req, check)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeResponse(c, r, sc.q)
}

// reopenScoped reopens a submitted response with a reason (POST …/reopen).
func (s *Server) reopenScoped(c *gin.Context, sc *responseScope, req reopenRequest, check func(*survey.Response) error) (*survey.Response, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
		if err := check(r); err != nil {
			return err
		}
		if r.Status != survey.StatusSubmitted {
			return survey.Errorf(survey.ECONFLICT, "only a submitted response can be reopened")
		}
		now := s.now()
		r.Status = survey.StatusInProgress
		r.Snapshot, r.SubmittedAt, r.SubmittedBy = nil, nil, ""
		r.UpdatedAt = &now
		r.Version++
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(c, "response.reopen", sc.round.ID, sc.dept, map[string]any{"reason": strings.TrimSpace(req.Reason), "version": r.Version})
	return r, nil
}

// targets is the scoring target policy from configuration.
func (s *Server) targets() survey.Targets { return survey.Targets{Default: s.cfg.TargetLevel} }

// statusRow is one department's line in the round status.
type statusRow struct {
	Code        string     `json:"code"`
	NameEN      string     `json:"name_en"`
	NameZH      string     `json:"name_zh"`
	Bureau      string     `json:"bureau"`
	Active      bool       `json:"active"`
	Status      string     `json:"status"`
	Answered    int        `json:"answered"`
	Total       int        `json:"total"`
	Version     int        `json:"version"`
	UpdatedAt   *time.Time `json:"updated_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

func (s *Server) roundStatus(c *gin.Context) {
	b, err := s.loadRound(c, c.Param("round"))
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.statusRows(c, b)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"round": c.Param("round"), "departments": rows})
}

// statusRows joins the round's departments with its responses: one store
// call whatever the number of departments. Inactive departments appear only
// when they have a response.
func (s *Server) statusRows(c *gin.Context, b *roundBasics) ([]statusRow, error) {
	summaries, err := s.store.ResponseSummaries(c, b.round.ID)
	if err != nil {
		return nil, err
	}
	byDept := make(map[string]*survey.Response, len(summaries))
	for i := range summaries {
		byDept[summaries[i].Department] = &summaries[i]
	}
	rows := make([]statusRow, 0, len(b.deptList))
	for _, d := range b.deptList {
		r, ok := byDept[d.Code]
		if !ok && !d.Active {
			continue
		}
		row := statusRow{Code: d.Code, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Active: d.Active,
			Status: survey.StatusNotStarted, Total: b.q.QuestionCount()}
		if ok {
			row.Status, row.Answered, row.Version = r.Status, r.Answered, r.Version
			row.UpdatedAt, row.SubmittedAt = r.UpdatedAt, r.SubmittedAt
		}
		rows = append(rows, row)
	}
	return rows, nil
}
