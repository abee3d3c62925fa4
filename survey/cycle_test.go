package survey_test

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// builtInBank loads v1 and v2 of the built-in bank.
func builtInBank(t *testing.T) (v1, v2 *survey.Questionnaire) {
	t.Helper()
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range bank {
		switch {
		case q.ID == "dg-capability" && q.Version == 1:
			v1 = q
		case q.ID == "dg-capability" && q.Version == 2:
			v2 = q
		}
	}
	if v1 == nil || v2 == nil {
		t.Fatal("the built-in bank lacks dg-capability v1 or v2")
	}
	return v1, v2
}

func loadErr(t *testing.T, data string) *survey.LoadError {
	t.Helper()
	_, err := survey.ParseQuestionnaire("up.yaml", []byte(data))
	var le *survey.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a *survey.LoadError", err)
	}
	return le
}

// TestLoaderRefusesYAMLBombs: anchors and aliases that would expand
// exponentially, and nesting past the limit, are refused before anything
// is expanded (so quickly and in little memory).
func TestLoaderRefusesYAMLBombs(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("l%d", i)
		laughs += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	nested := "x: &x {a: 1}\n"
	for i := 0; i < 80; i++ {
		nested += fmt.Sprintf("n%d: &n%d {k: *%s}\n", i, i, map[bool]string{true: "x", false: fmt.Sprintf("n%d", i-1)}[i == 0])
	}
	tests := []struct{ name, data string }{
		{"billion laughs", laughs},
		{"deep flow nesting", deep},
		{"aliases nested past the depth limit", nested},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			le := loadErr(t, tc.data)
			if !le.Malformed {
				t.Errorf("refused as a rule (%v), want malformed", le)
			}
		})
	}
}

// TestLoaderListsEveryProblemWithItsLine: every rule broken is listed, each
// with its path and the line of the file where it is (or the line of what
// should hold a missing field).
func TestLoaderListsEveryProblemWithItsLine(t *testing.T) {
	src := string(surveytest.SmallYAML())
	lines := strings.Split(src, "\n")
	lineOf := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i + 1
			}
		}
		t.Fatalf("no line %q", prefix)
		return 0
	}
	broken := strings.Replace(src, "    weight: 1\n    target: 4\n", "    weight: 0\n    target: 4\n", 1)
	broken = strings.Replace(broken, "- id: cs-iam-1\n", "- id: CS-IAM-1\n", 1)
	le := loadErr(t, broken)
	if le.Malformed {
		t.Fatalf("a rule refused as malformed: %v", le)
	}
	want := []survey.Problem{
		{Path: "domains[0].areas[0].weight", Line: lineOf("    weight: 1")},
		{Path: "domains[0].areas[0].questions[0].id", Line: lineOf("    - id: cs-iam-1")},
	}
	got := le.AllProblems()
	if len(got) != len(want) {
		t.Fatalf("problems %+v, want %d of them", got, len(want))
	}
	for i, w := range want {
		if got[i].Path != w.Path || got[i].Line != w.Line || got[i].Reason == "" {
			t.Errorf("problem %d = %+v, want path %s at line %d with a reason", i, got[i], w.Path, w.Line)
		}
	}
	if !strings.Contains(le.Error(), fmt.Sprintf("line %d", want[0].Line)) {
		t.Errorf("message %q does not name the line", le.Error())
	}

	t.Run("unknown key", func(t *testing.T) {
		typo := strings.Replace(src, "    weight: 1\n    target: 4\n", "    wieght: 1\n    weight: 1\n    target: 4\n", 1)
		le := loadErr(t, typo)
		p := le.AllProblems()[0]
		if p.Line != lineOf("    weight: 1") || p.Path != "domains[0].areas[0].wieght" {
			t.Errorf("unknown key reported as %+v", p)
		}
	})
	t.Run("not one document", func(t *testing.T) {
		for _, data := range []string{"{[", src + "\n---\n" + src, "just text", ""} {
			if le := loadErr(t, data); !le.Malformed {
				t.Errorf("%.20q refused as a rule: %v", data, le)
			}
		}
	})
}

// lineageOf is what an item continues by the bank's own rule: its lineage,
// or the item of the same id in the older version when absent.
func lineageOf(id string, lineage []string, old map[string]bool) []string {
	if lineage != nil {
		return lineage
	}
	if old[id] {
		return []string{id}
	}
	return []string{}
}

