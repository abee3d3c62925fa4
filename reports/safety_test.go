package reports

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// workbooks renders every kind of workbook from the hostile fixture.
func workbooks(t *testing.T) map[string][]byte {
	t.Helper()
	fx := newFixture(t)
	return map[string][]byte{
		"department-en":   writeDept(t, fx.department("ABC", survey.LangEN, true)),
		"department-zh":   writeDept(t, fx.department("ABC", survey.LangZH, true)),
		"department-def":  writeDept(t, fx.department("DEF", survey.LangEN, false)),
		"department-ghi":  writeDept(t, fx.department("GHI", survey.LangZH, false)),
		"consolidated-en": writeCons(t, fx.consolidated(survey.LangEN, true)),
		"consolidated-zh": writeCons(t, fx.consolidated(survey.LangZH, false)),
		"topics-en":       writeTopicsBook(t, fx.topicsReport(survey.LangEN)),
	}
}

// TestNoFormulaOrTriggerInAnyCell proves the neutralisation: no cell of any
// sheet is a formula, and no text cell starts with = + - @ tab or CR.
func TestNoFormulaOrTriggerInAnyCell(t *testing.T) {
	for name, data := range workbooks(t) {
		t.Run(name, func(t *testing.T) {
			f := openBook(t, data)
			texts := 0
			for _, sheet := range f.GetSheetList() {
				forEachCell(t, f, sheet, func(ref, value string, typ excelize.CellType, formula string) {
					if formula != "" || typ == excelize.CellTypeFormula {
						t.Errorf("%s!%s is a formula: %q", sheet, ref, formula)
					}
					if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						return
					}
					texts++
					if value != "" && strings.ContainsRune(formulaTriggers, rune(value[0])) {
						t.Errorf("%s!%s starts with a formula trigger: %q", sheet, ref, value)
					}
				})
			}
			if texts == 0 {
				t.Fatal("no text cells seen")
			}
			// Belt and braces: no <f> element anywhere in the package.
			for part, xml := range zipParts(t, data) {
				if strings.HasPrefix(part, "xl/worksheets/") && strings.Contains(xml, "<f>") {
					t.Errorf("%s contains a formula element", part)
				}
			}
		})
	}
}

// TestHostileValuesKeptVisible checks that neutralised text keeps the whole
// original after the visible "'".
func TestHostileValuesKeptVisible(t *testing.T) {
	fx := newFixture(t)
	f := openBook(t, writeCons(t, fx.consolidated(survey.LangEN, true)))
	tests := []struct{ sheet, cell, want string }{
		{"Status", "B3", `'=HYPERLINK("http://evil.example","click")`},
		{"Status", "C3", "'-x Bureau"},
		{"Status", "B4", "'@SUM(A1:A2)"},
		{"Status", "C4", "'\tx Bureau"},
		{"Status", "B5", "'\rCarriage Department"},
		{"Answers", "D2", `'=HYPERLINK("http://evil.example","click")`},
		{"Answers", "B2", "'-x Bureau"},
		{"Answers", "O4", "'=cmd|' /C calc'!A0"},
		{"Answers", "P3", "'-minus\tinside"},
	}
	for _, tc := range tests {
		t.Run(tc.sheet+"!"+tc.cell, func(t *testing.T) {
			got, err := f.GetCellValue(tc.sheet, tc.cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRadarChart checks the Summary carries a native radar chart of the
// three series with the value axis fixed to 0–5.
func TestRadarChart(t *testing.T) {
	fx := newFixture(t)
	for _, lang := range []string{survey.LangEN, survey.LangZH} {
		t.Run(lang, func(t *testing.T) {
			parts := zipParts(t, writeDept(t, fx.department("ABC", lang, true)))
			chart, ok := parts["xl/charts/chart1.xml"]
			if !ok {
				t.Fatal("no xl/charts/chart1.xml in the workbook")
			}
			for _, want := range []string{"<radarChart>", `<max val="5">`, `<min val="0">`, `<dispBlanksAs val="gap">`} {
				if !strings.Contains(chart, want) {
					t.Errorf("chart1.xml lacks %s", want)
				}
			}
			if n := strings.Count(chart, "<ser>"); n != 3 {
				t.Errorf("chart has %d series, want 3 (department, government mean, target)", n)
			}
			summary := "Summary"
			if lang == survey.LangZH {
				summary = "摘要"
			}
			if want := "<f>&#39;" + summary + "&#39;!$C$31:$C$33</f>"; !strings.Contains(chart, want) {
				t.Errorf("chart does not plot the department's area scores %s", want)
			}
			if !regexp.MustCompile(`xl/drawings/drawing1\.xml`).MatchString(strings.Join(keys(parts), " ")) {
				t.Error("no drawing anchors the chart")
			}
		})
	}
}

// TestAnswersIteratedOnceAndErrorsStop checks the cursor contract: the
// workbook reads r.Answers once, and a cursor error fails the workbook.
func TestAnswersIteratedOnceAndErrorsStop(t *testing.T) {
	fx := newFixture(t)
	t.Run("once", func(t *testing.T) {
		r := fx.consolidated(survey.LangEN, true)
		calls := 0
		inner := r.Answers
		r.Answers = func(yield func(*survey.Response, error) bool) {
			calls++
			inner(yield)
		}
		writeCons(t, r)
		if calls != 1 {
			t.Errorf("Answers iterated %d times, want 1", calls)
		}
	})
	t.Run("error", func(t *testing.T) {
		r := fx.consolidated(survey.LangEN, true)
		boom := errors.New("cursor died")
		r.Answers = func(yield func(*survey.Response, error) bool) {
			if yield(fx.responses[0], nil) {
				yield(nil, boom)
			}
		}
		err := WriteConsolidated(io.Discard, r)
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want the cursor's error", err)
		}
	})
	t.Run("nil answers", func(t *testing.T) {
		r := fx.consolidated(survey.LangEN, false)
		r.Answers = nil
		f := openBook(t, writeCons(t, r))
		rows, err := f.GetRows("Answers")
		if err != nil || len(rows) != 1 {
			t.Errorf("Answers rows = %d (%v), want the header only", len(rows), err)
		}
	})
}

func TestMissingQuestionnaire(t *testing.T) {
	if err := WriteDepartment(io.Discard, DepartmentReport{}); err == nil {
		t.Error("WriteDepartment without a questionnaire: want an error")
	}
	if err := WriteConsolidated(io.Discard, ConsolidatedReport{}); err == nil {
		t.Error("WriteConsolidated without a questionnaire: want an error")
	}
}

// TestDefaultLocation checks times default to Hong Kong (or UTC without
// tzdata), never to the server's local zone.
func TestDefaultLocation(t *testing.T) {
	fx := newFixture(t)
	r := fx.department("ABC", survey.LangEN, false)
	r.Location = nil
	f := openBook(t, writeDept(t, r))
	got, err := f.GetCellValue("Summary", "B13")
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-03-20 16:16" // 08:16Z in Hong Kong
	if _, err := time.LoadLocation(defaultZone); err != nil {
		want = "2026-03-20 08:16"
	}
	if got != want {
		t.Errorf("submitted at = %q, want %q", got, want)
	}
}

// zipParts returns every part of an xlsx package as text.
func zipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name] = string(b)
	}
	return parts
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
