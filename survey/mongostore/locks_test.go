package mongostore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestDocLockGivesUp: a writer queued behind a stuck one gives up after its
// wait with ErrUnavailable instead of queueing for ever, and the lock works
// again once released.
func TestDocLockGivesUp(t *testing.T) {
	l := newDocLocks()
	ctx := context.Background()
	release, err := l.lock(ctx, "r1/ABC", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.lock(ctx, "r1/ABC", 20*time.Millisecond); !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("second writer: %v, want unavailable", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.lock(cancelled, "r1/ABC", time.Second); !errors.Is(err, context.Canceled) || errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("cancelled writer: %v, want cancelled (the client left; no store fault)", err)
	}
	expired, cancel2 := context.WithTimeout(ctx, time.Millisecond)
	defer cancel2()
	if _, err := l.lock(expired, "r1/ABC", time.Second); !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("writer past its deadline: %v, want unavailable", err)
	}
	release()
	again, err := l.lock(ctx, "r1/ABC", 20*time.Millisecond)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}
