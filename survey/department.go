package survey

import (
	"strings"
	"time"
)

// Department is a bureau or department taking part in the assessment.
type Department struct {
	Code      string    `json:"code" bson:"_id"`
	NameEN    string    `json:"name_en" bson:"name_en"`
	NameZH    string    `json:"name_zh" bson:"name_zh"`
	Bureau    string    `json:"bureau" bson:"bureau"`
	Active    bool      `json:"active" bson:"active"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// Version is +1 on every change, for If-Match.
	Version int `json:"version" bson:"version"`
}

// Name returns the department's name in lang.
func (d Department) Name(lang string) string {
	return Text{EN: d.NameEN, ZH: d.NameZH}.Or(lang)
}

// MaxNameLength bounds department names and bureau names, in characters.
const MaxNameLength = 200

// Validate checks a department's fields and names every one at fault.
func (d Department) Validate() error {
	var fields []FieldError
	if !ValidDepartmentCode(d.Code) {
		fields = append(fields, Fault("code", RulePattern, PatternDepartment))
	}
	fields = appendName(fields, "name_en", d.NameEN, true)
	fields = appendName(fields, "name_zh", d.NameZH, true)
	fields = appendName(fields, "bureau", d.Bureau, true)
	if len(fields) > 0 {
		return Invalid("invalid department", fields...)
	}
	return nil
}

func appendName(fields []FieldError, field, value string, required bool) []FieldError {
	if fe, ok := CheckText(field, value, MaxNameLength, required); !ok {
		return append(fields, fe)
	}
	return fields
}

// NewDepartment is a new, active department created at now, with its names
// trimmed; it checks every field (Validate).
func NewDepartment(code, nameEN, nameZH, bureau string, now time.Time) (*Department, error) {
	d := &Department{Code: code, NameEN: strings.TrimSpace(nameEN), NameZH: strings.TrimSpace(nameZH),
		Bureau: strings.TrimSpace(bureau), Active: true, CreatedAt: now, UpdatedAt: now}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// DepartmentChange is a partial edit of a department; nil fields stay.
type DepartmentChange struct {
	NameEN *string `json:"name_en"`
	NameZH *string `json:"name_zh"`
	Bureau *string `json:"bureau"`
	Active *bool   `json:"active"`
}

// Apply returns the department with the change applied at now and the
// fields that actually changed (name: new value), or an error naming every
// field at fault. Names are trimmed; the result passes Validate.
func (d Department) Apply(ch DepartmentChange, now time.Time) (Department, map[string]any, error) {
	changed := map[string]any{}
	set := func(field string, dst *string, v *string) {
		if v != nil && strings.TrimSpace(*v) != *dst {
			*dst = strings.TrimSpace(*v)
			changed[field] = *dst
		}
	}
	set("name_en", &d.NameEN, ch.NameEN)
	set("name_zh", &d.NameZH, ch.NameZH)
	set("bureau", &d.Bureau, ch.Bureau)
	if ch.Active != nil && *ch.Active != d.Active {
		d.Active = *ch.Active
		changed["active"] = d.Active
	}
	if err := d.Validate(); err != nil {
		return d, nil, err
	}
	if len(changed) > 0 {
		d.UpdatedAt = now
		d.Version++
	}
	return d, changed, nil
}
