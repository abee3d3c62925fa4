package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// demoSeminarBoost is how much more the departments that attended the demo
// seminar improved in its areas by the next round, so its effect shows.
const demoSeminarBoost = 1.0

// seedDemoSeminar plans the seminar the earlier round's results point to
// (the theme with the largest total gap against the baseline, or the first
// area without themes), a month after that round closed, and records every
// other invited department (weakest first) as attending. It returns the
// seminar and, per attending department, the areas whose answers the next
// round should lift.
func seedDemoSeminar(ctx context.Context, store demoStore, q *survey.Questionnaire, targets survey.Targets, round *survey.Round, now time.Time) (*survey.Seminar, map[string]map[string]float64, error) {
	subs, err := store.SubmittedScores(ctx, round.ID)
	if err != nil {
		return nil, nil, err
	}
	var inputs []survey.TopicInput
	for _, r := range subs {
		if r.Snapshot != nil {
			inputs = append(inputs, survey.TopicInput{Department: r.Department, Scores: *r.Snapshot})
		}
	}
	baseline := targets.Default
	in := survey.SeminarInput{Date: round.ClosesAt.AddDate(0, 1, 0).Format(survey.SeminarDateLayout), Round: round.ID}
	if themes := survey.RankThemes(survey.TopicRanking{Questionnaire: q, Baseline: baseline, Current: inputs}); len(themes) > 0 {
		in.Theme, in.TitleEN, in.TitleZH = themes[0].Theme, themes[0].SeminarEN+" (Demo)", themes[0].SeminarZH+"（示範）"
	} else if topics := survey.RankTopics(survey.TopicRanking{Questionnaire: q, Baseline: baseline, Current: inputs}); len(topics) > 0 {
		in.Areas, in.TitleEN, in.TitleZH = []string{topics[0].Area}, topics[0].TopicEN+" (Demo)", topics[0].TopicZH+"（示範）"
	}
	sem, err := survey.NewSeminar(in, q, "demo", now)
	if err != nil {
		return nil, nil, err
	}
	boost := map[string]map[string]float64{}
	var attended []string
	for i, inv := range survey.SeminarInvitees(sem.Areas, baseline, inputs) {
		if i%2 == 0 {
			attended = append(attended, inv.Department)
			boost[inv.Department] = map[string]float64{}
			for _, a := range sem.Areas {
				boost[inv.Department][a] = demoSeminarBoost
			}
		}
	}
	if next, _, err := sem.SetAttendance(attended, nil, "demo", now); err == nil {
		*sem = next
	}
	if err := store.CreateSeminar(ctx, sem); err != nil {
		return nil, nil, err
	}
	return sem, boost, nil
}

// printDemoSeminar says where the seeded seminar and its effect are.
func printDemoSeminar(stdout io.Writer, sem *survey.Seminar, later string) {
	fmt.Fprintf(stdout, "demo seminar: %s (%s), %d departments attended; its effect by %s: /planner/seminars/%s?round=%s\n",
		sem.TitleEN, sem.ID, len(sem.Attendance), later, sem.ID, later)
}

// boostThroughLineage moves the seminar's lift from the areas of the
// earlier round's questionnaire to the areas of the next one that continue
// them, since the next round may be on a later version.
func boostThroughLineage(boost map[string]map[string]float64, prev, next *survey.Questionnaire) map[string]map[string]float64 {
	lineage := survey.AreaLineage(prev, next)
	out := make(map[string]map[string]float64, len(boost))
	for dept, areas := range boost {
		out[dept] = map[string]float64{}
		for area, ids := range lineage {
			for _, id := range ids {
				if v, ok := areas[id]; ok {
					out[dept][area] = v
				}
			}
		}
	}
	return out
}
