package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// ClaimReminder inserts the reminder's record under its deterministic id
// before it is sent: ErrConflict when it exists, so of any number of
// instances sharing the store exactly one sends it.
func (s *Store) ClaimReminder(ctx context.Context, r *survey.Reminder) error {
	unlock, err := s.lockDoc(ctx, colReminders, r.ID)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colReminders).InsertOne(ctx, r)
	return mapErr(err)
}

// Reminders lists a round's reminders by id.
func (s *Store) Reminders(ctx context.Context, round string) ([]survey.Reminder, error) {
	return findAll[survey.Reminder](ctx, s.db.Collection(colReminders), bson.D{{Key: "round", Value: round}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}
