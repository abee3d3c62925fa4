package handlers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// TestGovernmentFiguresFollowOtherInstances: an instance that has cached a
// round's government figures shows a submission and a reopening made
// through another instance on its next request (the round's results
// version changed), never the cached figures.
func TestGovernmentFiguresFollowOtherInstances(t *testing.T) {
	ctx := context.Background()
	cfg := storeServer.Config(t)
	writer, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = writer.Database().Drop(context.Background())
		_ = writer.Close(context.Background())
	})
	// The other instance: its own store connection and service, as on a
	// MongoDB behind a load balancer (no in-process caches of the store's).
	other := cfg
	other.Embedded = false
	reader, err := mongostore.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close(ctx)
	q := loadSmall(t)
	svc := assess.New(reader, assess.Config{Questionnaires: []*survey.Questionnaire{q}, Now: newTestClock(defaultTestNow).Now})
	now := time.Now().UTC().Truncate(time.Millisecond)
	round := &survey.Round{ID: "2026", Title: survey.Text{EN: "R", ZH: "輪"}, QuestionnaireID: q.ID, QuestionnaireVersion: q.Version,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour), State: survey.RoundOpen, CreatedAt: now, UpdatedAt: now}
	if err := writer.CreateRound(ctx, round, q); err != nil {
		t.Fatal(err)
	}
	setStatus := func(dept, status string) {
		t.Helper()
		_, err := writer.UpdateResponse(ctx, "2026", dept, func(r *survey.Response) error {
			r.Status, r.Version = status, r.Version+1
			if status == survey.StatusSubmitted {
				s := survey.Score(q, r, survey.Targets{})
				r.Snapshot, r.SubmittedAt = &s, &now
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		code := fmt.Sprintf("D%d", i)
		if err := writer.CreateDepartment(ctx, &survey.Department{Code: code, NameEN: code, NameZH: code, Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	admin := survey.Principal{Role: survey.RoleAdmin}
	steps := []struct {
		name      string
		change    func()
		submitted int
	}{
		{"none yet", func() {}, 0},
		{"first submission", func() { setStatus("D0", survey.StatusSubmitted) }, 1},
		{"unchanged (cached)", func() {}, 1},
		{"two more", func() { setStatus("D1", survey.StatusSubmitted); setStatus("D2", survey.StatusSubmitted) }, 3},
		{"a draft elsewhere", func() { setStatus("D3", survey.StatusInProgress) }, 3},
		{"a reopening", func() { setStatus("D1", survey.StatusInProgress) }, 2},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change()
			got, err := svc.ScoresOfRound(ctx, admin, "2026")
			if err != nil {
				t.Fatal(err)
			}
			if got.Government.Submitted != step.submitted || len(got.Departments) != step.submitted {
				t.Fatalf("government figures of %d submissions, %d rows; want %d", got.Government.Submitted, len(got.Departments), step.submitted)
			}
		})
	}
}
