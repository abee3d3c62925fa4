package reports

import (
	"bytes"
	"fmt"
	"iter"
	"os"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/surveytest"
)

// hkt is a fixed +08:00 zone, so the golden files do not depend on the
// machine's time zone database.
var hkt = time.FixedZone("HKT", 8*3600)

// fixture is one consistent round of test data: a small questionnaire, four
// departments with hostile names, their responses and derived figures.
type fixture struct {
	q         *survey.Questionnaire
	round     survey.Round
	prevRound survey.Round
	depts     []survey.Department
	responses []*survey.Response
	scores    []survey.DepartmentScores // submitted snapshots
	prev      []survey.DepartmentScores // previous round's snapshots
	bench     []survey.AreaBenchmark
	topics    []survey.TopicRow
	themes    []survey.ThemeRow
	generated time.Time
}

// loadSmall is the shared small questionnaire of the tests.
func loadSmall(t testing.TB) *survey.Questionnaire { return surveytest.Small(t) }

func lvl(n int) *int { return &n }

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// newFixture builds the round. Every user-supplied text starts with a
// formula trigger somewhere, so the goldens show each one neutralised.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	fx := &fixture{q: loadSmall(t), generated: *at("2026-04-01T02:30:00Z")}
	// The small bank is version 1; give it the version 2 fields the
	// workbooks show: a mandatory question, a seminar theme, a short title.
	fx.q.Themes = []survey.Theme{{ID: "access", Title: survey.Text{EN: "Access and identity", ZH: "存取及身分"},
		Seminar: survey.Text{EN: "Who gets in", ZH: "誰可進入"}}}
	for d := range fx.q.Domains {
		for a := range fx.q.Domains[d].Areas {
			area := &fx.q.Domains[d].Areas[a]
			if area.ID == "cs-iam" {
				area.Theme, area.ShortTitle = "access", survey.Text{EN: "IAM", ZH: "存取"}
				area.Questions[0].Mandatory = true
			}
		}
	}
	fx.round = survey.Round{
		ID: "2026", Title: survey.Text{EN: "@2026 self-assessment", ZH: "2026年度自我評估"},
		QuestionnaireID: "small", QuestionnaireVersion: 1, State: survey.RoundClosed,
		OpensAt: *at("2026-01-05T01:00:00Z"), ClosesAt: *at("2026-03-31T10:00:00Z"),
	}
	fx.prevRound = survey.Round{ID: "2025", Title: survey.Text{EN: "2025 self-assessment", ZH: "2025年度自我評估"}}
	fx.depts = []survey.Department{
		{Code: "ABC", NameEN: `=HYPERLINK("http://evil.example","click")`, NameZH: "+1 部門", Bureau: "-x Bureau"},
		{Code: "DEF", NameEN: "@SUM(A1:A2)", NameZH: "@總和署", Bureau: "\tx Bureau"},
		{Code: "GHI", NameEN: "\rCarriage Department", NameZH: "歸位署", Bureau: "Plain Bureau"},
		{Code: "JKL", NameEN: "Quiet Department", NameZH: "靜默署", Bureau: "Plain Bureau"},
	}
	abc := &survey.Response{
		Round: "2026", Department: "ABC", Status: survey.StatusSubmitted, Version: 9,
		UpdatedAt: at("2026-03-20T08:15:00Z"), SubmittedAt: at("2026-03-20T08:16:00Z"), SubmittedBy: "-admin on behalf",
		Answers: map[string]*survey.Answer{
			"cs-iam-1":   {Level: lvl(2), Comment: "=1+1", Evidence: "+evidence.pdf"},
			"cs-iam-2":   {Level: lvl(3), Comment: "-minus\tinside", Evidence: "@mention"},
			"cs-cloud-1": {NA: true, NAReason: "=cmd|' /C calc'!A0", Comment: "\ttab first"},
			"cs-cloud-2": {NA: true, NAReason: "\rno cloud\x01 at all"},
			"ds-gov-1":   {Level: lvl(1), Comment: "Plain comment, 多行\n第二行"},
			"ds-gov-2":   {Level: lvl(5)},
		},
	}
	def := &survey.Response{
		Round: "2026", Department: "DEF", Status: survey.StatusSubmitted, Version: 6,
		UpdatedAt: at("2026-03-01T01:00:00Z"), SubmittedAt: at("2026-03-02T09:59:00Z"), SubmittedBy: "def-respondent",
		Answers: map[string]*survey.Answer{
			"cs-iam-1": {Level: lvl(4)}, "cs-iam-2": {Level: lvl(4)},
			"cs-cloud-1": {Level: lvl(3)}, "cs-cloud-2": {Level: lvl(2)},
			"ds-gov-1": {Level: lvl(3)}, "ds-gov-2": {Level: lvl(2), Comment: "@@twice"},
		},
	}
	ghi := &survey.Response{
		Round: "2026", Department: "GHI", Status: survey.StatusInProgress, Version: 2,
		UpdatedAt: at("2026-02-10T03:04:00Z"),
		Answers: map[string]*survey.Answer{
			"cs-iam-1": {Level: lvl(0), Comment: "-draft"},
			"ds-gov-1": {Comment: "comment without a level"},
		},
	}
	for _, r := range []*survey.Response{abc, def} {
		s := survey.Score(fx.q, r, survey.Targets{})
		r.Snapshot = &s
		fx.scores = append(fx.scores, survey.DepartmentScores{Department: r.Department, Scores: s})
	}
	fx.responses = []*survey.Response{abc, def, ghi}

	prevABC := &survey.Response{Answers: map[string]*survey.Answer{
		"cs-iam-1": {Level: lvl(1)}, "cs-iam-2": {Level: lvl(2)},
		"ds-gov-1": {Level: lvl(2)}, "ds-gov-2": {Level: lvl(2)},
		"cs-cloud-1": {NA: true}, "cs-cloud-2": {NA: true},
	}}
	fx.prev = []survey.DepartmentScores{{Department: "ABC", Scores: survey.Score(fx.q, prevABC, survey.Targets{})}}

	fx.bench = survey.Benchmarks(fx.q, fx.scores)
	var cur, prev []survey.TopicInput
	for _, s := range fx.scores {
		cur = append(cur, survey.TopicInput{Department: s.Department, Scores: s.Scores})
	}
	for _, s := range fx.prev {
		prev = append(prev, survey.TopicInput{Department: s.Department, Scores: s.Scores})
	}
	ranking := survey.TopicRanking{Questionnaire: fx.q, Current: cur, Previous: prev}
	fx.topics, fx.themes = survey.RankTopics(ranking), survey.RankThemes(ranking)
	return fx
}

