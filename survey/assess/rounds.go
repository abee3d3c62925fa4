package assess

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// NewRound is what an administrator gives to create a round. Times are RFC
// 3339 text, as the API and the forms carry them.
type NewRound struct {
	ID                   string `json:"id"`
	TitleEN              string `json:"title_en"`
	TitleZH              string `json:"title_zh"`
	Questionnaire        string `json:"questionnaire"`
	QuestionnaireVersion int    `json:"questionnaire_version"`
	OpensAt              string `json:"opens_at"`
	ClosesAt             string `json:"closes_at"`
	// PrefillFrom names an earlier round of the same questionnaire whose
	// submitted answers each department starts from (prefill.go).
	PrefillFrom string `json:"prefill_from,omitempty"`
}

// CreateRound creates a round in state draft on a published questionnaire
// version (built-in or uploaded; a draft version is 422), keeping its own
// copy of the questionnaire (admin).
func (s *Service) CreateRound(ctx context.Context, p survey.Principal, in NewRound) (*survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	opens := parseTime("opens_at", in.OpensAt, &fields)
	closes := parseTime("closes_at", in.ClosesAt, &fields)
	now := s.now()
	r := &survey.Round{
		ID: in.ID, Title: survey.Text{EN: strings.TrimSpace(in.TitleEN), ZH: strings.TrimSpace(in.TitleZH)},
		OpensAt: opens, ClosesAt: closes, State: survey.RoundDraft, CreatedAt: now, UpdatedAt: now,
	}
	if err := r.Validate(); err != nil {
		fields = appendFields(fields, err)
	}
	var q *survey.Questionnaire
	switch {
	case in.QuestionnaireVersion < 0:
		fields = append(fields, survey.Fault("questionnaire_version", survey.RuleMin, "0"))
	case !survey.ValidItemID(in.Questionnaire):
		fields = append(fields, survey.Fault("questionnaire", survey.RulePattern, survey.PatternItem))
	default:
		v, err := s.lookup(ctx, in.Questionnaire, in.QuestionnaireVersion)
		switch {
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			fields = append(fields, survey.Fault("questionnaire", survey.RuleUnknown, "questionnaire"))
		case err != nil:
			return nil, err
		case !v.Published():
			fields = append(fields, survey.Fault("questionnaire_version", survey.RuleDraft, strconv.Itoa(v.Number)))
		default:
			q = v.Questionnaire
		}
	}
	if q != nil && in.PrefillFrom != "" {
		if err := s.checkPrefillFrom(ctx, in.PrefillFrom, q, &fields); err != nil {
			return nil, err
		}
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid round", dedupe(fields)...)
	}
	r.QuestionnaireID, r.QuestionnaireVersion = q.ID, q.Version
	r.PrefillFrom = in.PrefillFrom
	if err := s.store.CreateRound(ctx, r, q); err != nil {
		return nil, err
	}
	details := map[string]any{"questionnaire": q.ID, "version": q.Version}
	if r.PrefillFrom != "" {
		details["prefill_from"] = r.PrefillFrom
	}
	s.audit(ctx, p, "round.create", r.ID, "", details)
	return r, nil
}

