package questionnaires_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

const (
	bankID   = "dg-capability"
	bankFile = "dg-capability.yaml"

	minAreasPerDomain    = 5
	minQuestionsPerArea  = 3
	maxQuestionsPerArea  = 4
	minQuestionsInBank   = 45
	maxQuestionsInBank   = 70
	levelsPerScale       = survey.MaxLevel + 1
	wantDomainsInOrderID = "ism,cs,ds"
)

// simplifiedOnly lists common characters that exist only in Simplified
// Chinese; Hong Kong Government text uses the Traditional form (資, 訊, 數 ...).
const simplifiedOnly = "资讯数据网络门统护设务这们个来时会对为发经实现应关际计划过还进选项题测评级录产员并单与业东专机岗" +
	"权审检认证训练识职责复续确质库处视优报说请让将从体备类则规标险风软档导队总结构维运营动态内户码储传输删页线电脑环没书开问间长见"

// loadBank loads the embedded bank through the production loader and returns
// version 1 of the built-in questionnaire (the tests in this file check v1;
// bank_v2_test.go checks version 2).
func loadBank(t *testing.T) *survey.Questionnaire {
	t.Helper()
	return loadBankVersion(t, 1)
}

// loadBankVersion loads the embedded bank through the production loader and
// returns the given version of the built-in questionnaire.
func loadBankVersion(t *testing.T, version int) *survey.Questionnaire {
	t.Helper()
	qs, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		t.Fatalf("LoadQuestionnaires: %v", err)
	}
	var found []*survey.Questionnaire
	for _, q := range qs {
		if q.ID == bankID && q.Version == version {
			found = append(found, q)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one questionnaire with id %q version %d, got %d (of %d loaded)", bankID, version, len(found), len(qs))
	}
	return found[0]
}

// labelledText is one bilingual string of the bank with its place in it.
type labelledText struct {
	path string
	text survey.Text
}

