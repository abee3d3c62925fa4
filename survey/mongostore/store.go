// Package mongostore persists the survey domain in MongoDB through the
// official driver. With Config.Embedded it also makes up for what the
// embedded server (package survey/mongostore/embedded, started by the
// caller) lacks: per-document write locks, a cache of the response
// documents it wrote, grouped audit inserts and replace filters the server
// answers by index.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/dpo/dgsurvey/survey"
)

// Collection names.
const (
	colDepartments = "departments"
	colCredentials = "credentials"
	colRounds      = "rounds"
	colResponses   = "responses"
	colAudit       = "audit"
	colSessions    = "sessions"
)

// Config says which MongoDB to use.
type Config struct {
	// URI of a MongoDB deployment.
	URI string
	// Database name.
	Database string
	// Timeout bounds every store operation, so a store outage answers 503
	// promptly instead of hanging requests.
	Timeout time.Duration
	// Embedded is true when URI points at our own in-process server, whose
	// updates are not atomic per document; writes are then serialised here.
	Embedded bool
	Logger   *slog.Logger
	// ObserveCommand, when set, is told the duration of every store command
	// (for metrics); ok is false for a failed command.
	ObserveCommand func(command string, d time.Duration, ok bool)
	// CountCommand, when set, is told of every command started (tests use it
	// to prove a path makes a bounded number of store calls).
	CountCommand func(command string)
	// Check, when set, says whether the store's own files are in place (the
	// embedded store: embedded.CheckFiles). Ping fails while it fails, and
	// so does every write on the embedded store, which would otherwise go
	// into files that are gone.
	Check func(context.Context) error
}

// Store is the MongoDB-backed persistence of the service.
type Store struct {
	client  *mongo.Client
	db      *mongo.Database
	timeout time.Duration
	locks   *docLocks
	// writer is the one writer slot of the embedded store (see lock).
	writer *docLocks
	log    *slog.Logger
	// responses caches the response documents written here (embedded
	// store only; nil otherwise).
	responses *responseCache
	// index keeps the response summaries by round (embedded store only);
	// stopIndex ends its loading at Close.
	index     *roundIndex
	stopIndex context.CancelFunc
	// departments caches the department list (embedded store only).
	departments *departmentList
	// audits groups concurrent audit inserts (embedded store only).
	audits *auditGroup
	// health remembers a write refused for a storage fault (disk full,
	// read-only) until a write succeeds.
	health *writeHealth
	// check is Config.Check (nil: nothing to check).
	check func(context.Context) error
}

// Open connects to the MongoDB at cfg.URI and prepares indexes; it fails
// (with ErrUnavailable) when the store cannot be reached within the timeout.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	opts := options.Client().ApplyURI(cfg.URI).
		SetTimeout(cfg.Timeout).
		SetServerSelectionTimeout(cfg.Timeout).
		SetConnectTimeout(cfg.Timeout).
		SetAppName("surveyd")
	health := &writeHealth{}
	opts.SetMonitor(commandMonitor(cfg.ObserveCommand, cfg.CountCommand, health))
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: %w", err)
	}
	s := &Store{client: client, db: client.Database(cfg.Database), timeout: cfg.Timeout, log: cfg.Logger, health: health, check: cfg.Check}
	if cfg.Embedded {
		s.locks = newDocLocks()
		s.writer = newDocLocks()
		s.responses = newResponseCache(responseCacheSize)
		s.audits = &auditGroup{}
		s.departments = &departmentList{}
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if cfg.Embedded {
		s.index = newRoundIndex()
		loadCtx, stop := context.WithTimeout(context.Background(), indexLoadTimeout)
		s.stopIndex = stop
		go s.loadRoundIndex(loadCtx)
	}
	return s, nil
}

// indexLoadTimeout bounds the one pass that fills the embedded store's
// index of response summaries (some tens of seconds for 10,000 responses
// here); the pass runs in the background, not under the request timeout.
const indexLoadTimeout = 10 * time.Minute

// IDLookupCollections names the collections in which the store finds,
// replaces or deletes documents by _id: the ones the embedded server needs
// an extra index on (embedded.IndexIDLookups) to do that without a scan.
func IDLookupCollections() []string {
	return []string{colDepartments, colCredentials, colSessions, colRounds, colRoundQuestionnaires, colResponses, colQuestionnaires, colBureaux, colSeminars,
		colUsers, colLinks, colOutbox, colSecrets}
}

// Close disconnects from the store.
func (s *Store) Close(ctx context.Context) error {
	if s.stopIndex != nil {
		s.stopIndex()
	}
	return s.client.Disconnect(ctx)
}

// Ping checks that the store can do its work: it answers, and it is not
// known to refuse writes (see writable). It is the readiness check.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return mapErr(err)
	}
	if err := s.filesInPlace(ctx); err != nil {
		return err
	}
	return s.writable(ctx)
}

