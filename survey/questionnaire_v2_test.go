package survey

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// miniYAML writes a small questionnaire file: one domain "d" with five areas
// d-a1..d-a5, each with two questions d-aN-1, d-aN-2. Version 2 files get
// five themes t1..t5 (area N feeds theme tN), a rating rule, short titles,
// bilingual references and lineage onto the version 1 ids. edit may rewrite
// the text before it is parsed.
func miniYAML(version int, edit func(string) string) string {
	var b strings.Builder
	bi := func(indent, key, en string) {
		fmt.Fprintf(&b, "%s%s: {en: %q, zh: %q}\n", indent, key, en, "中文"+en)
	}
	fmt.Fprintf(&b, "id: mini\nversion: %d\n", version)
	bi("", "title", "Mini")
	bi("", "description", "For tests")
	b.WriteString("levels:\n")
	for l := 0; l <= MaxLevel; l++ {
		fmt.Fprintf(&b, "  - {en: \"L%d\", zh: \"級%d\"}\n", l, l)
	}
	if version >= 2 {
		bi("", "rating_rule", "Levels are cumulative")
		b.WriteString("themes:\n")
		for t := 1; t <= 5; t++ {
			fmt.Fprintf(&b, "  - id: t%d\n", t)
			bi("    ", "title", fmt.Sprintf("Theme %d", t))
			bi("    ", "seminar", fmt.Sprintf("Seminar %d", t))
		}
	}
	b.WriteString("domains:\n  - id: d\n")
	bi("    ", "title", "Domain")
	b.WriteString("    areas:\n")
	for a := 1; a <= 5; a++ {
		fmt.Fprintf(&b, "      - id: d-a%d\n        weight: 1\n", a)
		bi("        ", "title", fmt.Sprintf("Area %d", a))
		bi("        ", "topic", fmt.Sprintf("Topic %d", a))
		if version >= 2 {
			bi("        ", "short_title", fmt.Sprintf("A%d", a))
			fmt.Fprintf(&b, "        theme: t%d\n        lineage: [d-a%d]\n", a, a)
		}
		b.WriteString("        questions:\n")
		for i := 1; i <= 2; i++ {
			id := fmt.Sprintf("d-a%d-%d", a, i)
			fmt.Fprintf(&b, "          - id: %s\n            weight: 1\n            na_allowed: true\n", id)
			bi("            ", "text", "Question "+id)
			bi("            ", "help", "Help "+id)
			if version >= 2 {
				bi("            ", "reference", "Ref "+id)
				fmt.Fprintf(&b, "            lineage: [%s]\n", id)
			} else {
				fmt.Fprintf(&b, "            reference: \"Ref %s\"\n", id)
			}
			b.WriteString("            levels:\n")
			for l := 0; l <= MaxLevel; l++ {
				fmt.Fprintf(&b, "              - {en: \"%s L%d\", zh: \"%s 級%d\"}\n", id, l, id, l)
			}
		}
	}
	s := b.String()
	if edit != nil {
		s = edit(s)
	}
	return s
}

// replaceOnce replaces the first old with new and panics when old is absent,
// so a test edit can never silently do nothing.
func replaceOnce(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic(fmt.Sprintf("test edit: %q not in the file", old))
		}
		return strings.Replace(s, old, new, 1)
	}
}

func TestParseMiniVersions(t *testing.T) {
	for _, v := range []int{1, 2} {
		q, err := ParseQuestionnaire("mini.yaml", []byte(miniYAML(v, nil)))
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		qu := q.Domains[0].Areas[0].Questions[0]
		if qu.Reference.EN != "Ref d-a1-1" {
			t.Errorf("version %d: reference en = %q", v, qu.Reference.EN)
		}
		if v == 1 && (qu.Reference.ZH != "" || qu.Lineage != nil || q.Themes != nil) {
			t.Errorf("version 1 got version 2 fields: %+v %v %v", qu.Reference, qu.Lineage, q.Themes)
		}
		if v == 2 {
			if qu.Reference.ZH != "中文Ref d-a1-1" || q.RatingRule.ZH == "" || q.Domains[0].Areas[0].Theme != "t1" || len(q.Themes) != 5 {
				t.Errorf("version 2 fields not read: %+v %+v %+v", qu.Reference, q.RatingRule, q.Domains[0].Areas[0])
			}
			if q.Theme("t3") == nil || q.Theme("t9") != nil {
				t.Error("Theme lookup")
			}
		}
	}
}

