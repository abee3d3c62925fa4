package survey

import (
	"strings"
	"time"
)

// Round states.
const (
	RoundDraft  = "draft"
	RoundOpen   = "open"
	RoundClosed = "closed"
)

// Round is one assessment exercise on one questionnaire version.
type Round struct {
	ID                   string    `json:"id" bson:"_id"`
	Title                Text      `json:"title" bson:"title"`
	QuestionnaireID      string    `json:"questionnaire" bson:"questionnaire"`
	QuestionnaireVersion int       `json:"questionnaire_version" bson:"questionnaire_version"`
	OpensAt              time.Time `json:"opens_at" bson:"opens_at"`
	ClosesAt             time.Time `json:"closes_at" bson:"closes_at"`
	State                string    `json:"state" bson:"state"`
	CreatedAt            time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt            time.Time `json:"updated_at" bson:"updated_at"`
	// Version is +1 on every change, for If-Match.
	Version int `json:"version" bson:"version"`
	// PrefillFrom is the earlier round whose submitted answers each
	// department starts from (carried, to be confirmed); empty: none.
	PrefillFrom string `json:"prefill_from,omitempty" bson:"prefill_from,omitempty"`
	// Extensions are departments' own deadlines, by department code.
	Extensions map[string]Extension `json:"extensions,omitempty" bson:"extensions,omitempty"`
}

// IsOpen reports whether answers may change in the round.
func (r *Round) IsOpen() bool { return r.State == RoundOpen }

// Validate checks the round's own fields.
func (r *Round) Validate() error {
	var fields []FieldError
	if !ValidRoundID(r.ID) {
		fields = append(fields, Fault("id", RulePattern, PatternRound))
	}
	fields = appendName(fields, "title_en", r.Title.EN, true)
	fields = appendName(fields, "title_zh", r.Title.ZH, true)
	fields = append(fields, validateDates(r.OpensAt, r.ClosesAt)...)
	if len(fields) > 0 {
		return Invalid("invalid round", fields...)
	}
	return nil
}

func validateDates(opens, closes time.Time) []FieldError {
	var fields []FieldError
	if opens.IsZero() {
		fields = append(fields, Fault("opens_at", RuleRequired, ""))
	}
	if closes.IsZero() {
		fields = append(fields, Fault("closes_at", RuleRequired, ""))
	}
	if !opens.IsZero() && !closes.IsZero() && !closes.After(opens) {
		fields = append(fields, Fault("closes_at", RuleAfter, "opens_at"))
	}
	return fields
}

// RoundChange is a partial update of a round; nil fields stay as they are.
type RoundChange struct {
	State    *string
	OpensAt  *time.Time
	ClosesAt *time.Time
	TitleEN  *string
	TitleZH  *string
}

// Apply returns the round with the change applied, or an error naming what
// is wrong. Allowed moves: draft→open, open→closed, closed→open.
func (r Round) Apply(ch RoundChange, now time.Time) (Round, error) {
	before := r
	if ch.State != nil && *ch.State != r.State {
		to := *ch.State
		if to != RoundDraft && to != RoundOpen && to != RoundClosed {
			return r, Invalid("invalid round change", Fault("state", RuleOneOf, "draft open closed"))
		}
		allowed := (r.State == RoundDraft && to == RoundOpen) ||
			(r.State == RoundOpen && to == RoundClosed) ||
			(r.State == RoundClosed && to == RoundOpen)
		if !allowed {
			return r, Errorf(ECONFLICT, "a round cannot move from %s to %s", r.State, to)
		}
		r.State = to
	}
	if ch.OpensAt != nil {
		r.OpensAt = ch.OpensAt.UTC()
	}
	if ch.ClosesAt != nil {
		r.ClosesAt = ch.ClosesAt.UTC()
	}
	var fields []FieldError
	if ch.TitleEN != nil {
		r.Title.EN = strings.TrimSpace(*ch.TitleEN)
		fields = appendName(fields, "title_en", r.Title.EN, true)
	}
	if ch.TitleZH != nil {
		r.Title.ZH = strings.TrimSpace(*ch.TitleZH)
		fields = appendName(fields, "title_zh", r.Title.ZH, true)
	}
	if ch.OpensAt != nil || ch.ClosesAt != nil {
		fields = append(fields, validateDates(r.OpensAt, r.ClosesAt)...)
	}
	if len(fields) > 0 {
		return r, Invalid("invalid round change", fields...)
	}
	if r.State == before.State && r.OpensAt.Equal(before.OpensAt) && r.ClosesAt.Equal(before.ClosesAt) && r.Title == before.Title {
		return before, nil // nothing changed: no new version, no new time
	}
	r.UpdatedAt = now
	r.Version++
	return r, nil
}
