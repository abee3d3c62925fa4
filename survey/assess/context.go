package assess

import (
	"context"
	"slices"

	"github.com/dpo/dgsurvey/survey"
)

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the request it serves, so
// the use cases' log lines can name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id ctx carries, "" when none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// visible refuses a draft round to everyone but admins, as if it did not
// exist: departments and planners learn of a round when it opens.
func visible(p survey.Principal, r *survey.Round) error {
	if r.State == survey.RoundDraft && p.Role != survey.RoleAdmin {
		return survey.Errorf(survey.ENOTFOUND, "round %s not found", r.ID)
	}
	return nil
}

// requireRole refuses a principal whose role is not one of roles (403).
// The route table checks roles too; this keeps each use case safe on its own.
func requireRole(p survey.Principal, roles ...string) error {
	if !slices.Contains(roles, p.Role) {
		return survey.Errorf(survey.EFORBIDDEN, "your role may not do this")
	}
	return nil
}