func TestReferenceForms(t *testing.T) {
	q, err := ParseQuestionnaire("mini.yaml", []byte(miniYAML(2, replaceOnce(
		`reference: {en: "Ref d-a1-2", zh: "中文Ref d-a1-2"}`,
		"na_requires: {question: d-a1-1, min_level: 3}\n            mandatory: true\n            central: true\n            tags: {s17: [access-control], csf: [PR], pdpo: [DPP4], dpo_projects: [x], focus: [y]}\n            reference: {en: \"Ref d-a1-2\", zh: \"中文Ref d-a1-2\"}"))))
	if err != nil {
		t.Fatal(err)
	}
	qu := q.Domains[0].Areas[0].Questions[1]
	if qu.NARequires == nil || *qu.NARequires != (NARequires{Question: "d-a1-1", MinLevel: 3}) || !qu.Mandatory || !qu.Central {
		t.Errorf("fields not read: %+v", qu)
	}
	if strings.Join(qu.Tags.S17, ",") != "access-control" || qu.Tags.CSF[0] != "PR" || qu.Tags.PDPO[0] != "DPP4" || qu.Tags.DPOProjects[0] != "x" || qu.Tags.Focus[0] != "y" {
		t.Errorf("tags: %+v", qu.Tags)
	}
	if got := qu.Reference.In(LangZH); got != "中文Ref d-a1-2" {
		t.Errorf("In(zh) = %q", got)
	}
	if got := (Reference{EN: "only"}).In(LangZH); got != "only" {
		t.Errorf("In(zh) of an English-only reference = %q, want the English", got)
	}
	for _, r := range []Reference{{EN: "S17"}, {EN: "S17", ZH: "S17 中"}} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`{"en":%q,"zh":%q}`, r.EN, r.ZH); string(b) != want {
			t.Errorf("json = %s, want %s", b, want)
		}
	}
	_, err = ParseQuestionnaire("mini.yaml", []byte(miniYAML(2, replaceOnce(`zh: "中文Ref d-a1-1"}`, `zh: "中文", fr: "x"}`))))
	if err == nil || !strings.Contains(err.Error(), `unknown key "fr"`) {
		t.Errorf("unknown reference key: %v", err)
	}
}

func TestValidateV2Rejects(t *testing.T) {
	tests := []struct {
		name               string
		version            int
		edit               func(string) string
		wantPath, wantText string
	}{
		{"na_requires on a missing question", 2, replaceOnce("lineage: [d-a2-1]", "lineage: [d-a2-1]\n            na_requires: {question: d-a9-9, min_level: 3}"),
			"domains[0].areas[1].questions[0].na_requires.question", `unknown question "d-a9-9"`},
		{"na_requires level above 5", 2, replaceOnce("lineage: [d-a2-1]", "lineage: [d-a2-1]\n            na_requires: {question: d-a1-1, min_level: 6}"),
			"domains[0].areas[1].questions[0].na_requires.min_level", "between 0 and 5"},
		{"na_requires level below 0", 2, replaceOnce("lineage: [d-a2-1]", "lineage: [d-a2-1]\n            na_requires: {question: d-a1-1, min_level: -1}"),
			"domains[0].areas[1].questions[0].na_requires.min_level", "between 0 and 5"},
		{"na_requires on itself", 2, replaceOnce("lineage: [d-a2-1]", "lineage: [d-a2-1]\n            na_requires: {question: d-a2-1, min_level: 3}"),
			"domains[0].areas[1].questions[0].na_requires.question", "another question"},
		{"na_requires without N/A", 2, replaceOnce("na_allowed: true\n            text: {en: \"Question d-a2-1\"", "na_allowed: false\n            na_requires: {question: d-a1-1, min_level: 3}\n            text: {en: \"Question d-a2-1\""),
			"domains[0].areas[1].questions[0].na_requires", "na_allowed"},
		{"theme no area uses", 2, replaceOnce("theme: t3", "theme: t2"),
			"themes[2]", `theme "t3" is used by no area`},
		{"area with an unknown theme", 2, replaceOnce("theme: t3", "theme: t9"),
			"domains[0].areas[2].theme", `unknown theme "t9"`},
		{"v2 area without a theme", 2, replaceOnce("        theme: t3\n", ""),
			"domains[0].areas[2].theme", "seminar theme"},
		{"v2 question with an English-only reference", 2, replaceOnce(`reference: {en: "Ref d-a3-2", zh: "中文Ref d-a3-2"}`, `reference: "Ref d-a3-2"`),
			"domains[0].areas[2].questions[1].reference", "bilingual reference"},
		{"v2 question with an empty Chinese reference", 2, replaceOnce(`zh: "中文Ref d-a3-2"`, `zh: " "`),
			"domains[0].areas[2].questions[1].reference", "bilingual reference"},
		{"v2 area without a short title", 2, replaceOnce(`short_title: {en: "A4", zh: "中文A4"}`, `short_title: {en: "A4"}`),
			"domains[0].areas[3].short_title.zh", "Traditional Chinese"},
		{"v2 without a rating rule", 2, replaceOnce(`rating_rule: {en: "Levels are cumulative", zh: "中文Levels are cumulative"}`, ""),
			"rating_rule.en", "English"},
		{"too few themes", 2, func(s string) string {
			s = replaceOnce("  - id: t5\n    title: {en: \"Theme 5\", zh: \"中文Theme 5\"}\n    seminar: {en: \"Seminar 5\", zh: \"中文Seminar 5\"}\n", "")(s)
			return replaceOnce("theme: t5", "theme: t4")(s)
		}, "themes", "5 to 8"},
		{"themes in a v1 file bring the v2 rules", 1, replaceOnce("domains:\n", "themes:\n  - {id: t1, title: {en: a, zh: 甲}, seminar: {en: b, zh: 乙}}\ndomains:\n"),
			"rating_rule.en", "English"},
		{"bad lineage id", 2, replaceOnce("lineage: [d-a1-2]", "lineage: [D.A]"),
			"domains[0].areas[0].questions[1].lineage[0]", "must match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseQuestionnaire("mini.yaml", []byte(miniYAML(tc.version, tc.edit)))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if le.File != "mini.yaml" || le.Path != tc.wantPath || !strings.Contains(le.Reason, tc.wantText) {
				t.Errorf("got file %q path %q reason %q; want mini.yaml, %q, reason with %q", le.File, le.Path, le.Reason, tc.wantPath, tc.wantText)
			}
		})
	}
}

