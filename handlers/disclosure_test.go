package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"testing"
)

// respondentView is everything a respondent of D0 can get about a round
// that could carry other departments' results: the government part of its
// scores JSON, and every number in its department workbook.
type respondentView struct {
	Government map[string]any
	Workbook   []string
}

// disclosureRound builds a round with n departments D0…D(n-1) that all
// submit; D0's answers are fixed, the others' come from pattern, so two
// calls with different patterns differ only in the other departments'
// results. It returns what D0's respondent sees with the round open and
// then closed.
func disclosureRound(t *testing.T, n int, pattern func(i int) (level, cloud int)) (open, closed respondentView) {
	t.Helper()
	h := newHarness(t)
	tokens := make([]string, n)
	for i := range n {
		code := fmt.Sprintf("D%d", i)
		h.department(code)
		tokens[i] = h.credential("respondent", code)
	}
	h.round("2026", "small", true)
	h.answerAll("2026", "D0", tokens[0], 2, 3)
	for i := 1; i < n; i++ {
		level, cloud := pattern(i)
		h.answerAll("2026", fmt.Sprintf("D%d", i), tokens[i], level, cloud)
	}
	view := func() respondentView {
		scores := h.must(http.StatusOK, "GET", "/api/v1/rounds/2026/departments/D0/scores", tokens[0], nil)
		gov, _ := scores["government"].(map[string]any)
		rec := h.request("GET", "/api/v1/rounds/2026/departments/D0/report.xlsx?lang=en", tokens[0], nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("workbook: %d %s", rec.Code, rec.Body.String())
		}
		f := openWorkbook(t, rec.Body.Bytes())
		var numbers []string
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					if _, err := strconv.ParseFloat(v, 64); err == nil {
						numbers = append(numbers, fmt.Sprintf("%s!R%dC%d=%s", sheet, r+1, c+1, v))
					}
				}
			}
		}
		return respondentView{Government: gov, Workbook: numbers}
	}
	open = view()
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/2026", h.admin, map[string]any{"state": "closed"})
	return open, view()
}

// TestRespondentsLearnNothingOfOthers replays the attacks on disclosure:
// with 2, 3, 4 and 6 departments submitted, what a respondent can read in
// JSON and workbooks does not depend on the other departments' results
// while the round is open (so comparing two downloads a submission apart
// reveals nothing), nor below privacy.min_group (5) once it is closed; at 6
// it holds n, mean and median only.
func TestRespondentsLearnNothingOfOthers(t *testing.T) {
	low := func(i int) (int, int) { return i % 2, 1 }
	high := func(i int) (int, int) { return 5 - i%3, 4 }
	for _, n := range []int{2, 3, 4, 6} {
		t.Run(fmt.Sprintf("%d departments", n), func(t *testing.T) {
			openA, closedA := disclosureRound(t, n, low)
			openB, closedB := disclosureRound(t, n, high)
			if !reflect.DeepEqual(openA, openB) {
				t.Fatalf("open round: the respondent's view depends on others' results:\n%v\n%v", openA, openB)
			}
			if len(openA.Government) != 0 {
				t.Fatalf("open round: government figures shown: %v", openA.Government)
			}
			if n < 5 {
				if !reflect.DeepEqual(closedA, closedB) {
					t.Fatalf("closed round, n=%d < 5: the view depends on others' results:\n%v\n%v", n, closedA, closedB)
				}
				return
			}
			public, _ := closedA.Government["public_areas"].([]any)
			if len(public) == 0 {
				t.Fatalf("closed round, n=%d: nothing disclosed: %v", n, closedA.Government)
			}
			for _, b := range public {
				data, _ := json.Marshal(b)
				var fields map[string]any
				_ = json.Unmarshal(data, &fields)
				for _, hidden := range []string{"min", "max", "percentiles"} {
					if _, ok := fields[hidden]; ok {
						t.Fatalf("respondent sees %s: %s", hidden, data)
					}
				}
				if fields["p25"] != nil || fields["p75"] != nil {
					t.Fatalf("quartiles shown below privacy.quartiles_min: %s", data)
				}
			}
			if reflect.DeepEqual(closedA, closedB) {
				t.Fatal("closed round, n=6: the disclosed means do not reflect the results")
			}
		})
	}
}
