package questionnaires_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

const (
	bankV2File = "dg-capability-v2.yaml"

	v2MinQuestionsPerArea = 3
	v2MaxQuestionsPerArea = 5
	v2MinQuestions        = 55
	v2MaxQuestions        = 80
	v2MaxShortTitleEN     = 24

	glossaryPath = "../../docs/glossary.md"
)

// The 14 traditional control areas of the Baseline IT Security Policy (S17),
// as listed in the review of v1 (§4a); tags.s17 uses these values.
const (
	s17Management     = "management-responsibilities"
	s17HumanResource  = "human-resource-security"
	s17Assets         = "asset-management"
	s17Access         = "access-control"
	s17Cryptography   = "cryptography"
	s17Physical       = "physical-environmental"
	s17Operations     = "operations-security"
	s17Communications = "communications-security"
	s17Development    = "system-acquisition-development"
	s17Outsourcing    = "outsourcing-security"
	s17Incident       = "incident-management"
	s17Continuity     = "business-continuity"
	s17Compliance     = "compliance"
	s17MobileRemote   = "mobile-remote-working"
)

var s17Areas = []string{s17Management, s17HumanResource, s17Assets, s17Access, s17Cryptography, s17Physical,
	s17Operations, s17Communications, s17Development, s17Outsourcing, s17Incident, s17Continuity, s17Compliance, s17MobileRemote}

// The six NIST CSF 2.0 functions; tags.csf holds functions or categories (GV.RR).
var csfFunctions = []string{"GV", "ID", "PR", "DE", "RS", "RC"}

// The six data protection principles and the PCPD Privacy Management Programme.
var pdpoItems = []string{"DPP1", "DPP2", "DPP3", "DPP4", "DPP5", "DPP6", "PMP"}

// The four project-governance measures the DPO (then OGCIO) promulgated on
// 7 February 2024: classification at initiation, 70% technical weighting,
// independent third-party review, additional tests before rollout.
var dpoProjectMeasures = []string{"classification", "technical-weighting", "independent-review", "prelaunch-testing"}

// Cross-cutting seminar concerns (tags.focus) that need at least one question.
const (
	focusBottomLine    = "bottom-line-thinking"
	focusCollaboration = "cross-department-collaboration"
)

// outreachWords may not appear in a level 5 descriptor: level 5 is
// optimisation on the department's own evidence, not outreach (review §3.4,
// §3.5, change 6).
var outreachWords = regexp.MustCompile(`(?i)\b(shar(e|ed|es|ing)|recogni[sz]ed|cited|benchmark\w*|reused|smooth\w*|consistently high|peers?|across government|other departments)\b`)

// yesNoStem matches a stem that asks a closed yes/no question.
var yesNoStem = regexp.MustCompile(`^(Is|Are|Does|Do|Has|Have)\b`)

func loadV2(t *testing.T) *survey.Questionnaire {
	t.Helper()
	return loadBankVersion(t, 2)
}

type v2Question struct {
	q      survey.Question
	area   survey.Area
	domain string
}

func v2Questions(q *survey.Questionnaire) []v2Question {
	var out []v2Question
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for _, qu := range a.Questions {
				out = append(out, v2Question{qu, a, d.ID})
			}
		}
	}
	return out
}

// v2Texts lists every bilingual string of v2, including the v2 fields.
func v2Texts(t *testing.T, q *survey.Questionnaire) []labelledText {
	t.Helper()
	out := allTexts(t, q)
	out = append(out, labelledText{"rating_rule", q.RatingRule})
	for _, th := range q.Themes {
		out = append(out, labelledText{th.ID + ".title", th.Title}, labelledText{th.ID + ".seminar", th.Seminar})
	}
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			out = append(out, labelledText{a.ID + ".short_title", a.ShortTitle})
			for _, qu := range a.Questions {
				out = append(out, labelledText{qu.ID + ".reference", survey.Text{EN: qu.Reference.EN, ZH: qu.Reference.ZH}})
			}
		}
	}
	return out
}

