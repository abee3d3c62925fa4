package handlers

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// The functions in this file are the state changes the pages make, each with
// the same rules, store calls and audit events as its API endpoint. They
// take already-decoded input, so the JSON handlers can call them as well.

// saveAnswers applies a patch of answers to the response in scope (the
// rules of PATCH /api/v1/rounds/:round/responses/:dept).
func (s *Server) saveAnswers(c *gin.Context, sc *responseScope, patch survey.Patch) (*survey.Response, error) {
	if !sc.round.IsOpen() {
		return nil, survey.Errorf(survey.ECONFLICT, "round %s is %s; answers can change only while it is open", sc.round.ID, sc.round.State)
	}
	if err := patch.Validate(sc.q); err != nil {
		return nil, err
	}
	var changed []string
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
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

// submitScoped submits the response in scope (POST …/submit): complete
// answers only, scores frozen in a snapshot, audited.
func (s *Server) submitScoped(c *gin.Context, sc *responseScope) (*survey.Response, error) {
	if !sc.round.IsOpen() {
		return nil, survey.Errorf(survey.ECONFLICT, "round %s is %s; responses can be submitted only while it is open", sc.round.ID, sc.round.State)
	}
	p := principal(c)
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
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

// reopenScoped reopens a submitted response with a reason (POST …/reopen).
func (s *Server) reopenScoped(c *gin.Context, sc *responseScope, req reopenRequest) (*survey.Response, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	r, err := s.store.UpdateResponse(c, sc.round.ID, sc.dept, func(r *survey.Response) error {
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

// addDepartment creates a department (POST /api/v1/departments).
func (s *Server) addDepartment(c *gin.Context, req createDepartmentRequest) (*survey.Department, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	now := s.now()
	d := &survey.Department{
		Code: req.Code, NameEN: strings.TrimSpace(req.NameEN), NameZH: strings.TrimSpace(req.NameZH),
		Bureau: strings.TrimSpace(req.Bureau), Active: true, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateDepartment(c, d); err != nil {
		return nil, err
	}
	s.audit(c, "department.create", "", d.Code, nil)
	return d, nil
}

// changeDepartment edits a department's names, bureau or active flag
// (PATCH /api/v1/departments/:code).
func (s *Server) changeDepartment(c *gin.Context, code string, req updateDepartmentRequest) (*survey.Department, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, validationError(err)
	}
	d, err := s.store.Department(c, code)
	if err != nil {
		return nil, err
	}
	changed := map[string]any{}
	set := func(field string, dst *string, v *string) {
		if v != nil && strings.TrimSpace(*v) != *dst {
			*dst = strings.TrimSpace(*v)
			changed[field] = *dst
		}
	}
	set("name_en", &d.NameEN, req.NameEN)
	set("name_zh", &d.NameZH, req.NameZH)
	set("bureau", &d.Bureau, req.Bureau)
	if req.Active != nil && *req.Active != d.Active {
		d.Active = *req.Active
		changed["active"] = d.Active
	}
	if len(changed) > 0 {
		d.UpdatedAt = s.now()
		if err := s.store.UpdateDepartment(c, d); err != nil {
			return nil, err
		}
		s.audit(c, "department.update", "", d.Code, changed)
	}
	return d, nil
}

// issue creates a credential and returns its token, shown once (POST
// /api/v1/credentials).
func (s *Server) issue(c *gin.Context, req issueCredentialRequest) (*survey.Credential, string, error) {
	if err := s.validate.Struct(req); err != nil {
		return nil, "", validationError(err)
	}
	if req.Role == survey.RoleRespondent {
		d, err := s.store.Department(c, req.Department)
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !d.Active) {
			return nil, "", survey.Invalid("invalid credential", survey.FieldError{Field: "department", Message: "is not an active department"})
		}
		if err != nil {
			return nil, "", err
		}
	}
	cred, token, err := survey.NewCredential(req.Role, req.Department, strings.TrimSpace(req.Label), s.now())
	if err != nil {
		return nil, "", err
	}
	if err := s.store.CreateCredential(c, cred); err != nil {
		return nil, "", err
	}
	s.audit(c, "credential.issue", "", cred.Department, map[string]any{"credential": cred.ID, "role": cred.Role})
	return cred, token, nil
}

// revoke revokes a credential at once on this instance (DELETE
// /api/v1/credentials/:id).
func (s *Server) revoke(c *gin.Context, id string) error {
	cred, err := s.store.RevokeCredential(c, id, s.now())
	if err != nil {
		return err
	}
	s.creds.forget(cred.Hash)
	s.audit(c, "credential.revoke", "", cred.Department, map[string]any{"credential": cred.ID})
	return nil
}

// addRound creates a round in state draft on a questionnaire of the bank
// (POST /api/v1/rounds). opens and closes are already parsed.
func (s *Server) addRound(c *gin.Context, req createRoundRequest, opens, closes time.Time) (*survey.Round, error) {
	var fields []survey.FieldError
	if err := s.validate.Struct(req); err != nil {
		if e, ok := validationError(err).(*survey.Error); ok {
			fields = append(fields, e.Fields...)
		} else {
			return nil, err
		}
	}
	q := s.bankQuestionnaire(req.Questionnaire, req.QuestionnaireVersion)
	if q == nil {
		fields = append(fields, survey.FieldError{Field: "questionnaire", Message: "is not a questionnaire (and version) of the bank"})
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid round", fields...)
	}
	now := s.now()
	r := &survey.Round{
		ID: req.ID, Title: survey.Text{EN: strings.TrimSpace(req.TitleEN), ZH: strings.TrimSpace(req.TitleZH)},
		QuestionnaireID: q.ID, QuestionnaireVersion: q.Version,
		OpensAt: opens, ClosesAt: closes, State: survey.RoundDraft, CreatedAt: now, UpdatedAt: now,
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := s.store.CreateRound(c, r, q); err != nil {
		return nil, err
	}
	s.audit(c, "round.create", r.ID, "", map[string]any{"questionnaire": q.ID, "version": q.Version})
	return r, nil
}

// changeRoundState moves a round between draft, open and closed (PATCH
// /api/v1/rounds/:round with a state).
func (s *Server) changeRoundState(c *gin.Context, id, state string) (*survey.Round, error) {
	var before string
	r, err := s.store.UpdateRound(c, id, func(r *survey.Round) error {
		before = r.State
		next, err := r.Apply(survey.RoundChange{State: &state}, s.now())
		*r = next
		return err
	})
	if err != nil {
		return nil, err
	}
	details := map[string]any{}
	if r.State != before {
		details["state"] = before + "->" + r.State
	}
	s.audit(c, "round.update", r.ID, "", details)
	return r, nil
}
