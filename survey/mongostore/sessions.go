package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/dpo/dgsurvey/survey"
)

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *survey.Session) error {
	_, err := s.db.Collection(colSessions).InsertOne(ctx, sess)
	return mapErr(err)
}

// Session returns a session by the hash of its cookie value.
func (s *Store) Session(ctx context.Context, hash string) (*survey.Session, error) {
	var sess survey.Session
	err := s.db.Collection(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&sess)
	if err != nil {
		return nil, mapErr(err)
	}
	return &sess, nil
}

// TouchSession moves a session's idle clock forward.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.db.Collection(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: hash}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "last_seen_at", Value: at}}}})
	return mapErr(err)
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	return mapErr(err)
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle
// since before idleBefore. The embedded store has no TTL indexes, so the
// server calls this now and then.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := s.db.Collection(colSessions).DeleteMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "last_seen_at", Value: bson.D{{Key: "$lt", Value: idleBefore}}}},
	}}})
	if err != nil {
		return 0, mapErr(err)
	}
	return res.DeletedCount, nil
}
