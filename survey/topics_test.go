package survey

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Builders for topic ranking tests.

// tpQuestionnaire has two domains: cs (cs-iam, cs-log, cs-net) and dt
// (dt-ai, dt-data); areas are deliberately not in id order.
func tpQuestionnaire() *Questionnaire {
	area := func(id string) Area {
		return Area{
			ID:     id,
			Title:  Text{EN: "Title " + id, ZH: "標題 " + id},
			Topic:  Text{EN: "Topic " + id, ZH: "主題 " + id},
			Weight: 1,
		}
	}
	return &Questionnaire{ID: "test", Version: 2, Domains: []Domain{
		{ID: "cs", Areas: []Area{area("cs-net"), area("cs-iam"), area("cs-log")}},
		{ID: "dt", Areas: []Area{area("dt-data"), area("dt-ai")}},
	}}
}

// tpArea is an area score as a snapshot stores it: gap is max(0, target −
// score), rounded; a nil score (all N/A) has a nil gap.
func tpArea(id string, score *float64, target int) AreaScore {
	as := AreaScore{ID: id, Domain: strings.SplitN(id, "-", 2)[0], Target: target}
	if score != nil {
		s := Round2(*score)
		lvl := int(math.Floor(s))
		gap := Round2(math.Max(0, float64(target)-*score))
		as.Score, as.Level, as.Gap = &s, &lvl, &gap
	} else {
		as.AllNA = true
	}
	return as
}

// tpDept is a department whose snapshot has the given area scores (target 3
// unless the AreaScore says otherwise).
func tpDept(code, bureau string, areas ...AreaScore) TopicInput {
	return TopicInput{Department: code, Bureau: bureau, Scores: Scores{Areas: areas}}
}

// tpScores builds the area scores of a department from id → score with
// target 3; a nil score is an all-N/A area.
func tpScores(scores map[string]*float64) []AreaScore {
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]AreaScore, 0, len(ids))
	for _, id := range ids {
		out = append(out, tpArea(id, scores[id], 3))
	}
	return out
}

func tpF(v float64) *float64 { return &v }

// tpWant is the expectation for one row; rows are listed in rank order.
type tpWant struct {
	area   string
	below  []string
	mean   *float64
	gap    float64
	change *float64
	depts  int
}

