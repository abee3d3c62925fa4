package survey

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey/questionnaires"
)

// Benchmarks of the pure computations behind the API: scoring one response,
// the government statistics and the seminar topic ranking. Run with
// go test -run '^$' -bench . ./survey; CI runs them once each
// (-benchtime=1x) so they keep compiling and working.

// benchBank returns the built-in dg-capability questionnaire.
func benchBank(b *testing.B) *Questionnaire {
	b.Helper()
	bank, err := LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range bank {
		if q.ID == "dg-capability" {
			return q
		}
	}
	b.Fatal("dg-capability is not in the bank")
	return nil
}

// benchWiden returns a copy of q with every area's questions repeated
// factor times (fresh ids), to show how cost grows with questions.
func benchWiden(q *Questionnaire, factor int) *Questionnaire {
	out := *q
	out.Domains = make([]Domain, len(q.Domains))
	for d, dom := range q.Domains {
		out.Domains[d] = dom
		out.Domains[d].Areas = make([]Area, len(dom.Areas))
		for a, area := range dom.Areas {
			area.Questions = nil
			for k := range factor {
				for _, qu := range dom.Areas[a].Questions {
					qu.ID = fmt.Sprintf("%s-x%d", qu.ID, k)
					area.Questions = append(area.Questions, qu)
				}
			}
			out.Domains[d].Areas[a] = area
		}
	}
	return &out
}

// benchResponse answers every question of q (a few N/A where allowed).
func benchResponse(q *Questionnaire, dept string, rng *rand.Rand) *Response {
	r := NewResponse("2026", dept)
	r.Status = StatusInProgress
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, id := range q.QuestionIDs() {
		a := &Answer{Rev: 1, UpdatedAt: now, UpdatedBy: "respondent:" + dept, Comment: "benchmark"}
		if rng.IntN(20) == 0 && q.Index()[id].Question.NAAllowed {
			a.NA, a.NAReason = true, "not applicable"
		} else {
			level := rng.IntN(MaxLevel + 1)
			a.Level = &level
		}
		r.Answers[id] = a
	}
	return r
}

// benchSnapshots scores n departments' full responses, as submitted
// snapshots are, spread over five bureaux.
func benchSnapshots(q *Questionnaire, n int, seed uint64) []TopicInput {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]TopicInput, n)
	for i := range out {
		dept := fmt.Sprintf("D%04d", i)
		out[i] = TopicInput{Department: dept, Bureau: fmt.Sprintf("Bureau %d", i%5),
			Scores: Score(q, benchResponse(q, dept, rng), Targets{})}
	}
	return out
}

// BenchmarkScore scores one complete response: linear in the questions.
func BenchmarkScore(b *testing.B) {
	bank := benchBank(b)
	for _, factor := range []int{1, 4} {
		q := benchWiden(bank, factor)
		r := benchResponse(q, "ABC", rand.New(rand.NewPCG(1, 2)))
		b.Run(fmt.Sprintf("questions=%d", q.QuestionCount()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Score(q, r, Targets{Default: 3})
			}
		})
	}
}

// BenchmarkBenchmarks computes the per-area government statistics over the
// submitted departments: linear in departments (plus a sort per area).
func BenchmarkBenchmarks(b *testing.B) {
	q := benchBank(b)
	for _, n := range []int{50, 1000} {
		in := benchSnapshots(q, n, 1)
		depts := make([]DepartmentScores, len(in))
		for i, t := range in {
			depts[i] = DepartmentScores{Department: t.Department, Scores: t.Scores}
		}
		b.Run(fmt.Sprintf("departments=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Benchmarks(q, depts)
			}
		})
	}
}

// BenchmarkRankTopics ranks the seminar topics against a previous round,
// unfiltered and filtered by bureau: linear in departments.
func BenchmarkRankTopics(b *testing.B) {
	q := benchBank(b)
	for _, n := range []int{50, 1000} {
		current, previous := benchSnapshots(q, n, 1), benchSnapshots(q, n, 2)
		for _, f := range []TopicFilter{{}, {Bureau: "Bureau 1"}} {
			name := fmt.Sprintf("departments=%d", n)
			if f.Bureau != "" {
				name += "/bureau"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if rows := RankTopics(TopicRanking{Questionnaire: q, Current: current, Previous: previous, Filter: f}); len(rows) == 0 {
						b.Fatal("no topics")
					}
				}
			})
		}
	}
}