// filesInPlace runs Config.Check, as ErrUnavailable when it fails.
func (s *Store) filesInPlace(ctx context.Context) error {
	if s.check == nil {
		return nil
	}
	if err := s.check(ctx); err != nil {
		return fmt.Errorf("%w: %v", survey.ErrUnavailable, err)
	}
	return nil
}

// Database exposes the underlying database for tools that measure the
// store directly (the load tool) and for tests.
func (s *Store) Database() *mongo.Database { return s.db }

func (s *Store) ensureIndexes(ctx context.Context) error {
	_, err := s.db.Collection(colCredentials).Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "cid", Value: 1}},
		Options: options.Index().SetUnique(true).SetName("cid_unique"),
	})
	if err != nil {
		return fmt.Errorf("mongodb: creating indexes: %w", mapErr(err))
	}
	return s.ensurePeopleIndexes(ctx)
}

// lock serialises writes to one document while running the embedded store,
// whose read-modify-write updates would otherwise lose concurrent changes.
// On MongoDB it is a no-op: filtered atomic updates decide. A writer waits
// at most the store timeout for the lock, then gets ErrUnavailable, so an
// outage never queues writers one timeout after another.
//
// Every write of one document of any collection takes it (lockDoc): an
// update, a replace, a delete, and an insert too, so that an insert never
// interleaves with another writer of the same _id. Holding its document's
// lock, a writer then queues for the store's one writer slot (s.writer, a
// single lock whose waiters are served first come, first served): SQLite
// has one write lock per database, and writers contending for it inside the
// embedded server sleep in its busy handler (1, 2, 5, 10, 15, 20, 25 ms…),
// which made the slowest autosaves wait hundreds of ms. Queued here they
// wait their turn only (measured with cmd/surveyload, 8 clients: PATCH p99
// 655–970 ms without, 88–111 ms with, and more throughput). The one
// exception to both is the audit trail, which is insert-only under fresh unique ids (nothing
// ever reads, changes and writes back an audit event) and is grouped into
// multi-document inserts (auditGroup).
func (s *Store) lock(ctx context.Context, key string) (func(), error) {
	if s.locks == nil {
		return func() {}, nil
	}
	if err := s.filesInPlace(ctx); err != nil {
		return nil, err
	}
	unlock, err := s.locks.lock(ctx, key, s.timeout)
	if err != nil {
		return nil, err
	}
	release, err := s.writer.lock(ctx, "writer", s.timeout)
	if err != nil {
		unlock()
		return nil, err
	}
	return func() { release(); unlock() }, nil
}

// lockDoc takes the write lock of document id of collection coll. A write
// of a department ends the cached department list when it begins and
// when it ends, whichever method makes it.
func (s *Store) lockDoc(ctx context.Context, coll, id string) (func(), error) {
	unlock, err := s.lock(ctx, coll+"/"+id)
	if err != nil || coll != colDepartments || s.departments == nil {
		return unlock, err
	}
	s.departments.invalidate()
	return func() {
		s.departments.invalidate()
		unlock()
	}, nil
}

// findAll runs a find on coll and decodes every document found into a T,
// mapping store errors. It returns an empty, non-nil slice when nothing
// matches. T may be a domain type even where the stored document wraps it
// (responseDoc, roundDoc): fields of the document that T lacks are skipped.
func findAll[T any](ctx context.Context, coll *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, mapErr(err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}

// mapErr turns driver errors into domain errors: missing documents into
// ErrNotFound, duplicate keys into ErrConflict, and anything that says the
// store cannot be reached, or cannot write (disk full, read-only), into
// ErrUnavailable. A call whose context was cancelled (the client gave up)
// stays context.Canceled: that is no store fault, and must not be counted
// or logged as one.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, mongo.ErrNoDocuments):
		return survey.ErrNotFound
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: %v", survey.ErrConflict, err)
	case isStorageFault(err):
		return fmt.Errorf("%w: %v", survey.ErrUnavailable, err)
	case mongo.IsTimeout(err), mongo.IsNetworkError(err),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, mongo.ErrClientDisconnected):
		return fmt.Errorf("%w: %v", survey.ErrUnavailable, err)
	}
	var (
		selection topology.ServerSelectionError
		conn      topology.ConnectionError
		wait      topology.WaitQueueTimeoutError
		pool      topology.PoolError
		// A pool cleared (or paused) after a network failure: what other
		// operations get while the store is going away.
		cleared driver.RetryablePoolError
	)
	if errors.As(err, &selection) || errors.As(err, &conn) || errors.As(err, &wait) || errors.As(err, &pool) ||
		errors.As(err, &cleared) ||
		errors.Is(err, topology.ErrServerClosed) || errors.Is(err, topology.ErrTopologyClosed) {
		return fmt.Errorf("%w: %v", survey.ErrUnavailable, err)
	}
	return err
}
