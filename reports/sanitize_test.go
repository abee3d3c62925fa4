package reports

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/dpo/dgsurvey/survey"
)

func TestSafeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Immigration Department", "Immigration Department"},
		{"empty", "", ""},
		{"equals", "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"plus", "+1", "'+1"},
		{"minus", "-x", "'-x"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\tx", "'\tx"},
		{"carriage return", "\rx", "'\rx"},
		{"trigger inside is fine", "a=b+c", "a=b+c"},
		{"already quoted", "'=1", "'=1"},
		{"control characters dropped", "a\x00b\x01c\x1f", "abc"},
		{"control then trigger", "\x01=1", "'=1"},
		{"invalid utf-8 dropped", "ok\xffok", "okok"},
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"newline kept", "line1\nline2", "line1\nline2"},
		{"chinese", "全形等號＝", "全形等號＝"},
		{"full-width equals", "＝全形等號", "'＝全形等號"},
		{"full-width plus", "＋1", "'＋1"},
		{"full-width minus", "－1", "'－1"},
		{"full-width at", "＠SUM(A1)", "'＠SUM(A1)"},
		{"space then equals", " =1+1", "' =1+1"},
		{"spaces then plus", "   +1", "'   +1"},
		{"no-break space then minus", "\u00a0-1", "'\u00a0-1"},
		{"ideographic space then full-width equals", "\u3000＝1", "'\u3000＝1"},
		{"newline then at", "\n@SUM(A1)", "'\n@SUM(A1)"},
		{"spaces then tab", "  \tx", "'  \tx"},
		{"space then carriage return", " \rx", "' \rx"},
		{"zero-width space then equals", "\u200b=1", "'\u200b=1"},
		{"byte order mark then equals", "\ufeff=1", "'\ufeff=1"},
		{"blank then text", "  plain text", "  plain text"},
		{"only blanks", "   ", "   "},
		{"blank then trigger later", " a=1", " a=1"},
		{"full-width inside is fine", "a＝b", "a＝b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeText(tc.in); got != tc.want {
				t.Errorf("safeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSheetNames(t *testing.T) {
	long := strings.Repeat("資訊系統管理", 10) // 60 characters
	tests := []struct {
		name       string
		taken      []string
		in, want   string
		wantLength int // UTF-16 units, when want is not given
	}{
		{name: "plain", in: "Cybersecurity", want: "Cybersecurity"},
		{name: "forbidden characters", in: "Data/Security: [all]*?\\", want: "Data-Security- -all----"},
		{name: "apostrophes", in: "'Director's view'", want: "’Director’s view’"},
		{name: "blank uses fallback", in: " \t ", want: "cs"},
		{name: "control characters", in: "a\x00b\nc", want: "ab c"},
		{name: "too long ascii", in: strings.Repeat("x", 40), want: strings.Repeat("x", 31)},
		{name: "too long chinese", in: long, wantLength: 31},
		{name: "surrogate pairs not split", in: strings.Repeat("😀", 20), want: strings.Repeat("😀", 15)},
		{name: "duplicate", taken: []string{"Gaps"}, in: "Gaps", want: "Gaps (2)"},
		{name: "duplicate ignoring case", taken: []string{"Gaps"}, in: "GAPS", want: "GAPS (2)"},
		{name: "third copy", taken: []string{"Gaps", "Gaps (2)"}, in: "gaps", want: "gaps (3)"},
		{name: "duplicate of a long name stays short", taken: []string{strings.Repeat("x", 31)}, in: strings.Repeat("x", 40),
			want: strings.Repeat("x", 27) + " (2)"},
		{name: "reserved History", in: "history", want: "history (2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := &sheetNames{used: tc.taken}
			got := n.name(tc.in, "cs")
			if tc.want != "" && got != tc.want {
				t.Errorf("name(%q) = %q, want %q", tc.in, got, tc.want)
			}
			units := len(utf16.Encode([]rune(got)))
			if tc.wantLength != 0 && units != tc.wantLength {
				t.Errorf("name(%q) = %q has %d UTF-16 units, want %d", tc.in, got, units, tc.wantLength)
			}
			checkSheetName(t, got)
		})
	}
}

// checkSheetName fails when name breaks one of Excel's rules.
func checkSheetName(t *testing.T, name string) {
	t.Helper()
	if name == "" || len(utf16.Encode([]rune(name))) > maxSheetName {
		t.Errorf("sheet name %q: empty or longer than %d", name, maxSheetName)
	}
	if strings.ContainsAny(name, `[]:*?/\'`) {
		t.Errorf("sheet name %q contains a forbidden character", name)
	}
}

// TestHostileDomainTitles writes a department workbook whose domain titles
// break every sheet-name rule and checks that the workbook opens with valid,
// distinct sheet names in questionnaire order.
func TestHostileDomainTitles(t *testing.T) {
	fx := newFixture(t)
	q := *fx.q
	q.Domains = append([]survey.Domain(nil), q.Domains...)
	q.Domains[0].Title = survey.Text{EN: "Summary", ZH: strings.Repeat("網絡安全", 10)}
	q.Domains[1].Title = survey.Text{EN: "'Data/Security' [all] *?: " + strings.Repeat("y", 40), ZH: strings.Repeat("網絡安全", 10)}
	for _, lang := range []string{survey.LangEN, survey.LangZH} {
		t.Run(lang, func(t *testing.T) {
			r := fx.department("ABC", lang, true)
			r.Questionnaire = &q
			f := openBook(t, writeDept(t, r))
			list := f.GetSheetList()
			if len(list) != 6 {
				t.Fatalf("sheets = %q, want 6", list)
			}
			seen := map[string]bool{}
			for _, name := range list {
				checkSheetName(t, name)
				if seen[strings.ToLower(name)] {
					t.Errorf("duplicate sheet name %q in %q", name, list)
				}
				seen[strings.ToLower(name)] = true
			}
			if lang == survey.LangEN && list[1] != "Summary (2)" {
				t.Errorf("domain sheet named %q, want %q", list[1], "Summary (2)")
			}
		})
	}
}

func TestFileNames(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"department", DepartmentFileName("2026", "ABC", "en", true), "2026-ABC-maturity-report-en.xlsx"},
		{"department zh", DepartmentFileName("2026", "ABC", "zh", true), "2026-ABC-maturity-report-zh.xlsx"},
		{"department draft", DepartmentFileName("2026", "ABC", "zh", false), "2026-ABC-maturity-report-zh-draft.xlsx"},
		{"department with odd characters", DepartmentFileName("20/26", "A\"B", "en", true), "20_26-A_B-maturity-report-en.xlsx"},
		{"consolidated", ConsolidatedFileName("2026", "en"), "2026-government-maturity-en.xlsx"},
		{"consolidated zh", ConsolidatedFileName("2026", "zh"), "2026-government-maturity-zh.xlsx"},
		{"consolidated empty", ConsolidatedFileName("", ""), "_-government-maturity-en.xlsx"},
		{"topics", TopicsFileName("2026", "zh"), "2026-seminar-topics-zh.xlsx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
