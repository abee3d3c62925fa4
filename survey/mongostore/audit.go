package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// AppendAudit stores one audit event. Events are never updated or deleted.
// On the embedded store, concurrent appends are committed together (see
// auditGroup); it returns once this event is stored. The change it records
// is already made, so a client that goes away does not cancel it (the store
// timeout still bounds it).
func (s *Store) AppendAudit(ctx context.Context, e *survey.AuditEvent) error {
	if s.audits != nil {
		if err := s.filesInPlace(ctx); err != nil {
			return err
		}
		return s.audits.append(ctx, e, s.insertAudit)
	}
	_, err := s.db.Collection(colAudit).InsertOne(context.WithoutCancel(ctx), e)
	if mongo.IsDuplicateKeyError(err) {
		return nil // stored already: a retry whose first answer was lost
	}
	return mapErr(err)
}

// Audit lists events newest first, a page at a time.
func (s *Store) Audit(ctx context.Context, f survey.AuditFilter) ([]survey.AuditEvent, error) {
	filter := bson.D{}
	if f.Round != "" {
		filter = append(filter, bson.E{Key: "round", Value: f.Round})
	}
	if f.Department != "" {
		filter = append(filter, bson.E{Key: "department", Value: f.Department})
	}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: f.Action})
	}
	if f.Before != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: f.Before}}})
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	return findAll[survey.AuditEvent](ctx, s.db.Collection(colAudit), filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(f.Limit)))
}
