package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Optional is a JSON field of a merge patch: absent (Set false), null
// (Set and Null), or a value.
type Optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// Of is a present, non-null Optional.
func Of[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: v} }

// Clear is a present null Optional: the field is cleared.
func Clear[T any]() Optional[T] { return Optional[T]{Set: true, Null: true} }

// UnmarshalJSON records that the field was present, and whether it was null.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// MarshalJSON writes the value, or null when absent or null; use it with
// omitzero so an absent field stays absent.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.Set || o.Null {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// IsZero reports an absent field, for omitzero.
func (o Optional[T]) IsZero() bool { return !o.Set }

// has reports a present, non-null value.
func (o Optional[T]) has() bool { return o.Set && !o.Null }

// AnswerInput is one item of a PATCH, merged into its answer as a JSON merge
// patch (RFC 7396): a field it does not name keeps its stored value, a
// field set to null is cleared. Setting a level clears N/A and its reason;
// {"na": true} clears the level. A nil *AnswerInput in a patch clears the
// whole answer, and so does an item that leaves no level, N/A, comment or
// evidence.
type AnswerInput struct {
	Level    Optional[int]    `json:"level,omitzero"`
	NA       Optional[bool]   `json:"na,omitzero"`
	NAReason Optional[string] `json:"na_reason,omitzero"`
	Comment  Optional[string] `json:"comment,omitzero"`
	Evidence Optional[string] `json:"evidence,omitzero"`
	// Confirm true confirms a carried answer as still true; any other
	// change of a carried answer confirms it too.
	Confirm Optional[bool] `json:"confirm,omitzero"`
	// BaseRev is the rev the client last saw; a mismatch is a conflict.
	BaseRev *int `json:"base_rev,omitempty"`
}

// Patch maps question ids to their answer changes (nil clears).
type Patch map[string]*AnswerInput

// Validate checks every item of the patch against q and lists every fault,
// each named by its JSON path. Ids that are not questions of q are refused
// here, before anything reaches the store.
func (p Patch) Validate(q *Questionnaire) error {
	if len(p) == 0 {
		return Invalid("no answers given", Fault("answers", RuleRequired, ""))
	}
	idx := q.Index()
	var fields []FieldError
	for _, id := range sortedKeys(p) {
		in := p[id]
		path := "answers." + id
		ref, ok := idx[id]
		if !ok {
			fields = append(fields, Fault(path, RuleUnknown, "question"))
			continue
		}
		if in == nil {
			continue
		}
		na := in.NA.has() && in.NA.Value
		if in.Level.has() && (in.Level.Value < 0 || in.Level.Value > MaxLevel) {
			fields = append(fields, Fault(path+".level", RuleRange, fmt.Sprintf("0-%d", MaxLevel)))
		}
		if in.Level.has() && na {
			fields = append(fields, Fault(path, RuleExclusive, ""))
		}
		if na && !ref.Question.NAAllowed {
			fields = append(fields, Fault(path+".na", RuleNANotAllowed, ""))
		}
		// A reason with na false, or with a level (which clears N/A), is a
		// reason without N/A whatever is stored.
		if !na && (in.NA.Set || in.Level.has()) && in.NAReason.has() && in.NAReason.Value != "" {
			fields = append(fields, Fault(path+".na_reason", RuleNAOnly, ""))
		}
		if in.BaseRev != nil && *in.BaseRev < 0 {
			fields = append(fields, Fault(path+".base_rev", RuleNotNegative, ""))
		}
		fields = appendText(fields, path+".comment", in.Comment.Value, MaxCommentLength)
		fields = appendText(fields, path+".evidence", in.Evidence.Value, MaxCommentLength)
		fields = appendText(fields, path+".na_reason", in.NAReason.Value, MaxReasonLength)
	}
	if len(fields) > 0 {
		return Invalid("invalid answers", fields...)
	}
	return nil
}

func appendText(fields []FieldError, path, s string, max int) []FieldError {
	if utf8.RuneCountInString(s) > max {
		fields = append(fields, Fault(path, RuleMaxLength, strconv.Itoa(max)))
	}
	return fields
}

// merge is the answer cur becomes with in applied, before its rev and
// stamp; nil when nothing would be left of it.
func (in *AnswerInput) merge(cur *Answer) *Answer {
	var next Answer
	if cur != nil {
		next = *cur
	}
	if in.Level.Set {
		next.Level = nil
		if in.Level.has() {
			v := in.Level.Value
			next.Level = &v
			next.NA, next.NAReason = false, ""
		}
	}
	if in.NA.Set {
		next.NA = in.NA.has() && in.NA.Value
		if next.NA {
			next.Level = nil
		} else {
			next.NAReason = ""
		}
	}
	if in.NAReason.Set {
		next.NAReason = strings.TrimSpace(in.NAReason.Value)
	}
	if in.Comment.Set {
		next.Comment = in.Comment.Value
	}
	if in.Evidence.Set {
		next.Evidence = in.Evidence.Value
	}
	if next.Level == nil && !next.NA && strings.TrimSpace(next.Comment) == "" && strings.TrimSpace(next.Evidence) == "" {
		return nil
	}
	if next.Carried && (in.Confirm.has() && in.Confirm.Value || in.Level.Set || in.NA.Set || in.NAReason.Set || in.Comment.Set || in.Evidence.Set) {
		next.Confirmed = true
	}
	return &next
}

// Apply merges the patch into r (which must be a copy the caller owns) as
// actor at now. It checks every base_rev first and applies nothing when any
// differs, or when a merged answer would break a rule (an N/A reason left
// without N/A). It returns the ids that actually changed; an item that
// leaves the stored answer as it was changes nothing and keeps its rev.
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
	merged := map[string]*Answer{}
	var fields []FieldError
	for _, id := range sortedKeys(p) {
		if p[id] == nil {
			merged[id] = nil
			continue
		}
		next := p[id].merge(r.Answers[id])
		if next != nil && !next.NA && next.NAReason != "" {
			fields = append(fields, Fault("answers."+id+".na_reason", RuleNAOnly, ""))
		}
		merged[id] = next
	}
	if len(fields) > 0 {
		return nil, Invalid("invalid answers", fields...)
	}
	if r.Answers == nil {
		r.Answers = map[string]*Answer{}
	}
	var changed []string
	for _, id := range sortedKeys(merged) {
		cur, next := r.Answers[id], merged[id]
		switch {
		case next == nil && cur == nil:
			continue
		case next == nil:
			delete(r.Answers, id)
		case cur != nil && sameAnswer(cur, next):
			continue
		default:
			next.UpdatedAt, next.UpdatedBy = now, actor
			next.Rev = 1
			if cur != nil {
				next.Rev = cur.Rev + 1
			}
			r.Answers[id] = next
		}
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
	return sameLevel && a.NA == b.NA && a.NAReason == b.NAReason && a.Comment == b.Comment && a.Evidence == b.Evidence &&
		a.Confirmed == b.Confirmed
}
