package survey

import (
	"strings"
	"time"
)

// Bureau is an entry of the managed, bilingual list of bureaux that
// departments belong to. A department's Bureau field holds a bureau's code;
// departments of earlier versions hold free text, which pages and reports
// show as it is until the DPO adds an entry for it (an entry whose code or
// English name is that text).
type Bureau struct {
	Code      string    `json:"code" bson:"_id"`
	NameEN    string    `json:"name_en" bson:"name_en"`
	NameZH    string    `json:"name_zh" bson:"name_zh"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// Version is +1 on every change, for If-Match.
	Version int `json:"version" bson:"version"`
}

// Name returns the bureau's name in lang.
func (b Bureau) Name(lang string) string { return Text{EN: b.NameEN, ZH: b.NameZH}.Or(lang) }

// Validate checks a bureau's fields and names every one at fault. Codes
// follow the departments' pattern.
func (b Bureau) Validate() error {
	var fields []FieldError
	if !ValidDepartmentCode(b.Code) {
		fields = append(fields, Fault("code", RulePattern, PatternDepartment))
	}
	fields = appendName(fields, "name_en", b.NameEN, true)
	fields = appendName(fields, "name_zh", b.NameZH, true)
	if len(fields) > 0 {
		return Invalid("invalid bureau", fields...)
	}
	return nil
}

// NewBureau is a new bureau created at now, names trimmed and checked.
func NewBureau(code, nameEN, nameZH string, now time.Time) (*Bureau, error) {
	b := &Bureau{Code: strings.TrimSpace(code), NameEN: strings.TrimSpace(nameEN), NameZH: strings.TrimSpace(nameZH),
		CreatedAt: now, UpdatedAt: now}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// BureauChange is a partial edit of a bureau's names; nil fields stay.
type BureauChange struct {
	NameEN *string `json:"name_en"`
	NameZH *string `json:"name_zh"`
}

// Apply returns the bureau with the change applied at now and the fields
// that changed, or an error naming every field at fault.
func (b Bureau) Apply(ch BureauChange, now time.Time) (Bureau, map[string]any, error) {
	changed := map[string]any{}
	for _, f := range []struct {
		name string
		dst  *string
		v    *string
	}{{"name_en", &b.NameEN, ch.NameEN}, {"name_zh", &b.NameZH, ch.NameZH}} {
		if f.v != nil && strings.TrimSpace(*f.v) != *f.dst {
			*f.dst = strings.TrimSpace(*f.v)
			changed[f.name] = *f.dst
		}
	}
	if err := b.Validate(); err != nil {
		return b, nil, err
	}
	if len(changed) > 0 {
		b.UpdatedAt = now
		b.Version++
	}
	return b, changed, nil
}

// BureauNames finds the entry a department's bureau value stands for: by
// code, or by English name for free text from earlier versions.
type BureauNames map[string]Bureau

// NewBureauNames indexes bureaux by code and English name.
func NewBureauNames(bs []Bureau) BureauNames {
	m := make(BureauNames, 2*len(bs))
	for _, b := range bs {
		m[strings.ToLower(b.NameEN)] = b
	}
	for _, b := range bs {
		m[b.Code] = b // a code wins over a name
	}
	return m
}

// Name is the bureau value in lang: the entry's name when there is one,
// else the value as stored.
func (n BureauNames) Name(value, lang string) string {
	if b, ok := n[value]; ok {
		return b.Name(lang)
	}
	if b, ok := n[strings.ToLower(value)]; ok {
		return b.Name(lang)
	}
	return value
}
