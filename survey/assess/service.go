// Package assess carries out what the users of a self-assessment do: sign
// in, answer, submit, reopen, run rounds, manage departments and
// credentials, read scores and rankings, and download workbooks. Every
// action is one method taking the context, the principal acting and a plain
// input, and returning survey values or a *survey.Error. It knows nothing
// of HTTP or of the store's driver: the store is the small interfaces of
// store.go, which survey/mongostore implements.
package assess

import (
	"context"
	"errors"
	"fmt"
	"github.com/dpo/dgsurvey/reports"
	"log/slog"
	"sync"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// Defaults of the service settings; cmd/surveyd's configuration starts from
// these, and New fills any zero setting with them.
const (
	DefaultFailedAuthPerMinute = 10
	DefaultCredentialCacheTTL  = 5 * time.Second
	DefaultSessionIdle         = 30 * time.Minute
	DefaultSessionAbsolute     = 12 * time.Hour
	DefaultReportTimeout       = time.Minute
	DefaultTargetLevel         = survey.DefaultTargetLevel
	DefaultMinGroup            = survey.DefaultMinGroup
	DefaultQuartilesMin        = survey.DefaultQuartilesMin
	// DefaultReportMarking is reports.marking when the configuration says
	// nothing: the workbooks describe the government's security posture.
	DefaultReportMarking = reports.DefaultMarking
)

// Config holds the service settings the use cases need.
type Config struct {
	// Questionnaires is the question bank rounds can be created on.
	Questionnaires []*survey.Questionnaire
	// FailedAuthPerMinute is how many failed authentications one client
	// may make in a minute before it is refused with rate_limited.
	FailedAuthPerMinute int
	// CredentialCacheTTL is how long a credential or session look-up is
	// reused; a revoke or logout through this instance acts at once,
	// elsewhere within it.
	CredentialCacheTTL time.Duration
	// SessionIdle and SessionAbsolute end web sessions after inactivity and
	// after a fixed lifetime.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// TargetLevel is the default target maturity level per area.
	TargetLevel int
	// MinGroup is the smallest number of departments with a score for
	// which a respondent sees a government figure (closed rounds only).
	MinGroup int
	// QuartilesMin is the smallest such number for quartiles.
	QuartilesMin int
	// ReportTimeout bounds the store reads of one workbook; they may run far
	// longer than a single store operation.
	ReportTimeout time.Duration
	// ObserveReport, when set, is told how long each workbook took to build
	// (kind: department, consolidated, topics) and whether it failed.
	ObserveReport func(kind string, took time.Duration, err error)
	// Location is the time zone shown on pages and reports.
	Location *time.Location
	// ReportMarking is the classification printed on every page of every
	// workbook (reports.marking); "" prints none.
	ReportMarking string
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger

	// People and e-mail (people.go).
	People PeopleConfig
}

// withDefaults fills every zero setting with its default.
func (c Config) withDefaults() Config {
	if c.FailedAuthPerMinute <= 0 {
		c.FailedAuthPerMinute = DefaultFailedAuthPerMinute
	}
	if c.CredentialCacheTTL <= 0 {
		c.CredentialCacheTTL = DefaultCredentialCacheTTL
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.SessionAbsolute <= 0 {
		c.SessionAbsolute = DefaultSessionAbsolute
	}
	if c.ReportTimeout <= 0 {
		c.ReportTimeout = DefaultReportTimeout
	}
	if c.TargetLevel <= 0 {
		c.TargetLevel = DefaultTargetLevel
	}
	if c.MinGroup <= 0 {
		c.MinGroup = DefaultMinGroup
	}
	if c.QuartilesMin <= 0 {
		c.QuartilesMin = DefaultQuartilesMin
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.People = c.People.withDefaults()
	return c
}

// Service is the use-case layer over a store.
type Service struct {
	store Store
	cfg   Config
	log   *slog.Logger

	limiter  *failureLimiter
	creds    *ttlCache[*survey.Credential]
	sessions *ttlCache[*survey.Session]
	// roundQuestionnaires caches each round's questionnaire copy: it never
	// changes once the round exists, so it is read from the store once.
	roundQuestionnaires sync.Map
	// carries caches, per pre-filled round, which question takes over
	// which earlier one (it depends only on the two rounds' copies).
	carries sync.Map
	// results caches each round's submitted scores under its results
	// version (results.go).
	results sync.Map

	people *peopleState
}

// New builds the service over store.
func New(store Store, cfg Config) *Service {
	cfg = cfg.withDefaults()
	return &Service{
		store:    store,
		cfg:      cfg,
		log:      cfg.Logger,
		limiter:  newFailureLimiter(cfg.FailedAuthPerMinute, time.Minute, cfg.Now),
		creds:    newTTLCache[*survey.Credential](cfg.CredentialCacheTTL, cfg.Now),
		sessions: newTTLCache[*survey.Session](cfg.CredentialCacheTTL, cfg.Now),
		people:   newPeopleState(cfg),
	}
}

// Config returns the settings in force, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// now is the service clock, in UTC and at the store's millisecond
// precision, so a value read back equals the value written.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// targets is the scoring target policy from configuration.
func (s *Service) targets() survey.Targets { return survey.Targets{Default: s.cfg.TargetLevel} }

// Now is the service's clock, as the use cases read it.
func (s *Service) Now() time.Time { return s.now() }

// Targets is the scoring target policy in force.
func (s *Service) Targets() survey.Targets { return s.targets() }

// Ready says whether the service can do its work: the store must answer
// and be able to write (the store's Ping says which).
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		if survey.ErrorCode(err) == survey.EUNAVAILABLE || errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("%w: %v", survey.ErrUnavailable, err)
	}
	return nil
}
