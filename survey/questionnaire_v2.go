package survey

import (
	"encoding/binary"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file holds the questionnaire fields of version 2 of the bank format
// (the version 2 fields) and the rules the loader applies to
// them. Version 1 files carry none of them and load unchanged.

// Theme is a seminar theme that planners schedule: several capability areas
// feed one theme, and the theme carries a directorate-level seminar title.
type Theme struct {
	ID      string `json:"id" yaml:"id" bson:"id"`
	Title   Text   `json:"title" yaml:"title" bson:"title"`
	Seminar Text   `json:"seminar" yaml:"seminar" bson:"seminar"`
}

// NARequires makes N/A on a question valid only when another question of the
// same questionnaire is answered with at least MinLevel (checked at submit).
type NARequires struct {
	Question string `json:"question" yaml:"question" bson:"question"`
	MinLevel int    `json:"min_level" yaml:"min_level" bson:"min_level"`
}

// Tags name what a question covers in the frameworks the bank is checked
// against: the Baseline IT Security Policy (S17) areas, NIST CSF 2.0
// functions or categories, PDPO principles and the PCPD Privacy Management
// Programme, and the DPO's project-governance measures of 7 February 2024.
// Focus names cross-cutting seminar concerns (e.g. bottom-line-thinking,
// cross-department-collaboration).
type Tags struct {
	S17         []string `json:"s17,omitempty" yaml:"s17,omitempty" bson:"s17,omitempty"`
	CSF         []string `json:"csf,omitempty" yaml:"csf,omitempty" bson:"csf,omitempty"`
	PDPO        []string `json:"pdpo,omitempty" yaml:"pdpo,omitempty" bson:"pdpo,omitempty"`
	DPOProjects []string `json:"dpo_projects,omitempty" yaml:"dpo_projects,omitempty" bson:"dpo_projects,omitempty"`
	Focus       []string `json:"focus,omitempty" yaml:"focus,omitempty" bson:"focus,omitempty"`
}

// IsZero reports whether no tag is set.
func (t Tags) IsZero() bool {
	return len(t.S17) == 0 && len(t.CSF) == 0 && len(t.PDPO) == 0 && len(t.DPOProjects) == 0 && len(t.Focus) == 0
}

// Reference is the public framework a question reflects. Version 1 files
// give it as a plain (English) string; version 2 gives {en, zh}. It is
// always encoded as {"en", "zh"}.
type Reference struct {
	EN string `json:"en" yaml:"en" bson:"en"`
	ZH string `json:"zh" yaml:"zh" bson:"zh"`
}

// In returns the reference in lang, falling back to English when the
// questionnaire gives no Chinese (a version 1 reference).
func (r Reference) In(lang string) string {
	if lang == LangZH && strings.TrimSpace(r.ZH) != "" {
		return r.ZH
	}
	return r.EN
}

// String is the English reference.
func (r Reference) String() string { return r.EN }

// Bilingual reports whether the reference is given in both languages.
func (r Reference) Bilingual() bool {
	return strings.TrimSpace(r.EN) != "" && strings.TrimSpace(r.ZH) != ""
}

// UnmarshalYAML accepts a plain string (English only, as version 1 files
// write it) or a mapping with the keys en and zh.
func (r *Reference) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var s string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*r = Reference{EN: s}
		return nil
	case yaml.MappingNode:
		var out Reference
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			var s string
			if err := v.Decode(&s); err != nil {
				return fmt.Errorf("line %d: reference.%s: %w", v.Line, k.Value, err)
			}
			switch k.Value {
			case "en":
				out.EN = s
			case "zh":
				out.ZH = s
			default:
				return fmt.Errorf("line %d: reference: unknown key %q (want en and zh)", k.Line, k.Value)
			}
		}
		*r = out
		return nil
	default:
		return fmt.Errorf("line %d: reference must be a string or a mapping {en, zh}", n.Line)
	}
}

// BSON type bytes used by UnmarshalBSONValue (the BSON specification).
const (
	bsonString   = 0x02
	bsonDocument = 0x03
	bsonNull     = 0x0A
)

