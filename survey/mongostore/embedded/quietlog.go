package embedded

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// quietEndSessions drops one known, harmless exchange from FerretDB's log:
// the driver's Disconnect sends endSessions for the server sessions it
// pooled, FerretDB 1.24 does not implement that command and answers
// CommandNotFound (59), and it logs every failed answer at WARN as two
// records, "Response header: …" then "Response message:\n{…}", on the
// connection's logger. That made a multi-line WARN of every clean stop.
// The sessions end with the connection anyway, so nothing is lost.
//
// A "Response header" record is held until the next record of the same
// connection's logger: if that is the endSessions answer both are
// dropped, otherwise both are passed on. Every other record, and every
// other failed command, goes through untouched.
type quietEndSessions struct {
	next slog.Handler
	mu   *sync.Mutex
	held *heldRecord
}

type heldRecord struct {
	ctx context.Context
	r   slog.Record
	ok  bool
}

func newQuietEndSessions(next slog.Handler) *quietEndSessions {
	return &quietEndSessions{next: next, mu: &sync.Mutex{}, held: &heldRecord{}}
}

func (q *quietEndSessions) Enabled(ctx context.Context, l slog.Level) bool {
	return q.next.Enabled(ctx, l)
}

func (q *quietEndSessions) Handle(ctx context.Context, r slog.Record) error {
	q.mu.Lock()
	held := *q.held
	*q.held = heldRecord{}
	switch {
	case strings.HasPrefix(r.Message, "Response header: ") && r.Level >= slog.LevelWarn:
		*q.held = heldRecord{ctx: ctx, r: r.Clone(), ok: true}
		q.mu.Unlock()
		if held.ok {
			return q.next.Handle(held.ctx, held.r)
		}
		return nil
	case held.ok && strings.HasPrefix(r.Message, "Response message:") && strings.Contains(r.Message, "no such command: 'endSessions'"):
		q.mu.Unlock()
		return nil
	}
	q.mu.Unlock()
	if held.ok {
		if err := q.next.Handle(held.ctx, held.r); err != nil {
			return err
		}
	}
	return q.next.Handle(ctx, r)
}

func (q *quietEndSessions) WithAttrs(attrs []slog.Attr) slog.Handler {
	return newQuietEndSessions(q.next.WithAttrs(attrs))
}

func (q *quietEndSessions) WithGroup(name string) slog.Handler {
	return newQuietEndSessions(q.next.WithGroup(name))
}
