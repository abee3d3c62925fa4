package handlers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// yamlRequest sends a questionnaire file as the admin.
func (h *harness) yamlRequest(method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	return h.request(method, path, token, body, append([]string{"Content-Type", "application/yaml"}, headers...)...)
}

// testBank is the built-in bank's v2 file as questionnaire dg-test
// version v, without its lineage (which names v1 of the built-in bank), so
// that its versions continue one another item by item; edits are
// replacements applied once each.
func testBank(t *testing.T, v int, edits ...string) string {
	t.Helper()
	data, err := fs.ReadFile(questionnaires.FS(), "dg-capability-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := regexp.MustCompile(`(?m)^\s*lineage: .*\n`).ReplaceAllString(string(data), "")
	src = strings.Replace(src, "\nid: dg-capability\nversion: 2\n", fmt.Sprintf("\nid: dg-test\nversion: %d\n", v), 1)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(src, edits[i]) {
			t.Fatalf("testBank: no %q to replace", edits[i])
		}
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	return src
}

func fieldRules(t *testing.T, out map[string]any) map[string]string {
	t.Helper()
	rules := map[string]string{}
	e, _ := out["error"].(map[string]any)
	fields, _ := e["fields"].([]any)
	for _, f := range fields {
		fe := f.(map[string]any)
		rule, _ := fe["rule"].(string)
		param, _ := fe["param"].(string)
		rules[fe["field"].(string)] = rule + ":" + param
	}
	return rules
}

// Edits of testBank's file.
const (
	firstAreaWeight   = "        weight: 1\n        topic: {en: \"Steering"
	firstQuestionText = "IT or digital plan and its link"
	firstQuestionID   = "          - id: ism-strategy-1\n"
	firstQuestionNA   = "            weight: 1\n            na_allowed: false\n"
)

// questionIDs lists a questionnaire's question ids as the API gives it.
func questionIDs(q map[string]any) []string {
	var ids []string
	for _, d := range q["domains"].([]any) {
		for _, a := range d.(map[string]any)["areas"].([]any) {
			for _, qu := range a.(map[string]any)["questions"].([]any) {
				ids = append(ids, qu.(map[string]any)["id"].(string))
			}
		}
	}
	return ids
}

// answerEvery answers every question of the round at level and submits.
func (h *harness) answerEvery(round, dept, token string, q map[string]any, level func(qid string) int) {
	h.t.Helper()
	answers := map[string]any{}
	for _, id := range questionIDs(q) {
		answers[id] = map[string]any{"level": level(id), "comment": "comment on " + id}
	}
	base := "/api/v1/rounds/" + round + "/responses/" + dept
	h.must(http.StatusOK, "PATCH", base, token, map[string]any{"answers": answers})
	h.must(http.StatusOK, "POST", base+"/submit", token, nil)
}

func newRoundBody(id, questionnaire string, version int) map[string]any {
	return map[string]any{"id": id, "title_en": "Round " + id, "title_zh": id + "輪", "questionnaire": questionnaire,
		"questionnaire_version": version, "opens_at": "2026-01-05T09:00:00+08:00", "closes_at": "2026-03-31T18:00:00+08:00"}
}

// publishTestBank uploads and publishes dg-test version 1.
func (h *harness) publishTestBank() {
	h.t.Helper()
	if rec := h.yamlRequest("POST", "/api/v1/questionnaires", h.admin, testBank(h.t, 1)); rec.Code != http.StatusCreated {
		h.t.Fatalf("upload of dg-test v1: %d %s", rec.Code, rec.Body.String())
	}
	h.must(http.StatusOK, "POST", "/api/v1/questionnaires/dg-test/versions/1/publish", h.admin, nil)
}

// TestQuestionnaireCycleAPI: upload → preview → diff → publish → round →
// answer → submit, and what the registry refuses on the way.
func TestQuestionnaireCycleAPI(t *testing.T) {
	h := newHarness(t)
	h.department("ABC")
	resp := h.credential("respondent", "ABC")
	h.publishTestBank()

	rec := h.yamlRequest("POST", "/api/v1/questionnaires", h.admin, testBank(t, 2, firstQuestionText, "IT or digital plan (revised) and its link"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body.String())
	}
	if et := rec.Header().Get("ETag"); et != `"1"` {
		t.Errorf("ETag %q, want the revision 1", et)
	}
	draft := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-test/versions/2", h.admin, nil)
	if draft["state"] != "draft" || draft["origin"] != "uploaded" || draft["questionnaire"].(map[string]any)["version"] != float64(2) {
		t.Errorf("preview data: state %v origin %v", draft["state"], draft["origin"])
	}
	listed := func(token string) string {
		var s []string
		for _, x := range h.must(http.StatusOK, "GET", "/api/v1/questionnaires", token, nil)["questionnaires"].([]any) {
			m := x.(map[string]any)
			s = append(s, fmt.Sprintf("%s@%v:%s", m["id"], m["version"], m["state"]))
		}
		return strings.Join(s, " ")
	}
	if l := listed(h.admin); !strings.Contains(l, "dg-test@2:draft") || !strings.Contains(l, "dg-test@1:published") {
		t.Errorf("admin's list: %s", l)
	}
	if l := listed(resp); strings.Contains(l, "draft") || !strings.Contains(l, "dg-test@1:published") {
		t.Errorf("a respondent's list: %s", l)
	}
	h.must(http.StatusNotFound, "GET", "/api/v1/questionnaires/dg-test?version=2", resp, nil)

	out := h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/rounds", h.admin, newRoundBody("y2", "dg-test", 2))
	if r := fieldRules(t, out)["questionnaire_version"]; r != "draft:2" {
		t.Errorf("a round on a draft: rules %v", fieldRules(t, out))
	}

	// Replace the draft (a stale If-Match is 412), then diff and publish.
	v2 := testBank(t, 2, firstQuestionText, "IT or digital plan (revised) and its link", firstAreaWeight, "        weight: 2\n        topic: {en: \"Steering")
	if rec := h.yamlRequest("PUT", "/api/v1/questionnaires/dg-test/versions/2", h.admin, v2, "If-Match", `"7"`); rec.Code != http.StatusPreconditionFailed {
		t.Errorf("stale replace: %d", rec.Code)
	}
	rec = h.yamlRequest("PUT", "/api/v1/questionnaires/dg-test/versions/2", h.admin, v2, "If-Match", `"1"`)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"2"` {
		t.Fatalf("replace: %d %s", rec.Code, rec.Body.String())
	}
	diff := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-test/diff?from=1&to=2", h.admin, nil)
	qs, areas := diff["questions"].(map[string]any), diff["areas"].(map[string]any)
	changedQ, changedA := qs["changed"].([]any), areas["changed"].([]any)
	if len(changedQ) != 1 || changedQ[0].(map[string]any)["id"] != "ism-strategy-1" || fmt.Sprint(changedQ[0].(map[string]any)["fields"]) != "[text]" ||
		len(changedA) != 1 || fmt.Sprint(changedA[0].(map[string]any)["fields"]) != "[weight]" || len(qs["added"].([]any)) != 0 {
		t.Errorf("diff: questions %v areas %v", qs, areas)
	}
	h.must(http.StatusOK, "POST", "/api/v1/questionnaires/dg-test/versions/2/publish", h.admin, nil)
	h.must(http.StatusConflict, "POST", "/api/v1/questionnaires/dg-test/versions/2/publish", h.admin, nil)
	if rec := h.yamlRequest("PUT", "/api/v1/questionnaires/dg-test/versions/2", h.admin, v2); rec.Code != http.StatusConflict {
		t.Errorf("changing a published version: %d", rec.Code)
	}
	if rec := h.yamlRequest("POST", "/api/v1/questionnaires", h.admin, v2); rec.Code != http.StatusConflict {
		t.Errorf("uploading a published version again: %d", rec.Code)
	}

	// A round on it, answered and submitted.
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, newRoundBody("y2", "dg-test", 2))
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2", h.admin, map[string]any{"state": "open"})
	q := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-test", resp, nil)
	if q["version"] != float64(2) {
		t.Errorf("the latest published version is %v, want 2", q["version"])
	}
	h.answerEvery("y2", "ABC", resp, q, func(string) int { return 3 })
	if r := h.must(http.StatusOK, "GET", "/api/v1/rounds/y2/responses/ABC", resp, nil); r["status"] != "submitted" {
		t.Errorf("status %v", r["status"])
	}
	var actions []string
	for _, ev := range h.auditEvents() {
		if a, _ := ev["action"].(string); strings.HasPrefix(a, "questionnaire.") {
			actions = append(actions, a)
		}
	}
	if len(actions) != 5 {
		t.Errorf("audited %v, want two uploads, a replacement and two publications", actions)
	}
}

// TestQuestionnaireUploadBadInput: each bad upload gets its status and
// changes nothing.
func TestQuestionnaireUploadBadInput(t *testing.T) {
	h := newHarness(t, func(c *handlersConfig) { c.HTTP.MaxBodyBytes = 512 << 10 })
	h.publishTestBank()
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("l%d", i)
		laughs += fmt.Sprintf("%s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", "))
		prev = name
	}
	tests := []struct {
		name, method, path, body, ctype string
		want                            int
		wantField                       string
	}{
		{"too large", "POST", "/api/v1/questionnaires", testBank(t, 3) + "#" + strings.Repeat("x", 512<<10) + "\n", "application/yaml", 413, ""},
		{"not YAML", "POST", "/api/v1/questionnaires", "{[: nope", "application/yaml", 400, ""},
		{"two documents", "POST", "/api/v1/questionnaires", testBank(t, 3) + "---\n" + testBank(t, 4), "application/yaml", 400, ""},
		{"not a questionnaire content type", "POST", "/api/v1/questionnaires", testBank(t, 3), "application/json", 415, ""},
		{"a YAML bomb", "POST", "/api/v1/questionnaires", laughs, "application/yaml", 400, ""},
		{"a loader rule", "POST", "/api/v1/questionnaires", testBank(t, 3, firstQuestionNA, "            weight: 0\n            na_allowed: false\n"), "application/yaml", 422, "domains[0].areas[0].questions[0].weight"},
		{"an unknown key", "POST", "/api/v1/questionnaires", testBank(t, 3, firstQuestionNA, "            weight: 1\n            na_alowed: false\n"), "application/yaml", 422, "domains[0].areas[0].questions[0].na_alowed"},
		{"lineage naming nothing in the previous version", "POST", "/api/v1/questionnaires",
			testBank(t, 2, firstQuestionID, firstQuestionID+"            lineage: [ism-nothing]\n"), "application/yaml", 422, "domains[0].areas[0].questions[0].lineage[0]"},
		{"replacing a published version", "PUT", "/api/v1/questionnaires/dg-test/versions/1", testBank(t, 1), "application/yaml", 409, ""},
		{"publishing a published version", "POST", "/api/v1/questionnaires/dg-test/versions/1/publish", "", "", 409, ""},
		{"replacing a built-in version", "PUT", "/api/v1/questionnaires/small/versions/1", testBank(t, 1), "application/yaml", 409, ""},
		{"replacing what does not exist", "PUT", "/api/v1/questionnaires/dg-test/versions/9", testBank(t, 9), "application/yaml", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dbSnapshot()
			var rec *httptest.ResponseRecorder
			if tc.body == "" {
				rec = h.request(tc.method, tc.path, h.admin, nil)
			} else {
				rec = h.request(tc.method, tc.path, h.admin, tc.body, "Content-Type", tc.ctype)
			}
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %.500s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.wantField != "" {
				out := map[string]any{}
				if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
					t.Fatal(err)
				}
				rules := fieldRules(t, out)
				if r, ok := rules[tc.wantField]; !ok || !regexp.MustCompile(`^questionnaire_file:[0-9]+$`).MatchString(r) {
					t.Errorf("fields %v, want %s with its line", rules, tc.wantField)
				}
			}
			if after := h.dbSnapshot(); after != before {
				t.Error("a refused upload changed the store")
			}
		})
	}

	t.Run("publishing a version whose lineage names a missing version", func(t *testing.T) {
		v5 := testBank(t, 5, firstQuestionID, firstQuestionID+"            lineage: [ism-strategy-1]\n")
		if rec := h.yamlRequest("POST", "/api/v1/questionnaires", h.admin, v5); rec.Code != http.StatusCreated {
			t.Fatalf("upload of v5 (v4 missing): %d %.300s", rec.Code, rec.Body.String())
		}
		before := h.dbSnapshot()
		out := h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/questionnaires/dg-test/versions/5/publish", h.admin, nil)
		if _, ok := fieldRules(t, out)["lineage"]; !ok {
			t.Errorf("publish: %v", out)
		}
		h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/rounds", h.admin, newRoundBody("y5", "dg-test", 5))
		if h.dbSnapshot() != before {
			t.Error("a refused publication changed the store")
		}
	})
}

// TestQuestionnairePublishRacesReplace: publications and replacements of
// one draft at once. At most one publication wins (a publication whose
// draft was replaced after it was checked is refused: only what was
// checked is published), every other request is 200 or a clean 409, the
// stored file matches its checksum and content, and once published
// nothing replaces it.
func TestQuestionnairePublishRacesReplace(t *testing.T) {
	h := newHarness(t)
	h.publishTestBank()
	if rec := h.yamlRequest("POST", "/api/v1/questionnaires", h.admin, testBank(t, 2)); rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d", rec.Code)
	}
	files := map[string]bool{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	published, statuses := 0, map[int]int{}
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rec *httptest.ResponseRecorder
			if i%2 == 0 {
				rec = h.request("POST", "/api/v1/questionnaires/dg-test/versions/2/publish", h.admin, nil)
			} else {
				src := testBank(t, 2, firstQuestionText, fmt.Sprintf("IT or digital plan (edit %d) and its link", i))
				rec = h.yamlRequest("PUT", "/api/v1/questionnaires/dg-test/versions/2", h.admin, src)
				mu.Lock()
				files[src] = true
				mu.Unlock()
			}
			mu.Lock()
			defer mu.Unlock()
			statuses[rec.Code]++
			if i%2 == 0 && rec.Code == http.StatusOK {
				published++
			}
		}()
	}
	wg.Wait()
	if published > 1 {
		t.Errorf("%d publications succeeded, want at most 1 (statuses %v)", published, statuses)
	}
	if published == 0 {
		h.must(http.StatusOK, "POST", "/api/v1/questionnaires/dg-test/versions/2/publish", h.admin, nil)
	}
	if rec := h.yamlRequest("PUT", "/api/v1/questionnaires/dg-test/versions/2", h.admin, testBank(t, 2)); rec.Code != http.StatusConflict {
		t.Errorf("a replacement after publication: %d", rec.Code)
	}
	t.Logf("%d of 6 publications and %d replacements succeeded during the race", published, statuses[http.StatusOK]-published)
	for code := range statuses {
		if code != http.StatusOK && code != http.StatusConflict {
			t.Errorf("status %d among %v", code, statuses)
		}
	}
	v, err := h.store.QuestionnaireVersion(context.Background(), "dg-test", 2)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(v.Source))
	if !v.Published() || hex.EncodeToString(sum[:]) != v.SHA256 || (!files[v.Source] && v.Source != testBank(t, 2)) {
		t.Errorf("stored version: state %s, checksum matches %v", v.State, hex.EncodeToString(sum[:]) == v.SHA256)
	}
	if q, err := survey.ParseQuestionnaire("stored.yaml", []byte(v.Source)); err != nil || q.Domains[0].Areas[0].Questions[0].Text != v.Questionnaire.Domains[0].Areas[0].Questions[0].Text {
		t.Errorf("the stored content is not the stored file's: %v", err)
	}
}
