package survey

import (
	"strings"
	"time"
)

// SendBack records why an approver returned a ready response to its
// preparers.
type SendBack struct {
	At     time.Time `json:"at" bson:"at"`
	ByName string    `json:"by_name" bson:"by_name"`
	Reason string    `json:"reason" bson:"reason"`
}

// MarkReady records that a preparer asked the department's approvers to
// submit r (a copy the caller owns): every question must be answered as for
// a submission (422 listing what is missing), and r must be in progress
// (409 when already ready or submitted).
func (r *Response) MarkReady(q *Questionnaire, byName string, now time.Time) error {
	switch r.Status {
	case StatusSubmitted:
		return Errorf(ECONFLICT, "the response is already submitted")
	case StatusReady:
		return Errorf(ECONFLICT, "the department's approvers have already been asked to submit")
	}
	if problems := r.SubmissionProblems(q); len(problems) > 0 {
		return Invalid("the response is not complete: answer every question and give a reason for each N/A", problems...)
	}
	r.Status = StatusReady
	r.ReadyAt, r.ReadyByName = &now, byName
	r.UpdatedAt = &now
	r.Version++
	return nil
}

// SendBackToPreparers returns a ready response (a copy the caller owns) to
// in_progress with the approver's reason (required, at most
// MaxReasonLength characters). Only a ready response can be sent back (409).
func (r *Response) SendBackToPreparers(reason, byName string, now time.Time) error {
	if err := ValidateReopenReason(reason); err != nil {
		return err
	}
	if r.Status != StatusReady {
		return Errorf(ECONFLICT, "only a response waiting for approval can be sent back")
	}
	r.Status = StatusInProgress
	r.ReadyAt, r.ReadyByName = nil, ""
	r.SentBack = &SendBack{At: now, ByName: byName, Reason: strings.TrimSpace(reason)}
	r.UpdatedAt = &now
	r.Version++
	return nil
}

// MaySubmit says whether p may submit its department's response:
// administrators always (on the department's behalf), approvers always, and
// any respondent of a department that has no approver.
func (p Principal) MaySubmit(departmentHasApprover bool) bool {
	switch {
	case p.Role == RoleAdmin:
		return true
	case p.Role != RoleRespondent:
		return false
	case p.Approver:
		return true
	}
	return !departmentHasApprover
}
