package mongostore

import (
	"context"
	"errors"
	"fmt"
	"testing"

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
