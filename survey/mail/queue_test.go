package mail_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// countingSender records how many sends run at once, holding each until
// released.
type countingSender struct {
	mu            sync.Mutex
	now, most, ok int
	release       chan struct{}
}

func (s *countingSender) Send(ctx context.Context, _ *survey.Message) error {
	s.mu.Lock()
	s.now++
	s.most = max(s.most, s.now)
	s.mu.Unlock()
	select {
	case <-s.release:
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.now--
	s.ok++
	s.mu.Unlock()
	return nil
}

// outcomes is a Recorder that keeps the last status of each message.
type outcomes struct {
	mu     sync.Mutex
	status map[string]string
}

func (o *outcomes) UpdateMessage(_ context.Context, m *survey.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.status[m.ID] = m.Status
	return nil
}

func (o *outcomes) ClaimAttempt(context.Context, string, int) (bool, error) { return true, nil }

func (o *outcomes) sent() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, s := range o.status {
		if s == survey.MailSent {
			n++
		}
	}
	return n
}

// TestQueueBoundsSessionsAndSize: a burst opens at most Workers SMTP
// sessions at once, every message is still sent, and messages beyond Size
// stay queued in the outbox instead of piling up in memory.
func TestQueueBoundsSessionsAndSize(t *testing.T) {
	sender := &countingSender{release: make(chan struct{})}
	rec := &outcomes{status: map[string]string{}}
	q := mail.NewQueue(sender, rec, mail.QueueConfig{Workers: 2, Size: 20, Backoff: time.Millisecond})
	defer q.Close()
	for i := range 25 {
		q.Enqueue(&survey.Message{ID: string(rune('a' + i)), Status: survey.MailQueued})
	}
	close(sender.release)
	deadline := time.Now().Add(10 * time.Second)
	for rec.sent() < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	sender.mu.Lock()
	defer sender.mu.Unlock()
	if sender.most > 2 {
		t.Errorf("%d sends at once, want at most 2", sender.most)
	}
	if got := rec.sent(); got != 20 {
		t.Errorf("%d messages sent, want the 20 the queue holds (5 left queued in the outbox)", got)
	}
}

// casOutbox is a Recorder whose ClaimAttempt is a compare-and-set on the
// attempt count, as the store's is.
type casOutbox struct {
	outcomes
	attempts map[string]int
}

func (o *casOutbox) ClaimAttempt(_ context.Context, id string, done int) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.attempts[id] != done || o.status[id] == survey.MailSent {
		return false, nil
	}
	o.attempts[id] = done + 1
	return true, nil
}

// sendCounter counts deliveries.
type sendCounter struct {
	mu sync.Mutex
	n  int
}

func (s *sendCounter) Send(context.Context, *survey.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return nil
}

// TestQueuesShareAMessageOnce: two instances' queues holding the same
// queued message (one restarted and re-queued it) deliver it once.
func TestQueuesShareAMessageOnce(t *testing.T) {
	rec := &casOutbox{outcomes: outcomes{status: map[string]string{}}, attempts: map[string]int{}}
	sender := &sendCounter{}
	a := mail.NewQueue(sender, rec, mail.QueueConfig{Backoff: time.Millisecond})
	b := mail.NewQueue(sender, rec, mail.QueueConfig{Backoff: time.Millisecond})
	for _, q := range []*mail.Queue{a, b} {
		q.Enqueue(&survey.Message{ID: "m1", Status: survey.MailQueued})
	}
	deadline := time.Now().Add(5 * time.Second)
	for rec.sent() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	a.Close()
	b.Close()
	if sender.n != 1 {
		t.Fatalf("the message was sent %d times, want once", sender.n)
	}
}
