package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// colSeminars holds the planned seminars, by their deterministic id
// (survey.SeminarID), so a repeated create meets the existing one.
const colSeminars = "seminars"

// CreateSeminar stores a new seminar; ErrConflict if one with its id (the
// same round, date and theme or areas) exists.
func (s *Store) CreateSeminar(ctx context.Context, sem *survey.Seminar) error {
	unlock, err := s.lockDoc(ctx, colSeminars, sem.ID)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colSeminars).InsertOne(ctx, sem)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "seminar %s is already planned", sem.ID)
		}
		return err
	}
	return nil
}

// Seminar returns one seminar.
func (s *Store) Seminar(ctx context.Context, id string) (*survey.Seminar, error) {
	var sem survey.Seminar
	err := s.db.Collection(colSeminars).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sem)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return nil, survey.Errorf(survey.ENOTFOUND, "seminar %s not found", id)
		}
		return nil, err
	}
	if sem.Attendance == nil {
		sem.Attendance = []string{}
	}
	return &sem, nil
}

// Seminars lists every seminar, by date and then id.
func (s *Store) Seminars(ctx context.Context) ([]survey.Seminar, error) {
	list, err := findAll[survey.Seminar](ctx, s.db.Collection(colSeminars), bson.D{},
		options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
	for i := range list {
		if list[i].Attendance == nil {
			list[i].Attendance = []string{}
		}
	}
	return list, err
}

// UpdateSeminar applies change to a copy of the stored seminar and stores
// the result when change returns nil and the version moved. The write is
// conditional on the version read, and serialised per seminar on the
// embedded store, so two planners' edits never silently overwrite each
// other.
func (s *Store) UpdateSeminar(ctx context.Context, id string, change func(*survey.Seminar) error) (*survey.Seminar, error) {
	unlock, err := s.lockDoc(ctx, colSeminars, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// On MongoDB nothing serialises writers in-process: a writer that lost
	// the version-filtered replace reads the seminar again and applies its
	// change to what the other wrote (change sees the new version, so a
	// caller's own precondition still holds), a bounded number of times.
	for attempt := 0; ; attempt++ {
		sem, err := s.Seminar(ctx, id)
		if err != nil {
			return nil, err
		}
		prev := sem.Version
		if err := change(sem); err != nil {
			return nil, err
		}
		if sem.Version == prev {
			return sem, nil
		}
		res, err := s.db.Collection(colSeminars).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: prev}}, sem)
		if err != nil {
			return nil, mapErr(err)
		}
		if res.MatchedCount == 1 {
			return sem, nil
		}
		if attempt == seminarWriteAttempts-1 {
			return nil, survey.Errorf(survey.ECONFLICT, "seminar %s was changed by someone else; reload and try again", id)
		}
	}
}

// seminarWriteAttempts bounds how often UpdateSeminar re-applies a change
// that lost to another writer.
const seminarWriteAttempts = 25