func TestV2LoadsWithV1(t *testing.T) {
	v1, v2 := loadBankVersion(t, 1), loadV2(t)
	if v1.ID != v2.ID {
		t.Fatalf("ids %q and %q", v1.ID, v2.ID)
	}
	if err := survey.CheckLineage(v1, v2); err != nil {
		t.Errorf("CheckLineage(v1, v2): %v", err)
	}
	if err := v2.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestV2Shape(t *testing.T) {
	q := loadV2(t)
	var ids []string
	for _, d := range q.Domains {
		ids = append(ids, d.ID)
	}
	if got := strings.Join(ids, ","); got != wantDomainsInOrderID {
		t.Fatalf("domains = %s, want %s", got, wantDomainsInOrderID)
	}
	for _, d := range q.Domains {
		if len(d.Areas) < minAreasPerDomain {
			t.Errorf("domain %s: %d areas, want at least %d", d.ID, len(d.Areas), minAreasPerDomain)
		}
		for _, a := range d.Areas {
			if n := len(a.Questions); n < v2MinQuestionsPerArea || n > v2MaxQuestionsPerArea {
				t.Errorf("area %s has %d questions, want %d-%d", a.ID, n, v2MinQuestionsPerArea, v2MaxQuestionsPerArea)
			}
			if !strings.HasPrefix(a.ID, d.ID+"-") {
				t.Errorf("area %s is not prefixed with %s-", a.ID, d.ID)
			}
			for i, qu := range a.Questions {
				if want := fmt.Sprintf("%s-%d", a.ID, i+1); qu.ID != want {
					t.Errorf("question %d of %s has id %q, want %q", i+1, a.ID, qu.ID, want)
				}
			}
		}
	}
	if n := q.QuestionCount(); n < v2MinQuestions || n > v2MaxQuestions {
		t.Errorf("%d questions, want %d-%d", n, v2MinQuestions, v2MaxQuestions)
	}
	if n := len(q.Themes); n < survey.MinThemes || n > survey.MaxThemes {
		t.Errorf("%d themes, want %d-%d", n, survey.MinThemes, survey.MaxThemes)
	}
}

func TestV2Fields(t *testing.T) {
	q := loadV2(t)
	both := func(where string, x survey.Text) {
		t.Helper()
		if strings.TrimSpace(x.EN) == "" || strings.TrimSpace(x.ZH) == "" {
			t.Errorf("%s: missing a language: %+v", where, x)
		}
	}
	both("rating_rule", q.RatingRule)
	if !strings.Contains(q.RatingRule.EN, "cumulative") || !strings.Contains(q.RatingRule.EN, "highest level all of whose statements are true") {
		t.Errorf("rating rule does not state the cumulative rule: %q", q.RatingRule.EN)
	}
	for _, th := range q.Themes {
		both(th.ID+".title", th.Title)
		both(th.ID+".seminar", th.Seminar)
	}
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			both(a.ID+".short_title", a.ShortTitle)
			if n := len([]rune(a.ShortTitle.EN)); n > v2MaxShortTitleEN {
				t.Errorf("%s short title %q has %d characters, want at most %d", a.ID, a.ShortTitle.EN, n, v2MaxShortTitleEN)
			}
			if q.Theme(a.Theme) == nil {
				t.Errorf("%s: theme %q is not a theme", a.ID, a.Theme)
			}
			if a.Lineage == nil {
				t.Errorf("%s: no lineage (give [] for a new area)", a.ID)
			}
			if a.Target != nil {
				t.Errorf("%s sets target %d; v2 uses the baseline everywhere", a.ID, *a.Target)
			}
			both(a.ID+".topic", a.Topic)
		}
	}
	for _, x := range v2Questions(q) {
		qu := x.q
		if !qu.Reference.Bilingual() {
			t.Errorf("%s: reference not bilingual: %+v", qu.ID, qu.Reference)
		}
		if qu.Lineage == nil {
			t.Errorf("%s: no lineage (give [] for a new question)", qu.ID)
		}
		if qu.Tags.IsZero() {
			t.Errorf("%s: no tags", qu.ID)
		}
		if len(qu.Tags.CSF) == 0 {
			t.Errorf("%s: no CSF tag", qu.ID)
		}
		if qu.Weight != 1 && !(qu.Weight == 2 && qu.Mandatory) {
			t.Errorf("%s: weight %v outside the written rule (1, or 2 for a mandatory high-impact control)", qu.ID, qu.Weight)
		}
		if !strings.HasPrefix(qu.Help.EN, "Evidence: ") || !strings.HasPrefix(qu.Help.ZH, "佐證資料：") {
			t.Errorf("%s: help must start with Evidence: / 佐證資料：", qu.ID)
		}
		if qu.Central && !strings.Contains(qu.Help.EN+" "+strings.Join(levelsEN(qu), " "), "name the provider in the comment") {
			t.Errorf("%s: central but its help does not say how to rate a central arrangement", qu.ID)
		}
		if qu.NARequires != nil && !qu.NAAllowed {
			t.Errorf("%s: na_requires without na_allowed", qu.ID)
		}
	}
}

