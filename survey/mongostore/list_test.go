package mongostore_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/survey"
)

// TestListings: every listing returns what was stored, in its order, with
// its projection, and an empty (not nil) list when nothing is stored.
func TestListings(t *testing.T) {
	st := srv.NewStore(t)
	ctx := context.Background()

	ds, err := st.Departments(ctx)
	if err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("departments of an empty store: %#v, %v", ds, err)
	}
	rs, err := st.Rounds(ctx)
	if err != nil || rs == nil || len(rs) != 0 {
		t.Fatalf("rounds of an empty store: %#v, %v", rs, err)
	}

	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, code := range []string{"ZZ", "AA"} {
		if err := st.CreateDepartment(ctx, &survey.Department{Code: code, NameEN: code, NameZH: code, Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if ds, err = st.Departments(ctx); err != nil || len(ds) != 2 || ds[0].Code != "AA" || ds[1].Code != "ZZ" {
		t.Fatalf("departments: %+v, %v; want AA, ZZ", ds, err)
	}

	for i, label := range []string{"first", "second"} {
		c, _, err := survey.NewCredential(survey.RoleAdmin, "", label, now.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCredential(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := st.Credentials(ctx)
	if err != nil || len(cs) != 2 || cs[0].Label != "first" || cs[1].Label != "second" || cs[0].ID == "" {
		t.Fatalf("credentials: %+v, %v; want first, second", cs, err)
	}

	older, newer := perfRound("older"), perfRound("newer")
	older.OpensAt = now.Add(-time.Hour)
	for _, r := range []*survey.Round{older, newer} {
		if err := st.CreateRound(ctx, r, perfQuestionnaire(r.ID)); err != nil {
			t.Fatal(err)
		}
	}
	// A round stored the old way carries its questionnaire inline; the
	// listing leaves it out.
	legacy := bson.D{{Key: "_id", Value: "legacy"}, {Key: "state", Value: survey.RoundClosed},
		{Key: "opens_at", Value: now.Add(-2 * time.Hour)}, {Key: "questionnaire_doc", Value: perfQuestionnaire("legacy")}}
	if _, err := st.Database().Collection("rounds").InsertOne(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	rs, err = st.Rounds(ctx)
	if err != nil || len(rs) != 3 || rs[0].ID != "newer" || rs[1].ID != "older" || rs[2].ID != "legacy" ||
		rs[0].Title.EN != "R" || !rs[1].OpensAt.Equal(older.OpensAt) || rs[2].State != survey.RoundClosed {
		t.Fatalf("rounds: %+v, %v; want newer, older, legacy", rs, err)
	}

	sums, err := st.ResponseSummaries(ctx, "newer")
	if err != nil || sums == nil || len(sums) != 0 {
		t.Fatalf("summaries of a round without responses: %#v, %v", sums, err)
	}
	for _, dept := range []string{"ZZ", "AA"} {
		if _, err := st.UpdateResponse(ctx, "newer", dept, func(r *survey.Response) error {
			if _, err := (survey.Patch{"d-a-1": {Level: survey.Of(3), Comment: survey.Of(dept)}}).Apply(r, "t", now); err != nil {
				return err
			}
			if dept == "AA" {
				r.Status = survey.StatusSubmitted
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	sums, err = st.ResponseSummaries(ctx, "newer")
	if err != nil || len(sums) != 2 || sums[0].Department != "AA" || sums[1].Department != "ZZ" ||
		sums[0].Round != "newer" || sums[0].Version != 1 || len(sums[0].Answers) != 0 {
		t.Fatalf("summaries: %+v, %v; want AA, ZZ at version 1 without answers", sums, err)
	}
	subs, err := st.SubmittedScores(ctx, "newer")
	if err != nil || len(subs) != 1 || subs[0].Department != "AA" || subs[0].Status != survey.StatusSubmitted {
		t.Fatalf("submitted: %+v, %v; want AA only", subs, err)
	}
}
