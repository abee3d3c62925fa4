package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// roundDoc is a round as stored: with its own copy of the questionnaire, so
// the round keeps asking what it asked whatever happens to the bank.
type roundDoc struct {
	survey.Round  `bson:",inline"`
	Questionnaire *survey.Questionnaire `bson:"questionnaire_doc,omitempty"`
}

// withoutQuestionnaire keeps round listings small.
var withoutQuestionnaire = bson.D{{Key: "questionnaire_doc", Value: 0}}

// colRoundQuestionnaires holds each round's copy of its questionnaire under
// the round id. The copy is large (the built-in bank is ~150 KB) and the
// round document is read on every response request; the embedded store
// decodes a whole document whatever the projection, so the two are kept
// apart. Rounds stored before this split keep their copy in
// questionnaire_doc, which RoundQuestionnaire still reads.
const colRoundQuestionnaires = "round_questionnaires"

// questionnaireDoc is a round's questionnaire copy as stored.
type questionnaireDoc struct {
	RoundID       string                `bson:"_id"`
	Questionnaire *survey.Questionnaire `bson:"questionnaire"`
}

// CreateRound stores a new round with its copy of q; ErrConflict if the id
// exists. The round is inserted first (its unique id decides who creates
// it), then its questionnaire copy; if that fails the round is removed. The
// copy is written only here, so the round's document lock covers both.
func (s *Store) CreateRound(ctx context.Context, r *survey.Round, q *survey.Questionnaire) error {
	unlock, err := s.lockDoc(ctx, colRounds, r.ID)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colRounds).InsertOne(ctx, roundDoc{Round: *r})
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "round %s already exists", r.ID)
		}
		return err
	}
	_, err = s.db.Collection(colRoundQuestionnaires).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}},
		questionnaireDoc{RoundID: r.ID, Questionnaire: q}, options.Replace().SetUpsert(true))
	if err != nil {
		_, _ = s.db.Collection(colRounds).DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: r.ID}})
		return mapErr(err)
	}
	return nil
}

// Round returns one round without its questionnaire.
func (s *Store) Round(ctx context.Context, id string) (*survey.Round, error) {
	var d roundDoc
	err := s.db.Collection(colRounds).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(withoutQuestionnaire)).Decode(&d)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "round %s not found", id)
	}
	return &d.Round, nil
}

// RoundQuestionnaire returns the round's own copy of its questionnaire.
func (s *Store) RoundQuestionnaire(ctx context.Context, id string) (*survey.Questionnaire, error) {
	var qd questionnaireDoc
	err := s.db.Collection(colRoundQuestionnaires).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&qd)
	switch err := mapErr(err); {
	case err == nil && qd.Questionnaire != nil:
		return qd.Questionnaire, nil
	case err != nil && survey.ErrorCode(err) != survey.ENOTFOUND:
		return nil, err
	}
	// A round stored before the split keeps its copy inside the round.
	var d roundDoc
	err = s.db.Collection(colRounds).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "questionnaire_doc", Value: 1}})).Decode(&d)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "round %s not found", id)
	}
	if d.Questionnaire == nil {
		return nil, survey.Errorf(survey.EINTERNAL, "round %s has no questionnaire", id)
	}
	return d.Questionnaire, nil
}

// Rounds lists every round, newest opening first.
func (s *Store) Rounds(ctx context.Context) ([]survey.Round, error) {
	return findAll[survey.Round](ctx, s.db.Collection(colRounds), bson.D{},
		options.Find().SetProjection(withoutQuestionnaire).SetSort(bson.D{{Key: "opens_at", Value: -1}, {Key: "_id", Value: 1}}))
}

// UpdateRound applies change to the stored round: read, change, write back
// only if nobody changed it in between (else ErrConflict).
func (s *Store) UpdateRound(ctx context.Context, id string, change func(*survey.Round) error) (*survey.Round, error) {
	unlock, err := s.lockDoc(ctx, colRounds, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	r, err := s.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	prev := r.UpdatedAt
	if err := change(r); err != nil {
		return nil, err
	}
	res, err := s.db.Collection(colRounds).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "updated_at", Value: prev}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "state", Value: r.State}, {Key: "opens_at", Value: r.OpensAt}, {Key: "closes_at", Value: r.ClosesAt},
			{Key: "title", Value: r.Title}, {Key: "updated_at", Value: r.UpdatedAt},
			{Key: "version", Value: r.Version}, {Key: "extensions", Value: r.Extensions},
		}}})
	if err != nil {
		return nil, mapErr(err)
	}
	if res.MatchedCount == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "round %s was changed by someone else; reload and try again", id)
	}
	return r, nil
}

// notFoundAs replaces a generic not-found with a specific message.
func notFoundAs(err error, format string, args ...any) error {
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return survey.Errorf(survey.ENOTFOUND, format, args...)
	}
	return err
}
