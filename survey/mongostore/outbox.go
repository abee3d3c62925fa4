package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// AppendMessage records a message in the outbox.
func (s *Store) AppendMessage(ctx context.Context, m *survey.Message) error {
	unlock, err := s.lockDoc(ctx, colOutbox, m.ID)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colOutbox).InsertOne(ctx, m)
	return mapErr(err)
}

// ClaimAttempt takes the next sending attempt of a queued message: it
// moves attempts from done to done+1 only if nobody has (a filtered
// update), so that when two instances hold the same message — one
// restarted and re-queued what another is still retrying — only one of them
// makes each attempt and the other lets it go.
func (s *Store) ClaimAttempt(ctx context.Context, id string, done int) (bool, error) {
	unlock, err := s.lockDoc(ctx, colOutbox, id)
	if err != nil {
		return false, err
	}
	defer unlock()
	res, err := s.db.Collection(colOutbox).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: survey.MailQueued}, {Key: "attempts", Value: done}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "attempts", Value: done + 1}}}})
	if err != nil {
		return false, mapErr(err)
	}
	return res.MatchedCount == 1, nil
}

// UpdateMessage records a sending attempt's outcome: status, attempts,
// last error and when it was sent; the message itself never changes.
func (s *Store) UpdateMessage(ctx context.Context, m *survey.Message) error {
	unlock, err := s.lockDoc(ctx, colOutbox, m.ID)
	if err != nil {
		return err
	}
	defer unlock()
	set := bson.D{{Key: "status", Value: m.Status}, {Key: "attempts", Value: m.Attempts}, {Key: "last_error", Value: m.LastError}}
	if m.SentAt != nil {
		set = append(set, bson.E{Key: "sent_at", Value: *m.SentAt})
	}
	_, err = s.db.Collection(colOutbox).UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, bson.D{{Key: "$set", Value: set}})
	return mapErr(err)
}

// Messages lists the outbox newest first, at most limit messages.
func (s *Store) Messages(ctx context.Context, limit int) ([]survey.Message, error) {
	return findAll[survey.Message](ctx, s.db.Collection(colOutbox), bson.D{},
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)))
}