// TestDiffOfTheBuiltInBankMatchesItsLineage: v1 → v2 lists as added
// exactly the v2 questions and areas that continue nothing, as removed the
// v1 ones nothing continues, and every other v2 item with its lineage.
func TestDiffOfTheBuiltInBankMatchesItsLineage(t *testing.T) {
	v1, v2 := builtInBank(t)
	d := survey.Diff(v1, v2)
	oldQ, oldA := map[string]bool{}, map[string]bool{}
	for _, dom := range v1.Domains {
		for _, a := range dom.Areas {
			oldA[a.ID] = true
			for _, q := range a.Questions {
				oldQ[q.ID] = true
			}
		}
	}
	type want struct {
		added, removed []string
		lineage        map[string][]string
	}
	wq := want{lineage: map[string][]string{}}
	wa := want{lineage: map[string][]string{}}
	usedQ, usedA := map[string]bool{}, map[string]bool{}
	for _, dom := range v2.Domains {
		for _, a := range dom.Areas {
			al := lineageOf(a.ID, a.Lineage, oldA)
			if len(al) == 0 {
				wa.added = append(wa.added, a.ID)
			} else {
				wa.lineage[a.ID] = al
			}
			for _, id := range al {
				usedA[id] = true
			}
			for _, q := range a.Questions {
				ql := lineageOf(q.ID, q.Lineage, oldQ)
				if len(ql) == 0 {
					wq.added = append(wq.added, q.ID)
				} else {
					wq.lineage[q.ID] = ql
				}
				for _, id := range ql {
					usedQ[id] = true
				}
			}
		}
	}
	for _, dom := range v1.Domains {
		for _, a := range dom.Areas {
			if !usedA[a.ID] {
				wa.removed = append(wa.removed, a.ID)
			}
			for _, q := range a.Questions {
				if !usedQ[q.ID] {
					wq.removed = append(wq.removed, q.ID)
				}
			}
		}
	}
	check := func(kind string, got survey.DiffItems, w want) {
		t.Helper()
		ids := func(items []survey.DiffItem) []string {
			var out []string
			for _, it := range items {
				out = append(out, it.ID)
			}
			sort.Strings(out)
			return out
		}
		sort.Strings(w.added)
		sort.Strings(w.removed)
		if g := ids(got.Added); !slices.Equal(g, w.added) {
			t.Errorf("%s added = %v, want %v", kind, g, w.added)
		}
		if g := ids(got.Removed); !slices.Equal(g, w.removed) {
			t.Errorf("%s removed = %v, want %v", kind, g, w.removed)
		}
		if n := len(got.Changed) + got.Unchanged; n != len(w.lineage) {
			t.Errorf("%s changed+unchanged = %d, want %d continued", kind, n, len(w.lineage))
		}
		for _, it := range got.Changed {
			if !slices.Equal(it.Lineage, w.lineage[it.ID]) {
				t.Errorf("%s %s lineage = %v, want %v", kind, it.ID, it.Lineage, w.lineage[it.ID])
			}
			if len(it.Fields) == 0 {
				t.Errorf("%s %s listed as changed with no field", kind, it.ID)
			}
		}
	}
	check("questions", d.Questions, wq)
	check("areas", d.Areas, wa)
	if len(d.Questions.Added) == 0 || len(d.Questions.Changed) == 0 {
		t.Errorf("v1 → v2 shows no added or no changed questions: %+v", d.Questions)
	}
	same := survey.Diff(v2, v2)
	if len(same.Questions.Added)+len(same.Questions.Removed)+len(same.Questions.Changed) != 0 || same.Questions.Unchanged != v2.QuestionCount() {
		t.Errorf("a version against itself differs: %+v", same.Questions)
	}
}

