package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/dpo/dgsurvey/survey"
)

// colSecrets holds the server's own secrets (the key of the sign-in form's
// tokens), shared by every instance on the store.
const colSecrets = "secrets"

type secretDoc struct {
	Name      string    `bson:"_id"`
	Value     []byte    `bson:"value"`
	CreatedAt time.Time `bson:"created_at"`
}

// Secret returns the stored secret of name. When there is none yet and
// fresh is not nil, fresh is stored and returned (the first instance to
// store one wins: another gets the winner's); with fresh nil it is
// ErrNotFound. The write goes through the document's lock on the embedded
// store.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	coll := s.db.Collection(colSecrets)
	read := func() ([]byte, error) {
		var d secretDoc
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&d); err != nil {
			return nil, mapErr(err)
		}
		return d.Value, nil
	}
	v, err := read()
	if fresh == nil || !errors.Is(err, survey.ErrNotFound) {
		return v, err
	}
	unlock, err := s.lockDoc(ctx, colSecrets, name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if v, err := read(); !errors.Is(err, survey.ErrNotFound) {
		return v, err
	}
	_, err = coll.InsertOne(ctx, secretDoc{Name: name, Value: fresh, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)})
	if mongo.IsDuplicateKeyError(err) {
		return read()
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return fresh, nil
}
