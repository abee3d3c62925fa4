package mongostore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/dpo/dgsurvey/survey"
)

// poolCleared stands for the driver's (unexported) error of a connection
// pool cleared after a network failure.
type poolCleared struct{}

func (poolCleared) Error() string {
	return "connection pool for x was cleared because another operation failed with: broken pipe"
}
func (poolCleared) Retryable() bool { return true }

// TestMapErrUnavailable: every way the driver says the store cannot be
// reached maps to ErrUnavailable (503), including the error other operations
// get while the store goes away, which once surfaced as a 500.
func TestMapErrUnavailable(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"deadline", context.DeadlineExceeded},
		{"server selection", topology.ServerSelectionError{Wrapped: errors.New("dial unix: no such file")}},
		{"connection", topology.ConnectionError{Wrapped: errors.New("broken pipe")}},
		{"pool closed", topology.ErrPoolClosed},
		{"client disconnected", mongo.ErrClientDisconnected},
		{"pool cleared, as the driver returns it", mongo.CommandError{Message: "pool cleared",
			Wrapped: driver.Error{Message: "pool cleared", Labels: []string{driver.TransientTransactionError}, Wrapped: poolCleared{}}}},
		{"pool cleared, wrapped again", fmt.Errorf("updating: %w", driver.Error{Wrapped: poolCleared{}})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := mapErr(tc.err); !errors.Is(err, survey.ErrUnavailable) {
				t.Fatalf("mapErr(%v) = %v, want unavailable", tc.err, err)
			}
		})
	}
	if err := mapErr(errors.New("something else")); errors.Is(err, survey.ErrUnavailable) {
		t.Fatal("an unknown error mapped to unavailable")
	}
}

// ferretError is how the embedded server (FerretDB over SQLite) answers a
// write its SQLite cannot make: an InternalError carrying SQLite's message.
func ferretError(msg string) error {
	text := "[msg_insert.go:168 handler.(*Handler).MsgInsert] [db.go:167 fsql.(*DB).InTransaction] " + msg
	return mongo.CommandError{Code: 1, Name: "InternalError", Message: text, Wrapped: driver.Error{Code: 1, Message: text}}
}

// TestMapErrStorageFaults: a store that answers but cannot write (disk
// full, read-only, failing disk, files gone) is unavailable (503), not an
// internal error (500), and the health record remembers it until a write
// succeeds.
func TestMapErrStorageFaults(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"SQLITE_FULL", ferretError("database or disk is full (13)")},
		{"SQLITE_READONLY", ferretError("attempt to write a readonly database (8)")},
		{"SQLITE_READONLY_DBMOVED", ferretError("attempt to write a readonly database (1032)")},
		{"SQLITE_IOERR_WRITE", ferretError("disk I/O error (778)")},
		{"SQLITE_CANTOPEN", ferretError("unable to open database file (14)")},
		{"MongoDB OutOfDiskSpace", mongo.CommandError{Code: 14031, Name: "OutOfDiskSpace", Message: "No space left on device"}},
		{"a write error", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 1, Message: "database or disk is full (13)"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := mapErr(tc.err); !errors.Is(err, survey.ErrUnavailable) {
				t.Fatalf("mapErr(%v) = %v, want unavailable", tc.err, err)
			}
			h := &writeHealth{}
			h.observe("update", nil, tc.err)
			if _, fault := h.current(); fault == nil {
				t.Fatal("the fault was not remembered")
			}
			h.observe("find", bson.Raw(bsoncoreDoc(t, bson.D{{Key: "ok", Value: 1}})), nil)
			if _, fault := h.current(); fault == nil {
				t.Fatal("a read cleared the fault")
			}
			h.observe("update", bson.Raw(bsoncoreDoc(t, bson.D{{Key: "n", Value: 0}, {Key: "ok", Value: 1}})), nil)
			if _, fault := h.current(); fault == nil {
				t.Fatal("a write that matched nothing cleared the fault")
			}
			h.observe("update", bson.Raw(bsoncoreDoc(t, bson.D{{Key: "n", Value: 1}, {Key: "ok", Value: 1}})), nil)
			if _, fault := h.current(); fault != nil {
				t.Fatalf("a successful write left the fault: %v", fault)
			}
		})
	}
}

func bsoncoreDoc(t *testing.T, d bson.D) []byte {
	t.Helper()
	b, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMapErrCancelled: a call whose client gave up is no store outage,
// even when the driver reports it as a connection or selection error.
func TestMapErrCancelled(t *testing.T) {
	for _, err := range []error{
		context.Canceled,
		topology.ConnectionError{Wrapped: context.Canceled},
		topology.ServerSelectionError{Wrapped: context.Canceled},
		fmt.Errorf("finding: %w", mongo.CommandError{Message: "x", Wrapped: context.Canceled}),
	} {
		got := mapErr(err)
		if errors.Is(got, survey.ErrUnavailable) || !errors.Is(got, context.Canceled) {
			t.Fatalf("mapErr(%v) = %v, want it to stay cancelled", err, got)
		}
	}
}
