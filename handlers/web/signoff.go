package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
)

// signOffView is what the response pages show of the sign-off: who asked
// for approval, why it was sent back, the receipt of a submission, and
// which buttons the signed-in user gets.
type signOffView struct {
	assess.SignOffState
	ReadyByName string
	ReadyAt     *time.Time
	SentBack    *survey.SendBack
	// Receipt of a submitted response.
	SubmittedByName string
	SHA256          string
}

// fillSignOff adds the sign-off to a response's header.
func (pg *Pages) fillSignOff(c *gin.Context, h *responseHeader, r *survey.Response) error {
	st, err := pg.svc.SignOff(c, httpx.Principal(c), h.Dept, r.Status)
	if err != nil {
		return err
	}
	h.SignOff = signOffView{SignOffState: st, ReadyByName: r.ReadyByName, ReadyAt: r.ReadyAt, SentBack: r.SentBack}
	if r.Status == survey.StatusSubmitted {
		h.SignOff.SubmittedByName = survey.NameOr(r.SubmittedByName, r.SubmittedBy)
		h.SignOff.SHA256 = r.AnswersSHA256
	}
	return nil
}

// askApproval marks the response ready for the department's approvers.
func (pg *Pages) askApproval(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	if _, err := pg.svc.AskApproval(c, httpx.Principal(c), lr.sc.Round.ID, lr.sc.Department, assess.Precondition{}); err != nil {
		if survey.ErrorCode(err) == survey.EINVALID {
			pg.renderReview(c, http.StatusUnprocessableEntity, lr)
			return
		}
		pg.Fail(c, err)
		return
	}
	redirect(c, lr.h.Base+"?flash=approval-asked")
}

// sendBack returns a ready response to its preparers with a reason.
func (pg *Pages) sendBack(c *gin.Context) {
	lr, err := pg.loadResponse(c, "")
	if err != nil {
		pg.Fail(c, err)
		return
	}
	reason := c.Request.PostFormValue("reason")
	if _, err := pg.svc.SendBack(c, httpx.Principal(c), lr.sc.Round.ID, lr.sc.Department, reason, assess.Precondition{}); err != nil {
		pg.Fail(c, err)
		return
	}
	redirect(c, lr.h.Base+"?flash=sent-back")
}
