package mongostore

import (
	"context"
	"iter"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// responseDoc is a response as stored, under its deterministic id
// "<round>/<department>" so that a round's responses are one _id range.
//
// The answers are kept as one BSON document inside a binary field
// (answers_bson) rather than as a nested document: the embedded server
// keeps documents as JSON and parses every field of a document it reads,
// so sixty answers as fields made every read and every update of a
// response parse sixty sub-documents; one binary field is one string to
// decode. Nothing queries answers in the store (statistics are computed in
// Go), so MongoDB loses nothing. Documents stored before, with the answers
// under "answers", still read.
type responseDoc struct {
	ID              string `bson:"_id"`
	survey.Response `bson:",inline"`
	AnswersBSON     []byte `bson:"answers_bson,omitempty"`
}

// withoutAnswers is the projection that leaves the answers out, in either
// form.
var withoutAnswers = bson.D{{Key: "answers", Value: 0}, {Key: "answers_bson", Value: 0}}

// encodeResponse is the stored document of r under id.
func encodeResponse(id string, r *survey.Response) (bson.Raw, error) {
	answers := r.Answers
	if answers == nil {
		answers = map[string]*survey.Answer{}
	}
	enc, err := bson.Marshal(answers)
	if err != nil {
		return nil, err
	}
	d := responseDoc{ID: id, Response: *r, AnswersBSON: enc}
	d.Response.Answers = nil
	return bson.Marshal(d)
}

// response is the stored response, its answers decoded from whichever
// form they were stored in.
func (d *responseDoc) response() (*survey.Response, error) {
	if d.AnswersBSON != nil {
		answers := map[string]*survey.Answer{}
		if err := bson.Unmarshal(d.AnswersBSON, &answers); err != nil {
			return nil, err
		}
		d.Answers = answers
	}
	if d.Answers == nil {
		d.Answers = map[string]*survey.Answer{}
	}
	return &d.Response, nil
}

// roundRange selects every response of a round by _id prefix (fast on both stores).
func roundRange(round string) bson.D {
	return bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: round + "/"}, {Key: "$lt", Value: round + "/\uffff"}}}}
}

// maxWriteAttempts bounds retries of an optimistic write that lost a race.
const maxWriteAttempts = 5

// Response returns a department's response; an empty not_started one when
// the department never answered.
func (s *Store) Response(ctx context.Context, round, dept string) (*survey.Response, error) {
	id := survey.ResponseID(round, dept)
	if r, ok := s.cachedResponse(id); ok {
		return r, nil
	}
	var d responseDoc
	err := s.db.Collection(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if err := mapErr(err); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return survey.NewResponse(round, dept), nil
		}
		return nil, err
	}
	return d.response()
}

// UpdateResponse reads the response, lets change modify it, and writes it
// back only if its version is still the one read; a lost race re-reads and
// re-applies change (which therefore sees the other writer's answers, so
// edits of different questions never conflict). change signals "nothing to
// write" by leaving Version unchanged. The document is created on its first
// change.
func (s *Store) UpdateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, error) {
	r, resultsChanged, err := s.updateResponse(ctx, round, dept, change)
	if resultsChanged {
		// After the response's lock is released: a writer holds one
		// document lock at a time, so lock stripes never deadlock.
		s.bumpResultsVersion(ctx, round)
	}
	return r, err
}

// updateResponse is UpdateResponse under the response's lock; it also says
// whether the write changed the round's submitted results.
func (s *Store) updateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, bool, error) {
	id := survey.ResponseID(round, dept)
	unlock, err := s.lockDoc(ctx, colResponses, id)
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	coll := s.db.Collection(colResponses)
	for attempt := 0; attempt < maxWriteAttempts; attempt++ {
		r, err := s.Response(ctx, round, dept)
		if err != nil {
			return nil, false, err
		}
		prev, prevStatus := r.Version, r.Status
		if err := change(r); err != nil {
			return nil, false, err
		}
		if r.Version == prev {
			return r, false, nil
		}
		raw, err := encodeResponse(id, r)
		if err != nil {
			return nil, false, err
		}
		s.responses.drop(id) // until the write is known to have happened
		if prev == 0 {
			_, err = coll.InsertOne(ctx, raw)
			if err = mapErr(err); survey.ErrorCode(err) == survey.ECONFLICT {
				continue // someone created it first: re-read and re-apply
			}
			if err != nil {
				s.index.forget(round, dept)
				return nil, false, err
			}
			return r, s.written(id, raw, r, prevStatus), nil
		}
		res, err := coll.ReplaceOne(ctx, s.replaceFilter(id, prev), raw)
		if err != nil {
			s.index.forget(round, dept)
			return nil, false, mapErr(err)
		}
		if res.MatchedCount == 1 {
			return r, s.written(id, raw, r, prevStatus), nil
		}
	}
	return nil, false, survey.Errorf(survey.ECONFLICT, "the response is being changed by others; try again")
}

