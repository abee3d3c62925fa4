package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
)

// Scratch collections of the store ceiling, dropped before and after.
const (
	scratchResponses = "loadtest_responses"
	scratchAudit     = "loadtest_audit"
)

// scratchDoc has the shape mongostore stores a response in: a deterministic
// _id and the response inline.
type scratchDoc struct {
	ID              string `bson:"_id"`
	survey.Response `bson:",inline"`
}

// ceilingResult is the store's own rate for the writes of an autosave.
type ceilingResult struct {
	Ops    int
	Errors int
	// FirstError is the first failure, when there were any.
	FirstError error
	Elapsed    time.Duration
	Lat        summary
}

func (r ceilingResult) perSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

// measureCeiling connects to the store directly and, with cfg.Clients
// workers, performs for every department and question what one autosave
// does in the store: read the response document, replace it conditionally
// on the version read (insert when new), append an audit event. It stops
// when done or after cfg.Duration.
func measureCeiling(ctx context.Context, cfg config, questions []questionRef) (ceilingResult, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(cfg.StoreURI).SetTimeout(10 * time.Second).
		SetServerSelectionTimeout(5 * time.Second).SetAppName("surveyload"))
	if err != nil {
		return ceilingResult{}, fmt.Errorf("store: %w", err)
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	db := client.Database(cfg.StoreDB)
	responses, audit := db.Collection(scratchResponses), db.Collection(scratchAudit)
	drop := func() error {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return errors.Join(responses.Drop(dctx), audit.Drop(dctx))
	}
	if err := drop(); err != nil {
		return ceilingResult{}, fmt.Errorf("store %s: %w", cfg.StoreURI, err)
	}
	defer drop()
	if embeddedStore(cfg.StoreURI) {
		// surveyd gives its own collections this index when it opens the
		// embedded store; the scratch copy gets it too, so that both sides
		// do the same work.
		if err := embedded.IndexIDLookups(ctx, db, cfg.StoreURI, scratchResponses); err != nil {
			return ceilingResult{}, fmt.Errorf("store: %w", err)
		}
	}

	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	rec := newRecorder()
	jobs := make(chan int, cfg.Departments)
	for i := range cfg.Departments {
		jobs <- i
	}
	close(jobs)
	var failures atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				id := survey.ResponseID(cfg.Round, deptCode(d))
				for i, qu := range questions {
					if runCtx.Err() != nil {
						return
					}
					t0 := time.Now()
					err := autosaveInStore(runCtx, responses, audit, id, cfg, d, i, qu)
					switch {
					case err == nil:
						rec.ok(opPatch, time.Since(t0))
					case runCtx.Err() != nil:
						return
					default:
						failures.Add(1)
						once.Do(func() { firstErr = err })
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	rows := rec.summarize(elapsed)
	res := ceilingResult{Elapsed: elapsed, Errors: int(failures.Load()), FirstError: firstErr, Lat: rows[2]}
	res.Ops = res.Lat.OK
	if res.Ops == 0 && firstErr != nil {
		return res, fmt.Errorf("store: %w", firstErr)
	}
	return res, nil
}

// autosaveInStore is the store side of one autosave of question i of
// department d, as mongostore.UpdateResponse and the audit do it.
func autosaveInStore(ctx context.Context, responses, audit *mongo.Collection, id string, cfg config, d, i int, qu questionRef) error {
	var doc scratchDoc
	err := responses.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		doc = scratchDoc{ID: id, Response: *survey.NewResponse(cfg.Round, deptCode(d))}
	case err != nil:
		return err
	}
	if doc.Answers == nil {
		doc.Answers = map[string]*survey.Answer{}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	actor := "respondent:" + deptCode(d)
	planned := planAnswer(cfg.Seed, d, i, qu.NAAllowed)
	rev := 0
	if old := doc.Answers[qu.ID]; old != nil {
		rev = old.Rev
	}
	doc.Answers[qu.ID] = &survey.Answer{Level: planned.Level, NA: planned.NA, NAReason: planned.NAReason,
		Comment: planned.Comment, Rev: rev + 1, UpdatedAt: now, UpdatedBy: actor}
	prev := doc.Version
	doc.Version++
	doc.Status = survey.StatusInProgress
	doc.UpdatedAt = &now
	doc.Answered = len(doc.Answers)
	if prev == 0 {
		if _, err := responses.InsertOne(ctx, doc); err != nil {
			return err
		}
	} else {
		res, err := responses.ReplaceOne(ctx, replaceFilter(id, prev, embeddedStore(cfg.StoreURI)), doc)
		if err != nil {
			return err
		}
		if res.MatchedCount != 1 {
			return fmt.Errorf("%s: version %d changed underneath", id, prev)
		}
	}
	level := any("na")
	if planned.Level != nil {
		level = *planned.Level
	}
	ev, err := survey.NewAuditEvent(now, actor, "response.answer", cfg.Round, deptCode(d),
		map[string]any{"answers": map[string]any{qu.ID: level}, "version": doc.Version})
	if err != nil {
		return err
	}
	_, err = audit.InsertOne(ctx, ev)
	return err
}

// replaceFilter is the filter of the conditional replace, as
// mongostore.UpdateResponse builds it: on MongoDB the stored version is part
// of the filter (an atomic check); on the embedded store, where writes of a
// document are serialised in-process, the filter is the _id alone, the only
// filter FerretDB's SQLite backend looks up by index rather than by scanning
// the collection.
func replaceFilter(id string, version int, embedded bool) bson.D {
	if embedded {
		return bson.D{{Key: "_id", Value: id}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}}
}

// embeddedStore reports whether uri is an embedded store's Unix socket.
func embeddedStore(uri string) bool {
	host, _ := strings.CutPrefix(uri, "mongodb://")
	if i := strings.IndexAny(host, "/?"); i >= 0 {
		host = host[:i]
	}
	unescaped, err := url.PathUnescape(host)
	return err == nil && strings.HasSuffix(unescaped, ".sock")
}
