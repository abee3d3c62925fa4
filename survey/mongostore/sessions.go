package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *survey.Session) error {
	unlock, err := s.lockDoc(ctx, colSessions, sess.Hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colSessions).InsertOne(ctx, sess)
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

// TouchSession moves a session's idle clock forward: only last_seen_at
// changes (never moving back), by _id, under the document lock.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	unlock, err := s.lockDoc(ctx, colSessions, hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: hash}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "last_seen_at", Value: at}}}})
	return mapErr(err)
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	unlock, err := s.lockDoc(ctx, colSessions, hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	return mapErr(err)
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle
// since before idleBefore. The embedded store has no TTL indexes, so the
// server calls this now and then. On the embedded store a multi-document
// delete would decide on documents read before a concurrent touch, so each
// candidate is re-read and deleted under its document lock instead.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	coll := s.db.Collection(colSessions)
	expired := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "last_seen_at", Value: bson.D{{Key: "$lt", Value: idleBefore}}}},
	}}}
	if s.locks == nil {
		res, err := coll.DeleteMany(ctx, expired)
		if err != nil {
			return 0, mapErr(err)
		}
		return res.DeletedCount, nil
	}
	candidates, err := findAll[survey.Session](ctx, coll, expired,
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, err
	}
	var n int64
	for _, c := range candidates {
		deleted, err := s.deleteSessionIf(ctx, c.Hash, func(sess *survey.Session) bool {
			return !sess.ExpiresAt.After(now) || sess.LastSeenAt.Before(idleBefore)
		})
		if err != nil {
			return n, err
		}
		if deleted {
			n++
		}
	}
	return n, nil
}

// deleteSessionIf deletes the session hash, under its document lock, if it
// still satisfies expired when read there.
func (s *Store) deleteSessionIf(ctx context.Context, hash string, expired func(*survey.Session) bool) (bool, error) {
	unlock, err := s.lockDoc(ctx, colSessions, hash)
	if err != nil {
		return false, err
	}
	defer unlock()
	sess, err := s.Session(ctx, hash)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !expired(sess) {
		return false, nil
	}
	res, err := s.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	if err != nil {
		return false, mapErr(err)
	}
	return res.DeletedCount == 1, nil
}
