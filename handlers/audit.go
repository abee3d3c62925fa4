package handlers

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// audit appends an event for a change that has been made. The change is
// already stored, so a failure here must not turn it into an error for the
// caller; it is retried once and then logged loudly.
func (s *Server) audit(c *gin.Context, action, round, dept string, details map[string]any) {
	ev, err := survey.NewAuditEvent(s.now(), principal(c).Actor(), action, round, dept, details)
	if err == nil {
		ctx := c.Request.Context()
		if err = s.store.AppendAudit(ctx, ev); err != nil {
			err = s.store.AppendAudit(ctx, ev)
		}
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit event lost", slog.String("request_id", requestID(c)),
			slog.String("action", action), slog.String("round", round), slog.String("department", dept), slog.Any("error", err))
	}
}
