package reports

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
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
		"topics-zh":       writeTopicsBook(t, fx.topicsReport(survey.LangZH)),
		"bank-en":         writeDept(t, bankReport(t, survey.LangEN)),
		"bank-zh":         writeDept(t, bankReport(t, survey.LangZH)),
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
			if want := "<f>&#39;" + summary + "&#39;!$C$35:$C$37</f>"; !strings.Contains(chart, want) {
				t.Errorf("chart does not plot the department's area scores %s", want)
			}
			if !regexp.MustCompile(`xl/drawings/drawing1\.xml`).MatchString(strings.Join(keys(parts), " ")) {
				t.Error("no drawing anchors the chart")
			}
			// Readable: dark labels, no pale grey text, the target dashed and
			// without markers, one colour per series, alternative text, and
			// anchored at the top left of the Summary (the first screen).
			for _, want := range []string{`<a:srgbClr val="` + labelColour + `">`, `<a:prstDash val="dash">`,
				`<a:srgbClr val="` + departmentColour + `">`, `<a:srgbClr val="` + governmentColour + `">`, `<symbol val="none">`} {
				if !strings.Contains(chart, want) {
					t.Errorf("chart1.xml lacks %s", want)
				}
			}
			if strings.Contains(chart, `<a:lumOff val="85000">`) && strings.Contains(chart, `<a:defRPr`) &&
				regexp.MustCompile(`<a:defRPr[^>]*>\s*<a:solidFill><a:schemeClr val="tx1"><a:lumMod val="15000">`).MatchString(chart) {
				t.Error("chart text is still pale grey")
			}
			drawing := parts["xl/drawings/drawing1.xml"]
			if !regexp.MustCompile(`descr="[^"]{20,}"`).MatchString(drawing) {
				t.Error("the chart has no alternative text")
			}
			if !strings.Contains(drawing, "<xdr:from><xdr:col>2</xdr:col><xdr:colOff>") || !strings.Contains(drawing, "<xdr:row>4</xdr:row>") {
				t.Errorf("the chart is not anchored at C5: %s", drawing)
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

// TestEverySheetDeclaresItsUsedRange checks the <dimension> of every sheet,
// streamed ones included, against the cells really written: tools that
// trust it (openpyxl in read-only mode) would otherwise read one row.
func TestEverySheetDeclaresItsUsedRange(t *testing.T) {
	for name, data := range workbooks(t) {
		t.Run(name, func(t *testing.T) {
			f := openBook(t, data)
			for _, sheet := range f.GetSheetList() {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				width := 0
				for _, r := range rows {
					width = max(width, len(r))
				}
				got, err := f.GetSheetDimension(sheet)
				if err != nil {
					t.Fatal(err)
				}
				if want := rangeRef(1, 1, max(width, 1), max(len(rows), 1)); got != want {
					t.Errorf("%s declares %s, holds %s", sheet, got, want)
				}
			}
		})
	}
}

// TestRespondentWorkbookWithoutGovernmentFigures is the workbook a
// respondent gets when the disclosure rules allow no government figure: no
// government column holds a number, the headline names no mean, and the
// radar has no government series.
func TestRespondentWorkbookWithoutGovernmentFigures(t *testing.T) {
	fx := newFixture(t)
	r := fx.department("ABC", survey.LangEN, true)
	r.Benchmarks, r.DomainMeans, r.OverallMean = nil, nil, nil
	data := writeDept(t, r)
	f := openBook(t, data)
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	govCol := -1
	for i, row := range rows {
		for c, v := range row {
			if v == tr(survey.LangEN, "col.govmean") {
				govCol = c
				continue
			}
			if c == govCol && i > 0 && v != "" && rows[i-1] != nil {
				if _, err := strconv.ParseFloat(v, 64); err == nil && !isHeaderRow(row) {
					t.Errorf("Summary row %d shows a government figure %q", i+1, v)
				}
			}
		}
		if strings.Contains(strings.Join(row, " "), "government mean") {
			t.Errorf("Summary row %d names a government mean: %q", i+1, row)
		}
	}
	if govCol < 0 {
		t.Fatal("no government mean column found")
	}
	chart := zipParts(t, data)["xl/charts/chart1.xml"]
	if n := strings.Count(chart, "<ser>"); n != 2 {
		t.Errorf("radar has %d series, want 2 (department, target)", n)
	}
}

// isHeaderRow says whether row is a header row of the Summary's tables.
func isHeaderRow(row []string) bool {
	return slices.Contains(row, tr(survey.LangEN, "col.target"))
}

// TestTopicsChartReadable: one colour for the one series (no rainbow), dark
// labels, alternative text, and anchored below the table's first column
// rather than far to the right.
func TestTopicsChartReadable(t *testing.T) {
	fx := newFixture(t)
	parts := zipParts(t, writeTopicsBook(t, fx.topicsReport(survey.LangEN)))
	chart, drawing := parts["xl/charts/chart1.xml"], parts["xl/drawings/drawing1.xml"]
	for _, want := range []string{`<varyColors val="0">`, `<a:srgbClr val="` + departmentColour + `">`, `<a:srgbClr val="` + labelColour + `">`} {
		if !strings.Contains(chart, want) {
			t.Errorf("topics chart lacks %s", want)
		}
	}
	if !regexp.MustCompile(`descr="[^"]{20,}"`).MatchString(drawing) || !strings.Contains(drawing, "<xdr:from><xdr:col>1</xdr:col>") {
		t.Errorf("topics chart: no alternative text or not in column B: %s", drawing)
	}
}
