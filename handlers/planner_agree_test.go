package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

// themedSmall is the small questionnaire with seminar themes: cs-iam and
// cs-cloud feed "cyber", ds-gov feeds "data" (five themes, as the loader
// asks, three of them unused).
func themedSmall(t *testing.T, small *survey.Questionnaire) *survey.Questionnaire {
	t.Helper()
	data, err := json.Marshal(small)
	if err != nil {
		t.Fatal(err)
	}
	var q survey.Questionnaire
	if err := json.Unmarshal(data, &q); err != nil {
		t.Fatal(err)
	}
	q.ID = "small-themes"
	for i, id := range []string{"cyber", "data", "spare-a", "spare-b", "spare-c"} {
		q.Themes = append(q.Themes, survey.Theme{ID: id, Title: survey.Text{EN: "Theme " + id, ZH: "主題 " + id},
			Seminar: survey.Text{EN: fmt.Sprintf("Seminar %d", i+1), ZH: fmt.Sprintf("研討會 %d", i+1)}})
	}
	for d := range q.Domains {
		for a := range q.Domains[d].Areas {
			q.Domains[d].Areas[a].Theme = map[string]string{"cs": "cyber", "ds": "data"}[q.Domains[d].ID]
		}
	}
	return &q
}

// TestPlannerFiguresAgree: the themes and the theme-filtered ranking are the
// same on the page, in the JSON and in the workbook.
func TestPlannerFiguresAgree(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) {
		c.Questionnaires = append(c.Questionnaires, themedSmall(t, c.Questionnaires[0]))
	})
	tokens := map[string]string{}
	for _, d := range []string{"AAA", "BBB", "CCC"} {
		h.department(d)
		tokens[d] = h.credential("respondent", d)
	}
	planner := h.credential("planner", "")
	h.round("t1", "small-themes", true)
	h.answerAll("t1", "AAA", tokens["AAA"], 1, 2)
	h.answerAll("t1", "BBB", tokens["BBB"], 2, 4)
	h.answerAll("t1", "CCC", tokens["CCC"], 4, -1)

	var themes struct {
		Themes []struct {
			Rank        int      `json:"rank"`
			Theme       string   `json:"theme"`
			MeanScore   *float64 `json:"mean_score"`
			TotalGap    float64  `json:"total_gap"`
			BelowTarget []string `json:"below_target"`
		} `json:"themes"`
	}
	data, _ := json.Marshal(h.must(http.StatusOK, "GET", "/api/v1/rounds/t1/themes", planner, nil))
	if err := json.Unmarshal(data, &themes); err != nil {
		t.Fatal(err)
	}
	// cyber: AAA mean(2, 1) = 1.5, BBB mean(1, 0) = 0.5, CCC 0 → 2; data: AAA 2, BBB 1 → 3.
	var jsonOrder []string
	for _, th := range themes.Themes {
		jsonOrder = append(jsonOrder, fmt.Sprintf("%s %.2f", th.Theme, th.TotalGap))
	}
	if strings.Join(jsonOrder, ", ") != "data 3.00, cyber 2.00" {
		t.Fatalf("themes JSON %v", jsonOrder)
	}

	page := h.browser().signIn(planner).page(http.StatusOK, "/planner/rounds/t1")
	var pageOrder []string
	for _, m := range regexp.MustCompile(`(?s)<tr data-theme="([a-z-]+)" data-rank="\d+">.*?<td class="num">[0-9.—]+</td>\s*<td class="num">([0-9.]+)</td>`).FindAllStringSubmatch(section(t, page, "themes-heading"), -1) {
		pageOrder = append(pageOrder, m[1]+" "+m[2])
	}
	if !slices.Equal(pageOrder, jsonOrder) {
		t.Errorf("the page's themes %v, the JSON's %v", pageOrder, jsonOrder)
	}

	// Both workbooks' Themes sheets hold the JSON's ranking: rank, theme,
	// mean score, total gap and the departments below, row for row.
	var jsonRows []string
	for _, th := range themes.Themes {
		mean := ""
		if th.MeanScore != nil {
			mean = fmt.Sprintf("%.2f", *th.MeanScore)
		}
		jsonRows = append(jsonRows, fmt.Sprintf("%d %s %s %.2f %s", th.Rank, th.Theme, mean, th.TotalGap, strings.Join(th.BelowTarget, ",")))
	}
	books := []struct {
		name, path, token string
		header            int // the header's row, 1-based
	}{
		{"topics.xlsx", "/api/v1/rounds/t1/topics.xlsx?lang=en", planner, 4},
		{"the consolidated workbook", "/api/v1/rounds/t1/report.xlsx?lang=en", h.admin, 2},
	}
	for _, b := range books {
		t.Run("Themes sheet of "+b.name, func(t *testing.T) {
			got := themesSheetRows(t, h.must200Bytes(t, b.path, b.token), b.header)
			if !slices.Equal(got, jsonRows) {
				t.Errorf("the Themes sheet %v, the JSON's %v", got, jsonRows)
			}
		})
	}

	// The theme filter: the same two areas, in the same order, everywhere.
	var topics struct {
		Theme  string `json:"theme"`
		Topics []struct {
			Area string `json:"area"`
		} `json:"topics"`
	}
	data, _ = json.Marshal(h.must(http.StatusOK, "GET", "/api/v1/rounds/t1/topics?theme=cyber", planner, nil))
	if err := json.Unmarshal(data, &topics); err != nil {
		t.Fatal(err)
	}
	var areas []string
	for _, tp := range topics.Topics {
		areas = append(areas, tp.Area)
	}
	filtered := h.browser().signIn(planner).page(http.StatusOK, "/planner/rounds/t1?theme=cyber")
	if got := pageRanking(t, filtered); topics.Theme != "cyber" || !slices.Equal(got, areas) || len(areas) != 2 {
		t.Errorf("theme filter: page %v, JSON %v (%s)", got, areas, topics.Theme)
	}
	wb := openWorkbook(t, h.must200Bytes(t, "/api/v1/rounds/t1/topics.xlsx?theme=cyber", planner))
	if rows, _ := wb.GetRows("Topics"); len(rows) != 4+len(areas) {
		t.Errorf("the filtered workbook has %d rows, want %d", len(rows), 4+len(areas))
	}
	h.must(http.StatusUnprocessableEntity, "GET", "/api/v1/rounds/t1/topics?theme=nope", planner, nil)
	h.must(http.StatusForbidden, "GET", "/api/v1/rounds/t1/themes", tokens["AAA"], nil)
}

// themesSheetRows reads the ranking from a workbook's Themes sheet whose
// header is on row header, as "rank theme mean total-gap below,…" lines
// (the theme by its title in themedSmall).
func themesSheetRows(t *testing.T, data []byte, header int) []string {
	t.Helper()
	rows, err := openWorkbook(t, data).GetRows("Themes")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < header || !slices.Equal(rows[header-1][:6], []string{"Rank", "Seminar theme", "Seminar", "Capability areas", "Mean score", "Total gap"}) {
		t.Fatalf("the Themes sheet has no header on row %d: %q", header, rows)
	}
	var out []string
	for _, r := range rows[header:] {
		if len(r) < 9 {
			t.Fatalf("short row %q", r)
		}
		id := strings.TrimPrefix(r[1], "Theme ")
		out = append(out, fmt.Sprintf("%s %s %s %s %s", r[0], id, r[4], r[5], strings.ReplaceAll(r[8], ", ", ",")))
	}
	return out
}
