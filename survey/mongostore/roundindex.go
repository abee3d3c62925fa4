package mongostore

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// roundIndex keeps, on the embedded store only, every stored response's
// summary (the document without its answers: status, version, progress,
// dates, score snapshot) grouped by round, so that the round-wide reads
// (status page, government figures, the list of a round's departments)
// cost what the round holds instead of what the store holds.
//
// The embedded server finds documents by index only for a lone _id
// equality: any other filter, the _id range of a round included, makes it
// parse every document of the collection, answers and all, and a sort
// holds them all in memory. Four years of a large deployment made the
// status page time out that way.
//
// It is coherent for the same reasons as responseCache: on the embedded
// store this process is the only writer, and every write of a response goes
// through UpdateResponse under the document's lock, which records the new
// summary once the write succeeded (or marks the document unknown when the
// outcome is not known, to be read again by _id). It is filled once at Open
// by one unsorted pass over the collection, in the background; until that
// pass ends the reads take the store's own path. A nil index is off
// (MongoDB, where the server answers these reads by its _id index and other
// instances write too).
type roundIndex struct {
	mu    sync.Mutex
	ready bool
	// rounds maps round -> department -> the summary.
	rounds map[string]map[string]indexEntry
	// unknown holds the response ids whose last write's outcome is not
	// known: they are read again from the store before being trusted.
	unknown map[string]bool
}

func newRoundIndex() *roundIndex {
	return &roundIndex{rounds: map[string]map[string]indexEntry{}, unknown: map[string]bool{}}
}

// indexEntry is one response's summary: the document without answers and
// snapshot, and the snapshot apart (nil when there is none), so that the
// status page decodes no scores.
type indexEntry struct {
	summary, snapshot bson.Raw
}

// summaryOf is r's index entry.
func summaryOf(r *survey.Response) (indexEntry, error) {
	s := *r
	s.Answers, s.Snapshot = nil, nil
	var e indexEntry
	var err error
	if e.summary, err = bson.Marshal(&s); err != nil {
		return e, err
	}
	if r.Snapshot != nil {
		e.snapshot, err = bson.Marshal(r.Snapshot)
	}
	return e, err
}

// decode is the summary as a response without answers; with the snapshot
// when withSnapshot.
func (e indexEntry) decode(withSnapshot bool) (survey.Response, error) {
	var r survey.Response
	if err := bson.Unmarshal(e.summary, &r); err != nil {
		return r, err
	}
	if withSnapshot && e.snapshot != nil {
		var snap survey.Scores
		if err := bson.Unmarshal(e.snapshot, &snap); err != nil {
			return r, err
		}
		r.Snapshot = &snap
	}
	return r, nil
}

// put records the summary of the response just written.
func (x *roundIndex) put(round, dept string, r *survey.Response) {
	if x == nil {
		return
	}
	raw, err := summaryOf(r)
	x.mu.Lock()
	defer x.mu.Unlock()
	id := survey.ResponseID(round, dept)
	if err != nil {
		x.unknown[id] = true
		return
	}
	delete(x.unknown, id)
	x.set(round, dept, raw)
}

func (x *roundIndex) set(round, dept string, raw indexEntry) {
	m := x.rounds[round]
	if m == nil {
		m = map[string]indexEntry{}
		x.rounds[round] = m
	}
	m[dept] = raw
}

// forget marks a response whose write's outcome is not known.
func (x *roundIndex) forget(round, dept string) {
	if x == nil {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.unknown[survey.ResponseID(round, dept)] = true
}

// load fills the index from one pass over the stored responses and then
// marks it ready. Documents written meanwhile are already in the index
// with what was written, which is never older than what the pass read, so
// the pass fills in only the departments still missing.
func (s *Store) loadRoundIndex(ctx context.Context) {
	x := s.index
	start := time.Now()
	n, err := func() (int, error) {
		cur, err := s.db.Collection(colResponses).Find(ctx, bson.D{},
			options.Find().SetProjection(withoutAnswers).SetBatchSize(500))
		if err != nil {
			return 0, err
		}
		defer cur.Close(context.WithoutCancel(ctx))
		n := 0
		for cur.Next(ctx) {
			var r survey.Response
			if err := cur.Decode(&r); err != nil {
				return n, err
			}
			raw, err := summaryOf(&r)
			if err != nil {
				return n, err
			}
			x.mu.Lock()
			if _, seen := x.rounds[r.Round][r.Department]; !seen {
				x.set(r.Round, r.Department, raw)
			}
			x.mu.Unlock()
			n++
		}
		return n, cur.Err()
	}()
	if err != nil {
		// The reads keep taking the store's own path: slower, still right.
		s.log.Warn("embedded store: response summaries not indexed; round-wide reads stay slower", slog.Any("error", err))
		return
	}
	x.mu.Lock()
	x.ready = true
	x.mu.Unlock()
	s.log.Debug("embedded store: response summaries indexed", slog.Int("responses", n), slog.Duration("took", time.Since(start)))
}

// summaries returns the round's summaries in department order, and false
// while the index cannot answer (not loaded, or off). Responses whose last
// write had an unknown outcome are read again by _id first, under their
// document lock so that no write finishes in between.
func (s *Store) indexedSummaries(ctx context.Context, round string) ([]indexEntry, bool, error) {
	x := s.index
	if x == nil {
		return nil, false, nil
	}
	x.mu.Lock()
	if !x.ready {
		x.mu.Unlock()
		return nil, false, nil
	}
	var unknown []string
	for id := range x.unknown {
		if strings.HasPrefix(id, round+"/") {
			unknown = append(unknown, id)
		}
	}
	x.mu.Unlock()
	for _, id := range unknown {
		if err := s.reindex(ctx, round, strings.TrimPrefix(id, round+"/")); err != nil {
			return nil, false, err
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	m := x.rounds[round]
	depts := make([]string, 0, len(m))
	for d := range m {
		depts = append(depts, d)
	}
	slices.Sort(depts)
	out := make([]indexEntry, len(depts))
	for i, d := range depts {
		out[i] = m[d]
	}
	return out, true, nil
}

// reindex reads one response again from the store and records it.
func (s *Store) reindex(ctx context.Context, round, dept string) error {
	id := survey.ResponseID(round, dept)
	unlock, err := s.lockDoc(ctx, colResponses, id)
	if err != nil {
		return err
	}
	defer unlock()
	var r survey.Response
	err = mapErr(s.db.Collection(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r))
	x := s.index
	switch {
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		x.mu.Lock()
		delete(x.rounds[round], dept)
		delete(x.unknown, id)
		x.mu.Unlock()
		return nil
	case err != nil:
		return err
	}
	x.put(round, dept, &r)
	return nil
}

// decodeSummaries decodes index entries, keeping those keep accepts, with
// their snapshots when withSnapshot.
func decodeSummaries(entries []indexEntry, withSnapshot bool, keep func(*survey.Response) bool) ([]survey.Response, error) {
	out := make([]survey.Response, 0, len(entries))
	for _, e := range entries {
		r, err := e.decode(withSnapshot)
		if err != nil {
			return nil, err
		}
		if keep(&r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Indexed reports whether the round-wide reads are served from the index
// of response summaries: always false on MongoDB, and on the embedded
// store false until the pass made at Open has finished.
func (s *Store) Indexed() bool {
	if s.index == nil {
		return false
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.index.ready
}
