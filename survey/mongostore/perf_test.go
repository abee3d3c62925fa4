package mongostore_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

func perfRound(id string) *survey.Round {
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &survey.Round{ID: id, Title: survey.Text{EN: "R", ZH: "輪"}, QuestionnaireID: "q", QuestionnaireVersion: 1,
		OpensAt: now, ClosesAt: now.Add(time.Hour), State: survey.RoundDraft, CreatedAt: now, UpdatedAt: now}
}

func perfQuestionnaire(title string) *survey.Questionnaire {
	return &survey.Questionnaire{ID: "q", Version: 1, Title: survey.Text{EN: title, ZH: title},
		Domains: []survey.Domain{{ID: "d", Areas: []survey.Area{{ID: "d-a", Weight: 1,
			Questions: []survey.Question{{ID: "d-a-1", Weight: 1}}}}}}}
}

// TestRoundQuestionnaireKeptApart: the round document, read on every
// response request, stays small; its questionnaire copy is read on its own,
// a second create changes nothing, and a round stored the old way (copy
// inside the round) still reads.
func TestRoundQuestionnaireKeptApart(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	q := perfQuestionnaire("first")
	if err := st.CreateRound(ctx, perfRound("r1"), q); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateRound(ctx, perfRound("r1"), perfQuestionnaire("second")); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("second create: got %v, want conflict", err)
	}
	got, err := st.RoundQuestionnaire(ctx, "r1")
	if err != nil || !reflect.DeepEqual(got, q) {
		t.Fatalf("questionnaire: got %+v, %v; want %+v", got, err, q)
	}
	raw, err := st.Database().Collection("rounds").FindOne(ctx, bson.D{{Key: "_id", Value: "r1"}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.LookupErr("questionnaire_doc"); err == nil {
		t.Fatal("the round document still carries the questionnaire")
	}

	legacy := bson.D{{Key: "_id", Value: "old"}, {Key: "state", Value: "closed"}, {Key: "questionnaire_doc", Value: perfQuestionnaire("legacy")}}
	if _, err := st.Database().Collection("rounds").InsertOne(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	if got, err := st.RoundQuestionnaire(ctx, "old"); err != nil || got.Title.EN != "legacy" {
		t.Fatalf("legacy round: got %+v, %v", got, err)
	}
	if _, err := st.RoundQuestionnaire(ctx, "none"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("missing round: got %v, want not found", err)
	}
}

// TestUpdateResponseMatchesTheStore: what UpdateResponse and Response
// return (built on the document last written, which the embedded store's
// path keeps in memory) is always what the store holds, through changes,
// refused changes and no-op changes.
func TestUpdateResponseMatchesTheStore(t *testing.T) {
	ctx := context.Background()
	cfg := srv.Config(t)
	st, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A second store on the same database that never writes: its reads come
	// from the store itself.
	reader, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Database().Drop(context.Background())
		_ = st.Close(context.Background())
		_ = reader.Close(context.Background())
	})
	check := func(what string, got *survey.Response) {
		t.Helper()
		stored, err := reader.Response(ctx, "r1", "ABC")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, stored) {
			t.Fatalf("%s: returned %+v\nstored %+v", what, got, stored)
		}
	}
	for i := range 12 {
		qid := fmt.Sprintf("q-%d", i%5)
		r, err := st.UpdateResponse(ctx, "r1", "ABC", func(r *survey.Response) error {
			_, err := survey.Patch{qid: {Level: survey.Of(i % 6), Comment: survey.Of(fmt.Sprint("c", i))}}.Apply(r, "t", time.Now().UTC().Truncate(time.Millisecond))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("change %d", i), r)
		if r.Version != i+1 {
			t.Fatalf("change %d: version %d", i, r.Version)
		}
		_, err = st.UpdateResponse(ctx, "r1", "ABC", func(r *survey.Response) error {
			r.Answers["q-0"] = nil // changed, then refused: must not stick
			return survey.Errorf(survey.ECONFLICT, "refused")
		})
		if survey.ErrorCode(err) != survey.ECONFLICT {
			t.Fatalf("refused change: %v", err)
		}
		r, err = st.UpdateResponse(ctx, "r1", "ABC", func(*survey.Response) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("after refused change %d", i), r)
		if r, err = st.Response(ctx, "r1", "ABC"); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("read after change %d", i), r)
	}
}

// TestConcurrentAuditAppends: appends made at the same time (committed
// together on the embedded store) are each stored once, and appending an
// event again (a retry whose first answer was lost) is not an error.
func TestConcurrentAuditAppends(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	const n = 40
	now := time.Now().UTC().Truncate(time.Millisecond)
	events := make([]*survey.AuditEvent, n)
	for i := range events {
		ev, err := survey.NewAuditEvent(now, "t", "response.answer", "r1", fmt.Sprintf("D%02d", i), map[string]any{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		events[i] = ev
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, ev := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- st.AppendAudit(ctx, ev)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AppendAudit(ctx, events[0]); err != nil {
		t.Fatalf("appending a stored event again: %v", err)
	}
	got, err := st.Audit(ctx, survey.AuditFilter{Round: "r1", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range got {
		if seen[e.ID] {
			t.Errorf("event %s stored twice", e.ID)
		}
		seen[e.ID] = true
	}
	if len(seen) != n {
		t.Fatalf("%d events stored, want %d", len(seen), n)
	}
}
