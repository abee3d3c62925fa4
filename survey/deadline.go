package survey

import (
	"strings"
	"time"
)

// Extension is a department's own deadline in a round, granted by an
// administrator with a reason.
type Extension struct {
	ClosesAt  time.Time `json:"closes_at" bson:"closes_at"`
	Reason    string    `json:"reason" bson:"reason"`
	GrantedBy string    `json:"granted_by" bson:"granted_by"`
	GrantedAt time.Time `json:"granted_at" bson:"granted_at"`
}

// Deadline is when dept's answers stop being accepted: the later of its
// extension and the round's closing time (moving the round's deadline out
// never leaves an extended department with less time).
func (r *Round) Deadline(dept string) time.Time {
	if e, ok := r.Extensions[dept]; ok && e.ClosesAt.After(r.ClosesAt) {
		return e.ClosesAt
	}
	return r.ClosesAt
}

// timeText is how a time is named in an error message.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// AcceptsChanges says whether dept's response may change at now: the round
// must be open and now within opens_at and the department's deadline.
func (r *Round) AcceptsChanges(dept string, now time.Time) error {
	switch {
	case r.State != RoundOpen:
		return Errorf(ENOTOPEN, "round %s is %s; answers can change only while it is open", r.ID, r.State)
	case now.Before(r.OpensAt):
		return Errorf(ENOTOPEN, "round %s opens at %s; answers can change from then", r.ID, timeText(r.OpensAt))
	case !now.Before(r.Deadline(dept)):
		return Errorf(EDEADLINE, "the deadline for %s passed at %s", dept, timeText(r.Deadline(dept)))
	}
	return nil
}

// Extend gives dept its own, later deadline (a copy the caller owns),
// granted by actor at now; it must be after the round's own deadline.
func (r *Round) Extend(dept string, closes time.Time, reason, actor string, now time.Time) error {
	var fields []FieldError
	if closes.IsZero() {
		fields = append(fields, Fault("closes_at", RuleRequired, ""))
	} else if !closes.After(r.ClosesAt) {
		fields = append(fields, Fault("closes_at", RuleAfter, "round.closes_at"))
	}
	if fe, ok := CheckText("reason", reason, MaxReasonLength, true); !ok {
		fields = append(fields, fe)
	}
	if len(fields) > 0 {
		return Invalid("invalid extension", fields...)
	}
	if r.Extensions == nil {
		r.Extensions = map[string]Extension{}
	}
	r.Extensions[dept] = Extension{ClosesAt: closes.UTC(), Reason: strings.TrimSpace(reason), GrantedBy: actor, GrantedAt: now}
	r.UpdatedAt = now
	r.Version++
	return nil
}

// Unextend removes dept's own deadline; it is not_found when there is none.
func (r *Round) Unextend(dept string, now time.Time) error {
	if _, ok := r.Extensions[dept]; !ok {
		return Errorf(ENOTFOUND, "%s has no extension in round %s", dept, r.ID)
	}
	delete(r.Extensions, dept)
	r.UpdatedAt = now
	r.Version++
	return nil
}

// CheckActive refuses a change by a deactivated department's people.
func (d *Department) CheckActive() error {
	if !d.Active {
		return Errorf(EINACTIVE, "department %s is deactivated; its responses cannot change", d.Code)
	}
	return nil
}