func tpSame(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func tpFmt(p *float64) string {
	if p == nil {
		return "null"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

func tpCheckRows(t *testing.T, q *Questionnaire, got []TopicRow, want []tpWant) {
	t.Helper()
	if got == nil {
		t.Fatalf("RankTopics returned nil, want a non-nil slice")
	}
	gotAreas := make([]string, len(got))
	for i, r := range got {
		gotAreas[i] = r.Area
	}
	wantAreas := make([]string, len(want))
	for i, w := range want {
		wantAreas[i] = w.area
	}
	if !slices.Equal(gotAreas, wantAreas) {
		t.Fatalf("ranking = %v, want %v", gotAreas, wantAreas)
	}
	for i, w := range want {
		tpCheckRow(t, q, i+1, got[i], w)
	}
}

func tpCheckRow(t *testing.T, q *Questionnaire, rank int, got TopicRow, want tpWant) {
	t.Helper()
	if got.Rank != rank {
		t.Errorf("%s: rank = %d, want %d", want.area, got.Rank, rank)
	}
	below := want.below
	if below == nil {
		below = []string{}
	}
	if got.BelowTarget == nil || !slices.Equal(got.BelowTarget, below) {
		t.Errorf("%s: below target = %#v, want %#v", want.area, got.BelowTarget, below)
	}
	if got.DepartmentScores == nil || len(got.DepartmentScores) != len(below) {
		t.Errorf("%s: below target scores = %v, want one per department of %v", want.area, got.DepartmentScores, below)
	}
	for _, code := range below {
		if _, ok := got.DepartmentScores[code]; !ok {
			t.Errorf("%s: below target scores lack %s", want.area, code)
		}
	}
	if !tpSame(got.MeanScore, want.mean) {
		t.Errorf("%s: mean = %s, want %s", want.area, tpFmt(got.MeanScore), tpFmt(want.mean))
	}
	if math.Abs(got.TotalGap-want.gap) > 1e-9 {
		t.Errorf("%s: total gap = %v, want %v", want.area, got.TotalGap, want.gap)
	}
	if !tpSame(got.Change, want.change) {
		t.Errorf("%s: change = %s, want %s", want.area, tpFmt(got.Change), tpFmt(want.change))
	}
	if got.Departments != want.depts {
		t.Errorf("%s: departments = %d, want %d", want.area, got.Departments, want.depts)
	}
	// Labels come from the questionnaire.
	for _, dom := range q.Domains {
		for _, a := range dom.Areas {
			if a.ID != got.Area {
				continue
			}
			if got.Domain != dom.ID || got.TopicEN != a.Topic.EN || got.TopicZH != a.Topic.ZH ||
				got.AreaTitleEN != a.Title.EN || got.AreaTitleZH != a.Title.ZH {
				t.Errorf("%s: labels = %q %q %q %q %q, want the questionnaire's", got.Area,
					got.Domain, got.TopicEN, got.TopicZH, got.AreaTitleEN, got.AreaTitleZH)
			}
		}
	}
}

func TestRankTopics(t *testing.T) {
	q := tpQuestionnaire()

	// Three departments in two bureaus; target 3 everywhere.
	//   cs-net: A 2.5, B 2.5, C 4   → gap 1 (0.5+0.5), below A, B
	//   cs-iam: A 2,   B 3,   C 3.5 → gap 1, below A
	//   cs-log: A 3,   B 3,   C 2   → gap 1, below C
	//   dt-data: A 1,  B 3,   C 3   → gap 2, below A
	//   dt-ai:  A 3,   B 4,   C 5   → gap 0
	tied := []TopicInput{
		tpDept("A", "B1", tpScores(map[string]*float64{"cs-net": tpF(2.5), "cs-iam": tpF(2), "cs-log": tpF(3), "dt-data": tpF(1), "dt-ai": tpF(3)})...),
		tpDept("B", "B1", tpScores(map[string]*float64{"cs-net": tpF(2.5), "cs-iam": tpF(3), "cs-log": tpF(3), "dt-data": tpF(3), "dt-ai": tpF(4)})...),
		tpDept("C", "B2", tpScores(map[string]*float64{"cs-net": tpF(4), "cs-iam": tpF(3.5), "cs-log": tpF(2), "dt-data": tpF(3), "dt-ai": tpF(5)})...),
	}
	all := func(v float64) map[string]*float64 {
		return map[string]*float64{"cs-net": tpF(v), "cs-iam": tpF(v), "cs-log": tpF(v), "dt-data": tpF(v), "dt-ai": tpF(v)}
	}

	// For change: previous round on an older questionnaire version without
	// dt-ai but with an area since removed.
	prevTied := []TopicInput{
		tpDept("A", "B1", tpScores(map[string]*float64{"cs-net": tpF(2), "cs-iam": tpF(1), "cs-log": tpF(3), "dt-data": tpF(1), "old-area": tpF(0)})...),
		tpDept("B", "B1", tpScores(map[string]*float64{"cs-net": tpF(2), "cs-iam": tpF(2), "cs-log": tpF(4), "dt-data": tpF(2), "old-area": tpF(0)})...),
		tpDept("C", "B2", tpScores(map[string]*float64{"cs-net": tpF(5), "cs-iam": tpF(5), "cs-log": tpF(1), "dt-data": nil, "old-area": tpF(0)})...),
	}

	tests := []struct {
		name     string
		current  []TopicInput
		previous []TopicInput
		filter   TopicFilter
		want     []tpWant
	}{
		{
			name:    "ties: gap, then more below target, then area id",
			current: tied,
			want: []tpWant{
				{area: "dt-data", below: []string{"A"}, mean: tpF(2.33), gap: 2, depts: 3},
				{area: "cs-net", below: []string{"A", "B"}, mean: tpF(3), gap: 1, depts: 3},
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2.83), gap: 1, depts: 3},
				{area: "cs-log", below: []string{"C"}, mean: tpF(2.67), gap: 1, depts: 3},
				{area: "dt-ai", mean: tpF(4), gap: 0, depts: 3},
			},
		},
		{
			name: "everyone at or above target: ranked by area id",
			current: []TopicInput{
				tpDept("A", "B1", tpScores(all(3))...),
				tpDept("B", "B1", tpScores(all(4.5))...),
			},
			want: []tpWant{
				{area: "cs-iam", mean: tpF(3.75), depts: 2},
				{area: "cs-log", mean: tpF(3.75), depts: 2},
				{area: "cs-net", mean: tpF(3.75), depts: 2},
				{area: "dt-ai", mean: tpF(3.75), depts: 2},
				{area: "dt-data", mean: tpF(3.75), depts: 2},
			},
		},
		{
			name: "single department",
			current: []TopicInput{
				tpDept("ABC", "B1", tpScores(map[string]*float64{"cs-net": tpF(1.25), "cs-iam": tpF(2.5), "cs-log": tpF(3), "dt-data": tpF(0), "dt-ai": tpF(2.5)})...),
			},
			want: []tpWant{
				{area: "dt-data", below: []string{"ABC"}, mean: tpF(0), gap: 3, depts: 1},
				{area: "cs-net", below: []string{"ABC"}, mean: tpF(1.25), gap: 1.75, depts: 1},
				{area: "cs-iam", below: []string{"ABC"}, mean: tpF(2.5), gap: 0.5, depts: 1},
				{area: "dt-ai", below: []string{"ABC"}, mean: tpF(2.5), gap: 0.5, depts: 1},
				{area: "cs-log", mean: tpF(3), gap: 0, depts: 1},
			},
		},
		{
			name: "no departments: every row empty, ranked by id",
			want: []tpWant{
				{area: "cs-iam"}, {area: "cs-log"}, {area: "cs-net"}, {area: "dt-ai"}, {area: "dt-data"},
			},
		},
		{
			name: "N/A-only area has no score, no gap and nobody below target",
			current: []TopicInput{
				tpDept("A", "B1", tpScores(map[string]*float64{"cs-net": nil, "cs-iam": nil, "cs-log": tpF(2), "dt-data": tpF(3), "dt-ai": tpF(3)})...),
				tpDept("B", "B1", tpScores(map[string]*float64{"cs-net": nil, "cs-iam": tpF(1.5), "cs-log": tpF(3), "dt-data": tpF(3), "dt-ai": tpF(3)})...),
			},
			want: []tpWant{
				{area: "cs-iam", below: []string{"B"}, mean: tpF(1.5), gap: 1.5, depts: 1},
				{area: "cs-log", below: []string{"A"}, mean: tpF(2.5), gap: 1, depts: 2},
				{area: "cs-net", mean: nil, gap: 0, depts: 0},
				{area: "dt-ai", mean: tpF(3), depts: 2},
				{area: "dt-data", mean: tpF(3), depts: 2},
			},
		},
		{
			name: "the baseline, not a snapshot's own target, decides the gap",
			current: []TopicInput{
				tpDept("A", "B1", tpArea("cs-iam", tpF(3.5), 4), tpArea("cs-net", tpF(3.5), 3)),
				tpDept("B", "B1", tpArea("cs-iam", tpF(3.5), 3), tpArea("cs-net", tpF(2.5), 3)),
			},
			want: []tpWant{
				{area: "cs-net", below: []string{"B"}, mean: tpF(3), gap: 0.5, depts: 2},
				{area: "cs-iam", mean: tpF(3.5), gap: 0, depts: 2},
				{area: "cs-log"}, {area: "dt-ai"}, {area: "dt-data"},
			},
		},
		{
			name:    "domain filter recomputes ranks",
			current: tied,
			filter:  TopicFilter{Domain: "cs"},
			want: []tpWant{
				{area: "cs-net", below: []string{"A", "B"}, mean: tpF(3), gap: 1, depts: 3},
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2.83), gap: 1, depts: 3},
				{area: "cs-log", below: []string{"C"}, mean: tpF(2.67), gap: 1, depts: 3},
			},
		},
		{
			name:    "unknown domain gives no rows",
			current: tied,
			filter:  TopicFilter{Domain: "nope"},
			want:    []tpWant{},
		},
		{
			name:     "bureau filter recomputes ranks and filters previous alike",
			current:  tied,
			previous: prevTied,
			filter:   TopicFilter{Bureau: "B1"},
			// B1 is A and B. cs-log: gap 0 now; previous B1 mean 3.5.
			want: []tpWant{
				{area: "dt-data", below: []string{"A"}, mean: tpF(2), gap: 2, change: tpF(0.5), depts: 2},
				{area: "cs-net", below: []string{"A", "B"}, mean: tpF(2.5), gap: 1, change: tpF(0.5), depts: 2},
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2.5), gap: 1, change: tpF(1), depts: 2},
				{area: "cs-log", mean: tpF(3), gap: 0, change: tpF(-0.5), depts: 2},
				{area: "dt-ai", mean: tpF(3.5), gap: 0, depts: 2},
			},
		},
		{
			name:     "bureau and domain filters together",
			current:  tied,
			previous: prevTied,
			filter:   TopicFilter{Domain: "cs", Bureau: "B2"},
			want: []tpWant{
				{area: "cs-log", below: []string{"C"}, mean: tpF(2), gap: 1, change: tpF(1), depts: 1},
				{area: "cs-iam", mean: tpF(3.5), gap: 0, change: tpF(-1.5), depts: 1},
				{area: "cs-net", mean: tpF(4), gap: 0, change: tpF(-1), depts: 1},
			},
		},
		{
			name:     "change over all departments; absent area and null previous mean give nil",
			current:  tied,
			previous: prevTied,
			// cs-iam: 2.83 − mean(1, 2, 5)=2.67 → 0.16 (from the rounded means);
			// dt-data: previous mean of A 1, B 2 (C all N/A) = 1.5 → 0.83;
			// dt-ai: absent in previous → nil; old-area is not in q.
			want: []tpWant{
				{area: "dt-data", below: []string{"A"}, mean: tpF(2.33), gap: 2, change: tpF(0.83), depts: 3},
				{area: "cs-net", below: []string{"A", "B"}, mean: tpF(3), gap: 1, change: tpF(0), depts: 3},
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2.83), gap: 1, change: tpF(0.16), depts: 3},
				{area: "cs-log", below: []string{"C"}, mean: tpF(2.67), gap: 1, change: tpF(0), depts: 3},
				{area: "dt-ai", mean: tpF(4), gap: 0, depts: 3},
			},
		},
		{
			name:    "previous area with only null scores gives nil change",
			current: []TopicInput{tpDept("A", "B1", tpArea("cs-iam", tpF(2), 3))},
			previous: []TopicInput{
				tpDept("A", "B1", tpArea("cs-iam", nil, 3), tpArea("cs-net", tpF(1), 3)),
			},
			want: []tpWant{
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2), gap: 1, depts: 1},
				{area: "cs-log"}, {area: "cs-net"}, {area: "dt-ai"}, {area: "dt-data"},
			},
		},
		{
			name:     "previous departments all outside the bureau gives nil change",
			current:  []TopicInput{tpDept("A", "B1", tpArea("cs-iam", tpF(2), 3))},
			previous: []TopicInput{tpDept("C", "B2", tpArea("cs-iam", tpF(1), 3))},
			filter:   TopicFilter{Bureau: "B1"},
			want: []tpWant{
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2), gap: 1, depts: 1},
				{area: "cs-log"}, {area: "cs-net"}, {area: "dt-ai"}, {area: "dt-data"},
			},
		},
		{
			name:     "empty previous gives nil change",
			current:  []TopicInput{tpDept("A", "B1", tpArea("cs-iam", tpF(2), 3))},
			previous: []TopicInput{},
			want: []tpWant{
				{area: "cs-iam", below: []string{"A"}, mean: tpF(2), gap: 1, depts: 1},
				{area: "cs-log"}, {area: "cs-net"}, {area: "dt-ai"}, {area: "dt-data"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RankTopics(TopicRanking{Questionnaire: q, Baseline: 3, Current: tc.current, Previous: tc.previous, Filter: tc.filter})
			tpCheckRows(t, q, got, tc.want)
		})
	}
}