// allTexts lists every bilingual string of q with a readable path.
func allTexts(t *testing.T, q *survey.Questionnaire) []labelledText {
	t.Helper()
	out := []labelledText{{"title", q.Title}, {"description", q.Description}}
	for i, l := range q.Levels {
		out = append(out, labelledText{fmt.Sprintf("levels[%d]", i), l})
	}
	for _, d := range q.Domains {
		out = append(out, labelledText{d.ID + ".title", d.Title})
		for _, a := range d.Areas {
			out = append(out,
				labelledText{a.ID + ".title", a.Title},
				labelledText{a.ID + ".topic", a.Topic})
			for _, qu := range a.Questions {
				out = append(out,
					labelledText{qu.ID + ".text", qu.Text},
					labelledText{qu.ID + ".help", qu.Help})
				for l, desc := range qu.Levels {
					out = append(out, labelledText{fmt.Sprintf("%s.levels[%d]", qu.ID, l), desc})
				}
			}
		}
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestBankLoadsOnce(t *testing.T) {
	q := loadBank(t)
	if q.Version != 1 {
		t.Errorf("version = %d, want 1", q.Version)
	}
	if err := q.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestBankShape(t *testing.T) {
	q := loadBank(t)

	var ids []string
	for _, d := range q.Domains {
		ids = append(ids, d.ID)
	}
	if got := strings.Join(ids, ","); got != wantDomainsInOrderID {
		t.Fatalf("domains = %s, want %s", got, wantDomainsInOrderID)
	}

	for _, d := range q.Domains {
		t.Run(d.ID, func(t *testing.T) {
			if len(d.Areas) < minAreasPerDomain {
				t.Errorf("%d areas, want at least %d", len(d.Areas), minAreasPerDomain)
			}
			for _, a := range d.Areas {
				if n := len(a.Questions); n < minQuestionsPerArea || n > maxQuestionsPerArea {
					t.Errorf("area %s has %d questions, want %d-%d", a.ID, n, minQuestionsPerArea, maxQuestionsPerArea)
				}
			}
		})
	}

	if n := q.QuestionCount(); n < minQuestionsInBank || n > maxQuestionsInBank {
		t.Errorf("%d questions in total, want %d-%d", n, minQuestionsInBank, maxQuestionsInBank)
	}
}

func TestBankIDs(t *testing.T) {
	q := loadBank(t)
	seen := map[string]string{}
	check := func(t *testing.T, id, where string) {
		t.Helper()
		if !survey.ValidItemID(id) {
			t.Errorf("%s: id %q is not a valid item id", where, id)
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("%s: id %q already used by %s", where, id, prev)
		}
		seen[id] = where
	}
	check(t, q.ID, "questionnaire")
	for _, d := range q.Domains {
		check(t, d.ID, "domain")
		for _, a := range d.Areas {
			check(t, a.ID, "area in "+d.ID)
			if !strings.HasPrefix(a.ID, d.ID+"-") {
				t.Errorf("area %s should be prefixed with its domain id %q", a.ID, d.ID+"-")
			}
			for i, qu := range a.Questions {
				check(t, qu.ID, "question in "+a.ID)
				if want := fmt.Sprintf("%s-%d", a.ID, i+1); qu.ID != want {
					t.Errorf("question %d of %s has id %q, want %q", i+1, a.ID, qu.ID, want)
				}
			}
		}
	}
}

func TestBankLevelNames(t *testing.T) {
	q := loadBank(t)
	if len(q.Levels) != levelsPerScale {
		t.Fatalf("%d level names, want %d", len(q.Levels), levelsPerScale)
	}
	wantEN := []string{"Not performed", "Initial", "Developing", "Defined", "Managed", "Optimising"}
	for i, l := range q.Levels {
		if l.EN != wantEN[i] {
			t.Errorf("level %d en = %q, want %q", i, l.EN, wantEN[i])
		}
		if strings.TrimSpace(l.ZH) == "" {
			t.Errorf("level %d has no zh name", i)
		}
	}
	assertDistinct(t, "level names", q.Levels)
}

// assertDistinct fails when two entries of texts share their English or their
// Chinese wording.
func assertDistinct(t *testing.T, what string, texts []survey.Text) {
	t.Helper()
	en := map[string]int{}
	zh := map[string]int{}
	for i, x := range texts {
		if j, ok := en[x.EN]; ok {
			t.Errorf("%s: [%d] and [%d] have the same English text %q", what, j, i, x.EN)
		}
		if j, ok := zh[x.ZH]; ok {
			t.Errorf("%s: [%d] and [%d] have the same Chinese text %q", what, j, i, x.ZH)
		}
		en[x.EN], zh[x.ZH] = i, i
	}
}

func TestBankTexts(t *testing.T) {
	q := loadBank(t)
	texts := allTexts(t, q)

	tests := []struct {
		name  string
		check func(x survey.Text) string // problem, or "" when fine
	}{
		{"english present", func(x survey.Text) string {
			if strings.TrimSpace(x.EN) == "" {
				return "missing English"
			}
			return ""
		}},
		{"chinese present", func(x survey.Text) string {
			if strings.TrimSpace(x.ZH) == "" {
				return "missing Chinese"
			}
			return ""
		}},
		{"chinese is written in Han characters", func(x survey.Text) string {
			if !hasHan(x.ZH) {
				return fmt.Sprintf("zh %q contains no CJK characters", x.ZH)
			}
			return ""
		}},
		{"english has no Han characters", func(x survey.Text) string {
			if hasHan(x.EN) {
				return fmt.Sprintf("en %q contains CJK characters", x.EN)
			}
			return ""
		}},
		{"chinese differs from english", func(x survey.Text) string {
			if strings.TrimSpace(x.ZH) == strings.TrimSpace(x.EN) {
				return "zh is a copy of en"
			}
			return ""
		}},
		{"chinese is traditional", func(x survey.Text) string {
			var bad []string
			for _, r := range x.ZH {
				if strings.ContainsRune(simplifiedOnly, r) {
					bad = append(bad, string(r))
				}
			}
			if len(bad) > 0 {
				return fmt.Sprintf("Simplified-only characters %v in %q", bad, x.ZH)
			}
			return ""
		}},
		{"no surrounding whitespace", func(x survey.Text) string {
			if x.EN != strings.TrimSpace(x.EN) || x.ZH != strings.TrimSpace(x.ZH) {
				return "leading or trailing whitespace"
			}
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, lt := range texts {
				if problem := tc.check(lt.text); problem != "" {
					t.Errorf("%s: %s", lt.path, problem)
				}
			}
		})
	}
}

func TestBankAreas(t *testing.T) {
	q := loadBank(t)
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			t.Run(a.ID, func(t *testing.T) {
				if strings.TrimSpace(a.Topic.EN) == "" || strings.TrimSpace(a.Topic.ZH) == "" {
					t.Errorf("seminar topic missing in a language: %+v", a.Topic)
				}
				if !(a.Weight > 0) {
					t.Errorf("weight = %v, want > 0", a.Weight)
				}
				if a.Target != nil && (*a.Target < 0 || *a.Target > survey.MaxLevel) {
					t.Errorf("target = %d, want 0..%d", *a.Target, survey.MaxLevel)
				}
			})
		}
	}
}

func TestBankQuestions(t *testing.T) {
	q := loadBank(t)
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				t.Run(qu.ID, func(t *testing.T) {
					if strings.TrimSpace(qu.Reference.EN) == "" {
						t.Error("no framework reference")
					}
					if strings.TrimSpace(qu.Help.EN) == "" || strings.TrimSpace(qu.Help.ZH) == "" {
						t.Errorf("help missing in a language: %+v", qu.Help)
					}
					if !(qu.Weight > 0) {
						t.Errorf("weight = %v, want > 0", qu.Weight)
					}
					if len(qu.Levels) != levelsPerScale {
						t.Fatalf("%d level descriptors, want %d", len(qu.Levels), levelsPerScale)
					}
					for l, desc := range qu.Levels {
						if strings.TrimSpace(desc.EN) == "" || strings.TrimSpace(desc.ZH) == "" {
							t.Errorf("level %d descriptor missing in a language: %+v", l, desc)
						}
					}
					assertDistinct(t, "level descriptors", qu.Levels)
				})
			}
		}
	}
}

