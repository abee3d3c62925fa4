package mongostore

import (
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// auditGroup commits concurrent audit appends together (group commit), on
// the embedded store only. There every write is a SQLite transaction that
// holds the database's single write lock through its fsync, and writers
// that find the lock taken sleep and retry; at deadline-day load the lock
// is the bottleneck, and an autosave's audit event doubled its use. Events
// appended while an insert is in flight wait and go in the next insert,
// one transaction for all of them. Each caller still returns only once its
// own event is stored (or failed), so nothing about durability or the
// order of an autosave and its event changes.
//
// There is no background goroutine: the first caller to find no insert in
// flight leads, inserts everything queued, hands the lead to the first
// caller queued meanwhile, and returns.
type auditGroup struct {
	mu    sync.Mutex
	busy  bool
	queue []*auditWait
}

type auditWait struct {
	ev   *survey.AuditEvent
	res  chan error    // the outcome of this event's insert
	lead chan struct{} // closed when this caller must lead the next insert
}

// maxAuditBatch bounds one insert.
const maxAuditBatch = 256

// append stores ev through insert, together with whatever other events
// are waiting.
func (g *auditGroup) append(ctx context.Context, ev *survey.AuditEvent, insert func(context.Context, []*survey.AuditEvent) []error) error {
	w := &auditWait{ev: ev, res: make(chan error, 1), lead: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		// Not cancellable: a waiter may be handed the lead, and others then
		// depend on it. The wait is bounded by the store timeout of the
		// insert in flight.
		select {
		case err := <-w.res:
			return err
		case <-w.lead:
		}
	}
	g.mu.Lock()
	n := min(len(g.queue), maxAuditBatch)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	events := make([]*survey.AuditEvent, len(batch))
	for i, b := range batch {
		events[i] = b.ev
	}
	// One caller's cancellation must not fail the others' events.
	errs := insert(context.WithoutCancel(ctx), events)
	for i, b := range batch {
		b.res <- errs[i]
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].lead)
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	return <-w.res
}

// insertAudit inserts events in one command and returns each one's
// outcome. A duplicate _id means the event is already stored (a retry of
// an insert whose answer was lost), which is success.
func (s *Store) insertAudit(ctx context.Context, events []*survey.AuditEvent) []error {
	errs := make([]error, len(events))
	_, err := s.db.Collection(colAudit).InsertMany(ctx, events, options.InsertMany().SetOrdered(false))
	if err == nil {
		return errs
	}
	var bulk mongo.BulkWriteException
	if !errors.As(err, &bulk) || bulk.WriteConcernError != nil || len(bulk.WriteErrors) == 0 {
		for i := range errs {
			errs[i] = mapErr(err)
		}
		return errs
	}
	for _, we := range bulk.WriteErrors {
		if we.Index >= 0 && we.Index < len(errs) && we.Code != 11000 { // 11000: duplicate key
			errs[we.Index] = mapErr(we)
		}
	}
	return errs
}