// UnmarshalBSONValue reads a reference stored either as a string (rounds
// created before version 2 of the model stored the copy of their
// questionnaire that way) or as a document {en, zh}. It implements the
// mongo driver's bson.ValueUnmarshaler without importing the driver.
func (r *Reference) UnmarshalBSONValue(typ byte, data []byte) error {
	switch typ {
	case bsonNull:
		*r = Reference{}
		return nil
	case bsonString:
		s, _, err := bsonReadString(data)
		if err != nil {
			return err
		}
		*r = Reference{EN: s}
		return nil
	case bsonDocument:
		if len(data) < 5 {
			return fmt.Errorf("reference: short BSON document")
		}
		var out Reference
		rest := data[4:]
		for len(rest) > 0 && rest[0] != 0 {
			et := rest[0]
			end := strings.IndexByte(string(rest[1:]), 0)
			if end < 0 {
				return fmt.Errorf("reference: bad BSON key")
			}
			key := string(rest[1 : 1+end])
			rest = rest[2+end:]
			var s string
			switch et {
			case bsonString:
				var n int
				var err error
				s, n, err = bsonReadString(rest)
				if err != nil {
					return err
				}
				rest = rest[n:]
			case bsonNull:
			default:
				return fmt.Errorf("reference.%s: BSON type 0x%02x, want a string", key, et)
			}
			switch key {
			case "en":
				out.EN = s
			case "zh":
				out.ZH = s
			}
		}
		*r = out
		return nil
	default:
		return fmt.Errorf("reference: BSON type 0x%02x, want a string or a document", typ)
	}
}

// bsonReadString decodes a BSON string value (int32 length including the
// trailing NUL, bytes, NUL) and returns it with the bytes it used.
func bsonReadString(b []byte) (string, int, error) {
	if len(b) < 5 {
		return "", 0, fmt.Errorf("reference: short BSON string")
	}
	n := int(int32(binary.LittleEndian.Uint32(b)))
	if n < 1 || 4+n > len(b) || b[4+n-1] != 0 {
		return "", 0, fmt.Errorf("reference: bad BSON string length")
	}
	return string(b[4 : 4+n-1]), 4 + n, nil
}

// Theme returns the theme with id, or nil.
func (q *Questionnaire) Theme(id string) *Theme {
	for i := range q.Themes {
		if q.Themes[i].ID == id {
			return &q.Themes[i]
		}
	}
	return nil
}

// strictV2 says whether the version 2 rules apply: from version 2 on, or
// whenever the file declares themes.
func (q *Questionnaire) strictV2() bool { return q.Version >= 2 || len(q.Themes) > 0 }

// Limits on the number of seminar themes.
const (
	MinThemes = 5
	MaxThemes = 8
)

