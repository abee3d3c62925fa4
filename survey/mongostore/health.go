package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/dpo/dgsurvey/survey"
)

// storageFaultPhrases are how a store that is up but cannot write says so.
// The embedded server (FerretDB over SQLite) passes SQLite's own message
// and result code through as an InternalError (code 1), e.g.
// "[msg_insert.go:168 ...] database or disk is full (13)"; the text is the
// only signal it gives. SQLITE_FULL is 13, SQLITE_READONLY 8 (and its
// extended codes), SQLITE_IOERR 10 (and its extended codes, such as 778 for
// a failed write), SQLITE_CANTOPEN 14 (the files are gone or unreadable).
var storageFaultPhrases = []string{
	"database or disk is full",
	"attempt to write a readonly database",
	"disk i/o error",
	"unable to open database file",
	"no space left on device",
	"read-only file system",
}

// mongoOutOfDiskSpace is MongoDB's error code for a full disk.
const mongoOutOfDiskSpace = 14031

// isStorageFault reports whether err says the store's storage cannot take
// a write (full, read-only, failing, or its files gone).
func isStorageFault(err error) bool {
	if err == nil {
		return false
	}
	var se mongo.ServerError
	if errors.As(err, &se) && se.HasErrorCode(mongoOutOfDiskSpace) {
		return true
	}
	return hasStorageFaultText(err.Error())
}

func hasStorageFaultText(msg string) bool {
	msg = strings.ToLower(msg)
	for _, p := range storageFaultPhrases {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// writeHealth remembers that the store refused a write for a storage fault
// (disk full, read-only) until a write succeeds again. Ping, and so the
// readiness check, fails while it remembers one: a plain ping goes on
// answering while every write fails. It is fed by the command monitor, so
// every write of every collection counts, whoever made it.
type writeHealth struct {
	mu    sync.Mutex
	fault error
	since time.Time
}

func (h *writeHealth) failed(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fault == nil {
		h.since = time.Now()
	}
	h.fault = err
}

func (h *writeHealth) succeeded() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fault = nil
}

// current is the remembered fault, if any, and since when.
func (h *writeHealth) current() (time.Time, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.since, h.fault
}

// writeCommands are the commands that change documents.
var writeCommands = map[string]bool{"insert": true, "update": true, "delete": true, "findAndModify": true}

// observe feeds one finished command to the health record: a command that
// failed for a storage fault sets it; a write command that changed at
// least one document, with no storage fault among its write errors,
// clears it.
func (h *writeHealth) observe(command string, reply bson.Raw, failure error) {
	if failure != nil {
		if isStorageFault(failure) {
			h.failed(failure)
		}
		return
	}
	if !writeCommands[command] {
		return
	}
	if we, err := reply.LookupErr("writeErrors"); err == nil {
		if hasStorageFaultText(we.String()) {
			h.failed(errors.New("write error: " + we.String()))
			return
		}
	}
	if changed(command, reply) {
		h.succeeded()
	}
}

// changed reports whether a write command's reply says it wrote anything.
func changed(command string, reply bson.Raw) bool {
	n := func(v bson.RawValue) bool {
		i, ok := v.AsInt64OK()
		return ok && i > 0
	}
	if command == "findAndModify" {
		v, err := reply.LookupErr("lastErrorObject", "n")
		return err == nil && n(v)
	}
	v, err := reply.LookupErr("n")
	return err == nil && n(v)
}

// commandMonitor reports commands to the metrics hooks and to health.
func commandMonitor(observe func(string, time.Duration, bool), count func(string), health *writeHealth) *event.CommandMonitor {
	m := &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			health.observe(e.CommandName, e.Reply, nil)
			if observe != nil {
				observe(e.CommandName, e.Duration, true)
			}
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			health.observe(e.CommandName, nil, e.Failure)
			if observe != nil {
				observe(e.CommandName, e.Duration, false)
			}
		},
	}
	if count != nil {
		m.Started = func(_ context.Context, e *event.CommandStartedEvent) { count(e.CommandName) }
	}
	return m
}

// colHealth holds the one document the readiness probe writes.
const colHealth = "_health"

// probePad makes the probe write about as large as an ordinary write, so
// that a store with room only for a tiny write is not taken for healthy.
var probePad = strings.Repeat(".", 32<<10)

// probeWrite writes the readiness probe document; its success (seen by the
// command monitor) clears a remembered storage fault.
func (s *Store) probeWrite(ctx context.Context) error {
	unlock, err := s.lockDoc(ctx, colHealth, "probe")
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.Collection(colHealth).UpdateOne(ctx, bson.D{{Key: "_id", Value: "probe"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().UTC()}, {Key: "pad", Value: probePad}}}},
		options.UpdateOne().SetUpsert(true))
	return mapErr(err)
}

// writable fails while the store is known to refuse writes: after a write
// failed for a storage fault, until a write succeeds. While it remembers
// one it tries a probe write, so readiness recovers once space returns
// even when no traffic reaches an instance that reports itself unready.
func (s *Store) writable(ctx context.Context) error {
	since, fault := s.health.current()
	if fault == nil {
		return nil
	}
	if err := s.probeWrite(ctx); err != nil {
		return fmt.Errorf("%w: the store has refused writes since %s: %v", survey.ErrUnavailable,
			since.UTC().Format(time.RFC3339), fault)
	}
	return nil
}
