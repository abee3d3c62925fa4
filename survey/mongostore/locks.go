package mongostore

import (
	"context"
	"errors"
	"hash/fnv"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// docLocks is a fixed set of locks striped by document id: bounded memory
// however many documents exist, and two writers of one document always meet
// the same lock. Each lock is a one-slot channel so that waiting for it can
// give up: when the store is down, writers queued behind one that is
// waiting out the store timeout would otherwise each wait their own
// timeout in turn.
type docLocks struct {
	stripes [256]chan struct{}
}

func newDocLocks() *docLocks {
	l := &docLocks{}
	for i := range l.stripes {
		l.stripes[i] = make(chan struct{}, 1)
	}
	return l
}

// lock takes the lock of id, waiting at most wait (or until ctx ends), and
// returns its release; a wait that gives up is ErrUnavailable, except that
// a caller whose context was cancelled (the client went away) gets
// context.Canceled.
func (l *docLocks) lock(ctx context.Context, id string, wait time.Duration) (func(), error) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	ch := l.stripes[h.Sum32()%uint32(len(l.stripes))]
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			return nil, ctx.Err()
		}
		return nil, survey.ErrUnavailable
	case <-timer.C:
		return nil, survey.ErrUnavailable
	}
}
