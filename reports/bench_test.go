package reports

import (
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// benchQuestionnaire is a 60-question bank like the built-in one: three
// domains of four areas of five questions, every text in both languages.
func benchQuestionnaire() *survey.Questionnaire {
	q := &survey.Questionnaire{ID: "bench", Version: 1, Title: survey.Text{EN: "Benchmark questionnaire", ZH: "基準問卷"},
		Description: survey.Text{EN: "Synthetic bank for benchmarks.", ZH: "基準測試用的合成問卷。"}}
	for l := range survey.MaxLevel + 1 {
		q.Levels = append(q.Levels, survey.Text{EN: fmt.Sprintf("Level %d", l), ZH: fmt.Sprintf("第%d級", l)})
	}
	for d := range 3 {
		dom := survey.Domain{ID: fmt.Sprintf("d%d", d), Title: survey.Text{EN: fmt.Sprintf("Domain %d", d), ZH: fmt.Sprintf("範疇%d", d)}}
		for a := range 4 {
			area := survey.Area{
				ID: fmt.Sprintf("d%d-a%d", d, a), Weight: 1,
				Title: survey.Text{EN: fmt.Sprintf("Area %d.%d", d, a), ZH: fmt.Sprintf("能力範疇%d.%d", d, a)},
				Topic: survey.Text{EN: fmt.Sprintf("Seminar on area %d.%d", d, a), ZH: fmt.Sprintf("研討會%d.%d", d, a)},
			}
			for i := range 5 {
				qu := survey.Question{
					ID: fmt.Sprintf("d%d-a%d-%d", d, a, i), Weight: float64(1 + i%2), NAAllowed: i == 4,
					Text: survey.Text{EN: fmt.Sprintf("Practice %d of area %d.%d is in place and reviewed", i, d, a), ZH: fmt.Sprintf("第%d.%d範疇的第%d項做法", d, a, i)},
					Help: survey.Text{EN: "Evidence: policy and review records.", ZH: "證明：政策及檢討紀錄。"}, Reference: survey.Reference{EN: "ISO/IEC 27001:2022"},
				}
				for l := range survey.MaxLevel + 1 {
					qu.Levels = append(qu.Levels, survey.Text{EN: fmt.Sprintf("Behaviour at level %d for practice %d", l, i), ZH: fmt.Sprintf("第%d級做法", l)})
				}
				area.Questions = append(area.Questions, qu)
			}
			dom.Areas = append(dom.Areas, area)
		}
		q.Domains = append(q.Domains, dom)
	}
	return q
}

// benchResponse is department i's submitted response, generated the same
// way each time so that a cursor can be replayed without holding responses.
func benchResponse(q *survey.Questionnaire, i int) *survey.Response {
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	when := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	r := &survey.Response{
		Round: "2026", Department: fmt.Sprintf("D%05d", i), Status: survey.StatusSubmitted, Version: 60,
		UpdatedAt: &when, SubmittedAt: &when, SubmittedBy: "respondent", Answers: make(map[string]*survey.Answer, 60),
	}
	for _, dom := range q.Domains {
		for _, area := range dom.Areas {
			for _, qu := range area.Questions {
				a := &survey.Answer{Rev: 1, UpdatedAt: when, UpdatedBy: "respondent"}
				if qu.NAAllowed && rng.IntN(5) == 0 {
					a.NA, a.NAReason = true, "Not applicable to our operations"
				} else {
					l := rng.IntN(survey.MaxLevel + 1)
					a.Level = &l
				}
				if rng.IntN(3) == 0 {
					a.Comment = "We reviewed this practice with the IT security officer; see the minutes of the last review meeting."
				}
				r.Answers[qu.ID] = a
			}
		}
	}
	s := survey.Score(q, r, survey.Targets{})
	r.Snapshot = &s
	return r
}

// benchConsolidated builds the inputs of a government-wide workbook for n
// departments; only the scores are held in memory, as the handlers do.
func benchConsolidated(n int) ConsolidatedReport {
	q := benchQuestionnaire()
	r := ConsolidatedReport{Lang: survey.LangEN, Location: hkt, Questionnaire: q, GeneratedAt: time.Now(), Marking: DefaultMarking,
		Round: survey.Round{ID: "2026", Title: survey.Text{EN: "2026 self-assessment", ZH: "2026年度自我評估"}}}
	var inputs []survey.TopicInput
	for i := range n {
		resp := benchResponse(q, i)
		r.Status = append(r.Status, StatusRow{
			Code: resp.Department, NameEN: "Department of Synthetic Affairs " + resp.Department, NameZH: "合成事務署",
			Bureau: fmt.Sprintf("Bureau %d", i%15), Status: resp.Status, Answered: 60, Total: 60,
			UpdatedAt: resp.UpdatedAt, SubmittedAt: resp.SubmittedAt,
		})
		r.Scores = append(r.Scores, survey.DepartmentScores{Department: resp.Department, Scores: *resp.Snapshot})
		inputs = append(inputs, survey.TopicInput{Department: resp.Department, Scores: *resp.Snapshot})
	}
	r.Benchmarks = survey.Benchmarks(q, r.Scores)
	ranking := survey.TopicRanking{Questionnaire: q, Current: inputs}
	r.Topics, r.Themes = survey.RankTopics(ranking), survey.RankThemes(ranking)
	r.Answers = func(yield func(*survey.Response, error) bool) {
		for i := range n {
			if !yield(benchResponse(q, i), nil) {
				return
			}
		}
	}
	return r
}

func BenchmarkDepartmentWorkbook(b *testing.B) {
	q := benchQuestionnaire()
	resp := benchResponse(q, 1)
	var all []survey.DepartmentScores
	for i := range 50 {
		all = append(all, survey.DepartmentScores{Department: fmt.Sprint(i), Scores: *benchResponse(q, i).Snapshot})
	}
	prev := benchResponse(q, 999)
	r := DepartmentReport{
		Lang: survey.LangEN, Location: hkt, Questionnaire: q, Response: resp, Scores: *resp.Snapshot,
		Round:       survey.Round{ID: "2026", Title: survey.Text{EN: "2026 self-assessment"}},
		Department:  survey.Department{Code: resp.Department, NameEN: "Department of Synthetic Affairs", NameZH: "合成事務署", Bureau: "Bureau"},
		Benchmarks:  survey.Benchmarks(q, all),
		DomainMeans: survey.DomainMeans(q, all), OverallMean: survey.OverallMean(all),
		Earlier:     []PreviousScores{{Round: survey.Round{ID: "2025"}, Scores: *prev.Snapshot}},
		Marking:     DefaultMarking,
		GeneratedAt: time.Now(),
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteDepartment(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkConsolidated(b *testing.B, n int) {
	r := benchConsolidated(n)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteConsolidated(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConsolidated100(b *testing.B)  { benchmarkConsolidated(b, 100) }
func BenchmarkConsolidated1000(b *testing.B) { benchmarkConsolidated(b, 1000) }

// BenchmarkConsolidated10000 runs only with SURVEY_BENCH_LARGE=1, so CI
// stays fast; measure its peak memory with /usr/bin/time -v.
func BenchmarkConsolidated10000(b *testing.B) {
	if os.Getenv("SURVEY_BENCH_LARGE") != "1" {
		b.Skip("set SURVEY_BENCH_LARGE=1 to run the 10,000-department benchmark")
	}
	benchmarkConsolidated(b, 10000)
}

// TestBenchFixtureValid keeps the synthetic bank honest: it must pass the
// loader's validation, or the benchmarks would measure nonsense.
func TestBenchFixtureValid(t *testing.T) {
	q := benchQuestionnaire()
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := q.QuestionCount(); n != 60 {
		t.Fatalf("bench questionnaire has %d questions, want 60", n)
	}
	var _ iter.Seq2[*survey.Response, error] = benchConsolidated(1).Answers
}