func levelsEN(qu survey.Question) []string {
	var out []string
	for _, l := range qu.Levels {
		out = append(out, l.EN)
	}
	return out
}

func TestV2Texts(t *testing.T) {
	q := loadV2(t)
	for _, lt := range v2Texts(t, q) {
		if hasHan(lt.text.EN) {
			t.Errorf("%s: en contains CJK characters", lt.path)
		}
		if !hasHan(lt.text.ZH) {
			t.Errorf("%s: zh contains no CJK characters", lt.path)
		}
		for _, r := range lt.text.ZH {
			if strings.ContainsRune(simplifiedOnly, r) {
				t.Errorf("%s: Simplified-only character %q in %q", lt.path, r, lt.text.ZH)
			}
		}
		if lt.text.EN != strings.TrimSpace(lt.text.EN) || lt.text.ZH != strings.TrimSpace(lt.text.ZH) {
			t.Errorf("%s: leading or trailing whitespace", lt.path)
		}
	}
	for _, x := range v2Questions(q) {
		if yesNoStem.MatchString(x.q.Text.EN) {
			t.Errorf("%s: stem is a yes/no question: %q", x.q.ID, x.q.Text.EN)
		}
		if !strings.HasPrefix(x.q.Text.EN, "Which statement best describes") {
			t.Errorf("%s: stem is not neutral: %q", x.q.ID, x.q.Text.EN)
		}
		if m := outreachWords.FindString(x.q.Levels[survey.MaxLevel].EN); m != "" {
			t.Errorf("%s: level 5 uses the outreach word %q: %q", x.q.ID, m, x.q.Levels[survey.MaxLevel].EN)
		}
		assertDistinct(t, x.q.ID+" level descriptors", x.q.Levels)
	}
	for _, bad := range []string{"指令碼", "工作階段", "職位輪調", "證明：", "道德人工智能框架", "機密資料", "機密及個人資料"} {
		for _, lt := range v2Texts(t, q) {
			if strings.Contains(lt.text.ZH, bad) {
				t.Errorf("%s: uses %q", lt.path, bad)
			}
		}
	}
	wantLevels := []string{"未執行", "初始", "發展中", "已確立", "量化管理", "持續優化"}
	for i, l := range q.Levels {
		if l.ZH != wantLevels[i] {
			t.Errorf("level %d zh = %q, want %q", i, l.ZH, wantLevels[i])
		}
	}
}

