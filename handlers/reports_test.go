package handlers_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openWorkbook parses a downloaded workbook.
func openWorkbook(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// findRow returns the first row of sheet whose first cell is key.
func findRow(t *testing.T, f *excelize.File, sheet, key string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	t.Fatalf("sheet %s has no row %q", sheet, key)
	return nil
}

func TestReportDownloads(t *testing.T) {
	h := newHarness(t)
	tokens := map[string]string{}
	for _, d := range []string{"AAA", "BBB"} {
		h.department(d)
		tokens[d] = h.credential("respondent", d)
	}
	planner := h.credential("planner", "")
	h.round("r1", "small", true)
	h.answerAll("r1", "AAA", tokens["AAA"], 2, 4)

	dept := "/api/v1/rounds/r1/departments/"
	// Respondents: their own, once submitted; planners: none.
	h.must(http.StatusConflict, "GET", dept+"BBB/report.xlsx", tokens["BBB"], nil)
	h.must(http.StatusNotFound, "GET", dept+"AAA/report.xlsx", tokens["BBB"], nil)
	h.must(http.StatusForbidden, "GET", dept+"AAA/report.xlsx", planner, nil)
	h.must(http.StatusUnprocessableEntity, "GET", dept+"AAA/report.xlsx?lang=fr", tokens["AAA"], nil)
	h.must(http.StatusForbidden, "GET", "/api/v1/rounds/r1/report.xlsx", planner, nil)

	rec := h.request("GET", dept+"AAA/report.xlsx?lang=zh", tokens["AAA"], nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "r1-AAA-maturity-report-zh.xlsx") {
		t.Fatalf("department report: %d %v", rec.Code, rec.Header())
	}
	openWorkbook(t, rec.Body.Bytes())

	// The consolidated workbook's heatmap equals the scores endpoint.
	scores := decode[scoresBody](t, h.must(http.StatusOK, "GET", dept+"AAA/scores", h.admin, nil))
	rec = h.request("GET", "/api/v1/rounds/r1/report.xlsx", h.admin, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("consolidated: %d %s", rec.Code, rec.Body.String())
	}
	f := openWorkbook(t, rec.Body.Bytes())
	header := findRow(t, f, "Heatmap", findCell(t, f, "Heatmap", "A2"))
	row := findRow(t, f, "Heatmap", "AAA")
	for _, a := range scores.Areas {
		col := -1
		for i, h := range header {
			if strings.Contains(h, a.ID) || h == areaTitle(a.ID) {
				col = i
			}
		}
		if col < 0 || col >= len(row) {
			t.Fatalf("heatmap has no column for %s: %v", a.ID, header)
		}
		got, err := strconv.ParseFloat(row[col], 64)
		if err != nil || got != *a.Score {
			t.Fatalf("heatmap %s = %q, scores endpoint %v", a.ID, row[col], *a.Score)
		}
	}

	// The planner's topics workbook has the ranking and no answer text.
	rec = h.request("GET", "/api/v1/rounds/r1/topics.xlsx", planner, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("topics.xlsx: %d %s", rec.Code, rec.Body.String())
	}
	f = openWorkbook(t, rec.Body.Bytes())
	rows, _ := f.GetRows(f.GetSheetName(0))
	var all strings.Builder
	for _, r := range rows {
		all.WriteString(strings.Join(r, "\t") + "\n")
	}
	if !strings.Contains(all.String(), "Access control for leaders") || strings.Contains(all.String(), "comment of") {
		t.Fatalf("topics workbook:\n%s", all.String())
	}
}

// areaTitle is the English title of an area of the small questionnaire.
func areaTitle(id string) string {
	return map[string]string{"cs-iam": "Identity and access", "cs-cloud": "Cloud security", "ds-gov": "Data governance"}[id]
}

// findCell returns the value of a sheet's cell (row 1 holds the sheet's
// title, row 2 its header).
func findCell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
