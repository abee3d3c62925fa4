package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

func (s *Server) listQuestionnaires(c *gin.Context) {
	out := make([]survey.QuestionnaireSummary, 0, len(s.cfg.Questionnaires))
	for _, q := range s.cfg.Questionnaires {
		out = append(out, q.Summary())
	}
	c.JSON(http.StatusOK, gin.H{"questionnaires": out})
}

func (s *Server) getQuestionnaire(c *gin.Context) {
	version := 0
	if v := c.Query("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(c, survey.Invalid("invalid version", survey.FieldError{Field: "version", Message: "must be a positive whole number"}))
			return
		}
		version = n
	}
	q := s.bankQuestionnaire(c.Param("id"), version)
	if q == nil {
		s.fail(c, survey.Errorf(survey.ENOTFOUND, "questionnaire %s not found", c.Param("id")))
		return
	}
	c.JSON(http.StatusOK, q)
}

// bankQuestionnaire finds a questionnaire of the bank; version 0 means the latest.
func (s *Server) bankQuestionnaire(id string, version int) *survey.Questionnaire {
	var found *survey.Questionnaire
	for _, q := range s.cfg.Questionnaires {
		if q.ID != id || (version != 0 && q.Version != version) {
			continue
		}
		if found == nil || q.Version > found.Version {
			found = q
		}
	}
	return found
}

type createRoundRequest struct {
	ID                   string `json:"id" validate:"required,roundid"`
	TitleEN              string `json:"title_en" validate:"notblank,max=200"`
	TitleZH              string `json:"title_zh" validate:"notblank,max=200"`
	Questionnaire        string `json:"questionnaire" validate:"required,itemid"`
	QuestionnaireVersion int    `json:"questionnaire_version" validate:"min=0"`
	OpensAt              string `json:"opens_at" validate:"required"`
	ClosesAt             string `json:"closes_at" validate:"required"`
}

func (s *Server) createRound(c *gin.Context) {
	var req createRoundRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var fields []survey.FieldError
	opens := parseTime("opens_at", req.OpensAt, &fields)
	closes := parseTime("closes_at", req.ClosesAt, &fields)
	if len(fields) > 0 {
		s.fail(c, survey.Invalid("invalid round", fields...))
		return
	}
	r, err := s.addRound(c, req, opens, closes)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
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

// parseTime reads an RFC 3339 time, recording a field error when it is not one.
func parseTime(field, v string, fields *[]survey.FieldError) time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		*fields = append(*fields, survey.FieldError{Field: field, Message: "must be an RFC 3339 time such as 2026-01-05T09:00:00+08:00"})
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

func (s *Server) listRounds(c *gin.Context) {
	rs, err := s.store.Rounds(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rounds": nonNil(rs)})
}

func (s *Server) getRound(c *gin.Context) {
	r, err := s.store.Round(c, c.Param("round"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

type updateRoundRequest struct {
	State    *string `json:"state" validate:"omitnil,oneof=draft open closed"`
	OpensAt  *string `json:"opens_at"`
	ClosesAt *string `json:"closes_at"`
	TitleEN  *string `json:"title_en" validate:"omitnil,notblank,max=200"`
	TitleZH  *string `json:"title_zh" validate:"omitnil,notblank,max=200"`
}

func (s *Server) updateRound(c *gin.Context) {
	var req updateRoundRequest
	if err := s.bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ch := survey.RoundChange{State: req.State, TitleEN: req.TitleEN, TitleZH: req.TitleZH}
	var fields []survey.FieldError
	details := map[string]any{}
	for k, v := range map[string]*string{"opens_at": req.OpensAt, "closes_at": req.ClosesAt, "title_en": req.TitleEN, "title_zh": req.TitleZH} {
		if v != nil {
			details[k] = *v
		}
	}
	if req.OpensAt != nil {
		t := parseTime("opens_at", *req.OpensAt, &fields)
		ch.OpensAt = &t
	}
	if req.ClosesAt != nil {
		t := parseTime("closes_at", *req.ClosesAt, &fields)
		ch.ClosesAt = &t
	}
	if len(fields) > 0 {
		s.fail(c, survey.Invalid("invalid round change", fields...))
		return
	}
	r, err := s.changeRound(c, c.Param("round"), ch, details)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// changeRound applies a change to a round and audits it with details (the
// fields as given); a state move is recorded as "before->after".
func (s *Server) changeRound(c *gin.Context, id string, ch survey.RoundChange, details map[string]any) (*survey.Round, error) {
	var before string
	r, err := s.store.UpdateRound(c, id, func(r *survey.Round) error {
		before = r.State
		next, err := r.Apply(ch, s.now())
		*r = next
		return err
	})
	if err != nil {
		return nil, err
	}
	if r.State != before {
		details["state"] = before + "->" + r.State
	}
	s.audit(c, "round.update", r.ID, "", details)
	return r, nil
}

// changeRoundState moves a round between draft, open and closed.
func (s *Server) changeRoundState(c *gin.Context, id, state string) (*survey.Round, error) {
	return s.changeRound(c, id, survey.RoundChange{State: &state}, map[string]any{})
}

// roundQuestionnaire returns the round's own copy of its questionnaire,
// from memory after the first read.
func (s *Server) roundQuestionnaire(c *gin.Context, round string) (*survey.Questionnaire, error) {
	if q, ok := s.roundQuestionnaires.Load(round); ok {
		return q.(*survey.Questionnaire), nil
	}
	q, err := s.store.RoundQuestionnaire(c, round)
	if err != nil {
		return nil, err
	}
	s.roundQuestionnaires.Store(round, q)
	return q, nil
}
