package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// CreateDepartment stores a new department; ErrConflict if the code exists.
func (s *Store) CreateDepartment(ctx context.Context, d *survey.Department) error {
	unlock, err := s.lockDoc(ctx, colDepartments, d.Code)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colDepartments).InsertOne(ctx, d)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "department %s already exists", d.Code)
		}
		return err
	}
	return nil
}

// Department returns one department.
func (s *Store) Department(ctx context.Context, code string) (*survey.Department, error) {
	var d survey.Department
	err := s.db.Collection(colDepartments).FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&d)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "department %s not found", code)
		}
		return nil, err
	}
	return &d, nil
}

// Departments lists every department by code.
func (s *Store) Departments(ctx context.Context) ([]survey.Department, error) {
	return findAll[survey.Department](ctx, s.db.Collection(colDepartments), bson.D{},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// UpdateDepartment replaces a department's record.
func (s *Store) UpdateDepartment(ctx context.Context, d *survey.Department) error {
	unlock, err := s.lockDoc(ctx, colDepartments, d.Code)
	if err != nil {
		return err
	}
	defer unlock()
	res, err := s.db.Collection(colDepartments).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.Code}}, d)
	if err != nil {
		return mapErr(err)
	}
	if res.MatchedCount == 0 {
		return survey.Errorf(survey.ENOTFOUND, "department %s not found", d.Code)
	}
	return nil
}
