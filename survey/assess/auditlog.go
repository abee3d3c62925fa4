package assess

import (
	"context"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// ActionReopen is the audit action of a reopened submission.
const ActionReopen = "response.reopen"

// AuditActions are the kinds of change the audit trail records.
var AuditActions = []string{"response.answer", "response.submit", ActionReopen, "round.create", "round.update",
	"round.extend", "round.unextend", "department.create", "department.update", "credential.issue", "credential.revoke", "bureau.create", "bureau.update"}

// Reopening is the latest reopening of one department's submission: when,
// by whom (the actor) and why.
type Reopening struct {
	Department string
	At         time.Time
	Actor      string
	Reason     string
}

func reopeningOf(ev survey.AuditEvent) Reopening {
	r := Reopening{Department: ev.Department, At: ev.At, Actor: ev.Actor}
	if reason, ok := ev.Details["reason"].(string); ok {
		r.Reason = reason
	}
	return r
}

// Reopenings lists, per department, the latest reopening of a submission
// in the round (admin), for the dashboard's "Reopened" status. Responses
// are reopened rarely, so this reads only reopen events.
func (s *Service) Reopenings(ctx context.Context, p survey.Principal, round string) (map[string]Reopening, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	out := map[string]Reopening{}
	f := survey.AuditFilter{Round: round, Action: ActionReopen, Limit: 500}
	for {
		events, err := s.store.Audit(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, ev := range events {
			if _, seen := out[ev.Department]; !seen { // newest first
				out[ev.Department] = reopeningOf(ev)
			}
		}
		if len(events) < f.Limit {
			return out, nil
		}
		f.Before = events[len(events)-1].ID
	}
}

// LastReopening is the latest reopening of the department's submission in
// the round, nil when it was never reopened; anyone who may read the
// response may read it, so respondents learn that, when and why.
func (s *Service) LastReopening(ctx context.Context, p survey.Principal, round, dept string) (*Reopening, error) {
	if _, err := s.scope(ctx, p, round, dept); err != nil {
		return nil, err
	}
	events, err := s.store.Audit(ctx, survey.AuditFilter{Round: round, Department: dept, Action: ActionReopen, Limit: 1})
	if err != nil || len(events) == 0 {
		return nil, err
	}
	r := reopeningOf(events[0])
	return &r, nil
}

// AuditView selects a page of the audit trail for the audit page: the
// API's filters and an action prefix ("response.", say).
type AuditView struct {
	AuditQuery
	Action string
}

// AuditTrail is ListAudit with an action filter, for the audit page.
func (s *Service) AuditTrail(ctx context.Context, p survey.Principal, q AuditView) (*AuditPage, error) {
	if q.Action != "" && (len(q.Action) > 64 || strings.ContainsAny(q.Action, " \t\r\n")) {
		return nil, survey.Invalid("invalid request", survey.Fault("action", survey.RuleMaxLength, "64"))
	}
	if q.Action == "" {
		return s.ListAudit(ctx, p, q.AuditQuery)
	}
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	switch {
	case q.Round != "" && !survey.ValidRoundID(q.Round):
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RulePattern, survey.PatternRound))
	case q.Department != "" && !survey.ValidDepartmentCode(q.Department):
		return nil, survey.Invalid("invalid request", survey.Fault("department", survey.RulePattern, survey.PatternDepartment))
	case len(q.Before) > 64:
		return nil, survey.Invalid("invalid request", survey.Fault("before", survey.RuleMaxLength, "64"))
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	events, err := s.store.Audit(ctx, survey.AuditFilter{Round: q.Round, Department: q.Department, Action: q.Action, Before: q.Before, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	page := &AuditPage{Events: nonNil(events)}
	if len(events) > limit {
		page.Events = events[:limit]
		page.NextBefore = page.Events[len(page.Events)-1].ID
	}
	return page, nil
}