// department returns the report of department code as the handlers would
// build it.
func (fx *fixture) department(code, lang string, withPrevious bool) DepartmentReport {
	r := DepartmentReport{
		Lang: lang, Location: hkt, Round: fx.round, Questionnaire: fx.q,
		Benchmarks: fx.bench, DomainMeans: survey.DomainMeans(fx.q, fx.scores), OverallMean: survey.OverallMean(fx.scores),
		GeneratedAt: fx.generated, Marking: DefaultMarking,
	}
	for _, d := range fx.depts {
		if d.Code == code {
			r.Department = d
		}
	}
	for _, resp := range fx.responses {
		if resp.Department == code {
			r.Response = resp
			r.Scores = resp.ScoresFor(fx.q, survey.Targets{})
		}
	}
	if r.Response == nil {
		r.Scores = survey.Score(fx.q, nil, survey.Targets{})
	}
	if withPrevious {
		for _, p := range fx.prev {
			if p.Department == code {
				r.Earlier = []PreviousScores{{Round: fx.prevRound, Scores: p.Scores}}
			}
		}
	}
	return r
}

// consolidated returns the round's government-wide report.
func (fx *fixture) consolidated(lang string, topics bool) ConsolidatedReport {
	r := ConsolidatedReport{
		Lang: lang, Location: hkt, Round: fx.round, Questionnaire: fx.q,
		Scores: fx.scores, Benchmarks: fx.bench, GeneratedAt: fx.generated,
		Answers: responsesOf(fx.responses), Marking: DefaultMarking, Previous: "2025",
		Earlier: []GovernmentRound{{Round: fx.prevRound, Overall: survey.OverallMean(fx.prev),
			Domains: survey.DomainMeans(fx.q, fx.prev), Areas: areaMeans(fx.q, fx.prev)}},
	}
	if topics {
		r.Topics, r.Themes = fx.topics, fx.themes
	}
	total := fx.q.QuestionCount()
	for _, d := range fx.depts {
		row := StatusRow{Code: d.Code, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Status: survey.StatusNotStarted, Total: total}
		for _, resp := range fx.responses {
			if resp.Department == d.Code {
				row.Status, row.Answered = resp.Status, resp.CountAnswered(fx.q)
				row.UpdatedAt, row.SubmittedAt = resp.UpdatedAt, resp.SubmittedAt
			}
		}
		r.Status = append(r.Status, row)
	}
	return r
}

