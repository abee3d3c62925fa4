package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// CreateCredential stores a credential record (never the token).
func (s *Store) CreateCredential(ctx context.Context, c *survey.Credential) error {
	_, err := s.db.Collection(colCredentials).InsertOne(ctx, c)
	return mapErr(err)
}

// CredentialByHash looks a credential up by its token hash: one _id read.
func (s *Store) CredentialByHash(ctx context.Context, hash string) (*survey.Credential, error) {
	var c survey.Credential
	err := s.db.Collection(colCredentials).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&c)
	if err != nil {
		return nil, mapErr(err)
	}
	return &c, nil
}

// Credentials lists every credential, oldest first.
func (s *Store) Credentials(ctx context.Context) ([]survey.Credential, error) {
	return findAll[survey.Credential](ctx, s.db.Collection(colCredentials), bson.D{},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}}))
}

// RevokeCredential marks the credential revoked and returns it.
func (s *Store) RevokeCredential(ctx context.Context, id string, at time.Time) (*survey.Credential, error) {
	var c survey.Credential
	err := s.db.Collection(colCredentials).FindOneAndUpdate(ctx,
		bson.D{{Key: "cid", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked", Value: true}, {Key: "revoked_at", Value: at}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&c)
	if err != nil {
		if err := mapErr(err); survey.ErrorCode(err) != survey.ENOTFOUND {
			return nil, err
		}
		return nil, survey.Errorf(survey.ENOTFOUND, "credential %s not found", id)
	}
	return &c, nil
}

// TouchCredential records when a credential was last used. Callers limit how
// often they call it; it is bookkeeping, not security.
func (s *Store) TouchCredential(ctx context.Context, hash string, at time.Time) error {
	_, err := s.db.Collection(colCredentials).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: hash}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "last_used_at", Value: at}}}})
	return mapErr(err)
}

// HasActiveAdmin reports whether any unrevoked admin credential exists.
func (s *Store) HasActiveAdmin(ctx context.Context) (bool, error) {
	n, err := s.db.Collection(colCredentials).CountDocuments(ctx,
		bson.D{{Key: "role", Value: survey.RoleAdmin}, {Key: "revoked", Value: false}})
	if err != nil {
		return false, mapErr(err)
	}
	return n > 0, nil
}
