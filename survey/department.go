package survey

import (
	"strings"
	"time"
	"unicode/utf8"
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
}

// Name returns the department's name in lang.
func (d Department) Name(lang string) string {
	if lang == LangZH && d.NameZH != "" {
		return d.NameZH
	}
	return d.NameEN
}

// MaxNameLength bounds department names and bureau names, in characters.
const MaxNameLength = 200

// Validate checks a department's fields and names every one at fault.
func (d Department) Validate() error {
	var fields []FieldError
	if !ValidDepartmentCode(d.Code) {
		fields = append(fields, FieldError{"code", "must be 2-16 characters of A-Z, 0-9 and '-', starting with a letter or digit"})
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
	switch {
	case required && strings.TrimSpace(value) == "":
		return append(fields, FieldError{field, "is required"})
	case utf8.RuneCountInString(value) > MaxNameLength:
		return append(fields, FieldError{field, "must be at most 200 characters"})
	}
	return fields
}
