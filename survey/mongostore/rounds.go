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

// CreateRound stores a new round with its copy of q; ErrConflict if the id exists.
func (s *Store) CreateRound(ctx context.Context, r *survey.Round, q *survey.Questionnaire) error {
	_, err := s.db.Collection(colRounds).InsertOne(ctx, roundDoc{Round: *r, Questionnaire: q})
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "round %s already exists", r.ID)
		}
		return err
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
	var d roundDoc
	err := s.db.Collection(colRounds).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
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
	cur, err := s.db.Collection(colRounds).Find(ctx, bson.D{},
		options.Find().SetProjection(withoutQuestionnaire).SetSort(bson.D{{Key: "opens_at", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, mapErr(err)
	}
	var docs []roundDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, mapErr(err)
	}
	out := make([]survey.Round, len(docs))
	for i := range docs {
		out[i] = docs[i].Round
	}
	return out, nil
}

// UpdateRound applies change to the stored round: read, change, write back
// only if nobody changed it in between (else ErrConflict).
func (s *Store) UpdateRound(ctx context.Context, id string, change func(*survey.Round) error) (*survey.Round, error) {
	defer s.lock(colRounds + "/" + id)()
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
