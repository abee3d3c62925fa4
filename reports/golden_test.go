package reports

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestGolden compares a text dump of every workbook with its golden file:
// cell values, types and formulas, plus the sheet settings that matter
// (panes, conditional formats, defined names, document properties).
func TestGolden(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name  string
		build func(testing.TB) []byte
	}{
		{"department-en", func(t testing.TB) []byte { return writeDept(t, fx.department("ABC", survey.LangEN, true)) }},
		{"department-zh", func(t testing.TB) []byte { return writeDept(t, fx.department("ABC", survey.LangZH, true)) }},
		{"department-draft-en", func(t testing.TB) []byte { return writeDept(t, fx.department("GHI", survey.LangEN, false)) }},
		{"department-not-started-zh", func(t testing.TB) []byte { return writeDept(t, fx.department("JKL", survey.LangZH, false)) }},
		{"consolidated-en", func(t testing.TB) []byte { return writeCons(t, fx.consolidated(survey.LangEN, true)) }},
		{"consolidated-zh", func(t testing.TB) []byte { return writeCons(t, fx.consolidated(survey.LangZH, true)) }},
		{"consolidated-no-topics-en", func(t testing.TB) []byte { return writeCons(t, fx.consolidated(survey.LangEN, false)) }},
		{"topics-en", func(t testing.TB) []byte { return writeTopicsBook(t, fx.topicsReport(survey.LangEN)) }},
		{"topics-zh", func(t testing.TB) []byte { return writeTopicsBook(t, fx.topicsReport(survey.LangZH)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := dumpWorkbook(t, tc.build(t))
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the workbook's dump; first difference:\n%s\n(run with -update if the change is intended)",
					path, firstDiff(string(want), got))
			}
		})
	}
}

// openBook reopens written bytes as Excel would get them.
func openBook(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// escape keeps a cell value on one dump line.
var escape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// dumpWorkbook renders a workbook as text: one "A1<TAB>type<TAB>value" line
// per non-empty cell (type s = text, n = number, b = boolean), followed by
// "<TAB>{formula: …}" when a cell has one — which no cell should.
func dumpWorkbook(t testing.TB, data []byte) string {
	t.Helper()
	f := openBook(t, data)
	var b strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "# properties\ntitle\t%s\nsubject\t%s\ncreator\t%s\nlanguage\t%s\ncreated\t%s\n",
		escape.Replace(props.Title), escape.Replace(props.Subject), props.Creator, props.Language, props.Created)
	fmt.Fprintf(&b, "active sheet\t%s\n", f.GetSheetName(f.GetActiveSheetIndex()))
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined name\t%s\t%s\t%s\n", dn.Name, dn.Scope, dn.RefersTo)
	}
	for _, name := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== %s\n", name)
		panes, err := f.GetPanes(name)
		if err != nil {
			t.Fatal(err)
		}
		if panes.Freeze {
			fmt.Fprintf(&b, "# frozen\tx=%d y=%d top-left=%s\n", panes.XSplit, panes.YSplit, panes.TopLeftCell)
		}
		cfs, err := f.GetConditionalFormats(name)
		if err != nil {
			t.Fatal(err)
		}
		refs := make([]string, 0, len(cfs))
		for ref := range cfs {
			refs = append(refs, ref)
		}
		sort.Strings(refs)
		for _, ref := range refs {
			for _, cf := range cfs[ref] {
				fmt.Fprintf(&b, "# conditional format\t%s\t%s\t%s\t%s %s %s | %s %s %s | %s %s %s\n", ref, cf.Type, cf.Criteria,
					cf.MinType, cf.MinValue, cf.MinColor, cf.MidType, cf.MidValue, cf.MidColor, cf.MaxType, cf.MaxValue, cf.MaxColor)
			}
		}
		dumpSheetSettings(t, f, name, &b)
		forEachCell(t, f, name, func(ref, value string, typ excelize.CellType, formula string) {
			if value == "" && formula == "" {
				return
			}
			fmt.Fprintf(&b, "%s\t%s\t%s", ref, typeCode(typ), escape.Replace(value))
			if nf := numberFormat(t, f, name, ref); nf != "" {
				fmt.Fprintf(&b, "\t[%s]", nf)
			}
			if formula != "" {
				fmt.Fprintf(&b, "\t{formula: %s}", formula)
			}
			b.WriteByte('\n')
		})
	}
	return b.String()
}

// forEachCell visits every cell of the sheet's used range, row by row, with
// its shown value, type and formula.
func forEachCell(t testing.TB, f *excelize.File, sheet string, visit func(ref, value string, typ excelize.CellType, formula string)) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for r := range rows {
		for c := range width {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			value := ""
			if c < len(rows[r]) {
				value = rows[r][c]
			}
			typ, err := f.GetCellType(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			formula, err := f.GetCellFormula(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			visit(ref, value, typ, formula)
		}
	}
}

// typeCode is the dump's one-letter cell type.
func typeCode(typ excelize.CellType) string {
	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		return "s"
	case excelize.CellTypeBool:
		return "b"
	case excelize.CellTypeFormula:
		return "f"
	}
	return "n"
}

// firstDiff shows the first differing line of two dumps.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\nwant: %q\n got: %q", i+1, wl, gl)
		}
	}
	return "(none)"
}

// dumpSheetSettings writes what a sheet declares besides its cells: used
// range, print setup, header and footer, data validations, row heights.
func dumpSheetSettings(t testing.TB, f *excelize.File, name string, b *strings.Builder) {
	t.Helper()
	dim, err := f.GetSheetDimension(name)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "# dimension\t%s\n", dim)
	pl, err := f.GetPageLayout(name)
	if err != nil {
		t.Fatal(err)
	}
	props, err := f.GetSheetProps(name)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "# page\tsize=%d %s fit=%t width=%d height=%d\n", deref(pl.Size), deref(pl.Orientation),
		deref(props.FitToPage), deref(pl.FitToWidth), deref(pl.FitToHeight))
	hf, err := f.GetHeaderFooter(name)
	if err != nil {
		t.Fatal(err)
	}
	if hf != nil {
		fmt.Fprintf(b, "# header\t%s\n# footer\t%s\n", escape.Replace(hf.OddHeader), escape.Replace(hf.OddFooter))
	}
	dvs, err := f.GetDataValidations(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range dvs {
		fmt.Fprintf(b, "# data validation\t%s\t%s %s\t%s\t%s\n", dv.Sqref, dv.Type, dv.Operator, escape.Replace(dv.Formula1), dv.Formula2)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	for r := range rows {
		h, err := f.GetRowHeight(name, r+1)
		if err != nil {
			t.Fatal(err)
		}
		if h != 15 {
			fmt.Fprintf(b, "# row height\t%d\t%g\n", r+1, h)
		}
	}
}

// numberFormat is a cell's number format when it is not General.
func numberFormat(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case st.CustomNumFmt != nil:
		return *st.CustomNumFmt
	case st.NumFmt != 0:
		return fmt.Sprintf("builtin %d", st.NumFmt)
	}
	return ""
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
