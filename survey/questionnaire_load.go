package survey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadError says which file and which place in it is wrong, and why.
type LoadError struct {
	File   string
	Path   string
	Reason string
}

func (e *LoadError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Path, e.Reason)
}

// ParseQuestionnaire decodes and validates one questionnaire file. name is
// used only in error messages. Unknown keys are rejected so that a typo in the
// bank cannot silently drop a field.
func ParseQuestionnaire(name string, data []byte) (*Questionnaire, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var q Questionnaire
	if err := dec.Decode(&q); err != nil {
		return nil, &LoadError{File: name, Reason: "invalid YAML: " + err.Error()}
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, &LoadError{File: name, Reason: "a questionnaire file holds exactly one YAML document"}
	}
	if err := q.Validate(); err != nil {
		var le *LoadError
		if errors.As(err, &le) {
			le.File = name
		}
		return nil, err
	}
	return &q, nil
}

// LoadQuestionnaires reads every *.yaml file of fsys. Two files with the same
// id and version are refused unless their content is identical, so a
// published version can never change under a round that uses it.
func LoadQuestionnaires(fsys fs.FS) ([]*Questionnaire, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	type seen struct {
		file string
		data []byte
	}
	byKey := map[string]seen{}
	var out []*Questionnaire
	files := map[*Questionnaire]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, &LoadError{File: name, Reason: err.Error()}
		}
		q, err := ParseQuestionnaire(path.Base(name), data)
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("%s@%d", q.ID, q.Version)
		if prev, ok := byKey[key]; ok {
			if !bytes.Equal(prev.data, data) {
				return nil, &LoadError{File: name, Reason: fmt.Sprintf("questionnaire %s version %d already defined differently in %s", q.ID, q.Version, prev.file)}
			}
			continue
		}
		byKey[key] = seen{file: name, data: data}
		files[q] = name
		out = append(out, q)
	}
	if err := checkLineages(out, files); err != nil {
		return nil, err
	}
	return out, nil
}

// checkLineages checks every loaded version N of a questionnaire against
// version N-1 when that is loaded too (CheckLineage).
func checkLineages(qs []*Questionnaire, files map[*Questionnaire]string) error {
	byKey := map[string]*Questionnaire{}
	for _, q := range qs {
		byKey[fmt.Sprintf("%s@%d", q.ID, q.Version)] = q
	}
	for _, q := range qs {
		prev := byKey[fmt.Sprintf("%s@%d", q.ID, q.Version-1)]
		if prev == nil {
			continue
		}
		if err := CheckLineage(prev, q); err != nil {
			var le *LoadError
			if errors.As(err, &le) {
				le.File = files[q]
			}
			return err
		}
	}
	return nil
}

// Validate checks the structural rules of a questionnaire: identifiers, unique ids,
// both languages everywhere, six level descriptors, positive weights.
func (q *Questionnaire) Validate() error {
	v := &validator{ids: map[string]string{}}
	v.id("id", q.ID)
	if q.Version < 1 {
		v.fail("version", "must be a positive integer")
	}
	v.text("title", q.Title)
	v.text("description", q.Description)
	if len(q.Levels) != MaxLevel+1 {
		v.fail("levels", fmt.Sprintf("must name %d maturity levels (0-%d), has %d", MaxLevel+1, MaxLevel, len(q.Levels)))
	}
	for i, l := range q.Levels {
		v.text(fmt.Sprintf("levels[%d]", i), l)
	}
	if len(q.Domains) == 0 {
		v.fail("domains", "at least one domain is required")
	}
	for d, dom := range q.Domains {
		dp := fmt.Sprintf("domains[%d]", d)
		v.id(dp+".id", dom.ID)
		v.text(dp+".title", dom.Title)
		if len(dom.Areas) == 0 {
			v.fail(dp+".areas", "at least one area is required")
		}
		for a, area := range dom.Areas {
			ap := fmt.Sprintf("%s.areas[%d]", dp, a)
			v.id(ap+".id", area.ID)
			v.text(ap+".title", area.Title)
			v.text(ap+".topic", area.Topic)
			v.weight(ap+".weight", area.Weight)
			if area.Target != nil && (*area.Target < 0 || *area.Target > MaxLevel) {
				v.fail(ap+".target", fmt.Sprintf("must be between 0 and %d", MaxLevel))
			}
			if len(area.Questions) == 0 {
				v.fail(ap+".questions", "at least one question is required")
			}
			for i, qu := range area.Questions {
				qp := fmt.Sprintf("%s.questions[%d]", ap, i)
				v.id(qp+".id", qu.ID)
				v.text(qp+".text", qu.Text)
				v.text(qp+".help", qu.Help)
				v.weight(qp+".weight", qu.Weight)
				if strings.TrimSpace(qu.Reference.EN) == "" {
					v.fail(qp+".reference", "missing")
				}
				if len(qu.Levels) != MaxLevel+1 {
					v.fail(qp+".levels", fmt.Sprintf("must have %d level descriptors (0-%d), has %d", MaxLevel+1, MaxLevel, len(qu.Levels)))
				}
				for l, desc := range qu.Levels {
					v.text(fmt.Sprintf("%s.levels[%d]", qp, l), desc)
				}
			}
		}
	}
	if v.err == nil {
		q.validateV2(v)
	}
	return v.err
}

// validator collects the first problem found, with its path.
type validator struct {
	ids map[string]string
	err error
}

func (v *validator) fail(path, reason string) {
	if v.err == nil {
		v.err = &LoadError{Path: path, Reason: reason}
	}
}

func (v *validator) id(path, id string) {
	if !ValidItemID(id) {
		v.fail(path, fmt.Sprintf("id %q must match %s", id, itemIDPattern))
		return
	}
	// The questionnaire's own id may equal nothing else; domain, area and
	// question ids share one namespace so any id names one thing.
	if prev, ok := v.ids[id]; ok {
		v.fail(path, fmt.Sprintf("duplicate id %q (first at %s)", id, prev))
		return
	}
	v.ids[id] = path
}

func (v *validator) text(path string, t Text) {
	if strings.TrimSpace(t.EN) == "" {
		v.fail(path+".en", "missing English text")
	}
	if strings.TrimSpace(t.ZH) == "" {
		v.fail(path+".zh", "missing Traditional Chinese text")
	}
}

func (v *validator) weight(path string, w float64) {
	if !(w > 0) || math.IsInf(w, 0) {
		v.fail(path, "weight must be a finite number greater than 0")
	}
}
