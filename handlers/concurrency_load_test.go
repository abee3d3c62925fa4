package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// patchOutcome is what one PATCH told its writer.
type patchOutcome struct {
	status int
	rev    int // the answer's rev after a 200
}

// patchAnswer sets question qid of dept to level with comment, guarded by
// baseRev, and returns the status and the answer's new rev.
func (h *harness) patchAnswer(dept, token, qid string, level int, comment string, baseRev int) patchOutcome {
	rec := h.request("PATCH", "/api/v1/rounds/r1/responses/"+dept, token, map[string]any{"answers": map[string]any{
		qid: map[string]any{"level": level, "comment": comment, "base_rev": baseRev},
	}})
	out := patchOutcome{status: rec.Code}
	if rec.Code == http.StatusOK {
		var body struct {
			Answers map[string]struct {
				Rev int `json:"rev"`
			} `json:"answers"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err == nil {
			out.rev = body.Answers[qid].Rev
		}
	}
	return out
}

// currentRev reads the rev of one answer.
func (h *harness) currentRev(dept, token, qid string) (int, bool) {
	rec := h.request("GET", "/api/v1/rounds/r1/responses/"+dept, token, nil)
	if rec.Code != http.StatusOK {
		return 0, false
	}
	var body struct {
		Answers map[string]struct {
			Rev int `json:"rev"`
		} `json:"answers"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		return 0, false
	}
	return body.Answers[qid].Rev, true
}

// TestConcurrentWritersAcrossDepartments: 50 writers make 20 successful
// changes each, at once, across 5 departments. 40 of them own a question
// (their base_rev is always right); the other 10 share one question per
// department in pairs and retry on 409 with the current rev. Afterwards no
// change is lost: each answer's rev is the number of changes made to it,
// each response's version the number of changes made to it, and the audit
// trail holds exactly one response.answer event per change, whose versions
// run 1..n without gap or repeat.
func TestConcurrentWritersAcrossDepartments(t *testing.T) {
	h := newHarness(t)
	const (
		departments = 5
		writers     = 50
		changes     = 20
	)
	tokens := make([]string, departments)
	depts := make([]string, departments)
	for d := range departments {
		depts[d] = fmt.Sprintf("CC%d", d)
		h.department(depts[d])
		tokens[d] = h.credential("respondent", depts[d])
	}
	h.round("r1", "generated", true)

	// Writer g works on department g%5. Writers 0..39 own question
	// cs-gen-<g/5> (0..7); writers 40..49 share cs-gen-24 of their
	// department, two per department.
	question := func(g int) string {
		if g >= 40 {
			return "cs-gen-24"
		}
		return fmt.Sprintf("cs-gen-%d", g/departments)
	}
	var (
		mu        sync.Mutex
		successes = map[string]int{} // dept/qid -> successful changes
		conflicts int
		failures  []string
	)
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := g % departments
			dept, token, qid := depts[d], tokens[d], question(g)
			shared := g >= 40
			rev := 0
			done := 0
			for attempt := 0; done < changes && attempt < changes*50; attempt++ {
				out := h.patchAnswer(dept, token, qid, (done+g)%6, fmt.Sprintf("writer %d change %d", g, done), rev)
				switch {
				case out.status == http.StatusOK:
					if !shared && out.rev != rev+1 {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("writer %d: rev %d after %d", g, out.rev, rev))
						mu.Unlock()
					}
					rev = out.rev
					done++
				case out.status == http.StatusConflict && shared:
					mu.Lock()
					conflicts++
					mu.Unlock()
					cur, ok := h.currentRev(dept, token, qid)
					if ok {
						rev = cur
					}
				default:
					mu.Lock()
					failures = append(failures, fmt.Sprintf("writer %d (%s %s): status %d", g, dept, qid, out.status))
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			successes[dept+"/"+qid] += done
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d writers failed, e.g. %v", len(failures), failures[:min(5, len(failures))])
	}
	t.Logf("%d conflicts retried by the sharing writers", conflicts)

	for d, dept := range depts {
		t.Run(dept, func(t *testing.T) {
			got := h.must(http.StatusOK, "GET", "/api/v1/rounds/r1/responses/"+dept, tokens[d], nil)
			answers := got["answers"].(map[string]any)
			total := 0
			for key, n := range successes {
				if key[:len(dept)+1] != dept+"/" {
					continue
				}
				qid := key[len(dept)+1:]
				total += n
				a, ok := answers[qid].(map[string]any)
				if !ok || a["rev"] != float64(n) {
					t.Errorf("%s: rev %v after %d changes", qid, answers[qid], n)
				}
			}
			if want := changes * writers / departments; total != want {
				t.Fatalf("%d changes counted, want %d", total, want)
			}
			if got["version"] != float64(total) {
				t.Errorf("version %v after %d changes", got["version"], total)
			}
			if len(answers) != 9 {
				t.Errorf("%d answers, want 9", len(answers))
			}

			versions := map[int]int{}
			events := 0
			before := ""
			for page := 0; page < 100; page++ {
				q := url.Values{"round": {"r1"}, "department": {dept}, "limit": {"97"}}
				if before != "" {
					q.Set("before", before)
				}
				body := h.must(http.StatusOK, "GET", "/api/v1/audit?"+q.Encode(), h.admin, nil)
				for _, e := range body["events"].([]any) {
					ev := e.(map[string]any)
					if ev["action"] != "response.answer" {
						continue
					}
					events++
					details := ev["details"].(map[string]any)
					if n := len(details["answers"].(map[string]any)); n != 1 {
						t.Errorf("an event names %d answers, want 1: %v", n, details)
					}
					versions[int(details["version"].(float64))]++
				}
				next, _ := body["next_before"].(string)
				if next == "" {
					break
				}
				before = next
			}
			if events != total {
				t.Errorf("%d response.answer events for %d changes", events, total)
			}
			for v := 1; v <= total; v++ {
				if versions[v] != 1 {
					t.Errorf("version %d appears in %d events", v, versions[v])
					break
				}
			}
		})
	}
}
