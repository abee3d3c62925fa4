package survey

import (
	"sort"
	"strings"
	"time"
)

// Response statuses.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusReady      = "ready"
	StatusSubmitted  = "submitted"
)

// Limits on free text in answers, in characters.
const (
	MaxCommentLength = 4000
	MaxReasonLength  = 1000
)

// Answer is one department's answer to one question.
type Answer struct {
	Level     *int      `json:"level" bson:"level,omitempty"`
	NA        bool      `json:"na" bson:"na,omitempty"`
	NAReason  string    `json:"na_reason" bson:"na_reason,omitempty"`
	Comment   string    `json:"comment" bson:"comment,omitempty"`
	Evidence  string    `json:"evidence" bson:"evidence,omitempty"`
	Rev       int       `json:"rev" bson:"rev"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	UpdatedBy string    `json:"updated_by" bson:"updated_by"`
	// Carried marks an answer copied from the department's submitted answer
	// in the round CarriedFrom (pre-fill); CarriedQuestion names the earlier
	// question when its id differs. It counts as answered only once
	// Confirmed: by {"confirm": true} or by any change of it.
	Carried         bool   `json:"carried" bson:"carried,omitempty"`
	CarriedFrom     string `json:"carried_from,omitempty" bson:"carried_from,omitempty"`
	CarriedQuestion string `json:"carried_question,omitempty" bson:"carried_question,omitempty"`
	Confirmed       bool   `json:"confirmed" bson:"confirmed,omitempty"`
	// UpdatedByName is the name of who made the change (a credential's
	// label for a token client), shown instead of the id.
	UpdatedByName string `json:"updated_by_name,omitempty" bson:"updated_by_name,omitempty"`
}

// Answered reports whether the answer counts towards progress: a level, or
// N/A, and for a carried answer only once confirmed.
func (a *Answer) Answered() bool { return a != nil && (a.Level != nil || a.NA) && !a.Unconfirmed() }

// Response is one department's response in one round.
type Response struct {
	Round       string             `json:"round" bson:"round"`
	Department  string             `json:"department" bson:"department"`
	Status      string             `json:"status" bson:"status"`
	Version     int                `json:"version" bson:"version"`
	Answers     map[string]*Answer `json:"answers" bson:"answers"`
	Answered    int                `json:"-" bson:"answered"`
	UpdatedAt   *time.Time         `json:"updated_at" bson:"updated_at,omitempty"`
	SubmittedAt *time.Time         `json:"submitted_at" bson:"submitted_at,omitempty"`
	SubmittedBy string             `json:"submitted_by,omitempty" bson:"submitted_by,omitempty"`
	// SubmittedByName is the submitter's name, shown instead of the id.
	SubmittedByName string `json:"submitted_by_name,omitempty" bson:"submitted_by_name,omitempty"`
	// AnswersSHA256 is the receipt of a submission: the SHA-256 of the
	// submitted answers' canonical bytes (AnswersDigest).
	AnswersSHA256 string `json:"answers_sha256,omitempty" bson:"answers_sha256,omitempty"`
	// ReadyAt, ReadyBy and ReadyByName: a preparer asked the department's
	// approvers to submit (status ready).
	ReadyAt     *time.Time `json:"ready_at,omitempty" bson:"ready_at,omitempty"`
	ReadyByName string     `json:"ready_by_name,omitempty" bson:"ready_by_name,omitempty"`
	// SentBack is the approver's reason the last time a ready response was
	// sent back to its preparers.
	SentBack *SendBack `json:"sent_back,omitempty" bson:"sent_back,omitempty"`
	// Snapshot holds the scores frozen at submission, so that later changes to
	// targets or the bank never rewrite a submitted result.
	Snapshot *Scores `json:"-" bson:"snapshot,omitempty"`
}

// NewResponse is the empty response of a department that never answered.
func NewResponse(round, dept string) *Response {
	return &Response{Round: round, Department: dept, Status: StatusNotStarted, Answers: map[string]*Answer{}}
}

// ResponseID is the deterministic store key of a response.
func ResponseID(round, dept string) string { return round + "/" + dept }

// CountAnswered counts answered questions that belong to q.
func (r *Response) CountAnswered(q *Questionnaire) int {
	n := 0
	for _, id := range q.QuestionIDs() {
		if r.Answers[id].Answered() {
			n++
		}
	}
	return n
}

// SubmissionProblems lists every question that stops r from being
// submitted: unanswered, or N/A without a reason.
func (r *Response) SubmissionProblems(q *Questionnaire) []FieldError {
	var fields []FieldError
	for _, id := range q.QuestionIDs() {
		a := r.Answers[id]
		switch {
		case a.Unconfirmed():
			fields = append(fields, Fault("answers."+id, RuleUnconfirmed, a.CarriedFrom))
		case !a.Answered():
			fields = append(fields, Fault("answers."+id, RuleUnanswered, ""))
		case a.NA && strings.TrimSpace(a.NAReason) == "":
			fields = append(fields, Fault("answers."+id+".na_reason", RuleReasonRequired, ""))
		}
	}
	return append(fields, r.naRuleProblems(q)...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
