package handlers_test

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// withBuiltInBank runs the harness on the built-in bank (v1 and v2) as
// well as the small questionnaire.
func withBuiltInBank(t *testing.T) option {
	t.Helper()
	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		t.Fatal(err)
	}
	return func(c *handlersConfig) { c.Questionnaires = append(c.Questionnaires, bank...) }
}

// nextYear is the test clock a year on, inside a copied round's window.
var nextYear = defaultTestNow.AddDate(1, 0, 0)

// qItem is a question or area of a questionnaire as the API gives it.
type qItem struct {
	id, area string
	lineage  []string // nil: absent
	naOK     bool
}

func items(q map[string]any) (areas, questions []qItem) {
	lineage := func(m map[string]any) []string {
		l, ok := m["lineage"].([]any)
		if !ok {
			return nil
		}
		out := []string{}
		for _, x := range l {
			out = append(out, x.(string))
		}
		return out
	}
	for _, d := range q["domains"].([]any) {
		for _, a := range d.(map[string]any)["areas"].([]any) {
			am := a.(map[string]any)
			areas = append(areas, qItem{id: am["id"].(string), lineage: lineage(am)})
			for _, qu := range am["questions"].([]any) {
				qm := qu.(map[string]any)
				questions = append(questions, qItem{id: qm["id"].(string), area: am["id"].(string), lineage: lineage(qm), naOK: qm["na_allowed"].(bool)})
			}
		}
	}
	return areas, questions
}

// expectedCarry is, computed here from the two versions' lineage, which
// v2 question takes over which v1 question: one to one only.
func expectedCarry(v1, v2 map[string]any) map[string]string {
	_, oldQs := items(v1)
	old := map[string]bool{}
	for _, q := range oldQs {
		old[q.id] = true
	}
	_, newQs := items(v2)
	origin := map[string][]string{}
	uses := map[string]int{}
	for _, q := range newQs {
		l := q.lineage
		if l == nil && old[q.id] {
			l = []string{q.id}
		}
		origin[q.id] = l
		for _, o := range l {
			uses[o]++
		}
	}
	out := map[string]string{}
	for id, l := range origin {
		if len(l) == 1 && uses[l[0]] == 1 {
			out[id] = l[0]
		}
	}
	return out
}

// levelFor is a level of 3 to 5 that depends on seed (at least 3, so no
// na_requires rule of v2 stops a submission).
func levelFor(seed string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(seed))
	return 3 + int(h.Sum32()%3)
}

