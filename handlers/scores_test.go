package handlers_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// answerAll answers every question of the small questionnaire with level
// (cs-cloud-* as given by cloud: a level, or -1 for N/A) and submits.
func (h *harness) answerAll(round, dept, token string, level, cloud int) {
	h.t.Helper()
	answers := map[string]any{}
	for _, id := range []string{"cs-iam-1", "cs-iam-2", "ds-gov-1", "ds-gov-2"} {
		answers[id] = map[string]any{"level": level, "comment": "comment of " + dept}
	}
	for _, id := range []string{"cs-cloud-1", "cs-cloud-2"} {
		if cloud < 0 {
			answers[id] = map[string]any{"na": true, "na_reason": "no cloud at " + dept}
		} else {
			answers[id] = map[string]any{"level": cloud}
		}
	}
	base := "/api/v1/rounds/" + round + "/responses/" + dept
	h.must(http.StatusOK, "PATCH", base, token, map[string]any{"answers": answers})
	h.must(http.StatusOK, "POST", base+"/submit", token, nil)
}

func decode[T any](t *testing.T, m map[string]any) T {
	t.Helper()
	data, _ := json.Marshal(m)
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

type scoresBody struct {
	Status  string `json:"status"`
	Preview bool   `json:"preview"`
	Overall struct {
		Score *float64 `json:"score"`
		Level *int     `json:"level"`
	} `json:"overall"`
	Areas []struct {
		ID     string   `json:"id"`
		Score  *float64 `json:"score"`
		Target int      `json:"target"`
		Gap    *float64 `json:"gap"`
		AllNA  bool     `json:"all_na"`
	} `json:"areas"`
	Government struct {
		Submitted int              `json:"submitted"`
		Areas     []map[string]any `json:"areas"`
		Public    []map[string]any `json:"public_areas"`
	} `json:"government"`
}

func TestScoresAndBenchmarks(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.MinGroup = 3 })
	tokens := map[string]string{}
	for _, d := range []string{"AAA", "BBB", "CCC"} {
		h.department(d)
		tokens[d] = h.credential("respondent", d)
	}
	planner := h.credential("planner", "")
	h.round("r1", "small", true)
	h.answerAll("r1", "AAA", tokens["AAA"], 2, -1)
	h.answerAll("r1", "BBB", tokens["BBB"], 4, 3)

	// Two submitted: below min_group, so a respondent sees no government figures.
	got := decode[scoresBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/departments/AAA/scores", tokens["AAA"], nil))
	if got.Status != "submitted" || got.Preview || *got.Overall.Score != 2 {
		t.Fatalf("AAA scores: %+v", got)
	}
	if got.Government.Public != nil || got.Government.Areas != nil {
		t.Fatalf("respondent saw benchmarks below min_group: %+v", got.Government)
	}
	for _, a := range got.Areas {
		if a.ID == "cs-cloud" && (!a.AllNA || a.Score != nil || a.Gap != nil) {
			t.Fatalf("all-N/A area: %+v", a)
		}
		if a.ID == "cs-iam" && (a.Target != 4 || *a.Gap != 2) {
			t.Fatalf("cs-iam target override: %+v", a)
		}
	}

	// A draft shows a preview of what is answered.
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1/responses/CCC", tokens["CCC"], map[string]any{"answers": map[string]any{"ds-gov-1": map[string]any{"level": 5}}})
	got = decode[scoresBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/departments/CCC/scores", tokens["CCC"], nil))
	if !got.Preview || *got.Overall.Score != 5 {
		t.Fatalf("preview: %+v", got)
	}
	h.answerAll("r1", "CCC", tokens["CCC"], 3, 3)

	// Three submitted, but the round is still open: nothing, so that two
	// downloads a submission apart cannot reveal that submission.
	got = decode[scoresBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/departments/CCC/scores", tokens["CCC"], nil))
	if got.Government.Public != nil {
		t.Fatalf("respondent sees figures of an open round: %+v", got.Government)
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r1", h.admin, map[string]any{"state": "closed"})

	// Three submitted: public statistics only, never min/max or percentiles.
	got = decode[scoresBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/departments/CCC/scores", tokens["CCC"], nil))
	if len(got.Government.Public) == 0 {
		t.Fatal("respondent sees no public benchmarks with 3 submitted")
	}
	for _, b := range got.Government.Public {
		for _, hidden := range []string{"min", "max", "percentiles"} {
			if _, ok := b[hidden]; ok {
				t.Fatalf("respondent sees %s: %v", hidden, b)
			}
		}
		if b["area"] == "cs-cloud" {
			t.Fatalf("cs-cloud has n=2 < 3 but is shown: %v", b)
		}
	}
	// Planner and admin see everything.
	got = decode[scoresBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/departments/AAA/scores", planner, nil))
	if got.Government.Submitted != 3 || len(got.Government.Areas) != 3 {
		t.Fatalf("planner government view: %+v", got.Government)
	}
	all := h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/scores", planner, nil)
	if n := len(all["departments"].([]any)); n != 3 {
		t.Fatalf("round scores: %d departments", n)
	}
	h.must(http.StatusForbidden, "GET", "/api/v1/rounds/r1/scores", tokens["AAA"], nil)
	h.must(http.StatusNotFound, "GET", "/api/v1/rounds/r1/departments/BBB/scores", tokens["AAA"], nil)
}

type topicsBody struct {
	Previous string `json:"previous_round"`
	Topics   []struct {
		Rank        int      `json:"rank"`
		Area        string   `json:"area"`
		BelowTarget []string `json:"below_target"`
		TotalGap    float64  `json:"total_gap"`
		MeanScore   *float64 `json:"mean_score"`
		Change      *float64 `json:"change"`
	} `json:"topics"`
}

func TestTopicRanking(t *testing.T) {
	h := newHarness(t)
	tokens := map[string]string{}
	for _, d := range []string{"AAA", "BBB"} {
		h.department(d)
		tokens[d] = h.credential("respondent", d)
	}
	planner := h.credential("planner", "")
	// An earlier round, closed before the current one opens.
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, map[string]any{
		"id": "r2025", "title_en": "2025", "title_zh": "2025", "questionnaire": "small",
		"opens_at": "2025-01-01T00:00:00Z", "closes_at": "2025-03-01T00:00:00Z"})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r2025", h.admin, map[string]any{"state": "open"})
	h.clock.Set(time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)) // last year, within that round's dates
	h.answerAll("r2025", "AAA", tokens["AAA"], 1, 1)
	h.answerAll("r2025", "BBB", tokens["BBB"], 2, 2)
	h.clock.Set(defaultTestNow)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/r2025", h.admin, map[string]any{"state": "closed"})

	h.round("r2026", "small", true)
	h.answerAll("r2026", "AAA", tokens["AAA"], 2, 1)
	h.answerAll("r2026", "BBB", tokens["BBB"], 3, 4)

	got := decode[topicsBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r2026/topics", planner, nil))
	if got.Previous != "r2025" || len(got.Topics) != 3 {
		t.Fatalf("topics: %+v", got)
	}
	// Against the common baseline 3: cs-cloud 2 + 0; cs-iam 1 + 0 (its own
	// target 4 adds a stretch gap of 1 + 1, shown apart); ds-gov 1 + 0.
	top := got.Topics[0]
	if top.Area != "cs-cloud" || top.TotalGap != 2 || len(top.BelowTarget) != 1 || *top.Change != 1 {
		t.Fatalf("top topic: %+v", top)
	}
	if got.Topics[1].Area != "cs-iam" || got.Topics[2].Area != "ds-gov" {
		t.Fatalf("order: %+v", got.Topics)
	}
	filtered := decode[topicsBody](t, h.must(http.StatusOK, "GET", "/api/v1/rounds/r2026/topics?domain=ds", h.admin, nil))
	if len(filtered.Topics) != 1 || filtered.Topics[0].Rank != 1 || filtered.Topics[0].Area != "ds-gov" {
		t.Fatalf("domain filter: %+v", filtered)
	}
	h.must(http.StatusUnprocessableEntity, "GET", "/api/v1/rounds/r2026/topics?domain=nope", planner, nil)
	h.must(http.StatusForbidden, "GET", "/api/v1/rounds/r2026/topics", tokens["AAA"], nil)
}