func TestLoadChecksLineage(t *testing.T) {
	load := func(v2 string) error {
		_, err := LoadQuestionnaires(fstest.MapFS{
			"mini-v1.yaml": {Data: []byte(miniYAML(1, nil))},
			"mini-v2.yaml": {Data: []byte(v2)},
		})
		return err
	}
	if err := load(miniYAML(2, nil)); err != nil {
		t.Fatalf("valid pair refused: %v", err)
	}
	// Alone, a version 2 file cannot be checked against version 1.
	if _, err := LoadQuestionnaires(fstest.MapFS{"mini-v2.yaml": {Data: []byte(miniYAML(2, replaceOnce("lineage: [d-a1-2]", "lineage: [d-a1-9]")))}}); err != nil {
		t.Fatalf("standalone v2 refused: %v", err)
	}
	tests := []struct {
		name, old, new, wantPath, wantReason string
	}{
		{"question lineage", "lineage: [d-a1-2]", "lineage: [d-a1-1, d-a1-9]", "domains[0].areas[0].questions[1].lineage[1]", `lineage id "d-a1-9" is not a question of mini version 1`},
		{"area lineage", "lineage: [d-a2]", "lineage: [d-a7]", "domains[0].areas[1].lineage[0]", `lineage id "d-a7" is not an area of mini version 1`},
		{"question id in an area lineage", "lineage: [d-a2]", "lineage: [d-a2-1]", "domains[0].areas[1].lineage[0]", `lineage id "d-a2-1" is not an area of mini version 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := load(miniYAML(2, replaceOnce(tc.old, tc.new)))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if le.File != "mini-v2.yaml" || le.Path != tc.wantPath || le.Reason != tc.wantReason {
				t.Errorf("got %q %q %q; want mini-v2.yaml %q %q", le.File, le.Path, le.Reason, tc.wantPath, tc.wantReason)
			}
		})
	}
	// Empty lineage (a new item) and absent lineage are both accepted.
	if err := load(miniYAML(2, replaceOnce("lineage: [d-a1-2]", "lineage: []"))); err != nil {
		t.Errorf("empty lineage refused: %v", err)
	}
	q, err := ParseQuestionnaire("x.yaml", []byte(miniYAML(2, replaceOnce("lineage: [d-a1-2]", "lineage: []"))))
	if err != nil {
		t.Fatal(err)
	}
	if l := q.Domains[0].Areas[0].Questions[1].Lineage; l == nil || len(l) != 0 {
		t.Errorf("lineage: [] read as %#v, want an empty non-nil list", l)
	}
}

func TestCheckLineageDirect(t *testing.T) {
	prev := &Questionnaire{ID: "x", Version: 1, Domains: []Domain{{ID: "d", Areas: []Area{{ID: "d-a", Questions: []Question{{ID: "d-a-1"}}}}}}}
	next := &Questionnaire{ID: "x", Version: 2, Domains: []Domain{{ID: "d", Areas: []Area{{ID: "d-b", Lineage: []string{"d-a"}, Questions: []Question{{ID: "d-b-1", Lineage: []string{"d-a-1"}}, {ID: "d-b-2", Lineage: []string{}}}}}}}}
	if err := CheckLineage(prev, next); err != nil {
		t.Fatal(err)
	}
	next.Domains[0].Areas[0].Questions[1].Lineage = []string{"d-a-2"}
	if err := CheckLineage(prev, next); err == nil || !strings.Contains(err.Error(), "domains[0].areas[0].questions[1].lineage[0]") {
		t.Errorf("got %v", err)
	}
	if err := CheckLineage(prev, &Questionnaire{ID: "y", Version: 2}); err == nil {
		t.Error("lineage across questionnaire ids accepted")
	}
}