// TestQuestionCarry: only one-to-one continuations carry; a merge and a
// split carry nothing, a new question nothing.
func TestQuestionCarry(t *testing.T) {
	old := surveytest.Small(t)
	next := surveytest.Small(t)
	next.Version = 2
	qs := &next.Domains[0].Areas[0].Questions           // cs-iam-1, cs-iam-2
	(*qs)[0].Lineage = []string{"cs-iam-1", "cs-iam-2"} // merge
	(*qs)[1].Lineage = []string{}                       // new
	cloud := &next.Domains[0].Areas[1].Questions        // cs-cloud-1, cs-cloud-2
	(*cloud)[0].Lineage = []string{"cs-cloud-1"}
	(*cloud)[1].Lineage = []string{"cs-cloud-1"} // split of cs-cloud-1
	gov := &next.Domains[1].Areas[0].Questions
	(*gov)[0].ID = "ds-gov-1b"
	(*gov)[0].Lineage = []string{"ds-gov-1"} // renamed, one to one
	got := survey.QuestionCarry(old, next)
	want := map[string]string{"ds-gov-1b": "ds-gov-1", "ds-gov-2": "ds-gov-2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("carry = %v, want %v", got, want)
	}
	if same := survey.QuestionCarry(old, old); len(same) != old.QuestionCount() {
		t.Errorf("the same version carries %d of %d", len(same), old.QuestionCount())
	}

	t.Run("carried answers are marked, unconfirmed, and not answered", func(t *testing.T) {
		lvl := 3
		prev := &survey.Response{Status: survey.StatusSubmitted, Answers: map[string]*survey.Answer{
			"ds-gov-1": {Level: &lvl, Comment: "kept", Evidence: "file", Rev: 4},
			"ds-gov-2": {NA: true, NAReason: "why", Rev: 2},
			"cs-iam-1": {Level: &lvl, Rev: 1},
		}}
		now := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
		carried := survey.CarryAnswers(prev, got, "y1", "prefill", now)
		if len(carried) != 2 {
			t.Fatalf("carried %v", carried)
		}
		a := carried["ds-gov-1b"]
		if !a.Carried || a.Confirmed || a.CarriedFrom != "y1" || a.CarriedQuestion != "ds-gov-1" || *a.Level != 3 ||
			a.Comment != "kept" || a.Evidence != "file" || a.Rev != 1 || a.Answered() {
			t.Errorf("carried answer %+v", a)
		}
		if b := carried["ds-gov-2"]; !b.NA || b.NAReason != "why" {
			t.Errorf("N/A reason not carried: %+v", b)
		}
		r := survey.NewResponse("y2", "ABC")
		if !r.Prefill(carried, next, now) || r.Version != 1 || r.Status != survey.StatusNotStarted || r.Prefill(carried, next, now) {
			t.Fatal("a never-changed response is pre-filled once, and only once, and stays not started")
		}
		var unconfirmed []string
		for _, fe := range r.SubmissionProblems(next) {
			if fe.Rule == survey.RuleUnconfirmed {
				unconfirmed = append(unconfirmed, fe.Field)
			}
		}
		if fmt.Sprint(unconfirmed) != "[answers.ds-gov-1b answers.ds-gov-2]" {
			t.Errorf("unconfirmed at submit: %v", unconfirmed)
		}
		changed, err := survey.Patch{"ds-gov-1b": {Confirm: survey.Of(true)}, "ds-gov-2": {Comment: survey.Of("still")}}.Apply(r, "respondent:ABC:x", now)
		if err != nil || len(changed) != 2 {
			t.Fatalf("confirm: %v %v", changed, err)
		}
		if ids := r.UnconfirmedIDs(next); len(ids) != 0 || !r.Answers["ds-gov-1b"].Answered() || !r.Answers["ds-gov-2"].Confirmed {
			t.Errorf("after confirming and changing: unconfirmed %v", ids)
		}
	})
}

// BenchmarkLoaderRefusesBillionLaughs measures how long the loader takes
// to refuse a file of nested aliases that would expand to 10^13 nodes.
func BenchmarkLoaderRefusesBillionLaughs(b *testing.B) {
	data := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("l%d", i)
		data += fmt.Sprintf("%s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", "))
		prev = name
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := survey.ParseQuestionnaire("bomb.yaml", []byte(data)); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkLoaderBuiltInBankV2 measures loading the built-in bank's v2
// file, what an upload of a questionnaire of its size costs.
func BenchmarkLoaderBuiltInBankV2(b *testing.B) {
	data, err := fs.ReadFile(questionnaires.FS(), "dg-capability-v2.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := survey.ParseQuestionnaire("v2.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