func TestRankTopicsBelowTargetScoresAndOrder(t *testing.T) {
	q := tpQuestionnaire()
	cur := []TopicInput{
		tpDept("ZED", "B1", tpArea("cs-iam", tpF(1.25), 3)),
		tpDept("ABC", "B1", tpArea("cs-iam", tpF(2.5), 3)),
		tpDept("MID", "B1", tpArea("cs-iam", tpF(3), 3)),
	}
	rows := RankTopics(TopicRanking{Questionnaire: q, Current: cur, Filter: TopicFilter{Domain: "cs"}})
	if len(rows) == 0 || rows[0].Area != "cs-iam" {
		t.Fatalf("first row = %+v, want cs-iam", rows)
	}
	r := rows[0]
	if want := []string{"ABC", "ZED"}; !slices.Equal(r.BelowTarget, want) {
		t.Errorf("below target = %v, want %v (sorted)", r.BelowTarget, want)
	}
	want := map[string]float64{"ABC": 2.5, "ZED": 1.25}
	if len(r.DepartmentScores) != len(want) {
		t.Errorf("below target scores = %v, want %v", r.DepartmentScores, want)
	}
	for k, v := range want {
		if r.DepartmentScores[k] != v {
			t.Errorf("below target score of %s = %v, want %v", k, r.DepartmentScores[k], v)
		}
	}
	if r.TotalGap != 2.25 {
		t.Errorf("total gap = %v, want 2.25", r.TotalGap)
	}
}

