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
	unlock, err := s.lockDoc(ctx, colCredentials, c.Hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colCredentials).InsertOne(ctx, c)
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

// RevokeCredential marks the credential revoked and returns it. The record
// is found by its public id, then changed under its document lock by _id,
// so a concurrent TouchCredential (which the embedded store applies as a
// read and a whole-document write back) can never write revoked=false back
// over the revocation.
func (s *Store) RevokeCredential(ctx context.Context, id string, at time.Time) (*survey.Credential, error) {
	coll := s.db.Collection(colCredentials)
	var found struct {
		Hash string `bson:"_id"`
	}
	err := coll.FindOne(ctx, bson.D{{Key: "cid", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&found)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "credential %s not found", id)
	}
	unlock, err := s.lockDoc(ctx, colCredentials, found.Hash)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var c survey.Credential
	err = coll.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: found.Hash}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked", Value: true}, {Key: "revoked_at", Value: at}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&c)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "credential %s not found", id)
	}
	return &c, nil
}

// TouchCredential records when a credential was last used: only the
// last_used_at field changes (never moving back), by _id, under the
// document lock. Callers limit how often they call it; it is bookkeeping,
// not security, but it must never undo a revocation.
func (s *Store) TouchCredential(ctx context.Context, hash string, at time.Time) error {
	unlock, err := s.lockDoc(ctx, colCredentials, hash)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colCredentials).UpdateOne(ctx,
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
