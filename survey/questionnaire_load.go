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

// LoadError says which file and which place in it is wrong, and why. Path,
// Line and Reason are the first problem; Problems lists every problem found
// (the first included), each with its path and, where the file has one, its
// line. Malformed marks a file that is not a single YAML document at all
// (or is refused before decoding, as a YAML bomb is), as opposed to a
// document that breaks a rule of the questionnaire.
type LoadError struct {
	File      string
	Path      string
	Line      int
	Reason    string
	Problems  []Problem
	Malformed bool
}

// Problem is one rule a questionnaire file breaks: where (the path of the
// field, e.g. domains[0].areas[1].weight, and the file's line) and why.
type Problem struct {
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

func (e *LoadError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s: line %d", e.File, e.Line)
	}
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", where, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Path, e.Reason)
}

// AllProblems is every problem of the error (at least the first).
func (e *LoadError) AllProblems() []Problem {
	if len(e.Problems) > 0 {
		return e.Problems
	}
	return []Problem{{Path: e.Path, Line: e.Line, Reason: e.Reason}}
}

// Limits on what a questionnaire file may make the decoder build. Aliases
// are expanded by the decoder, so a few hundred bytes of nested anchors
// (a "billion laughs" file) would otherwise become gigabytes; the file's
// node tree, with every alias counted as what it expands to, must stay
// within these. The built-in bank, at about 40,000 nodes, is far inside.
const (
	maxExpandedNodes = 500_000
	maxExpandedDepth = 64
)

// ParseQuestionnaire decodes and validates one questionnaire file. name is
// used only in error messages. Unknown keys are rejected so that a typo in the
// bank cannot silently drop a field. The file is first read as a node tree
// (which keeps aliases unexpanded) to refuse a YAML bomb before anything is
// expanded, and to give each problem its line.
func ParseQuestionnaire(name string, data []byte) (*Questionnaire, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		reason := "invalid YAML: " + err.Error()
		if err == io.EOF {
			reason = "the file holds no YAML document"
		}
		return nil, &LoadError{File: name, Reason: reason, Malformed: true}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, &LoadError{File: name, Reason: "a questionnaire file holds exactly one YAML document", Malformed: true}
	}
	if err := checkExpansion(&root); err != nil {
		err.File = name
		return nil, err
	}
	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, &LoadError{File: name, Reason: "a questionnaire file is one YAML mapping (id, version, title, ...)", Malformed: true}
	}
	lines := nodeLines(root.Content[0])
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	var q Questionnaire
	if err := strict.Decode(&q); err != nil {
		return nil, decodeProblems(name, err, lines)
	}
	if err := q.Validate(); err != nil {
		var le *LoadError
		if errors.As(err, &le) {
			le.File = name
			le.Line = lines.at(le.Path)
			for i := range le.Problems {
				le.Problems[i].Line = lines.at(le.Problems[i].Path)
			}
		}
		return nil, err
	}
	return &q, nil
}

// checkExpansion refuses a node tree that would expand, aliases included,
// past maxExpandedNodes nodes or maxExpandedDepth levels. Each anchored
// node is measured once, so the check is linear in the file's size.
func checkExpansion(root *yaml.Node) *LoadError {
	type measure struct{ nodes, depth int }
	memo := map[*yaml.Node]measure{}
	active := map[*yaml.Node]bool{}
	var size func(n *yaml.Node) (measure, *LoadError)
	size = func(n *yaml.Node) (measure, *LoadError) {
		if m, ok := memo[n]; ok {
			return m, nil
		}
		if active[n] {
			return measure{}, &LoadError{Line: n.Line, Reason: "an alias refers to the node that contains it", Malformed: true}
		}
		active[n] = true
		defer delete(active, n)
		m := measure{nodes: 1}
		children := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			children = []*yaml.Node{n.Alias}
			m.nodes = 0
		}
		for _, c := range children {
			cm, err := size(c)
			if err != nil {
				return measure{}, err
			}
			m.nodes += cm.nodes
			m.depth = max(m.depth, cm.depth+1)
			if m.nodes > maxExpandedNodes || m.depth > maxExpandedDepth {
				return measure{}, &LoadError{Line: n.Line, Malformed: true,
					Reason: fmt.Sprintf("the file expands (its anchors and aliases included) beyond %d nodes or %d levels of nesting; a questionnaire needs far fewer", maxExpandedNodes, maxExpandedDepth)}
			}
		}
		memo[n] = m
		return m, nil
	}
	_, err := size(root)
	return err
}

// lineIndex maps the path of every node of a file (in the loader's own
// notation, e.g. domains[0].areas[1].title.zh) to its line.
type lineIndex map[string]int

// nodeLines indexes the lines of a mapping and everything under it.
func nodeLines(root *yaml.Node) lineIndex {
	idx := lineIndex{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if n.Kind == yaml.AliasNode {
			return // its target is indexed where it is defined
		}
		if path != "" {
			idx[path] = n.Line
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				p := k
				if path != "" {
					p = path + "." + k
				}
				idx[p] = n.Content[i].Line
				walk(n.Content[i+1], p)
				idx[p] = n.Content[i].Line
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(root, "")
	idx[""] = root.Line
	return idx
}

// at is the line of path, or of its nearest ancestor the file has (a
// missing field is reported at the line of what should hold it, a missing
// top-level field at the document's first line).
func (idx lineIndex) at(path string) int {
	for path != "" {
		if l, ok := idx[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return idx[""]
}

// pathAt is the deepest path on line, for a decoder error that names only
// the line.
func (idx lineIndex) pathAt(line int) string {
	best := ""
	for p, l := range idx {
		if p != "" && l == line && (len(p) > len(best) || (len(p) == len(best) && p < best)) {
			best = p
		}
	}
	return best
}

// decodeProblems turns the decoder's errors (unknown keys, wrong types,
// each "line N: ...") into problems with the path found on that line.
func decodeProblems(name string, err error, lines lineIndex) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return &LoadError{File: name, Reason: "invalid YAML: " + err.Error(), Malformed: true}
	}
	le := &LoadError{File: name}
	for _, msg := range te.Errors {
		p := Problem{Reason: msg}
		var line int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
			p.Line = line
			p.Path = lines.pathAt(line)
			if _, rest, ok := strings.Cut(msg, ": "); ok {
				p.Reason = rest
			}
		}
		le.Problems = append(le.Problems, p)
	}
	if len(le.Problems) == 0 {
		le.Problems = []Problem{{Reason: err.Error()}}
	}
	le.Path, le.Line, le.Reason = le.Problems[0].Path, le.Problems[0].Line, le.Problems[0].Reason
	return le
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
	if v.err == nil {
		return nil
	}
	return v.err
}

// validator collects every problem found, with its path; err is the
// first, holding them all.
type validator struct {
	ids map[string]string
	err *LoadError
}

func (v *validator) fail(path, reason string) {
	if v.err == nil {
		v.err = &LoadError{Path: path, Reason: reason}
	}
	v.err.Problems = append(v.err.Problems, Problem{Path: path, Reason: reason})
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

// LineOf is the line of path in a questionnaire file (the line of its
// nearest ancestor when the file lacks it), for a problem found after
// loading, such as CheckLineage's; 0 when data is not one YAML mapping or
// would expand past the loader's limits.
func LineOf(data []byte, path string) int {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || checkExpansion(&root) != nil ||
		len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	return nodeLines(root.Content[0]).at(path)
}
