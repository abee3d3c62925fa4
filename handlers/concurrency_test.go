package handlers_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentPatches: writers of different questions of one response
// never lose each other's answers; writers of the same question with the
// same base_rev see exactly one success and the rest 409.
func TestConcurrentPatches(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.round("r1", "generated", true)
	base := "/api/v1/rounds/r1/responses/ABC"

	const writers = 20
	var wg sync.WaitGroup
	statuses := make(chan int, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := h.request("PATCH", base, resp, map[string]any{"answers": map[string]any{
				fmt.Sprintf("cs-gen-%d", i): map[string]any{"level": i % 6, "base_rev": 0},
			}})
			statuses <- rec.Code
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("a writer of its own question got %d", s)
		}
	}
	got := h.must(http.StatusOK, "GET", base, resp, nil)
	if n := len(got["answers"].(map[string]any)); n != writers || got["version"] != float64(writers) {
		t.Fatalf("%d answers at version %v, want %d each", n, got["version"], writers)
	}

	const rivals = 10
	results := make(chan int, rivals)
	for i := range rivals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := h.request("PATCH", base, resp, map[string]any{"answers": map[string]any{
				"cs-gen-0":  map[string]any{"level": i % 6, "comment": fmt.Sprintf("writer %d", i), "base_rev": 1},
				"cs-gen-24": map[string]any{"level": i % 6},
			}})
			results <- rec.Code
		}()
	}
	wg.Wait()
	close(results)
	counts := map[int]int{}
	for s := range results {
		counts[s]++
	}
	if counts[http.StatusOK] != 1 || counts[http.StatusConflict] != rivals-1 {
		t.Fatalf("statuses %v, want one 200 and %d 409", counts, rivals-1)
	}
	got = h.must(http.StatusOK, "GET", base, resp, nil)
	answers := got["answers"].(map[string]any)
	a0, a24 := answers["cs-gen-0"].(map[string]any), answers["cs-gen-24"].(map[string]any)
	// The winner's whole patch is there, the losers' nothing.
	if a0["rev"] != 2.0 || a24["rev"] != 1.0 || a0["level"] != a24["level"] || got["version"] != float64(writers+1) {
		t.Fatalf("after rivals: version %v, cs-gen-0 %v, cs-gen-24 %v", got["version"], a0, a24)
	}
}