// validateV2 applies the rules on the version 2 fields; it runs after the
// structural checks of Validate, which it reports through the same
// validator so that the first problem wins.
func (q *Questionnaire) validateV2(v *validator) {
	strict := q.strictV2()
	if strict {
		v.text("rating_rule", q.RatingRule)
	} else if q.RatingRule != (Text{}) {
		v.text("rating_rule", q.RatingRule)
	}
	if len(q.Themes) > 0 && (len(q.Themes) < MinThemes || len(q.Themes) > MaxThemes) {
		v.fail("themes", fmt.Sprintf("must list %d to %d seminar themes, has %d", MinThemes, MaxThemes, len(q.Themes)))
	}
	themeAt := map[string]int{}
	for i, th := range q.Themes {
		tp := fmt.Sprintf("themes[%d]", i)
		if !ValidItemID(th.ID) {
			v.fail(tp+".id", fmt.Sprintf("id %q must match %s", th.ID, itemIDPattern))
		} else if j, dup := themeAt[th.ID]; dup {
			v.fail(tp+".id", fmt.Sprintf("duplicate theme id %q (first at themes[%d])", th.ID, j))
		} else {
			themeAt[th.ID] = i
		}
		v.text(tp+".title", th.Title)
		v.text(tp+".seminar", th.Seminar)
	}

	questions := map[string]bool{}
	for _, id := range q.QuestionIDs() {
		questions[id] = true
	}
	used := map[string]bool{}
	for d, dom := range q.Domains {
		for a, area := range dom.Areas {
			ap := fmt.Sprintf("domains[%d].areas[%d]", d, a)
			switch {
			case area.Theme != "":
				if _, ok := themeAt[area.Theme]; !ok {
					v.fail(ap+".theme", fmt.Sprintf("unknown theme %q (not in themes)", area.Theme))
				}
				used[area.Theme] = true
			case strict:
				v.fail(ap+".theme", "every area must name its seminar theme")
			}
			if strict || area.ShortTitle != (Text{}) {
				v.text(ap+".short_title", area.ShortTitle)
			}
			v.lineage(ap+".lineage", area.Lineage)
			for i, qu := range area.Questions {
				qp := fmt.Sprintf("%s.questions[%d]", ap, i)
				if strict && !qu.Reference.Bilingual() {
					v.fail(qp+".reference", "a bilingual reference {en, zh} is required from version 2 on")
				}
				if nr := qu.NARequires; nr != nil {
					switch {
					case !qu.NAAllowed:
						v.fail(qp+".na_requires", "only a question with na_allowed: true can set na_requires")
					case nr.Question == qu.ID:
						v.fail(qp+".na_requires.question", "must name another question")
					case !questions[nr.Question]:
						v.fail(qp+".na_requires.question", fmt.Sprintf("unknown question %q (not in this questionnaire)", nr.Question))
					case nr.MinLevel < 0 || nr.MinLevel > MaxLevel:
						v.fail(qp+".na_requires.min_level", fmt.Sprintf("must be between 0 and %d, is %d", MaxLevel, nr.MinLevel))
					}
				}
				v.lineage(qp+".lineage", qu.Lineage)
			}
		}
	}
	for i, th := range q.Themes {
		if _, ok := themeAt[th.ID]; ok && !used[th.ID] {
			v.fail(fmt.Sprintf("themes[%d]", i), fmt.Sprintf("theme %q is used by no area", th.ID))
		}
	}
}

// lineage checks the form of a lineage list; whether the ids exist is
// CheckLineage's job, since it needs the previous version.
func (v *validator) lineage(path string, ids []string) {
	seen := map[string]bool{}
	for i, id := range ids {
		p := fmt.Sprintf("%s[%d]", path, i)
		if !ValidItemID(id) {
			v.fail(p, fmt.Sprintf("id %q must match %s", id, itemIDPattern))
		} else if seen[id] {
			v.fail(p, fmt.Sprintf("duplicate lineage id %q", id))
		}
		seen[id] = true
	}
}

// CheckLineage checks that every lineage id of next names an area (for an
// area) or a question (for a question) of prev, the version of the same
// questionnaire that next continues. The loader calls it for every version N
// whose version N-1 is loaded alongside; an upload of a new version can call
// it against the stored previous version. The error is a *LoadError whose
// File is empty (the caller knows the file).
func CheckLineage(prev, next *Questionnaire) error {
	if prev == nil || next == nil {
		return nil
	}
	if prev.ID != next.ID {
		return &LoadError{Path: "id", Reason: fmt.Sprintf("lineage: %q does not continue questionnaire %q", next.ID, prev.ID)}
	}
	areas := map[string]bool{}
	questions := map[string]bool{}
	for _, d := range prev.Domains {
		for _, a := range d.Areas {
			areas[a.ID] = true
			for _, qu := range a.Questions {
				questions[qu.ID] = true
			}
		}
	}
	for d, dom := range next.Domains {
		for a, area := range dom.Areas {
			ap := fmt.Sprintf("domains[%d].areas[%d]", d, a)
			for i, id := range area.Lineage {
				if !areas[id] {
					return &LoadError{Path: fmt.Sprintf("%s.lineage[%d]", ap, i),
						Reason: fmt.Sprintf("lineage id %q is not an area of %s version %d", id, prev.ID, prev.Version)}
				}
			}
			for j, qu := range area.Questions {
				for i, id := range qu.Lineage {
					if !questions[id] {
						return &LoadError{Path: fmt.Sprintf("%s.questions[%d].lineage[%d]", ap, j, i),
							Reason: fmt.Sprintf("lineage id %q is not a question of %s version %d", id, prev.ID, prev.Version)}
					}
				}
			}
		}
	}
	return nil
}
