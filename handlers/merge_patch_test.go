package handlers_test

import (
	"net/http"
	"testing"
)

// TestPatchMergesPerField: a PATCH item is a JSON merge patch of its
// answer. A field it does not name keeps its value, null clears, a level
// and N/A exclude each other, and an item that leaves nothing clears the
// answer instead of storing an empty one.
func TestPatchMergesPerField(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	const path = "/api/v1/rounds/2026/responses/ABC"
	patch := func(want int, item any) map[string]any {
		t.Helper()
		return h.must(want, "PATCH", path, respondent, map[string]any{"answers": map[string]any{"cs-cloud-1": item}})
	}
	answer := func(out map[string]any) map[string]any {
		t.Helper()
		a, _ := out["answers"].(map[string]any)["cs-cloud-1"].(map[string]any)
		return a
	}

	t.Run("an item that leaves nothing stores nothing", func(t *testing.T) {
		out := patch(http.StatusOK, map[string]any{"level": nil})
		if answer(out) != nil || out["version"] != 0.0 || out["status"] != "not_started" {
			t.Fatalf("an empty answer was stored: %v", out)
		}
	})
	steps := []struct {
		name  string
		item  map[string]any
		check func(a map[string]any) bool
	}{
		{"a level and a comment", map[string]any{"level": 2, "comment": "firewall rules reviewed", "evidence": "minutes"},
			func(a map[string]any) bool { return a["level"] == 2.0 && a["comment"] == "firewall rules reviewed" }},
		{"a new level keeps the comment and evidence", map[string]any{"level": 3},
			func(a map[string]any) bool {
				return a["level"] == 3.0 && a["comment"] == "firewall rules reviewed" && a["evidence"] == "minutes"
			}},
		{"null clears only the comment", map[string]any{"comment": nil},
			func(a map[string]any) bool {
				return a["level"] == 3.0 && a["comment"] == "" && a["evidence"] == "minutes"
			}},
		{"N/A clears the level", map[string]any{"na": true, "na_reason": "no cloud services"},
			func(a map[string]any) bool {
				return a["level"] == nil && a["na"] == true && a["na_reason"] == "no cloud services"
			}},
		{"a level clears N/A and its reason", map[string]any{"level": 1},
			func(a map[string]any) bool { return a["level"] == 1.0 && a["na"] == false && a["na_reason"] == "" }},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if a := answer(patch(http.StatusOK, st.item)); a == nil || !st.check(a) {
				t.Fatalf("after %v: %v", st.item, a)
			}
		})
	}
	t.Run("clearing the level and the evidence clears the answer", func(t *testing.T) {
		if a := answer(patch(http.StatusOK, map[string]any{"level": nil, "evidence": nil})); a != nil {
			t.Fatalf("answer kept: %v", a)
		}
	})
	t.Run("refused items change nothing", func(t *testing.T) {
		patch(http.StatusOK, map[string]any{"level": 2, "comment": "kept"})
		before := h.rawResponse("2026", "ABC")
		for _, tc := range []struct {
			item any
			want int
		}{
			{map[string]any{"level": 2, "na": true}, http.StatusUnprocessableEntity},
			{map[string]any{"na_reason": "a reason without N/A"}, http.StatusUnprocessableEntity},
			{map[string]any{"na": false, "na_reason": "a reason without N/A"}, http.StatusUnprocessableEntity},
			{map[string]any{"level": 2.5}, http.StatusBadRequest},
			{map[string]any{"comment": 3}, http.StatusBadRequest},
			{map[string]any{"colour": "red"}, http.StatusBadRequest},
		} {
			rec := h.request("PATCH", path, respondent, map[string]any{"answers": map[string]any{"cs-cloud-1": tc.item}})
			if rec.Code != tc.want {
				t.Errorf("%v: %d, want %d: %s", tc.item, rec.Code, tc.want, rec.Body.String())
			}
			if h.rawResponse("2026", "ABC") != before {
				t.Fatalf("%v changed the response", tc.item)
			}
		}
	})
}
