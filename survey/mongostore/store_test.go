package mongostore_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore/storetest"
)

var srv *storetest.Server

func TestMain(m *testing.M) { os.Exit(storetest.Run(m, &srv)) }

func level(n int) *int { return &n }

func TestDepartmentsRoundTrip(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	d := &survey.Department{Code: "ABC", NameEN: "A B C", NameZH: "甲乙丙", Bureau: "XB", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateDepartment(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateDepartment(ctx, d); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Fatalf("duplicate create: got %v, want conflict", err)
	}
	got, err := st.Department(ctx, "ABC")
	if err != nil || *got != *d {
		t.Fatalf("got %+v, %v; want %+v", got, err, d)
	}
	if _, err := st.Department(ctx, "NOPE"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("missing department: got %v, want not found", err)
	}
}

// TestConcurrentDifferentQuestions: writers of different answers of one
// response never lose each other's change (the embedded store alone would).
func TestConcurrentDifferentQuestions(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()
	const writers = 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			qid := fmt.Sprintf("q-%d", i)
			_, err := st.UpdateResponse(ctx, "r1", "ABC", func(r *survey.Response) error {
				_, err := survey.Patch{qid: {Level: survey.Of(i % 6)}}.Apply(r, "t", time.Now().UTC())
				return err
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := st.Response(ctx, "r1", "ABC")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Answers) != writers || r.Version != writers {
		t.Fatalf("answers %d version %d, want %d each", len(r.Answers), r.Version, writers)
	}
}