func TestV2Coverage(t *testing.T) {
	q := loadV2(t)
	got := map[string]map[string][]string{"s17": {}, "csf": {}, "pdpo": {}, "dpo": {}, "focus": {}}
	add := func(kind string, vals []string, id string) {
		for _, v := range vals {
			got[kind][v] = append(got[kind][v], id)
		}
	}
	for _, x := range v2Questions(q) {
		tg := x.q.Tags
		add("s17", tg.S17, x.q.ID)
		for _, c := range tg.CSF {
			add("csf", []string{strings.SplitN(c, ".", 2)[0]}, x.q.ID)
		}
		add("pdpo", tg.PDPO, x.q.ID)
		add("dpo", tg.DPOProjects, x.q.ID)
		add("focus", tg.Focus, x.q.ID)
	}
	check := func(kind string, want []string, known bool) {
		t.Helper()
		for _, w := range want {
			if len(got[kind][w]) == 0 {
				t.Errorf("%s: no question covers %q", kind, w)
			}
		}
		if known {
			for v := range got[kind] {
				if !contains(want, v) {
					t.Errorf("%s: unknown tag %q on %v", kind, v, got[kind][v])
				}
			}
		}
	}
	check("s17", s17Areas, true)
	check("csf", csfFunctions, true)
	check("pdpo", pdpoItems, true)
	check("dpo", dpoProjectMeasures, true)
	check("focus", []string{focusBottomLine, focusCollaboration}, true)
	if n := len(got["csf"]["DE"]); n < 2 {
		t.Errorf("detection (DE) has %d questions, want at least 2", n)
	}
	// Project questions of the DPO measures: not N/A, except the oversight of
	// large projects, which only a department that classifies can rule out.
	for _, x := range v2Questions(q) {
		if len(x.q.Tags.DPOProjects) > 0 && x.q.NAAllowed && x.q.NARequires == nil {
			t.Errorf("%s: a DPO project measure with unconditional N/A", x.q.ID)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestV2LineageAndNARules(t *testing.T) {
	v1, v2 := loadBankVersion(t, 1), loadV2(t)
	v1q := v1.Index()
	v2q := v2.Index()
	continued := map[string]bool{}
	for _, x := range v2Questions(v2) {
		for _, id := range x.q.Lineage {
			if _, ok := v1q[id]; !ok {
				t.Errorf("%s: lineage %q is not a v1 question", x.q.ID, id)
			}
			continued[id] = true
		}
		if nr := x.q.NARequires; nr != nil {
			if _, ok := v2q[nr.Question]; !ok {
				t.Errorf("%s: na_requires names %q, not a question", x.q.ID, nr.Question)
			}
			if nr.MinLevel < 0 || nr.MinLevel > survey.MaxLevel {
				t.Errorf("%s: na_requires level %d", x.q.ID, nr.MinLevel)
			}
			if !strings.Contains(x.q.Help.EN, nr.Question) {
				t.Errorf("%s: help does not name the question N/A depends on (%s)", x.q.ID, nr.Question)
			}
		}
	}
	// The conditional N/A rules the review asks for.
	wantNA := map[string]string{"ds-ai-3": "ds-ai-1", "ds-ai-4": "ds-ai-1", "ds-ai-5": "ds-ai-1", "cs-thirdparty-2": "ism-assets-1"}
	for id, other := range wantNA {
		nr := v2q[id].Question.NARequires
		if nr == nil || nr.Question != other || nr.MinLevel != 3 {
			t.Errorf("%s: na_requires = %+v, want %s at 3", id, nr, other)
		}
	}
	// Most of v1 is continued (the rest was merged or dropped on purpose).
	if n := len(continued); n*10 < len(v1q)*8 {
		t.Errorf("only %d of %d v1 questions are continued", n, len(v1q))
	}
}

// retiredV1 are the version 1 questions that no version 2 question
// continues, each retired on purpose with its reason in the file's header.
var retiredV1 = []string{"ism-strategy-3"}

// headerComment is the comment block at the top of the v2 file.
func headerComment(t *testing.T) string {
	t.Helper()
	data, err := fs.ReadFile(questionnaires.FS(), bankV2File)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func TestV2EveryV1QuestionHasASuccessorOrAReason(t *testing.T) {
	v1, v2 := loadBankVersion(t, 1), loadV2(t)
	successors := map[string][]string{}
	for _, x := range v2Questions(v2) {
		for _, id := range x.q.Lineage {
			successors[id] = append(successors[id], x.q.ID)
		}
	}
	header := headerComment(t)
	for _, id := range v1.QuestionIDs() {
		retired := contains(retiredV1, id)
		switch {
		case retired && len(successors[id]) > 0:
			t.Errorf("%s is listed as retired but continued by %v", id, successors[id])
		case retired && !strings.Contains(header, id+" "):
			t.Errorf("%s is retired but the file header does not say why", id)
		case !retired && len(successors[id]) == 0:
			t.Errorf("v1 question %s has no successor in v2 and is not retired with a reason", id)
		}
	}
	if !strings.Contains(header, "retired") {
		t.Errorf("the header does not explain the retired questions")
	}
}

// The questions the second review found double-barrelled are split, each
// half continuing the same v1 question and weighing 1.
func TestV2SplitQuestions(t *testing.T) {
	v1, v2 := loadBankVersion(t, 1), loadV2(t)
	v1q, v2q := v1.Index(), v2.Index()
	tests := []struct {
		v1     string
		halves []string
	}{
		{"ism-vendor-3", []string{"ism-vendor-3", "ism-vendor-4"}},
		{"ds-privacy-1", []string{"ds-privacy-1", "ds-openness-1"}},
		{"ds-ai-3", []string{"ds-ai-4", "ds-ai-5"}},
	}
	for _, tc := range tests {
		t.Run(tc.v1, func(t *testing.T) {
			if _, ok := v1q[tc.v1]; !ok {
				t.Fatalf("%s is not a v1 question", tc.v1)
			}
			for _, id := range tc.halves {
				ref, ok := v2q[id]
				if !ok {
					t.Errorf("%s is not a v2 question", id)
					continue
				}
				if !contains(ref.Question.Lineage, tc.v1) {
					t.Errorf("%s: lineage %v does not name %s", id, ref.Question.Lineage, tc.v1)
				}
				if ref.Question.Weight != 1 {
					t.Errorf("%s weighs %v; each half of a split weighs 1", id, ref.Question.Weight)
				}
			}
			if a, b := v2q[tc.halves[0]].Question.Text.EN, v2q[tc.halves[1]].Question.Text.EN; a == b {
				t.Errorf("the halves ask the same thing: %q", a)
			}
		})
	}
}

// DPP2(1), the accuracy of personal data, has its own mandatory question.
func TestV2DPP2AccuracyQuestion(t *testing.T) {
	var found []string
	for _, x := range v2Questions(loadV2(t)) {
		if contains(x.q.Tags.PDPO, "DPP2") && strings.Contains(x.q.Reference.EN, "DPP2(1)") && strings.Contains(x.q.Reference.ZH, "第2(1)原則") {
			found = append(found, x.q.ID)
			if !x.q.Mandatory {
				t.Errorf("%s: DPP2(1) is a statutory obligation; the question must be mandatory", x.q.ID)
			}
		}
	}
	if len(found) != 1 {
		t.Errorf("questions on DPP2(1) accuracy: %v, want exactly one", found)
	}
}

// References name their instrument and edition the same way everywhere.
func TestV2ReferencesNameTheirEdition(t *testing.T) {
	rules := []struct {
		name, mention, en, zh string
	}{
		{"Feb 2024 project measures", "7 February 2024", "press release", "新聞公報"},
		{"S17", "S17", "S17 v8.2 (April 2025)", "（S17）第8.2版（2025年4月）"},
		{"G3", "G3", "G3 v10.0 (April 2024)", "（G3）第10.0版（2024年4月）"},
		{"PDPO", "Personal Data (Privacy) Ordinance", "(Cap. 486)", "（第486章）"},
		{"PCPD PMP guide", "Best Practice Guide", "August 2018", "2018年8月"},
		{"GRS", "Mandatory Records Management Requirements", "General Circular No. 2/2009", "總務通告第2/2009號"},
	}
	for _, x := range v2Questions(loadV2(t)) {
		ref := x.q.Reference
		for _, r := range rules {
			if !strings.Contains(ref.EN, r.mention) {
				continue
			}
			if !strings.Contains(ref.EN, r.en) || !strings.Contains(ref.ZH, r.zh) {
				t.Errorf("%s: a %s reference must name %q / %q: %+v", x.q.ID, r.name, r.en, r.zh, ref)
			}
		}
	}
}

// glossaryRow is one row of docs/glossary.md.
type glossaryRow struct {
	en, zh string
	avoid  []string
	paired bool
}

func readGlossary(t *testing.T) []glossaryRow {
	t.Helper()
	data, err := os.ReadFile(glossaryPath)
	if err != nil {
		t.Fatalf("glossary: %v", err)
	}
	var rows []glossaryRow
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") || strings.HasPrefix(line, "| English") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 4 {
			t.Fatalf("glossary row %q has %d cells", line, len(cells))
		}
		r := glossaryRow{en: strings.TrimSpace(cells[0]), zh: strings.TrimSpace(cells[1]), paired: strings.TrimSpace(cells[3]) == "yes"}
		for _, a := range strings.Split(cells[2], ";") {
			if a = strings.TrimSpace(a); a != "" && a != "—" {
				r.avoid = append(r.avoid, a)
			}
		}
		rows = append(rows, r)
	}
	if len(rows) < 35 {
		t.Fatalf("glossary has %d terms, want about 40", len(rows))
	}
	return rows
}

func TestV2Glossary(t *testing.T) {
	q := loadV2(t)
	texts := v2Texts(t, q)
	for _, r := range readGlossary(t) {
		used := false
		for _, lt := range texts {
			for _, a := range r.avoid {
				if strings.Contains(lt.text.ZH, a) {
					t.Errorf("%s: uses %q, which the glossary says to avoid (use %q for %q)", lt.path, a, r.zh, r.en)
				}
			}
			if strings.Contains(strings.ToLower(lt.text.EN), strings.ToLower(r.en)) {
				used = true
				if r.paired && !strings.Contains(lt.text.ZH, r.zh) {
					t.Errorf("%s: English has %q but Chinese lacks %q: %q", lt.path, r.en, r.zh, lt.text.ZH)
				}
			}
			if strings.Contains(lt.text.ZH, r.zh) {
				used = true
			}
		}
		if !used {
			t.Logf("glossary term %q / %q does not appear in v2", r.en, r.zh)
		}
	}
}

func TestV2LoaderRejects(t *testing.T) {
	data, err := fs.ReadFile(questionnaires.FS(), bankV2File)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := fs.ReadFile(questionnaires.FS(), bankFile)
	if err != nil {
		t.Fatal(err)
	}
	parse := func(t *testing.T) *yaml.Node {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return &doc
	}
	// domains[1] is cs; areas[0] cs-governance, questions[0] cs-governance-1.
	q0 := []any{"domains", 1, "areas", 0, "questions", 0}
	set := func(value string, steps ...any) func(t *testing.T, doc *yaml.Node) {
		return func(t *testing.T, doc *yaml.Node) { nodeAt(t, doc, steps...).Value = value }
	}
	addNARequires := func(question, level string) func(t *testing.T, doc *yaml.Node) {
		return func(t *testing.T, doc *yaml.Node) {
			qn := nodeAt(t, doc, q0...)
			nodeAt(t, doc, append(q0, "na_allowed")...).Value = "true"
			var nr yaml.Node
			if err := yaml.Unmarshal([]byte(fmt.Sprintf("{question: %s, min_level: %s}", question, level)), &nr); err != nil {
				t.Fatal(err)
			}
			qn.Content = append(qn.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "na_requires"}, nr.Content[0])
		}
	}
	tests := []struct {
		name, wantPath, wantReason string
		mutate                     func(t *testing.T, doc *yaml.Node)
		withV1                     bool
	}{
		{"unknown lineage id", "domains[1].areas[0].questions[0].lineage[0]", `lineage id "cs-governance-9" is not a question of dg-capability version 1`,
			set("cs-governance-9", append(q0, "lineage", 0)...), true},
		{"na_requires on a missing question", "domains[1].areas[0].questions[0].na_requires.question", `unknown question "cs-nowhere-1"`,
			addNARequires("cs-nowhere-1", "3"), false},
		{"na_requires level above 5", "domains[1].areas[0].questions[0].na_requires.min_level", "between 0 and 5",
			addNARequires("cs-iam-1", "6"), false},
		{"na_requires level below 0", "domains[1].areas[0].questions[0].na_requires.min_level", "between 0 and 5",
			addNARequires("cs-iam-1", "-1"), false},
		{"theme no area uses", "themes[2]", `theme "central-platforms" is used by no area`,
			set("project-governance", "domains", 0, "areas", 4, "theme"), false},
		{"area with unknown theme", "domains[0].areas[4].theme", `unknown theme "nowhere"`,
			set("nowhere", "domains", 0, "areas", 4, "theme"), false},
		{"question without a bilingual reference", "domains[1].areas[0].questions[0].reference", "bilingual reference",
			func(t *testing.T, doc *yaml.Node) {
				ref := nodeAt(t, doc, append(q0, "reference")...)
				*ref = yaml.Node{Kind: yaml.ScalarNode, Value: "Baseline IT Security Policy S17"}
			}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := parse(t)
			tc.mutate(t, doc)
			out := marshal(t, doc)
			var err error
			if tc.withV1 {
				_, err = survey.LoadQuestionnaires(mapFS{bankFile: v1, bankV2File: out})
			} else {
				_, err = survey.ParseQuestionnaire(bankV2File, out)
			}
			var le *survey.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *survey.LoadError", err)
			}
			if le.File != bankV2File || le.Path != tc.wantPath || !strings.Contains(le.Reason, tc.wantReason) {
				t.Errorf("got %q %q %q; want %q %q reason with %q", le.File, le.Path, le.Reason, bankV2File, tc.wantPath, tc.wantReason)
			}
			if msg := err.Error(); !strings.Contains(msg, bankV2File) || !strings.Contains(msg, tc.wantPath) {
				t.Errorf("message %q does not name the file and path", msg)
			}
		})
	}
	// Control: the unchanged copy loads, alone and with v1.
	if _, err := survey.ParseQuestionnaire(bankV2File, marshal(t, parse(t))); err != nil {
		t.Errorf("unchanged copy: %v", err)
	}
	if _, err := survey.LoadQuestionnaires(mapFS{bankFile: v1, bankV2File: marshal(t, parse(t))}); err != nil {
		t.Errorf("unchanged copy with v1: %v", err)
	}
}

// mapFS is an fs.FS over file contents.
type mapFS map[string][]byte

func (m mapFS) Open(name string) (fs.File, error) {
	fsys := fstest.MapFS{}
	for k, v := range m {
		fsys[k] = &fstest.MapFile{Data: v}
	}
	return fsys.Open(name)
}