// responsesOf yields rs as a store cursor would.
func responsesOf(rs []*survey.Response) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// writeDept renders a department workbook.
func writeDept(t testing.TB, r DepartmentReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDepartment(&buf, r); err != nil {
		t.Fatalf("WriteDepartment: %v", err)
	}
	return buf.Bytes()
}

// writeCons renders a consolidated workbook.
func writeCons(t testing.TB, r ConsolidatedReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteConsolidated(&buf, r); err != nil {
		t.Fatalf("WriteConsolidated: %v", err)
	}
	return buf.Bytes()
}

// areaMeans is the government mean of each area over scores.
func areaMeans(q *survey.Questionnaire, scores []survey.DepartmentScores) map[string]*float64 {
	out := map[string]*float64{}
	for _, b := range survey.Benchmarks(q, scores) {
		out[b.Area] = b.Mean
	}
	return out
}

// bankVersion loads version v of the built-in bank through the loader,
// from its source files (reports may import only the domain).
func bankVersion(t testing.TB, v int) *survey.Questionnaire {
	t.Helper()
	qs, err := survey.LoadQuestionnaires(os.DirFS("../survey/questionnaires"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.ID == "dg-capability" && q.Version == v {
			return q
		}
	}
	t.Fatalf("no dg-capability v%d in the built-in bank", v)
	return nil
}

// bankResponse answers every question of q with a level from seed (N/A
// where allowed, now and then), submitted.
func bankResponse(q *survey.Questionnaire, round, dept string, seed int) *survey.Response {
	when := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	r := &survey.Response{Round: round, Department: dept, Status: survey.StatusSubmitted, SubmittedAt: &when,
		SubmittedBy: "respondent:" + dept + ":c1", Answers: map[string]*survey.Answer{}}
	for i, id := range q.QuestionIDs() {
		n := (i*7 + seed*3) % 11
		qu := q.Index()[id].Question
		if qu.NAAllowed && n == 10 {
			r.Answers[id] = &survey.Answer{NA: true, NAReason: "Not used here"}
			continue
		}
		r.Answers[id] = &survey.Answer{Level: lvl(n % 6), Comment: "Reviewed with the DITSO."}
	}
	s := survey.Score(q, r, survey.Targets{})
	r.Snapshot = &s
	return r
}

// bankReport is department B0's v2 report with a v1 round before it and
// government figures from nine departments: the built-in bank at full size.
func bankReport(t testing.TB, lang string) DepartmentReport {
	t.Helper()
	v1, v2 := bankVersion(t, 1), bankVersion(t, 2)
	var all []survey.DepartmentScores
	for i := range 9 {
		all = append(all, survey.DepartmentScores{Department: fmt.Sprintf("B%d", i), Scores: *bankResponse(v2, "2026", fmt.Sprintf("B%d", i), i).Snapshot})
	}
	resp := bankResponse(v2, "2026", "B0", 0)
	prev := bankResponse(v1, "2025", "B0", 4)
	return DepartmentReport{
		Lang: lang, Location: hkt, Questionnaire: v2, Response: resp, Scores: *resp.Snapshot,
		Round:       survey.Round{ID: "2026", Title: survey.Text{EN: "2026 self-assessment", ZH: "2026年度自我評估"}, State: survey.RoundClosed},
		Department:  survey.Department{Code: "B0", NameEN: "Department of Bank Tests", NameZH: "題庫測試署", Bureau: "Innovation, Technology and Industry Bureau"},
		Benchmarks:  survey.Benchmarks(v2, all),
		DomainMeans: survey.DomainMeans(v2, all), OverallMean: survey.OverallMean(all),
		Earlier:     []PreviousScores{{Round: survey.Round{ID: "2025"}, Scores: *prev.Snapshot, Lineage: survey.AreaLineage(v1, v2)}},
		SubmittedBy: "Chan Tai Man (DITSO)", Marking: DefaultMarking, GeneratedAt: time.Date(2026, 4, 1, 2, 30, 0, 0, time.UTC),
	}
}
