package survey

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Response statuses.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
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
}

// Answered reports whether the answer counts towards progress: a level, or N/A.
func (a *Answer) Answered() bool { return a != nil && (a.Level != nil || a.NA) }

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

// AnswerInput is one item of a PATCH: the new value of a whole answer.
// A nil *AnswerInput in a patch clears the answer.
type AnswerInput struct {
	Level    *int   `json:"level"`
	NA       bool   `json:"na"`
	NAReason string `json:"na_reason"`
	Comment  string `json:"comment"`
	Evidence string `json:"evidence"`
	// BaseRev is the rev the client last saw; a mismatch is a conflict.
	BaseRev *int `json:"base_rev"`
}

// Patch maps question ids to their new answers (nil clears).
type Patch map[string]*AnswerInput

// Validate checks every item of the patch against q and lists every fault,
// each named by its JSON path. Ids that are not questions of q are refused
// here, before anything reaches the store.
func (p Patch) Validate(q *Questionnaire) error {
	if len(p) == 0 {
		return Invalid("no answers given", FieldError{"answers", "must name at least one question"})
	}
	idx := q.Index()
	var fields []FieldError
	for _, id := range sortedKeys(p) {
		in := p[id]
		path := "answers." + id
		ref, ok := idx[id]
		if !ok {
			fields = append(fields, FieldError{path, "is not a question of this round's questionnaire"})
			continue
		}
		if in == nil {
			continue
		}
		if in.Level != nil && (*in.Level < 0 || *in.Level > MaxLevel) {
			fields = append(fields, FieldError{path + ".level", fmt.Sprintf("must be between 0 and %d", MaxLevel)})
		}
		if in.Level != nil && in.NA {
			fields = append(fields, FieldError{path, "cannot have both a level and na"})
		}
		if in.NA && !ref.Question.NAAllowed {
			fields = append(fields, FieldError{path + ".na", "N/A is not allowed for this question"})
		}
		if !in.NA && in.NAReason != "" {
			fields = append(fields, FieldError{path + ".na_reason", "is only allowed with na: true"})
		}
		if in.BaseRev != nil && *in.BaseRev < 0 {
			fields = append(fields, FieldError{path + ".base_rev", "must not be negative"})
		}
		fields = appendText(fields, path+".comment", in.Comment, MaxCommentLength)
		fields = appendText(fields, path+".evidence", in.Evidence, MaxCommentLength)
		fields = appendText(fields, path+".na_reason", in.NAReason, MaxReasonLength)
	}
	if len(fields) > 0 {
		return Invalid("invalid answers", fields...)
	}
	return nil
}

func appendText(fields []FieldError, path, s string, max int) []FieldError {
	if utf8.RuneCountInString(s) > max {
		fields = append(fields, FieldError{path, fmt.Sprintf("must be at most %d characters", max)})
	}
	return fields
}

// Apply merges the patch into r (which must be a copy the caller owns) as
// actor at now. It checks every base_rev first and applies nothing when any
// differs. It returns the ids that actually changed; an item equal to the
// stored answer changes nothing and keeps its rev.
func (p Patch) Apply(r *Response, actor string, now time.Time) ([]string, error) {
	if r.Status == StatusSubmitted {
		return nil, Errorf(ECONFLICT, "the response has been submitted; an administrator must reopen it before it can change")
	}
	conflicts := map[string]*Answer{}
	for id, in := range p {
		if in == nil || in.BaseRev == nil {
			continue
		}
		cur := r.Answers[id]
		rev := 0
		if cur != nil {
			rev = cur.Rev
		}
		if rev != *in.BaseRev {
			conflicts[id] = cur
		}
	}
	if len(conflicts) > 0 {
		return nil, &AnswerConflictError{Current: conflicts}
	}
	if r.Answers == nil {
		r.Answers = map[string]*Answer{}
	}
	var changed []string
	for _, id := range sortedKeys(p) {
		in := p[id]
		cur := r.Answers[id]
		if in == nil {
			if cur != nil {
				delete(r.Answers, id)
				changed = append(changed, id)
			}
			continue
		}
		next := &Answer{
			Level: in.Level, NA: in.NA, NAReason: strings.TrimSpace(in.NAReason),
			Comment: in.Comment, Evidence: in.Evidence,
			UpdatedAt: now, UpdatedBy: actor,
		}
		if cur != nil && sameAnswer(cur, next) {
			continue
		}
		next.Rev = 1
		if cur != nil {
			next.Rev = cur.Rev + 1
		}
		r.Answers[id] = next
		changed = append(changed, id)
	}
	if len(changed) > 0 {
		r.Version++
		r.Status = StatusInProgress
		r.UpdatedAt = &now
	}
	return changed, nil
}

func sameAnswer(a, b *Answer) bool {
	sameLevel := (a.Level == nil && b.Level == nil) || (a.Level != nil && b.Level != nil && *a.Level == *b.Level)
	return sameLevel && a.NA == b.NA && a.NAReason == b.NAReason && a.Comment == b.Comment && a.Evidence == b.Evidence
}

// SubmissionProblems lists every question that stops r from being
// submitted: unanswered, or N/A without a reason.
func (r *Response) SubmissionProblems(q *Questionnaire) []FieldError {
	var fields []FieldError
	for _, id := range q.QuestionIDs() {
		a := r.Answers[id]
		switch {
		case !a.Answered():
			fields = append(fields, FieldError{"answers." + id, "is not answered"})
		case a.NA && strings.TrimSpace(a.NAReason) == "":
			fields = append(fields, FieldError{"answers." + id + ".na_reason", "a reason is required for N/A"})
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