func TestRankTopicsJSON(t *testing.T) {
	q := tpQuestionnaire()
	rows := RankTopics(TopicRanking{Questionnaire: q, Current: []TopicInput{tpDept("A", "B1", tpArea("cs-iam", tpF(3), 3))}, Filter: TopicFilter{Domain: "cs"}})
	b, err := json.Marshal(rows[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	wantRaw := map[string]string{
		"rank":                "1",
		"area":                `"cs-iam"`,
		"domain":              `"cs"`,
		"topic_en":            `"Topic cs-iam"`,
		"topic_zh":            `"主題 cs-iam"`,
		"area_title_en":       `"Title cs-iam"`,
		"area_title_zh":       `"標題 cs-iam"`,
		"below_target":        `[]`,
		"below_target_scores": `{}`,
		"mean_score":          `3`,
		"total_gap":           `0`,
		"change":              `null`,
		"departments":         `1`,
		"theme":               `""`,
		"target":              `3`,
		"noncompliant":        `[]`,
		"stretch_gap":         `0`,
		"below_share":         `0`,
	}
	if len(m) != len(wantRaw) {
		t.Errorf("JSON keys = %s, want exactly %v", b, wantRaw)
	}
	for k, want := range wantRaw {
		if got := string(m[k]); got != want {
			t.Errorf("JSON %s = %s, want %s", k, got, want)
		}
	}
	if got := RankTopics(TopicRanking{Questionnaire: q, Filter: TopicFilter{Domain: "nope"}}); got == nil {
		t.Errorf("RankTopics with no rows returned nil, want empty slice (encodes as [])")
	}
	if got := RankTopics(TopicRanking{}); got == nil || len(got) != 0 {
		t.Errorf("RankTopics(nil questionnaire) = %#v, want empty slice", got)
	}
}

func TestPreviousRound(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.January, d, 9, 0, 0, 0, time.UTC) }
	round := func(id string, opens, closes int) Round {
		return Round{ID: id, OpensAt: day(opens), ClosesAt: day(closes), State: RoundClosed}
	}
	current := round("cur", 20, 28)
	submitted := func(ids ...string) func(string) bool {
		return func(id string) bool { return slices.Contains(ids, id) }
	}
	tests := []struct {
		name      string
		current   *Round
		rounds    []Round
		submitted func(string) bool
		want      string // "" for nil
	}{
		{
			name:      "latest opening before current opens",
			current:   &current,
			rounds:    []Round{round("a", 1, 5), round("b", 6, 12), round("c", 2, 8)},
			submitted: submitted("a", "b", "c"),
			want:      "b",
		},
		{
			name:      "ignores rounds without submissions",
			current:   &current,
			rounds:    []Round{round("a", 1, 5), round("b", 6, 12)},
			submitted: submitted("a"),
			want:      "a",
		},
		{
			name:    "a round that opened before but closed after current opened still counts",
			current: &current,
			rounds: []Round{
				round("a", 1, 5),
				round("overlap", 10, 25),
				round("same", 20, 30),
				round("later", 29, 30),
			},
			submitted: submitted("a", "overlap", "same", "later"),
			want:      "overlap",
		},
		{
			name:    "ignores rounds not closed",
			current: &current,
			rounds: []Round{
				round("a", 1, 5),
				{ID: "open", OpensAt: day(10), ClosesAt: day(12), State: RoundOpen},
				{ID: "draft", OpensAt: day(11), ClosesAt: day(12), State: RoundDraft},
			},
			submitted: submitted("a", "open", "draft"),
			want:      "a",
		},
		{
			name:      "ignores the current round itself",
			current:   &Round{ID: "cur", OpensAt: day(20), ClosesAt: day(10)},
			rounds:    []Round{round("a", 1, 5), {ID: "cur", OpensAt: day(2), ClosesAt: day(10), State: RoundClosed}},
			submitted: submitted("a", "cur"),
			want:      "a",
		},
		{
			name:      "tie on opening time: greater id",
			current:   &current,
			rounds:    []Round{round("x1", 3, 12), round("x2", 3, 11), round("x0", 3, 14)},
			submitted: submitted("x0", "x1", "x2"),
			want:      "x2",
		},
		{
			name:      "tie with the greater id lacking submissions",
			current:   &current,
			rounds:    []Round{round("x1", 3, 12), round("x2", 3, 12)},
			submitted: submitted("x1"),
			want:      "x1",
		},
		{
			name:      "none qualifies",
			current:   &current,
			rounds:    []Round{round("b", 21, 22), current},
			submitted: submitted("cur", "b"),
		},
		{
			name:      "no rounds",
			current:   &current,
			submitted: submitted(),
		},
		{
			name:      "nil current",
			rounds:    []Round{round("a", 1, 5)},
			submitted: submitted("a"),
		},
		{
			name:    "nil hasSubmitted counts every round",
			current: &current,
			rounds:  []Round{round("a", 1, 5), round("b", 6, 12)},
			want:    "b",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PreviousRound(tc.current, tc.rounds, tc.submitted)
			switch {
			case tc.want == "" && got != nil:
				t.Errorf("PreviousRound = %q, want nil", got.ID)
			case tc.want != "" && got == nil:
				t.Errorf("PreviousRound = nil, want %q", tc.want)
			case tc.want != "" && got.ID != tc.want:
				t.Errorf("PreviousRound = %q, want %q", got.ID, tc.want)
			}
			if got != nil {
				for i := range tc.rounds {
					if got == &tc.rounds[i] {
						t.Errorf("PreviousRound returned a pointer into rounds, want a copy")
					}
				}
			}
		})
	}
}