// bankYAML reads the raw bank file and parses it into a YAML node tree that a
// test can change before handing it back to the loader.
func bankYAML(t *testing.T) *yaml.Node {
	t.Helper()
	data, err := fs.ReadFile(questionnaires.FS(), bankFile)
	if err != nil {
		t.Fatalf("read %s: %v", bankFile, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse %s: %v", bankFile, err)
	}
	return &doc
}

// nodeAt follows a path of mapping keys and sequence indexes from the
// document root, e.g. "domains", 0, "areas", 1, "questions", 2, "levels".
func nodeAt(t *testing.T, doc *yaml.Node, steps ...any) *yaml.Node {
	t.Helper()
	n := doc
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, step := range steps {
		switch s := step.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				t.Fatalf("step %q: node is not a mapping", s)
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == s {
					next = n.Content[i+1]
					break
				}
			}
			if next == nil {
				t.Fatalf("step %q: key not found", s)
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || s < 0 || s >= len(n.Content) {
				t.Fatalf("step %d: not a sequence or out of range", s)
			}
			n = n.Content[s]
		default:
			t.Fatalf("bad step %v", step)
		}
	}
	return n
}

func marshal(t *testing.T, doc *yaml.Node) []byte {
	t.Helper()
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return out
}

func TestLoaderAcceptsUnchangedCopy(t *testing.T) {
	// The control for TestLoaderRejectsBrokenCopy: a round trip through the
	// node tree alone must not make the bank invalid.
	if _, err := survey.ParseQuestionnaire(bankFile, marshal(t, bankYAML(t))); err != nil {
		t.Fatalf("unchanged copy rejected: %v", err)
	}
}

func TestLoaderRejectsBrokenCopy(t *testing.T) {
	removeDescriptor := func(level int, at ...any) func(t *testing.T, doc *yaml.Node) {
		return func(t *testing.T, doc *yaml.Node) {
			t.Helper()
			levels := nodeAt(t, doc, append(at, "levels")...)
			levels.Content = append(levels.Content[:level:level], levels.Content[level+1:]...)
		}
	}
	blankChinese := func(level int, at ...any) func(t *testing.T, doc *yaml.Node) {
		return func(t *testing.T, doc *yaml.Node) {
			t.Helper()
			nodeAt(t, doc, append(at, "levels", level, "zh")...).Value = ""
		}
	}
	tests := []struct {
		name       string
		mutate     func(t *testing.T, doc *yaml.Node)
		wantPath   string
		wantReason string
	}{
		{
			name:       "first question loses its top descriptor",
			mutate:     removeDescriptor(5, "domains", 0, "areas", 0, "questions", 0),
			wantPath:   "domains[0].areas[0].questions[0].levels",
			wantReason: "has 5",
		},
		{
			name:       "cybersecurity question loses its level 0 descriptor",
			mutate:     removeDescriptor(0, "domains", 1, "areas", 1, "questions", 2),
			wantPath:   "domains[1].areas[1].questions[2].levels",
			wantReason: "has 5",
		},
		{
			name:       "descriptor loses its Chinese text",
			mutate:     blankChinese(3, "domains", 2, "areas", 2, "questions", 1),
			wantPath:   "domains[2].areas[2].questions[1].levels[3].zh",
			wantReason: "Traditional Chinese",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := bankYAML(t)
			tc.mutate(t, doc)
			_, err := survey.ParseQuestionnaire(bankFile, marshal(t, doc))
			if err == nil {
				t.Fatal("broken copy accepted")
			}
			var le *survey.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is not a *survey.LoadError", err, err)
			}
			if le.File != bankFile {
				t.Errorf("file = %q, want %q", le.File, bankFile)
			}
			if le.Path != tc.wantPath {
				t.Errorf("path = %q, want %q", le.Path, tc.wantPath)
			}
			if !strings.Contains(le.Reason, tc.wantReason) {
				t.Errorf("reason = %q, want it to mention %q", le.Reason, tc.wantReason)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.wantPath) {
				t.Errorf("message %q does not name the path", msg)
			}
		})
	}
}
