package mongostore_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// writeRounds stores responses in three rounds through st: drafts, and
// submitted ones with a snapshot, then reopens one.
func writeRounds(t *testing.T, st *mongostore.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, round := range []string{"2024", "2025", "2026"} {
		if err := st.CreateRound(ctx, perfRound(round), perfQuestionnaire(round)); err != nil {
			t.Fatal(err)
		}
		for i := range 7 {
			dept := fmt.Sprintf("D%02d", (i*5)%7) // not in _id order
			_, err := st.UpdateResponse(ctx, round, dept, func(r *survey.Response) error {
				if _, err := (survey.Patch{"d-a-1": {Level: survey.Of(i % 6), Comment: survey.Of("c")}}).Apply(r, "t", now); err != nil {
					return err
				}
				if i%2 == 0 {
					score := 1.5 + float64(i)
					r.Status, r.SubmittedAt, r.Snapshot = survey.StatusSubmitted, &now, &survey.Scores{Overall: survey.ScoreValue{Score: &score}}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	_, err := st.UpdateResponse(ctx, "2026", "D00", func(r *survey.Response) error {
		r.Status, r.Version = survey.StatusInProgress, r.Version+1
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// roundReads is everything the round-wide reads return for round.
func roundReads(t *testing.T, st *mongostore.Store, round string) [3]any {
	t.Helper()
	ctx := context.Background()
	sums, err := st.ResponseSummaries(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := st.SubmittedScores(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	var all []*survey.Response
	for r, err := range st.Responses(ctx, round) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	// The store's own path leaves the snapshot out of summaries.
	for i := range sums {
		sums[i].Snapshot = nil
	}
	return [3]any{sums, subs, all}
}

// TestRoundIndexMatchesTheStore: the embedded store's round-wide reads
// (from its index, written by this process or loaded at Open) return
// exactly what the store's own queries return, round by round.
func TestRoundIndexMatchesTheStore(t *testing.T) {
	if srv.Embedded == nil {
		t.Skip("the index exists on the embedded store only")
	}
	ctx := context.Background()
	cfg := srv.Config(t)
	writer, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = writer.Database().Drop(context.Background())
		_ = writer.Close(context.Background())
	})
	waitIndex(t, writer)
	writeRounds(t, writer)
	direct := cfg
	direct.Embedded = false // no index: the store's own queries
	plain, err := mongostore.Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close(ctx)
	loaded, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close(ctx)
	waitIndex(t, loaded)
	for _, round := range []string{"2024", "2025", "2026", "none"} {
		want := roundReads(t, plain, round)
		for name, st := range map[string]*mongostore.Store{"written": writer, "loaded": loaded} {
			if got := roundReads(t, st, round); !reflect.DeepEqual(got, want) {
				t.Errorf("round %s, index %s:\ngot  %+v\nwant %+v", round, name, got, want)
			}
		}
	}
	if subs := roundReads(t, plain, "2026")[1].([]survey.Response); len(subs) != 3 {
		t.Fatalf("round 2026: %d submitted, want 3 (one reopened)", len(subs))
	}
}

func waitIndex(t *testing.T, st *mongostore.Store) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !st.IndexReady() {
		if time.Now().After(deadline) {
			t.Fatal("the index of response summaries never loaded")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestResultsVersion: submitting, reopening or changing a submitted
// response increments the round's results version; saving a draft does
// not.
func TestResultsVersion(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	if err := st.CreateRound(ctx, perfRound("r1"), perfQuestionnaire("r1")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		status string
		want   int64
	}{
		{"draft", survey.StatusInProgress, 0},
		{"another draft", survey.StatusInProgress, 0},
		{"submit", survey.StatusSubmitted, 1},
		{"reopen", survey.StatusInProgress, 2},
		{"draft after reopening", survey.StatusInProgress, 2},
		{"submit again", survey.StatusSubmitted, 3},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			_, err := st.UpdateResponse(ctx, "r1", "ABC", func(r *survey.Response) error {
				r.Status, r.Version = step.status, r.Version+1
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.ResultsVersion(ctx, "r1")
			if err != nil || got != step.want {
				t.Fatalf("results version %d, %v; want %d", got, err, step.want)
			}
		})
	}
	if _, err := st.ResultsVersion(ctx, "none"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("missing round: %v, want not found", err)
	}
}

// TestResponsesStopEarly: a caller that stops reading a round's responses
// part way gets no more, and the reads running ahead end.
func TestResponsesStopEarly(t *testing.T) {
	st := srv.NewStore(t)
	writeRounds(t, st)
	if srv.Embedded != nil {
		waitIndex(t, st)
	}
	for _, stopAfter := range []int{1, 2, 6} {
		t.Run(fmt.Sprint(stopAfter), func(t *testing.T) {
			n := 0
			for r, err := range st.Responses(context.Background(), "2025") {
				if err != nil || r == nil {
					t.Fatalf("response %d: %v", n, err)
				}
				n++
				if n == stopAfter {
					break
				}
			}
			if n != stopAfter {
				t.Fatalf("read %d responses, want %d", n, stopAfter)
			}
		})
	}
}
