package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestReportHistoryNamesAndFiles: a department report names who submitted
// it by the credential's label, compares with every earlier round the
// department submitted in (Trend), flags a draft in its Summary and its
// file name, and the en and zh downloads get different names.
func TestReportHistoryNamesAndFiles(t *testing.T) {
	h := newHarness(t)
	h.department("AAA")
	h.department("BBB")
	aaa, bbb := h.credential("respondent", "AAA"), h.credential("respondent", "BBB")
	hkt := time.FixedZone("HKT", 8*3600)

	// An earlier round, answered and closed.
	h.clock.Set(time.Date(2025, 2, 2, 10, 0, 0, 0, hkt))
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": "r0", "title_en": "Round r0", "title_zh": "r0輪", "questionnaire": "small",
		"opens_at": "2025-01-05T09:00:00+08:00", "closes_at": "2025-03-31T18:00:00+08:00",
	})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r0", h.admin, map[string]any{"state": "open"})
	h.answerAll("r0", "AAA", aaa, 1, 1)
	h.clock.Set(time.Date(2025, 4, 2, 10, 0, 0, 0, hkt))
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r0", h.admin, map[string]any{"state": "closed"})

	h.clock.Set(defaultTestNow)
	h.round("r1", "small", true)
	h.answerAll("r1", "AAA", aaa, 3, 3)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1/responses/BBB", bbb,
		map[string]any{"answers": map[string]any{"cs-iam-1": map[string]any{"level": 2}}})

	download := func(path, token, wantName string) []byte {
		t.Helper()
		rec := h.request("GET", path, token, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		if got := rec.Header().Get("Content-Disposition"); !strings.Contains(got, `filename="`+wantName+`"`) {
			t.Fatalf("GET %s: Content-Disposition %q, want %s", path, got, wantName)
		}
		return rec.Body.Bytes()
	}
	dept := "/api/v1/rounds/r1/departments/"
	f := openWorkbook(t, download(dept+"AAA/report.xlsx?lang=en", aaa, "r1-AAA-maturity-report-en.xlsx"))
	download(dept+"AAA/report.xlsx?lang=zh", aaa, "r1-AAA-maturity-report-zh.xlsx")
	if row := findRow(t, f, "Summary", "Submitted by"); len(row) < 2 || row[1] != "respondent AAA" {
		t.Errorf("Summary names the submitter %q, want the credential's label", row)
	}
	if header := findRow(t, f, "Trend", "Item"); strings.Join(header[2:4], " ") != "r0 r1" {
		t.Errorf("Trend header %q, want the rounds r0 and r1", header)
	}
	if overall := findRow(t, f, "Trend", "Overall"); len(overall) < 5 || overall[2] != "1.00" || overall[3] != "3.00" || overall[4] != "+2.00" {
		t.Errorf("Trend overall %q, want 1.00 → 3.00 (+2.00)", overall)
	}

	draft := openWorkbook(t, download(dept+"BBB/report.xlsx", h.admin, "r1-BBB-maturity-report-en-draft.xlsx"))
	if banner, _ := draft.GetCellValue("Summary", "A2"); !strings.HasPrefix(banner, "DRAFT") || !strings.Contains(banner, "1 of 6") {
		t.Errorf("draft Summary A2 = %q, want the DRAFT banner with 1 of 6 answered", banner)
	}
	cons := openWorkbook(t, download("/api/v1/rounds/r1/report.xlsx?lang=zh", h.admin, "r1-government-maturity-zh.xlsx"))
	if idx, _ := cons.GetSheetIndex("趨勢"); idx < 0 {
		t.Errorf("consolidated workbook has no Trend sheet: %q", cons.GetSheetList())
	}
	download("/api/v1/rounds/r1/topics.xlsx?lang=zh", h.admin, "r1-seminar-topics-zh.xlsx")
}