// TestPrefillAcrossVersions: a round on v2 copied from a v1 round carries
// exactly the lineage-matched answers of the department's submission,
// marked and unconfirmed; submit lists them until each is confirmed.
func TestPrefillAcrossVersions(t *testing.T) {
	h := newHarness(t, withBuiltInBank(t))
	h.department("ABC")
	h.department("XYZ")
	abc, xyz := h.credential("respondent", "ABC"), h.credential("respondent", "XYZ")
	v1 := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-capability?version=1", abc, nil)
	v2 := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-capability?version=2", abc, nil)

	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, newRoundBody("y1", "dg-capability", 1))
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "open"})
	_, v1Qs := items(v1)
	given := map[string]map[string]any{}
	for i, q := range v1Qs {
		a := map[string]any{"level": levelFor(q.id), "comment": "c " + q.id, "evidence": "e " + q.id}
		if q.naOK && i%3 == 0 {
			a = map[string]any{"na": true, "na_reason": "r " + q.id, "comment": "c " + q.id}
		}
		given[q.id] = a
	}
	answers := map[string]any{}
	for id, a := range given {
		answers[id] = a
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1/responses/ABC", abc, map[string]any{"answers": answers})
	h.must(http.StatusOK, "POST", "/api/v1/rounds/y1/responses/ABC/submit", abc, nil)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1/responses/XYZ", xyz, map[string]any{"answers": map[string]any{v1Qs[0].id: map[string]any{"level": 2}}})
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "closed"})

	// "A new round like this one", on next year's version.
	y2 := h.must(http.StatusCreated, "POST", "/api/v1/rounds/y1/copy", h.admin, map[string]any{"id": "y2", "questionnaire_version": 2})
	if y2["prefill_from"] != "y1" || y2["questionnaire_version"] != float64(2) || y2["title"].(map[string]any)["en"] != "Round y1" ||
		y2["opens_at"] != "2027-01-05T01:00:00Z" {
		t.Errorf("copied round: %v", y2)
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2", h.admin, map[string]any{"state": "open"})
	h.clock.Set(nextYear)

	want := expectedCarry(v1, v2)
	got := h.must(http.StatusOK, "GET", "/api/v1/rounds/y2/responses/ABC", abc, nil)
	carried := got["answers"].(map[string]any)
	if len(carried) != len(want) || len(want) == 0 {
		t.Errorf("carried %d answers, want %d", len(carried), len(want))
	}
	for id, from := range want {
		a, ok := carried[id].(map[string]any)
		if !ok {
			t.Errorf("%s (from %s) not carried", id, from)
			continue
		}
		g := given[from]
		if a["carried"] != true || a["confirmed"] != false || a["carried_from"] != "y1" || a["comment"] != g["comment"] ||
			fmt.Sprint(a["level"]) != fmt.Sprint(nilIfAbsent(g["level"])) || a["na"] != (g["na"] == true) ||
			fmt.Sprint(a["na_reason"]) != fmt.Sprint(stringOrEmpty(g["na_reason"])) || fmt.Sprint(a["evidence"]) != fmt.Sprint(stringOrEmpty(g["evidence"])) {
			t.Errorf("%s carried as %v, from %s answered %v", id, a, from, g)
		}
		if from != id && a["carried_question"] != from {
			t.Errorf("%s: carried_question %v, want %s", id, a["carried_question"], from)
		}
	}
	if got["status"] != "not_started" {
		t.Errorf("a pre-filled response nobody touched is %v, want not_started", got["status"])
	}
	if p := got["progress"].(map[string]any); p["answered"] != float64(0) {
		t.Errorf("unconfirmed carried answers count as answered: %v", p)
	}
	if again := h.must(http.StatusOK, "GET", "/api/v1/rounds/y2/responses/ABC", abc, nil); again["version"] != got["version"] {
		t.Errorf("a second read pre-filled again: version %v then %v", got["version"], again["version"])
	}
	if x := h.must(http.StatusOK, "GET", "/api/v1/rounds/y2/responses/XYZ", xyz, nil); len(x["answers"].(map[string]any)) != 0 {
		t.Errorf("XYZ never submitted y1 but has %d answers", len(x["answers"].(map[string]any)))
	}

	// Submit lists the unconfirmed carried answers.
	unconfirmed := func() []string {
		out := h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/rounds/y2/responses/ABC/submit", abc, nil)
		var ids []string
		for field, rule := range fieldRules(t, out) {
			if rule == "unconfirmed:y1" {
				ids = append(ids, field)
			}
		}
		sort.Strings(ids)
		return ids
	}
	var wantIDs []string
	for id := range want {
		wantIDs = append(wantIDs, "answers."+id)
	}
	sort.Strings(wantIDs)
	if ids := unconfirmed(); !slices.Equal(ids, wantIDs) {
		t.Errorf("submit lists unconfirmed %v, want %v", ids, wantIDs)
	}

	// Answer the new questions, change one carried answer and confirm
	// all but one of the others.
	_, v2Qs := items(v2)
	patch := map[string]any{}
	var keep string
	for _, q := range v2Qs {
		switch _, isCarried := want[q.id]; {
		case !isCarried:
			patch[q.id] = map[string]any{"level": 3}
		case keep == "":
			keep = q.id
		case len(patch)%2 == 0:
			patch[q.id] = map[string]any{"confirm": true}
		default:
			patch[q.id] = map[string]any{"comment": "still true, reworded"}
		}
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2/responses/ABC", abc, map[string]any{"answers": patch})
	if ids := unconfirmed(); len(ids) != 1 || ids[0] != "answers."+keep {
		t.Errorf("after confirming all but %s: unconfirmed %v", keep, ids)
	}
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2/responses/ABC", abc, map[string]any{"answers": map[string]any{keep: map[string]any{"confirm": true}}})
	done := h.must(http.StatusOK, "POST", "/api/v1/rounds/y2/responses/ABC/submit", abc, nil)
	if done["status"] != "submitted" {
		t.Errorf("status %v", done["status"])
	}
	prefills := 0
	for _, ev := range h.auditEvents() {
		if ev["action"] == "response.prefill" && ev["department"] == "ABC" && ev["round"] == "y2" {
			prefills++
		}
	}
	if prefills != 1 {
		t.Errorf("%d response.prefill audit events, want 1", prefills)
	}

	t.Run("prefill_from must be a round the questionnaire continues", func(t *testing.T) {
		body := newRoundBody("bad", "small", 0)
		body["prefill_from"] = "y1"
		out := h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/rounds", h.admin, body)
		if _, ok := fieldRules(t, out)["prefill_from"]; !ok {
			t.Errorf("fields %v", fieldRules(t, out))
		}
		body["prefill_from"] = "nope"
		h.must(http.StatusUnprocessableEntity, "POST", "/api/v1/rounds", h.admin, body)
	})
}

func nilIfAbsent(v any) any {
	if v == nil {
		return nil
	}
	return v
}

func stringOrEmpty(v any) string {
	s, _ := v.(string)
	return s
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// TestChangeAcrossVersions: the planner's change on a v2 round compares
// each area with the areas it continues in the previous v1 round, as
// computed here from the two rounds' area scores and the bank's lineage;
// a new area has no change.
func TestChangeAcrossVersions(t *testing.T) {
	h := newHarness(t, withBuiltInBank(t))
	depts := []string{"D1", "D2", "D3", "D4", "D5", "D6"}
	tokens := map[string]string{}
	for _, d := range depts {
		h.department(d)
		tokens[d] = h.credential("respondent", d)
	}
	v1 := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-capability?version=1", h.admin, nil)
	v2 := h.must(http.StatusOK, "GET", "/api/v1/questionnaires/dg-capability?version=2", h.admin, nil)
	answerRound := func(round string, q map[string]any, level func(i int, area string) int) {
		_, qs := items(q)
		for i, d := range depts {
			answers := map[string]any{}
			for _, qu := range qs {
				answers[qu.id] = map[string]any{"level": level(i, qu.area)}
			}
			base := "/api/v1/rounds/" + round + "/responses/" + d
			h.must(http.StatusOK, "PATCH", base, tokens[d], map[string]any{"answers": answers})
			h.must(http.StatusOK, "POST", base+"/submit", tokens[d], nil)
		}
	}
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, newRoundBody("y1", "dg-capability", 1))
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "open"})
	answerRound("y1", v1, func(i int, area string) int { return (i + len(area)) % 6 })
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y1", h.admin, map[string]any{"state": "closed"})
	y2 := newRoundBody("y2", "dg-capability", 2)
	y2["opens_at"], y2["closes_at"] = "2027-01-05T09:00:00+08:00", "2027-03-31T18:00:00+08:00"
	h.must(http.StatusCreated, "POST", "/api/v1/rounds", h.admin, y2)
	h.must(http.StatusOK, "PATCH", "/api/v1/rounds/y2", h.admin, map[string]any{"state": "open"})
	h.clock.Set(nextYear)
	answerRound("y2", v2, func(i int, area string) int { return (2*i + len(area) + 1) % 6 })

	means := func(round string) map[string]float64 {
		out := h.must(http.StatusOK, "GET", "/api/v1/rounds/"+round+"/scores", h.admin, nil)
		sum, n := map[string]float64{}, map[string]int{}
		for _, d := range out["departments"].([]any) {
			for _, a := range d.(map[string]any)["areas"].([]any) {
				am := a.(map[string]any)
				if s, ok := am["score"].(float64); ok {
					sum[am["id"].(string)] += s
					n[am["id"].(string)]++
				}
			}
		}
		m := map[string]float64{}
		for id, s := range sum {
			m[id] = round2(s / float64(n[id]))
		}
		return m
	}
	prev, now := means("y1"), means("y2")
	v2Areas, _ := items(v2)
	oldAreas, _ := items(v1)
	old := map[string]bool{}
	for _, a := range oldAreas {
		old[a.id] = true
	}
	want := map[string]*float64{}
	for _, a := range v2Areas {
		l := a.lineage
		if l == nil && old[a.id] {
			l = []string{a.id}
		}
		var sum float64
		k := 0
		for _, id := range l {
			if v, ok := prev[id]; ok {
				sum += v
				k++
			}
		}
		if k > 0 {
			c := round2(now[a.id] - round2(sum/float64(k)))
			want[a.id] = &c
		} else {
			want[a.id] = nil
		}
	}
	topics := h.must(http.StatusOK, "GET", "/api/v1/rounds/y2/topics", h.admin, nil)
	if topics["previous_round"] != "y1" {
		t.Fatalf("previous round %v", topics["previous_round"])
	}
	withChange, newAreas := 0, 0
	for _, row := range topics["topics"].([]any) {
		r := row.(map[string]any)
		id := r["area"].(string)
		w := want[id]
		switch c, ok := r["change"].(float64); {
		case w == nil && r["change"] != nil:
			t.Errorf("%s: change %v, want none (a new area)", id, r["change"])
		case w != nil && (!ok || math.Abs(c-*w) > 1e-9):
			t.Errorf("%s: change %v, want %v", id, r["change"], *w)
		case w == nil:
			newAreas++
		default:
			withChange++
		}
	}
	if withChange == 0 {
		t.Error("no area compared across the versions")
	}
	t.Logf("%d areas compared through lineage, %d new", withChange, newAreas)
}
