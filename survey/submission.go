package survey

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Submit freezes r (a copy the caller owns) as submitted by actor at now:
// every question answered and every N/A with a reason, the scores of q under
// targets kept as the snapshot that reports show from then on. It refuses a
// response that is already submitted (409) or incomplete (422, listing
// every question that stops it).
func (r *Response) Submit(q *Questionnaire, targets Targets, actor string, now time.Time) error {
	if r.Status == StatusSubmitted {
		return Errorf(ECONFLICT, "the response is already submitted")
	}
	if problems := r.SubmissionProblems(q); len(problems) > 0 {
		return Invalid("the response is not complete: answer every question and give a reason for each N/A", problems...)
	}
	snapshot := Score(q, r, targets)
	r.Snapshot = &snapshot
	r.Status = StatusSubmitted
	r.SubmittedAt, r.SubmittedBy = &now, actor
	r.UpdatedAt = &now
	r.Answered = r.CountAnswered(q)
	r.Version++
	return nil
}

// ValidateReopenReason checks the reason an administrator gives for
// reopening a submission: required, at most MaxReasonLength characters.
func ValidateReopenReason(reason string) error {
	if fe, ok := CheckText("reason", reason, MaxReasonLength, true); !ok {
		return Invalid("invalid reason", fe)
	}
	return nil
}

// Reopen returns a submitted response (a copy the caller owns) to
// in_progress so its department can change it again; the snapshot and the
// submitter are dropped. Only a submitted response can be reopened (409).
func (r *Response) Reopen(reason string, now time.Time) error {
	if err := ValidateReopenReason(reason); err != nil {
		return err
	}
	if r.Status != StatusSubmitted {
		return Errorf(ECONFLICT, "only a submitted response can be reopened")
	}
	r.Status = StatusInProgress
	r.Snapshot, r.SubmittedAt, r.SubmittedBy = nil, nil, ""
	r.UpdatedAt = &now
	r.Version++
	return nil
}

// CheckText checks a free-text field: required (when so) after trimming,
// and at most max characters.
func CheckText(field, value string, max int, required bool) (FieldError, bool) {
	switch {
	case required && strings.TrimSpace(value) == "":
		return Fault(field, RuleRequired, ""), false
	case utf8.RuneCountInString(value) > max:
		return Fault(field, RuleMaxLength, strconv.Itoa(max)), false
	}
	return FieldError{}, true
}
