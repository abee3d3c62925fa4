package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// TestAuditGroupDeliversEachOutcome: concurrent appends are all inserted
// exactly once, each caller gets its own event's outcome, and one caller's
// cancelled context does not reach the insert.
func TestAuditGroupDeliversEachOutcome(t *testing.T) {
	var g auditGroup
	var mu sync.Mutex
	inserted := map[string]int{}
	batches := 0
	insert := func(ctx context.Context, events []*survey.AuditEvent) []error {
		if ctx.Err() != nil {
			t.Error("the insert got a cancelled context")
		}
		time.Sleep(time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		batches++
		errs := make([]error, len(events))
		for i, e := range events {
			inserted[e.ID]++
			if e.Action == "fail" {
				errs[i] = errors.New("refused " + e.ID)
			}
		}
		return errs
	}
	const n = 60
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			if i%7 == 0 {
				cancel() // a caller that went away still gets its event stored
			}
			defer cancel()
			action := "ok"
			if i%10 == 3 {
				action = "fail"
			}
			results[i] = g.append(ctx, &survey.AuditEvent{ID: fmt.Sprint(i), Action: action}, insert)
		}()
	}
	wg.Wait()
	for i, err := range results {
		want := i%10 == 3
		if (err != nil) != want || (want && err.Error() != fmt.Sprintf("refused %d", i)) {
			t.Errorf("append %d: %v", i, err)
		}
		if inserted[fmt.Sprint(i)] != 1 {
			t.Errorf("event %d inserted %d times", i, inserted[fmt.Sprint(i)])
		}
	}
	t.Logf("%d events in %d inserts", n, batches)
	if g.busy || len(g.queue) != 0 {
		t.Errorf("left busy=%v with %d queued", g.busy, len(g.queue))
	}
}
