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
	if s.departments == nil {
		return s.findDepartments(ctx)
	}
	list, gen, ok := s.departments.get()
	if ok {
		return list, nil
	}
	list, err := s.findDepartments(ctx)
	if err != nil {
		return nil, err
	}
	s.departments.put(gen, list)
	return list, nil
}

func (s *Store) findDepartments(ctx context.Context) ([]survey.Department, error) {
	return findAll[survey.Department](ctx, s.db.Collection(colDepartments), bson.D{},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// UpdateDepartment applies change to a copy of the stored department and
// stores the result when change returns nil. The write is conditional on
// the record read (its updated_at), and serialised per record on the
// embedded store, so two edits never silently overwrite each other.
func (s *Store) UpdateDepartment(ctx context.Context, code string, change func(*survey.Department) error) (*survey.Department, error) {
	unlock, err := s.lockDoc(ctx, colDepartments, code)
	if err != nil {
		return nil, err
	}
	defer unlock()
	d, err := s.Department(ctx, code)
	if err != nil {
		return nil, err
	}
	prev := d.UpdatedAt
	if err := change(d); err != nil {
		return nil, err
	}
	res, err := s.db.Collection(colDepartments).ReplaceOne(ctx, bson.D{{Key: "_id", Value: code}, {Key: "updated_at", Value: prev}}, d)
	if err != nil {
		return nil, mapErr(err)
	}
	if res.MatchedCount == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "department %s was changed by someone else; reload and try again", code)
	}
	return d, nil
}
