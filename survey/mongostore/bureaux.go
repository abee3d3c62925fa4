package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// colBureaux holds the managed list of bureaux, by code.
const colBureaux = "bureaux"

// CreateBureau stores a new bureau; conflict if the code exists.
func (s *Store) CreateBureau(ctx context.Context, b *survey.Bureau) error {
	unlock, err := s.lockDoc(ctx, colBureaux, b.Code)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colBureaux).InsertOne(ctx, b)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "bureau %s already exists", b.Code)
		}
		return err
	}
	return nil
}

// Bureau returns one bureau.
func (s *Store) Bureau(ctx context.Context, code string) (*survey.Bureau, error) {
	var b survey.Bureau
	err := s.db.Collection(colBureaux).FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&b)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "bureau %s not found", code)
		}
		return nil, err
	}
	return &b, nil
}

// Bureaux lists every bureau by code.
func (s *Store) Bureaux(ctx context.Context) ([]survey.Bureau, error) {
	return findAll[survey.Bureau](ctx, s.db.Collection(colBureaux), bson.D{},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// UpdateBureau applies change to a copy of the stored bureau and stores
// the result when change returns nil, conditional on the record read and
// serialised per record on the embedded store (as UpdateDepartment).
func (s *Store) UpdateBureau(ctx context.Context, code string, change func(*survey.Bureau) error) (*survey.Bureau, error) {
	unlock, err := s.lockDoc(ctx, colBureaux, code)
	if err != nil {
		return nil, err
	}
	defer unlock()
	b, err := s.Bureau(ctx, code)
	if err != nil {
		return nil, err
	}
	prev := b.UpdatedAt
	if err := change(b); err != nil {
		return nil, err
	}
	res, err := s.db.Collection(colBureaux).ReplaceOne(ctx, bson.D{{Key: "_id", Value: code}, {Key: "updated_at", Value: prev}}, b)
	if err != nil {
		return nil, mapErr(err)
	}
	if res.MatchedCount == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "bureau %s was changed by someone else; reload and try again", code)
	}
	return b, nil
}
