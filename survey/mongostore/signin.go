package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// CreateSignInLink stores a sign-in link (its token's hash only).
func (s *Store) CreateSignInLink(ctx context.Context, l *survey.SignInLink) error {
	unlock, err := s.lockDoc(ctx, colLinks, l.Hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colLinks).InsertOne(ctx, l)
	return mapErr(err)
}

// SignInLink returns a link by the hash of its token.
func (s *Store) SignInLink(ctx context.Context, hash string) (*survey.SignInLink, error) {
	var l survey.SignInLink
	if err := s.db.Collection(colLinks).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&l); err != nil {
		return nil, notFoundAs(mapErr(err), "link not found")
	}
	return &l, nil
}

// UseSignInLink marks an unused, unexpired link used at now and returns
// it; a link that is used, expired or unknown is not_found. The update is
// filtered on used_at being absent (and serialised per link on the
// embedded store), so of two presses of one link only one signs in.
func (s *Store) UseSignInLink(ctx context.Context, hash string, now time.Time) (*survey.SignInLink, error) {
	unlock, err := s.lockDoc(ctx, colLinks, hash)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var l survey.SignInLink
	err = s.db.Collection(colLinks).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: hash}, {Key: "used_at", Value: bson.D{{Key: "$exists", Value: false}}},
			{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "used_at", Value: now}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&l)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "the link is not valid")
	}
	return &l, nil
}
