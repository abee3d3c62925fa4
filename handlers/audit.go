package handlers

import (
	"log/slog"
	"net/http"

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

type auditQuery struct {
	Round      string `form:"round" json:"round" validate:"omitempty,roundid"`
	Department string `form:"department" json:"department" validate:"omitempty,deptcode"`
	Before     string `form:"before" json:"before" validate:"max=64"`
	Limit      int    `form:"limit" json:"limit" validate:"min=0,max=500"`
}

// listAudit pages through audit events, newest first. next_before is the
// cursor of the following page, absent on the last one.
func (s *Server) listAudit(c *gin.Context) {
	var q auditQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		s.fail(c, malformed("invalid query parameters: limit must be a whole number"))
		return
	}
	if err := s.validate.Struct(q); err != nil {
		s.fail(c, validationError(err))
		return
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	events, err := s.store.Audit(c, survey.AuditFilter{Round: q.Round, Department: q.Department, Before: q.Before, Limit: q.Limit + 1})
	if err != nil {
		s.fail(c, err)
		return
	}
	body := gin.H{}
	if len(events) > q.Limit {
		events = events[:q.Limit]
		body["next_before"] = events[len(events)-1].ID
	}
	body["events"] = events
	c.JSON(http.StatusOK, body)
}
