package assess

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// Defaults of the people settings.
const (
	DefaultLinkTTL            = 30 * time.Minute
	DefaultLinksPerAddress    = 5
	DefaultLinksPerClient     = 100 // offices share one address behind their proxy
	DefaultLinkRequestsWindow = 15 * time.Minute
	defaultOutboxListLimit    = 200
	maxOutboxListLimit        = 1000
)

// DefaultReminderDays is when reminders go out: days before a deadline.
var DefaultReminderDays = []int{14, 7, 2}

// Mailer sends messages already recorded in the outbox as queued, in the
// background (survey/mail.Queue). Without one, messages are kept in the
// outbox for an administrator to read.
type Mailer interface {
	Enqueue(m *survey.Message)
}

// PeopleConfig holds the settings of named users and e-mail.
type PeopleConfig struct {
	// Mailer sends e-mail; nil keeps every message in the outbox.
	Mailer Mailer
	// BaseURL is where links in e-mails point (scheme, host, optional path).
	BaseURL string
	// LinkTTL is how long a sign-in link works.
	LinkTTL time.Duration
	// LinksPerAddress and LinksPerClient bound how many sign-in links may
	// be asked for, per address and per client address, in LinkWindow.
	LinksPerAddress, LinksPerClient int
	LinkWindow                      time.Duration
	// ReminderDays are the days before a deadline when reminders go out.
	ReminderDays []int
}

func (c PeopleConfig) withDefaults() PeopleConfig {
	if c.LinkTTL <= 0 {
		c.LinkTTL = DefaultLinkTTL
	}
	if c.LinksPerAddress <= 0 {
		c.LinksPerAddress = DefaultLinksPerAddress
	}
	if c.LinksPerClient <= 0 {
		c.LinksPerClient = DefaultLinksPerClient
	}
	if c.LinkWindow <= 0 {
		c.LinkWindow = DefaultLinkRequestsWindow
	}
	if c.ReminderDays == nil {
		c.ReminderDays = DefaultReminderDays
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://127.0.0.1:8080"
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// peopleState is what the people use cases keep between requests.
type peopleState struct {
	users      *ttlCache[*survey.User]
	perAddress *failureLimiter
	perClient  *failureLimiter
}

func newPeopleState(cfg Config) *peopleState {
	pc := cfg.People
	return &peopleState{
		users:      newTTLCache[*survey.User](cfg.CredentialCacheTTL, cfg.Now),
		perAddress: newFailureLimiter(pc.LinksPerAddress, pc.LinkWindow, cfg.Now),
		perClient:  newFailureLimiter(pc.LinksPerClient, pc.LinkWindow, cfg.Now),
	}
}

// link is an absolute URL of the service for an e-mail.
func (s *Service) link(path string) string { return s.cfg.People.BaseURL + path }

// MailConfigured says whether e-mail goes out over SMTP (else it is kept
// in the outbox).
func (s *Service) MailConfigured() bool { return s.cfg.People.Mailer != nil }

// sendMail records a message to u in the outbox and, with a mailer, queues
// it for sending. A failure never fails the caller's action (which has
// happened): it is logged, with the message id and never the address.
func (s *Service) sendMail(ctx context.Context, kind string, u *survey.User, round, dept string, c mailContent) {
	id, err := survey.NewID()
	if err != nil {
		s.log.ErrorContext(ctx, "e-mail not recorded", slog.String("kind", kind), slog.Any("error", err))
		return
	}
	now := s.now()
	m := &survey.Message{ID: now.Format("20060102T150405.000Z") + "-" + id, Kind: kind, To: u.Email, ToName: u.Name,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML, Created: now, Status: survey.MailKept, Round: round, Dept: dept}
	stored := m
	if s.cfg.People.Mailer != nil {
		m.Status = survey.MailQueued
		// The outbox keeps a sign-in link only when it is the way the
		// message reaches its recipient (no SMTP).
		kept := m.WithoutSecret(c.Secret)
		stored = &kept
	}
	if err := s.store.AppendMessage(ctx, stored); err != nil {
		s.log.ErrorContext(ctx, "e-mail not recorded in the outbox", slog.String("kind", kind), slog.String("user", u.ID), slog.Any("error", err))
		return
	}
	if s.cfg.People.Mailer != nil {
		s.cfg.People.Mailer.Enqueue(m)
	}
}

// mailContent is a composed message (survey/mail.Content); Secret is a
// sign-in link in it, which the outbox must not keep when SMTP sends it.
type mailContent struct{ Subject, Text, HTML, Secret string }

// Outbox lists the messages, newest first (admin).
func (s *Service) Outbox(ctx context.Context, p survey.Principal, limit int) ([]survey.Message, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	switch {
	case limit < 0:
		return nil, survey.Invalid("invalid request", survey.Fault("limit", survey.RuleMin, "0"))
	case limit > maxOutboxListLimit:
		return nil, survey.Invalid("invalid request", survey.Fault("limit", survey.RuleMaxValue, "1000"))
	case limit == 0:
		limit = defaultOutboxListLimit
	}
	msgs, err := s.store.Messages(ctx, limit)
	return nonNil(msgs), err
}

// responsePath is the page of a department's response.
func responsePath(round, dept string) string {
	return "/rounds/" + url.PathEscape(round) + "/responses/" + url.PathEscape(dept)
}