// parseTime reads an RFC 3339 time; an empty or malformed value records a
// field error (empty: required).
func parseTime(field, v string, fields *[]survey.FieldError) time.Time {
	if strings.TrimSpace(v) == "" {
		*fields = append(*fields, survey.Fault(field, survey.RuleRequired, ""))
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		*fields = append(*fields, survey.Fault(field, survey.RuleTime, ""))
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// appendFields adds the field errors of an EINVALID error.
func appendFields(fields []survey.FieldError, err error) []survey.FieldError {
	var e *survey.Error
	if errors.As(err, &e) {
		return append(fields, e.Fields...)
	}
	return fields
}

// dedupe keeps the first error of each field: a missing time is reported
// once, not again by the round's own date checks.
func dedupe(fields []survey.FieldError) []survey.FieldError {
	seen := map[string]bool{}
	out := fields[:0]
	for _, f := range fields {
		if !seen[f.Field] {
			seen[f.Field] = true
			out = append(out, f)
		}
	}
	return out
}

// Rounds lists the rounds p may see (drafts only for admins).
func (s *Service) Rounds(ctx context.Context, p survey.Principal) ([]survey.Round, error) {
	rs, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	out := []survey.Round{}
	for _, r := range rs {
		if visible(p, &r) == nil {
			out = append(out, ownExtensions(p, r))
		}
	}
	return out, nil
}

// ownExtensions leaves only what p may see of a round's extensions: all of
// them for admins, a respondent's own department's, none for planners.
// Another department's deadline and its reason are its own business.
func ownExtensions(p survey.Principal, r survey.Round) survey.Round {
	if p.Role == survey.RoleAdmin || len(r.Extensions) == 0 {
		return r
	}
	own := r.Extensions[p.Department]
	r.Extensions = nil
	if p.Role == survey.RoleRespondent && !own.ClosesAt.IsZero() {
		r.Extensions = map[string]survey.Extension{p.Department: own}
	}
	return r
}

// Round reads one round.
func (s *Service) Round(ctx context.Context, p survey.Principal, id string) (*survey.Round, error) {
	r, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := visible(p, r); err != nil {
		return nil, err
	}
	own := ownExtensions(p, *r)
	return &own, nil
}

// RoundEdit is a partial change of a round as the API and forms carry it;
// nil fields stay as they are.
type RoundEdit struct {
	State    *string `json:"state"`
	OpensAt  *string `json:"opens_at"`
	ClosesAt *string `json:"closes_at"`
	TitleEN  *string `json:"title_en"`
	TitleZH  *string `json:"title_zh"`
}

// ChangeRound opens, closes, retitles or re-dates a round (admin), audited
// with the fields as given and a state move as "before->after".
func (s *Service) ChangeRound(ctx context.Context, p survey.Principal, id string, in RoundEdit, pre Precondition) (*survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	ch := survey.RoundChange{State: in.State, TitleEN: in.TitleEN, TitleZH: in.TitleZH}
	var fields []survey.FieldError
	details := map[string]any{}
	for k, v := range map[string]*string{"opens_at": in.OpensAt, "closes_at": in.ClosesAt, "title_en": in.TitleEN, "title_zh": in.TitleZH} {
		if v != nil {
			details[k] = *v
		}
	}
	if in.OpensAt != nil {
		t := parseTime("opens_at", *in.OpensAt, &fields)
		ch.OpensAt = &t
	}
	if in.ClosesAt != nil {
		t := parseTime("closes_at", *in.ClosesAt, &fields)
		ch.ClosesAt = &t
	}
	if in.State != nil && *in.State != survey.RoundDraft && *in.State != survey.RoundOpen && *in.State != survey.RoundClosed {
		fields = append(fields, survey.Fault("state", survey.RuleOneOf, "draft open closed"))
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid round change", fields...)
	}
	var before string
	r, err := s.store.UpdateRound(ctx, id, func(r *survey.Round) error {
		before = r.State
		if err := pre.checkVersion("round", r.Version); err != nil {
			return err
		}
		next, err := r.Apply(ch, s.now())
		if err == nil && next.Version == r.Version {
			return errUnchanged
		}
		*r = next
		return err
	})
	if errors.Is(err, errUnchanged) {
		return s.Round(ctx, p, id)
	}
	if err != nil {
		return nil, err
	}
	if r.State != before {
		details["state"] = before + "->" + r.State
	}
	s.audit(ctx, p, "round.update", r.ID, "", details)
	return r, nil
}

// RoundQuestionnaire returns the round's own copy of its questionnaire,
// from memory after the first read.
func (s *Service) RoundQuestionnaire(ctx context.Context, round string) (*survey.Questionnaire, error) {
	if q, ok := s.roundQuestionnaires.Load(round); ok {
		return q.(*survey.Questionnaire), nil
	}
	q, err := s.store.RoundQuestionnaire(ctx, round)
	if err != nil {
		return nil, err
	}
	s.roundQuestionnaires.Store(round, q)
	return q, nil
}

// RoundBasics is what every view of a whole round starts from: the round,
// its questionnaire and the departments (in code order and by code).
type RoundBasics struct {
	Round         *survey.Round
	Questionnaire *survey.Questionnaire
	Departments   []survey.Department
	ByCode        map[string]survey.Department
}

// loadRound reads a round's basics: the round and the departments (the
// questionnaire comes from memory after its first read).
func (s *Service) loadRound(ctx context.Context, roundID string) (*RoundBasics, error) {
	round, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	q, err := s.RoundQuestionnaire(ctx, roundID)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Departments(ctx)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]survey.Department, len(list))
	for _, d := range list {
		byCode[d.Code] = d
	}
	return &RoundBasics{Round: round, Questionnaire: q, Departments: list, ByCode: byCode}, nil
}

// ExtensionInput is a department's own deadline and the reason for it.
type ExtensionInput struct {
	ClosesAt string `json:"closes_at"`
	Reason   string `json:"reason"`
}

// ExtendDeadline gives a department its own deadline in a round (admin),
// audited with the reason.
func (s *Service) ExtendDeadline(ctx context.Context, p survey.Principal, round, dept string, in ExtensionInput) (*survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	closes := parseTime("closes_at", in.ClosesAt, &fields)
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid extension", fields...)
	}
	if _, err := s.store.Department(ctx, dept); err != nil {
		return nil, err
	}
	r, err := s.store.UpdateRound(ctx, round, func(r *survey.Round) error {
		return r.Extend(dept, closes, in.Reason, p.Actor(), s.now())
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "round.extend", round, dept, map[string]any{"closes_at": r.Deadline(dept), "reason": r.Extensions[dept].Reason})
	return r, nil
}

// RemoveExtension takes a department's own deadline away (admin), audited.
func (s *Service) RemoveExtension(ctx context.Context, p survey.Principal, round, dept string) (*survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	r, err := s.store.UpdateRound(ctx, round, func(r *survey.Round) error { return r.Unextend(dept, s.now()) })
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "round.unextend", round, dept, nil)
	return r, nil
}