// written records a response write that succeeded: in the embedded
// store's caches, and, when it submitted or reopened the response (or
// changed a submitted one) it says so: the round's results changed.
func (s *Store) written(id string, raw bson.Raw, r *survey.Response, prevStatus string) bool {
	s.responses.put(id, raw)
	s.index.put(r.Round, r.Department, r)
	return prevStatus == survey.StatusSubmitted || r.Status == survey.StatusSubmitted
}

// cachedResponse decodes the response document this process last wrote
// under id, when the cache has it (embedded store only).
func (s *Store) cachedResponse(id string) (*survey.Response, bool) {
	raw, ok := s.responses.get(id)
	if !ok {
		return nil, false
	}
	var d responseDoc
	if err := bson.Unmarshal(raw, &d); err != nil {
		s.responses.drop(id)
		return nil, false
	}
	r, err := d.response()
	if err != nil {
		s.responses.drop(id)
		return nil, false
	}
	return r, true
}

// replaceFilter selects the stored response if it is still at version. On
// MongoDB the version is in the filter, an atomic check. On the embedded
// store the per-document lock held by UpdateResponse already guarantees it
// (only this process writes there), and the filter is the _id alone: the
// embedded store looks a document up by index only for a lone _id equality
// and scans the whole collection for anything more.
func (s *Store) replaceFilter(id string, version int) bson.D {
	if s.locks != nil {
		return bson.D{{Key: "_id", Value: id}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}}
}

// ResponseSummaries returns every stored response of a round without answers
// (status, version, progress, dates): one range scan.
func (s *Store) ResponseSummaries(ctx context.Context, round string) ([]survey.Response, error) {
	if raws, ok, err := s.indexedSummaries(ctx, round); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return decodeSummaries(raws, false, func(*survey.Response) bool { return true })
	}
	return s.findResponses(ctx, roundRange(round), append(bson.D{{Key: "snapshot", Value: 0}}, withoutAnswers...))
}

// SubmittedScores returns the submitted responses of a round with their
// score snapshots but without answers: one range scan, small documents.
func (s *Store) SubmittedScores(ctx context.Context, round string) ([]survey.Response, error) {
	if raws, ok, err := s.indexedSummaries(ctx, round); ok || err != nil {
		if err != nil {
			return nil, err
		}
		return decodeSummaries(raws, true, func(r *survey.Response) bool { return r.Status == survey.StatusSubmitted })
	}
	filter := append(roundRange(round), bson.E{Key: "status", Value: survey.StatusSubmitted})
	return s.findResponses(ctx, filter, withoutAnswers)
}

// findResponses reads the responses matching filter, in department order,
// with projection applied.
func (s *Store) findResponses(ctx context.Context, filter, projection bson.D) ([]survey.Response, error) {
	return findAll[survey.Response](ctx, s.db.Collection(colResponses), filter,
		options.Find().SetProjection(projection).SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// Responses streams every stored response of a round, in department order,
// from one cursor; memory stays bounded however many departments there are.
// A store error is yielded once, last.
func (s *Store) Responses(ctx context.Context, round string) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		if raws, ok, err := s.indexedSummaries(ctx, round); ok || err != nil {
			s.responsesByID(ctx, round, raws, err, yield)
			return
		}
		cur, err := s.db.Collection(colResponses).Find(ctx, roundRange(round),
			options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(200))
		if err != nil {
			yield(nil, mapErr(err))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			var d responseDoc
			if err := cur.Decode(&d); err != nil {
				yield(nil, mapErr(err))
				return
			}
			r, err := d.response()
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, mapErr(err))
		}
	}
}

// responsesByID is Responses on the embedded store: the round's
// departments come from the index, and each response is read by _id (an
// indexed look-up there), so the cost is the round's and nothing is sorted
// in the server. A few reads run ahead of the caller (readAhead), so that
// the embedded server decodes the next responses while the caller uses
// this one; they are yielded in department order, and memory stays a few
// responses.
func (s *Store) responsesByID(ctx context.Context, round string, entries []indexEntry, err error, yield func(*survey.Response, error) bool) {
	if err != nil {
		yield(nil, err)
		return
	}
	type read struct {
		r   *survey.Response
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := make(chan chan read, readAhead)
	go func() {
		defer close(pending)
		for _, e := range entries {
			dept, ok := e.summary.Lookup("department").StringValueOK()
			if !ok {
				continue
			}
			done := make(chan read, 1)
			select {
			case pending <- done:
			case <-ctx.Done():
				return
			}
			go func() {
				r, err := s.Response(ctx, round, dept)
				done <- read{r, err}
			}()
		}
	}()
	defer func() {
		cancel()
		for range pending { // let the reader goroutine end
		}
	}()
	for done := range pending {
		got := <-done
		if got.err != nil {
			yield(nil, got.err)
			return
		}
		if got.r.Version == 0 {
			continue // not stored (any more)
		}
		if !yield(got.r, nil) {
			return
		}
	}
}

// readAhead is how many responses responsesByID reads ahead of its caller.
const readAhead = 4
