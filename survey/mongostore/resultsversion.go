package mongostore

import (
	"context"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// resultsVersionField is the round document's count of changes to its
// submitted results: every write that submits a response, reopens one or
// changes a submitted one increments it, after the response is written.
// A reader that reads the version before the results therefore never
// keeps results older than the version it read under a newer one, and
// every instance sees a change at its next read of the round.
const resultsVersionField = "results_version"

// bumpResultsVersion increments the round's results version. The response
// is already written: a failure here is logged, not returned (the caller's
// write happened), and caches keyed by the version bound their age anyway.
func (s *Store) bumpResultsVersion(ctx context.Context, round string) {
	ctx = context.WithoutCancel(ctx)
	// On the embedded store an update rewrites the whole round document, so
	// it takes the round's lock like every other write of it.
	unlock, err := s.lockDoc(ctx, colRounds, round)
	if err == nil {
		defer unlock()
		_, err = s.db.Collection(colRounds).UpdateOne(ctx, bson.D{{Key: "_id", Value: round}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: resultsVersionField, Value: int64(1)}}}})
		err = mapErr(err)
	}
	if err != nil {
		s.log.Warn("the round's results version was not incremented; cached government figures may lag",
			slog.String("round", round), slog.Any("error", err))
	}
}

// ResultsVersion returns the round's results version (0 for a round whose
// results never changed): a cache of anything computed from the round's
// submitted responses is current while the version is unchanged.
func (s *Store) ResultsVersion(ctx context.Context, round string) (int64, error) {
	var d struct {
		Version int64 `bson:"results_version"`
	}
	err := s.db.Collection(colRounds).FindOne(ctx, bson.D{{Key: "_id", Value: round}},
		options.FindOne().SetProjection(bson.D{{Key: resultsVersionField, Value: 1}})).Decode(&d)
	if err != nil {
		return 0, notFoundAs(mapErr(err), "round %s not found", round)
	}
	return d.Version, nil
}
