package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// Sender delivers one message (SMTP in production, anything in tests).
type Sender interface {
	Send(ctx context.Context, m *survey.Message) error
}

// Recorder keeps the outcome of each attempt in the outbox. ClaimAttempt
// takes attempt done+1 of a queued message, false when another queue (of
// another instance) already took it.
type Recorder interface {
	UpdateMessage(ctx context.Context, m *survey.Message) error
	ClaimAttempt(ctx context.Context, id string, done int) (bool, error)
}

// QueueConfig tunes the queue; zero values take the defaults.
type QueueConfig struct {
	// Attempts is how many times a message is tried (default 6).
	Attempts int
	// Backoff is the wait before the first retry, doubled after each
	// (default 30 s, so the sixth attempt comes about 15 minutes after the first).
	Backoff time.Duration
	// Size bounds the messages in the queue, waiting or being retried
	// (default 10,000); beyond it a message stays queued in the outbox and
	// is logged.
	Size int
	// Workers bounds the SMTP sessions open at once (default 4), so that a
	// burst of reminders or an outage never opens hundreds.
	Workers int
	Logger  *slog.Logger
	Now     func() time.Time
}

// Queue sends messages in the background: Enqueue never blocks the request
// that caused the message, a failed delivery is retried with back-off, and
// every outcome (sent, or failed with the last error) is recorded.
type Queue struct {
	sender Sender
	rec    Recorder
	cfg    QueueConfig
	work   chan *survey.Message
	slots  chan struct{}
	held   atomic.Int64
	wg     sync.WaitGroup
	stop   context.CancelFunc
	ctx    context.Context
}

// NewQueue starts a queue over sender, recording outcomes with rec. Close
// stops it.
func NewQueue(sender Sender, rec Recorder, cfg QueueConfig) *Queue {
	if cfg.Attempts <= 0 {
		cfg.Attempts = 6
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.Size <= 0 {
		cfg.Size = 10000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	q := &Queue{sender: sender, rec: rec, cfg: cfg, work: make(chan *survey.Message, cfg.Size),
		slots: make(chan struct{}, cfg.Workers), ctx: ctx, stop: stop}
	q.wg.Add(1)
	go q.run()
	return q
}

// Enqueue hands a message (already in the outbox as queued) to the queue.
func (q *Queue) Enqueue(m *survey.Message) {
	if q.held.Add(1) > int64(q.cfg.Size) {
		q.held.Add(-1)
		q.cfg.Logger.Error("mail queue full; the message stays queued in the outbox", slog.String("message", m.ID))
		return
	}
	select {
	case q.work <- m:
	default:
		q.held.Add(-1)
		q.cfg.Logger.Error("mail queue full; the message stays queued in the outbox", slog.String("message", m.ID))
	}
}

// Close stops sending; messages not yet sent stay queued in the outbox.
func (q *Queue) Close() {
	q.stop()
	q.wg.Wait()
}

func (q *Queue) run() {
	defer q.wg.Done()
	for {
		select {
		case <-q.ctx.Done():
			return
		case m := <-q.work:
			q.wg.Add(1)
			go func() {
				defer q.wg.Done()
				q.deliver(m)
			}()
		}
	}
}

// deliver tries m until it is sent or out of attempts, waiting Backoff,
// then twice as long, between attempts. Errors are logged with the message
// id only: addresses never go into logs.
func (q *Queue) deliver(m *survey.Message) {
	defer q.held.Add(-1)
	wait := q.cfg.Backoff
	for {
		mine, err := q.claim(m)
		if err == nil && !mine {
			// Another instance is sending it (it re-queued or still
			// retries the same message): it records the outcome.
			q.cfg.Logger.Info("e-mail sent by another instance", slog.String("message", m.ID))
			return
		}
		if err == nil {
			m.Attempts++
			err = q.send(m)
		}
		if err == errStopped {
			return
		}
		if err == nil {
			now := q.cfg.Now().UTC().Truncate(time.Millisecond)
			m.Status, m.SentAt, m.LastError = survey.MailSent, &now, ""
			q.record(m)
			return
		}
		m.LastError = err.Error()
		if m.Attempts >= q.cfg.Attempts {
			m.Status = survey.MailFailed
			q.record(m)
			q.cfg.Logger.Error("e-mail not delivered", slog.String("message", m.ID), slog.String("kind", m.Kind),
				slog.Int("attempts", m.Attempts))
			return
		}
		q.record(m)
		q.cfg.Logger.Warn("e-mail delivery failed; will retry", slog.String("message", m.ID),
			slog.Int("attempt", m.Attempts), slog.Duration("retry_in", wait))
		select {
		case <-q.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// claim takes m's next attempt in the outbox (bounded like a record).
func (q *Queue) claim(m *survey.Message) (bool, error) {
	ctx, cancel := context.WithTimeout(q.ctx, 10*time.Second)
	defer cancel()
	return q.rec.ClaimAttempt(ctx, m.ID, m.Attempts)
}

// errStopped says the queue closed while a message waited for a slot.
var errStopped = errors.New("mail queue stopped")

// send delivers m in one of the Workers slots.
func (q *Queue) send(m *survey.Message) error {
	select {
	case q.slots <- struct{}{}:
	case <-q.ctx.Done():
		return errStopped
	}
	defer func() { <-q.slots }()
	return q.sender.Send(q.ctx, m)
}

func (q *Queue) record(m *survey.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.rec.UpdateMessage(ctx, m); err != nil {
		q.cfg.Logger.Warn("recording an e-mail's outcome failed", slog.String("message", m.ID), slog.Any("error", err))
	}
}
