package reports

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/xuri/excelize/v2"
)

// TestAnswersPivotToHeatmapAndDomains is what a DPO analyst does with the
// Answers sheet: a pivot of the submitted answers, weighted mean of level
// per department × area (N/A left out), then the area-weighted mean of those
// per domain, must give exactly the Heatmap and Domains sheets.
func TestAnswersPivotToHeatmapAndDomains(t *testing.T) {
	fx := newFixture(t)
	bench := benchConsolidated(40)
	tests := []struct {
		name string
		r    ConsolidatedReport
	}{
		{"fixture", fx.consolidated(survey.LangEN, true)},
		{"forty departments", bench},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := openBook(t, writeCons(t, tc.r))
			rows, err := f.GetRows("Answers")
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			type key struct{ dept, area string }
			type sum struct{ wl, w float64 }
			areas := map[key]*sum{}
			areaWeight := map[string]float64{}
			areaDomain := map[string]string{}
			get := func(r []string, name string) string {
				if i := col[name]; i < len(r) {
					return r[i]
				}
				return ""
			}
			num := func(s string) float64 {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("not a number: %q", s)
				}
				return v
			}
			for _, r := range rows[1:] {
				if get(r, "status") != survey.StatusSubmitted {
					t.Fatalf("a row that is not submitted: %q", r)
				}
				k := key{get(r, "department"), get(r, "area")}
				areaWeight[k.area], areaDomain[k.area] = num(get(r, "area_weight")), get(r, "domain")
				if areas[k] == nil {
					areas[k] = &sum{}
				}
				if get(r, "na") == "TRUE" || get(r, "level") == "" {
					continue
				}
				w := num(get(r, "weight"))
				areas[k].wl += w * num(get(r, "level"))
				areas[k].w += w
			}
			type dsum struct{ ws, w float64 }
			domains := map[key]*dsum{}
			heat := sheetByCode(t, rowsOf(t, f, "Heatmap"))
			checked := 0
			for k, s := range areas {
				if s.w == 0 {
					continue
				}
				mean := s.wl / s.w
				dk := key{k.dept, areaDomain[k.area]}
				if domains[dk] == nil {
					domains[dk] = &dsum{}
				}
				domains[dk].ws += areaWeight[k.area] * mean
				domains[dk].w += areaWeight[k.area]
				if got, want := heat.value(t, k.dept, "\n"+k.area+" "), fmt.Sprintf("%.2f", survey.Round2(mean)); got != want {
					t.Errorf("Heatmap %s × %s = %q, pivot gives %s", k.dept, k.area, got, want)
				}
				checked++
			}
			dom := sheetByCode(t, rowsOf(t, f, "Domains"))
			for k, s := range domains {
				if got, want := dom.value(t, k.dept, "\n"+k.area), fmt.Sprintf("%.2f", survey.Round2(s.ws/s.w)); got != want {
					t.Errorf("Domains %s × %s = %q, pivot gives %s", k.dept, k.area, got, want)
				}
				checked++
			}
			if checked < len(tc.r.Scores) {
				t.Fatalf("checked %d cells for %d departments", checked, len(tc.r.Scores))
			}
		})
	}
}

// codeSheet is a consolidated sheet read as rows by department code, with
// its header row (row 2).
type codeSheet struct {
	header []string
	rows   map[string][]string
}

// rowsOf reads every row of sheet as shown.
func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sheetByCode indexes a consolidated sheet's rows by department code.
func sheetByCode(t *testing.T, rows [][]string) codeSheet {
	t.Helper()
	s := codeSheet{header: rows[1], rows: map[string][]string{}}
	for _, r := range rows[2:] {
		if len(r) > 0 && r[0] != "" {
			s.rows[r[0]] = r
		}
	}
	return s
}

// value is the cell of department code in the column whose header contains
// marker (the area or domain id after the title's line break).
func (s codeSheet) value(t *testing.T, code, marker string) string {
	t.Helper()
	for i, h := range s.header {
		if strings.Contains(h+" ", marker) {
			if r := s.rows[code]; i < len(r) {
				return r[i]
			}
			return ""
		}
	}
	t.Fatalf("no column %q in %q", marker, s.header)
	return ""
}

// TestTrendAcrossBankVersions: a v2 report whose earlier round answered v1
// compares each v2 area with the v1 areas its lineage names (the mean of
// several where areas merged) and shows a new area as not assessed then.
func TestTrendAcrossBankVersions(t *testing.T) {
	r := bankReport(t, survey.LangEN)
	earlier := r.Earlier[0]
	prev := map[string]float64{}
	for _, a := range earlier.Scores.Areas {
		if a.Score != nil {
			prev[a.ID] = *a.Score
		}
	}
	f := openBook(t, writeDept(t, r))
	rows := rowsOf(t, f, "Trend")
	byID := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) > 1 {
			byID[row[1]] = row
		}
	}
	matched, fresh := 0, 0
	for _, d := range r.Questionnaire.Domains {
		for _, a := range d.Areas {
			row := byID[a.ID]
			if len(row) < 3 {
				t.Fatalf("Trend has no row for %s", a.ID)
			}
			want := tr(survey.LangEN, "not.in.prev")
			if v, ok := survey.PreviousValue(prev, earlier.Lineage[a.ID]); ok {
				want = fmt.Sprintf("%.2f", survey.Round2(v))
				matched++
			} else {
				fresh++
			}
			if row[2] != want {
				t.Errorf("Trend %s in 2025 = %q, want %q (lineage %v)", a.ID, row[2], want, earlier.Lineage[a.ID])
			}
		}
	}
	if matched == 0 {
		t.Fatal("no v2 area matched a v1 area: the lineage is not applied")
	}
	t.Logf("%d areas matched by lineage, %d new", matched, fresh)
}
