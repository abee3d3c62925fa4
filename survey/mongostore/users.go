package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// Collections of people and e-mail.
const (
	colUsers     = "users"
	colLinks     = "signin_links"
	colOutbox    = "outbox"
	colReminders = "reminders"
)

// ensurePeopleIndexes makes e-mail addresses unique whatever their case
// (the folded key is indexed), and orders the outbox.
func (s *Store) ensurePeopleIndexes(ctx context.Context) error {
	_, err := s.db.Collection(colUsers).Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "email_key", Value: 1}},
		Options: options.Index().SetUnique(true).SetName("email_key_unique"),
	})
	if err != nil {
		return fmt.Errorf("mongodb: creating indexes: %w", mapErr(err))
	}
	return nil
}

// CreateUser stores a new user; ErrConflict when the address is taken.
// The address is also locked (embedded store), so two invitations of one
// address never both pass.
func (s *Store) CreateUser(ctx context.Context, u *survey.User) error {
	unlock, err := s.lockDoc(ctx, colUsers+"-email", u.EmailKey)
	if err != nil {
		return err
	}
	defer unlock()
	n, err := s.db.Collection(colUsers).CountDocuments(ctx, bson.D{{Key: "email_key", Value: u.EmailKey}})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		_, err = s.db.Collection(colUsers).InsertOne(ctx, u)
		err = mapErr(err)
	} else {
		err = survey.ErrConflict
	}
	if survey.ErrorCode(err) == survey.ECONFLICT {
		return &survey.Error{Code: survey.ECONFLICT, Message: "a user with this e-mail address already exists",
			Fields: []survey.FieldError{{Field: "email", Rule: "duplicate", Message: "is already registered"}}}
	}
	return err
}

// User returns one user by id.
func (s *Store) User(ctx context.Context, id string) (*survey.User, error) {
	var u survey.User
	err := s.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&u)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "user %s not found", id)
	}
	return &u, nil
}

// UserByEmail returns the user of an address (folded to its key).
func (s *Store) UserByEmail(ctx context.Context, key string) (*survey.User, error) {
	var u survey.User
	err := s.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "email_key", Value: key}}).Decode(&u)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "user not found")
	}
	return &u, nil
}

// Users lists users, of one department when dept is not empty, by name.
func (s *Store) Users(ctx context.Context, dept string) ([]survey.User, error) {
	filter := bson.D{}
	if dept != "" {
		filter = bson.D{{Key: "department", Value: dept}}
	}
	return findAll[survey.User](ctx, s.db.Collection(colUsers), filter,
		options.Find().SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}))
}

// TouchUserSignIn records when the user last signed in: that field only
// ($max), so it never rewrites, or loses to, an administrator's edit.
func (s *Store) TouchUserSignIn(ctx context.Context, id string, at time.Time) error {
	unlock, err := s.lockDoc(ctx, colUsers, id)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "last_sign_in_at", Value: at}}}})
	return mapErr(err)
}

// UpdateUser applies change to a copy of the stored user and stores it
// when change returns nil, conditional on the version read (and under the
// record's lock on the embedded store).
func (s *Store) UpdateUser(ctx context.Context, id string, change func(*survey.User) error) (*survey.User, error) {
	unlock, err := s.lockDoc(ctx, colUsers, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	u, err := s.User(ctx, id)
	if err != nil {
		return nil, err
	}
	prev := u.Version
	if err := change(u); err != nil {
		return nil, err
	}
	res, err := s.db.Collection(colUsers).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: prev}}, u)
	if err != nil {
		return nil, mapErr(err)
	}
	if res.MatchedCount == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "user %s was changed by someone else; reload and try again", id)
	}
	return u, nil
}
