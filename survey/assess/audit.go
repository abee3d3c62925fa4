package assess

import (
	"context"
	"log/slog"

	"github.com/dpo/dgsurvey/survey"
)

// audit appends an event for a change that has been made. The change is
// already stored, so a failure here must not turn it into an error for the
// caller; it is retried once and then logged loudly.
func (s *Service) audit(ctx context.Context, p survey.Principal, action, round, dept string, details map[string]any) {
	ev, err := survey.NewAuditEvent(s.now(), p.Actor(), action, round, dept, details)
	if err == nil {
		ev.ActorName = p.DisplayName()
		if err = s.store.AppendAudit(ctx, ev); err != nil {
			err = s.store.AppendAudit(ctx, ev)
		}
	}
	if err != nil {
		s.log.ErrorContext(ctx, "audit event lost", slog.String("request_id", RequestID(ctx)),
			slog.String("action", action), slog.String("round", round), slog.String("department", dept), slog.Any("error", err))
	}
}

// AuditQuery selects a page of audit events, newest first.
type AuditQuery struct {
	Round      string `form:"round"`
	Department string `form:"department"`
	Before     string `form:"before"`
	Limit      int    `form:"limit"`
}

// AuditPage is one page of events; NextBefore is the cursor of the next
// page, empty on the last.
type AuditPage struct {
	Events     []survey.AuditEvent `json:"events"`
	NextBefore string              `json:"next_before,omitempty"`
}

// ListAudit pages through the audit trail (admin).
func (s *Service) ListAudit(ctx context.Context, p survey.Principal, q AuditQuery) (*AuditPage, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	if q.Round != "" && !survey.ValidRoundID(q.Round) {
		fields = append(fields, survey.Fault("round", survey.RulePattern, survey.PatternRound))
	}
	if q.Department != "" && !survey.ValidDepartmentCode(q.Department) {
		fields = append(fields, survey.Fault("department", survey.RulePattern, survey.PatternDepartment))
	}
	if len(q.Before) > 64 {
		fields = append(fields, survey.Fault("before", survey.RuleMaxLength, "64"))
	}
	if q.Limit < 0 {
		fields = append(fields, survey.Fault("limit", survey.RuleMin, "0"))
	}
	if q.Limit > 500 {
		fields = append(fields, survey.Fault("limit", survey.RuleMaxValue, "500"))
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid request", fields...)
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	events, err := s.store.Audit(ctx, survey.AuditFilter{Round: q.Round, Department: q.Department, Before: q.Before, Limit: q.Limit + 1})
	if err != nil {
		return nil, err
	}
	page := &AuditPage{Events: nonNil(events)}
	if len(events) > q.Limit {
		page.Events = events[:q.Limit]
		page.NextBefore = page.Events[len(page.Events)-1].ID
	}
	return page, nil
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
