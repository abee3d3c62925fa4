package mongostore_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// TestAnswersStoredCompactly: a response's answers are stored as one
// binary field (what the embedded store decodes cheaply), read back
// exactly, and a response stored the old way, answers as a nested
// document, still reads, streams and is rewritten in the new form.
func TestAnswersStoredCompactly(t *testing.T) {
	ctx := context.Background()
	cfg := srv.Config(t)
	st, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Database().Drop(context.Background())
		_ = st.Close(context.Background())
	})
	now := time.Now().UTC().Truncate(time.Millisecond)
	r, err := st.UpdateResponse(ctx, "r1", "NEW", func(r *survey.Response) error {
		_, err := survey.Patch{"q-1": {Level: survey.Of(3), Comment: survey.Of("註釋")}}.Apply(r, "t", now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	coll := st.Database().Collection("responses")
	raw, err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "r1/NEW"}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := raw.LookupErr("answers_bson"); err != nil || v.Type != bson.TypeBinary {
		t.Fatalf("answers_bson: %v %v, want a binary field", v.Type, err)
	}
	if v, err := raw.LookupErr("answers"); err == nil && v.Type != bson.TypeNull {
		t.Fatalf("answers stored as %v besides answers_bson", v.Type)
	}
	if got := r.Answers["q-1"]; got == nil || got.Level == nil || *got.Level != 3 || got.Comment != "註釋" {
		t.Fatalf("answer read back: %+v", got)
	}

	legacy := bson.D{{Key: "_id", Value: "r1/OLD"}, {Key: "round", Value: "r1"}, {Key: "department", Value: "OLD"},
		{Key: "status", Value: survey.StatusInProgress}, {Key: "version", Value: 1},
		{Key: "answers", Value: bson.D{{Key: "q-1", Value: bson.D{{Key: "level", Value: 2}, {Key: "comment", Value: "old"}, {Key: "rev", Value: 1}}}}}}
	if _, err := coll.InsertOne(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	old, err := st.Response(ctx, "r1", "OLD")
	if err != nil || old.Answers["q-1"] == nil || old.Answers["q-1"].Comment != "old" {
		t.Fatalf("legacy response: %+v, %v", old, err)
	}
	// Written behind the store's back: a store opened now finds it (its
	// index of summaries is filled from the collection).
	reopened, err := mongostore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close(ctx)
	if cfg.Embedded {
		waitIndex(t, reopened)
	}
	streamed := map[string]*survey.Response{}
	for r, err := range reopened.Responses(ctx, "r1") {
		if err != nil {
			t.Fatal(err)
		}
		streamed[r.Department] = r
	}
	if streamed["OLD"] == nil || streamed["OLD"].Answers["q-1"].Comment != "old" || streamed["NEW"] == nil || streamed["NEW"].Answers["q-1"].Comment != "註釋" {
		t.Fatalf("streamed: %+v", streamed)
	}
	if _, err := st.UpdateResponse(ctx, "r1", "OLD", func(r *survey.Response) error {
		_, err := survey.Patch{"q-2": {Level: survey.Of(1)}}.Apply(r, "t", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	again, err := st.Response(ctx, "r1", "OLD")
	if err != nil || again.Answers["q-1"].Comment != "old" || again.Answers["q-2"] == nil {
		t.Fatalf("legacy response after a change: %+v, %v", again, err)
	}
}
