package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// colQuestionnaires holds the uploaded questionnaire versions under the
// deterministic id "<questionnaire>/<version>", with the file as uploaded
// and its checked content.
const colQuestionnaires = "questionnaires"

// questionnaireVersionDoc is a questionnaire version as stored.
type questionnaireVersionDoc struct {
	Key                         string `bson:"_id"`
	survey.QuestionnaireVersion `bson:",inline"`
}

// withoutContent keeps listings small: the file and its content are read
// only for one version.
var withoutContent = bson.D{{Key: "source", Value: 0}, {Key: "questionnaire", Value: 0}}

// CreateQuestionnaireVersion stores a new version; ErrConflict when that id
// and version exist.
func (s *Store) CreateQuestionnaireVersion(ctx context.Context, v *survey.QuestionnaireVersion) error {
	key := survey.QuestionnaireKey(v.ID, v.Number)
	unlock, err := s.lockDoc(ctx, colQuestionnaires, key)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colQuestionnaires).InsertOne(ctx, questionnaireVersionDoc{Key: key, QuestionnaireVersion: *v})
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d already exists", v.ID, v.Number)
		}
		return err
	}
	return nil
}

// QuestionnaireVersion returns one stored version with its file and content.
func (s *Store) QuestionnaireVersion(ctx context.Context, id string, version int) (*survey.QuestionnaireVersion, error) {
	var d questionnaireVersionDoc
	err := s.db.Collection(colQuestionnaires).FindOne(ctx, bson.D{{Key: "_id", Value: survey.QuestionnaireKey(id, version)}}).Decode(&d)
	if err != nil {
		return nil, notFoundAs(mapErr(err), "questionnaire %s version %d not found", id, version)
	}
	return &d.QuestionnaireVersion, nil
}

// QuestionnaireVersions lists every stored version, without file or
// content, by id and version.
func (s *Store) QuestionnaireVersions(ctx context.Context) ([]survey.QuestionnaireVersion, error) {
	docs, err := findAll[questionnaireVersionDoc](ctx, s.db.Collection(colQuestionnaires), bson.D{},
		options.Find().SetProjection(withoutContent).SetSort(bson.D{{Key: "id", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]survey.QuestionnaireVersion, len(docs))
	for i := range docs {
		out[i] = docs[i].QuestionnaireVersion
	}
	return out, nil
}

// UpdateQuestionnaireVersion applies change to the stored version and
// writes it back only if its revision is still the one read (else
// ErrConflict), so a publication and a replacement never both win.
func (s *Store) UpdateQuestionnaireVersion(ctx context.Context, id string, version int, change func(*survey.QuestionnaireVersion) error) (*survey.QuestionnaireVersion, error) {
	key := survey.QuestionnaireKey(id, version)
	unlock, err := s.lockDoc(ctx, colQuestionnaires, key)
	if err != nil {
		return nil, err
	}
	defer unlock()
	v, err := s.QuestionnaireVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	prev, prevSum := v.Revision, v.SHA256
	if err := change(v); err != nil {
		return nil, err
	}
	filter := bson.D{{Key: "_id", Value: key}, {Key: "revision", Value: prev}}
	coll := s.db.Collection(colQuestionnaires)
	var res *mongo.UpdateResult
	if v.SHA256 == prevSum {
		// Same file (a publication): only the state changes, and the large
		// content is not written again.
		res, err = coll.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
			{Key: "state", Value: v.State}, {Key: "revision", Value: v.Revision},
			{Key: "published_at", Value: v.PublishedAt}, {Key: "published_by", Value: v.PublishedBy},
		}}})
	} else {
		res, err = coll.ReplaceOne(ctx, filter, questionnaireVersionDoc{Key: key, QuestionnaireVersion: *v})
	}
	if err != nil {
		return nil, mapErr(err)
	}
	if res.MatchedCount == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "questionnaire %s version %d was changed by someone else; reload and try again", id, version)
	}
	return v, nil
}
