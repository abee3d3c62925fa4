package assess

import (
	"context"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// Scoped is one department's response in a round, with what every view of
// it needs: the round, its questionnaire and the department's code.
type Scoped struct {
	Round         *survey.Round
	Questionnaire *survey.Questionnaire
	Department    string
	Response      *survey.Response
}

// Progress counts answered questions against the questionnaire.
type Progress struct {
	Answered int `json:"answered"`
	Total    int `json:"total"`
}

// Progress is how far the response has come.
func (sc *Scoped) Progress() Progress {
	return Progress{Answered: sc.Response.CountAnswered(sc.Questionnaire), Total: sc.Questionnaire.QuestionCount()}
}

// Precondition is an If-Match on a response's version: when Set, a change
// applies only to that version (412 otherwise).
type Precondition struct {
	Set     bool
	Version int
}

func (pre Precondition) check(r *survey.Response) error {
	return pre.checkVersion("response", r.Version)
}

// checkVersion refuses a change to what (at version v) made against
// another version (412): someone else changed it since it was read.
func (pre Precondition) checkVersion(what string, v int) error {
	if pre.Set && v != pre.Version {
		return survey.Errorf(survey.EPRECONDITION, "the %s is at version %d, not %d: someone else changed it; reload it", what, v, pre.Version)
	}
	return nil
}

// scope checks that p may see the department's response (another
// department's answers are not_found, so codes cannot be probed) and loads
// the round and its questionnaire.
func (s *Service) scope(ctx context.Context, p survey.Principal, round, dept string) (*Scoped, error) {
	if !p.CanSeeDepartment(dept) {
		return nil, survey.Errorf(survey.ENOTFOUND, "response not found")
	}
	r, err := s.store.Round(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, r); err != nil {
		return nil, err
	}
	if p.Role == survey.RoleAdmin {
		if _, err := s.store.Department(ctx, dept); err != nil {
			return nil, err
		}
	}
	q, err := s.RoundQuestionnaire(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	sc := &Scoped{Round: r, Questionnaire: q, Department: dept}
	if err := s.prefill(ctx, p, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// acceptsChanges refuses a change to the response in scope outside the
// round's open time (round_not_open, deadline_passed naming the time; the
// department's extension counts) and by a deactivated department's people
// (department_inactive).
func (s *Service) acceptsChanges(ctx context.Context, p survey.Principal, sc *Scoped) error {
	if err := sc.Round.AcceptsChanges(sc.Department, s.now()); err != nil {
		return err
	}
	if p.Role == survey.RoleRespondent {
		d, err := s.store.Department(ctx, sc.Department)
		if err != nil {
			return err
		}
		return d.CheckActive()
	}
	return nil
}

// Response reads a department's response in a round (admin, or that
// department); one never started is empty, at version 0.
func (s *Service) Response(ctx context.Context, p survey.Principal, round, dept string) (*Scoped, error) {
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if sc.Response, err = s.store.Response(ctx, sc.Round.ID, dept); err != nil {
		return nil, err
	}
	return sc, nil
}

// SaveAnswers merges a patch of answers into the response (the API's PATCH
// and the pages' saves alike). Nothing is applied when any item is invalid,
// any base_rev is stale or the precondition fails.
func (s *Service) SaveAnswers(ctx context.Context, p survey.Principal, round, dept string, patch survey.Patch, pre Precondition) (*Scoped, error) {
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if err := s.acceptsChanges(ctx, p, sc); err != nil {
		return nil, err
	}
	if err := patch.Validate(sc.Questionnaire); err != nil {
		return nil, err
	}
	var changed []string
	sc.Response, err = s.store.UpdateResponse(ctx, sc.Round.ID, dept, func(r *survey.Response) error {
		if err := pre.check(r); err != nil {
			return err
		}
		var err error
		changed, err = patch.Apply(r, p.Actor(), s.now())
		nameAnswers(r, changed, p)
		r.Answered = r.CountAnswered(sc.Questionnaire)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		s.audit(ctx, p, "response.answer", sc.Round.ID, dept, answerAuditDetails(sc.Response, changed))
	}
	return sc, nil
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

// Submit submits the response: complete answers only, scores frozen in a
// snapshot, audited (an admin's as on behalf of the department).
func (s *Service) Submit(ctx context.Context, p survey.Principal, round, dept string, pre Precondition) (*Scoped, error) {
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if err := s.acceptsChanges(ctx, p, sc); err != nil {
		return nil, err
	}
	if err := s.maySubmit(ctx, p, dept); err != nil {
		return nil, err
	}
	sc.Response, err = s.store.UpdateResponse(ctx, sc.Round.ID, dept, func(r *survey.Response) error {
		if err := pre.check(r); err != nil {
			return err
		}
		if err := r.Submit(sc.Questionnaire, s.targets(), p.Actor(), s.now()); err != nil {
			return err
		}
		sealSubmission(r, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	defer s.sendReceipts(ctx, sc)
	details := map[string]any{"version": sc.Response.Version}
	if p.Role == survey.RoleAdmin {
		details["on_behalf_of"] = dept
	}
	s.audit(ctx, p, "response.submit", sc.Round.ID, dept, details)
	return sc, nil
}

// Reopen returns a submitted response to its department with a reason
// (admin), audited with the reason.
func (s *Service) Reopen(ctx context.Context, p survey.Principal, round, dept, reason string, pre Precondition) (*Scoped, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if err := survey.ValidateReopenReason(reason); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if sc.Round.State != survey.RoundOpen {
		// A closed round's figures are final: reopening a submission there
		// would change what respondents were shown, and so give away the
		// reopened department's scores.
		return nil, survey.Errorf(survey.ENOTOPEN, "round %s is %s; a submission can be reopened only while the round is open", sc.Round.ID, sc.Round.State)
	}
	sc.Response, err = s.store.UpdateResponse(ctx, sc.Round.ID, dept, func(r *survey.Response) error {
		if err := pre.check(r); err != nil {
			return err
		}
		if err := r.Reopen(reason, s.now()); err != nil {
			return err
		}
		unsealSubmission(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "response.reopen", sc.Round.ID, dept, map[string]any{"reason": strings.TrimSpace(reason), "version": sc.Response.Version})
	return sc, nil
}

// StatusRow is one department's line in a round's status.
type StatusRow struct {
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

// RoundStatus is every department's progress in a round.
type RoundStatus struct {
	*RoundBasics
	Rows []StatusRow
}

// Status lists every department's progress in a round (admin): one store
// call for the responses whatever the number of departments. Deactivated
// departments appear only in closed rounds, where they have a response.
func (s *Service) Status(ctx context.Context, p survey.Principal, round string) (*RoundStatus, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	b, err := s.loadRound(ctx, round)
	if err != nil {
		return nil, err
	}
	rows, err := s.statusRows(ctx, b)
	if err != nil {
		return nil, err
	}
	return &RoundStatus{RoundBasics: b, Rows: rows}, nil
}

func (s *Service) statusRows(ctx context.Context, b *RoundBasics) ([]StatusRow, error) {
	summaries, err := s.store.ResponseSummaries(ctx, b.Round.ID)
	if err != nil {
		return nil, err
	}
	byDept := make(map[string]*survey.Response, len(summaries))
	for i := range summaries {
		byDept[summaries[i].Department] = &summaries[i]
	}
	rows := make([]StatusRow, 0, len(b.Departments))
	for _, d := range b.Departments {
		r, ok := byDept[d.Code]
		// A deactivated department leaves the rounds still open; closed
		// rounds keep its result as it was.
		if !d.Active && (!ok || b.Round.State == survey.RoundOpen) {
			continue
		}
		row := StatusRow{Code: d.Code, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Active: d.Active,
			Status: survey.StatusNotStarted, Total: b.Questionnaire.QuestionCount()}
		if ok {
			row.Status, row.Answered, row.Version = r.Status, r.Answered, r.Version
			row.UpdatedAt, row.SubmittedAt = r.UpdatedAt, r.SubmittedAt
		}
		rows = append(rows, row)
	}
	return rows, nil
}
