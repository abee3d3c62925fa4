// Command surveyd serves the digital government capability self-assessment:
// the JSON API and web pages, on MongoDB or on its embedded store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dpo/dgsurvey/handlers"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mongostore"
	"github.com/dpo/dgsurvey/survey/mongostore/embedded"
	"github.com/dpo/dgsurvey/survey/questionnaires"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "surveyd:", err)
		os.Exit(1)
	}
}

// maxHeaderBytes caps a request's header block at 64 KiB: a larger one
// gets 431. net/http reads up to 4 KiB past MaxHeaderBytes ("bufio slop")
// plus what its 4 KiB read buffer already holds, so the setting is 4 KiB
// under the cap: headers up to 60 KiB are always accepted, and refusal
// starts between 64 and 68 KiB (TestHeadersCapped: 70 KiB gets 431).
const maxHeaderBytes = 60 << 10

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	flags := flag.NewFlagSet("surveyd", flag.ContinueOnError)
	flags.SetOutput(stderr)
	configPath := flags.String("config", "config.yaml", "configuration file")
	newAdmin := flags.Bool("new-admin-token", false, "issue a new admin credential, print its token and exit")
	revokeOthers := flags.Bool("revoke-other-admins", false, "with -new-admin-token: revoke every other admin credential (audited)")
	demo := flags.Bool("demo", false, "seed fictional demonstration data into an empty store, then serve")
	var maint maintenance
	flags.StringVar(&maint.backup, "backup", "", "write a consistent copy of the embedded store to `file` (while surveyd runs or not), then exit")
	flags.StringVar(&maint.restore, "restore", "", "restore the backup `file` into an empty data_dir, then exit")
	flags.StringVar(&maint.copyTo, "copy-to", "", "copy every collection to the MongoDB at `uri` (its database must be empty), then exit")
	flags.StringVar(&maint.serveStore, "serve-store", "", "serve the embedded store of data_dir on the loopback `address` (host:port) until interrupted")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *revokeOthers && !*newAdmin {
		return errors.New("-revoke-other-admins goes with -new-admin-token (it revokes the admins other than the new one)")
	}
	explicit := false
	flags.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := loadConfig(*configPath, explicit, getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stderr)
	if which, err := maint.chosen(); err != nil || which != "" {
		if err != nil {
			return err
		}
		return runMaintenance(ctx, cfg, maint, stdout, logger)
	}
	tlsConfig, err := loadTLS(cfg)
	if err != nil {
		return err
	}

	bank, err := survey.LoadQuestionnaires(questionnaires.FS())
	if err != nil {
		return fmt.Errorf("question bank: %w", err)
	}

	metrics := handlers.NewMetrics()
	store, closeStore, err := openStore(ctx, cfg, logger, metrics.ObserveStoreCommand)
	if err != nil {
		return err
	}
	defer closeStore()

	if *newAdmin {
		return recoverAdmin(ctx, store, stdout, *revokeOthers, time.Now())
	}

	if *demo {
		if err := seedDemo(ctx, store, latest(bank, "dg-capability"), survey.Targets{Default: cfg.Scoring.TargetLevel}, stdout, time.Now()); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = scheme + "://" + ln.Addr().String()
	}
	if err := ensureAdmin(ctx, store, stdout, baseURL); err != nil {
		ln.Close()
		return err
	}

	people, stopMail, err := startMail(cfg, store, baseURL, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMail()
	svc := assess.New(store, assess.Config{
		Questionnaires:      bank,
		FailedAuthPerMinute: cfg.Auth.FailedPerMinute,
		CredentialCacheTTL:  cfg.Auth.CredentialCacheTTL,
		SessionIdle:         cfg.Auth.SessionIdle,
		SessionAbsolute:     cfg.Auth.SessionAbsolute,
		ReportTimeout:       cfg.HTTP.WriteTimeout,
		ObserveReport:       metrics.ObserveReport,
		TargetLevel:         cfg.Scoring.TargetLevel,
		MinGroup:            cfg.Privacy.MinGroup,
		QuartilesMin:        cfg.Privacy.QuartilesMin,
		ReportMarking:       cfg.Reports.Marking,
		Location:            cfg.location,
		Logger:              logger,
		People:              people,
	})
	if *demo {
		if err := seedDemoUsers(ctx, svc); err != nil {
			ln.Close()
			return err
		}
	}
	srv := handlers.New(svc, handlers.Config{
		MaxBodyBytes:   cfg.HTTP.MaxBodyBytes,
		CookieSecure:   cfg.Auth.CookieSecure || tlsConfig != nil,
		Logger:         logger,
		Metrics:        metrics,
		TrustedProxies: cfg.trustedProxies,
		OIDC:           cfg.oidc(baseURL),
	})
	httpServer := &http.Server{
		Handler:           withHSTS(tlsConfig != nil, srv),
		TLSConfig:         tlsConfig,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.HTTP.ReadTimeout,
		WriteTimeout:      cfg.HTTP.WriteTimeout,
		IdleTimeout:       cfg.HTTP.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fresh := &freshConns{}
	httpServer.ConnState = fresh.track
	metricsServer, err := serveMetrics(cfg, metrics, logger)
	if err != nil {
		ln.Close()
		return err
	}
	if metricsServer != nil {
		defer metricsServer.Close()
	}
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, ln.Addr())
	logger.Info("serving", slog.String("addr", ln.Addr().String()))

	go sweepSessions(ctx, store, cfg.Auth.SessionIdle, logger)
	startReminders(ctx, svc, cfg)

	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- httpServer.ServeTLS(ln, "", "")
			return
		}
		served <- httpServer.Serve(ln)
	}()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let every request already sent finish (bounded), then
	// the deferred closeStore disconnects and stops the embedded store.
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
	defer cancel()
	if err := drainAndShutdown(shutdownCtx, httpServer, ln, served, fresh); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("shutdown incomplete", slog.Any("error", err))
		_ = httpServer.Close()
	}
	logger.Info("stopped")
	return nil
}

// serveMetrics starts the Prometheus endpoint on its own listener,
// metrics.listen (nil when that is empty: off), answering only GET /metrics
// and only to clients from metrics.allow (the connection's own address).
func serveMetrics(cfg config, metrics *handlers.Metrics, logger *slog.Logger) (*http.Server, error) {
	if cfg.Metrics.Listen == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", cfg.Metrics.Listen)
	if err != nil {
		return nil, fmt.Errorf("metrics.listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{
		Handler:           allowFrom(cfg.metricsNets, mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.HTTP.ReadTimeout,
		WriteTimeout:      cfg.HTTP.WriteTimeout,
		IdleTimeout:       cfg.HTTP.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("serving metrics", slog.String("addr", ln.Addr().String()), slog.String("path", "/metrics"))
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener stopped", slog.Any("error", err))
		}
	}()
	return srv, nil
}

// allowFrom answers 404 to clients whose connection address is outside
// nets (never X-Forwarded-For, which a client could forge).
func allowFrom(nets []netip.Prefix, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ap, err := netip.ParseAddrPort(r.RemoteAddr)
		allowed := false
		if err == nil {
			ip := ap.Addr().Unmap()
			for _, p := range nets {
				allowed = allowed || p.Contains(ip)
			}
		}
		if !allowed {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore connects to the configured MongoDB, or starts the embedded store
// under data_dir. The returned function disconnects and stops everything.
func openStore(ctx context.Context, cfg config, logger *slog.Logger, observe func(string, time.Duration, bool)) (*mongostore.Store, func(), error) {
	storeCfg := mongostore.Config{URI: cfg.MongoDB.URI, Database: cfg.MongoDB.Database, Timeout: cfg.MongoDB.Timeout,
		Logger: logger, ObserveCommand: observe}
	var cleanups []func()
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	if cfg.MongoDB.URI == "" {
		unlock, err := embedded.LockDataDir(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, unlock)
		// Never start a new, empty store where one was (files deleted, a
		// wrong or unmounted data_dir): that would serve no data and print
		// a new admin token.
		if err := embedded.CheckDataDir(cfg.DataDir, cfg.MongoDB.Database); err != nil {
			cleanup()
			return nil, nil, err
		}
		emb, err := embedded.New(cfg.DataDir, logger.With(slog.String("component", "embedded-store")))
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		if err := emb.Start(); err != nil {
			cleanup()
			return nil, nil, err
		}
		cleanups = append(cleanups, emb.Stop)
		storeCfg.URI, storeCfg.Embedded = emb.URI(), true
		storeCfg.Check = embedded.CheckFiles(cfg.DataDir, cfg.MongoDB.Database)
		logger.Info("embedded store", slog.String("data_dir", cfg.DataDir))
	}
	store, err := mongostore.Open(ctx, storeCfg)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	cleanups = append(cleanups, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = store.Close(ctx)
	})
	if storeCfg.Embedded {
		if err := embedded.MarkDataDir(cfg.DataDir, cfg.MongoDB.Database); err != nil {
			cleanup()
			return nil, nil, err
		}
		err := embedded.IndexIDLookups(ctx, store.Database(), storeCfg.URI, mongostore.IDLookupCollections()...)
		if err != nil {
			logger.Warn("embedded store: look-ups by _id stay unindexed (slower as data grows)", slog.Any("error", err))
		}
	}
	return store, cleanup, nil
}

// adminStore is what creating admin credentials needs.
type adminStore interface {
	HasActiveAdmin(ctx context.Context) (bool, error)
	CreateCredential(ctx context.Context, c *survey.Credential) error
	AppendAudit(ctx context.Context, e *survey.AuditEvent) error
}

// ensureAdmin creates and prints an admin credential on first start.
func ensureAdmin(ctx context.Context, store adminStore, stdout io.Writer, baseURL string) error {
	has, err := store.HasActiveAdmin(ctx)
	if err != nil {
		return fmt.Errorf("checking for an admin credential: %w", err)
	}
	if has {
		return nil
	}
	token, _, err := issueAdmin(ctx, store, "first admin", time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "admin token: %s\n", token)
	fmt.Fprintf(stdout, "sign in at %s/login with that token; it is shown only once\n", baseURL)
	return nil
}

// issueAdmin creates an admin credential and returns its token and id.
func issueAdmin(ctx context.Context, store adminStore, label string, now time.Time) (string, string, error) {
	now = now.UTC().Truncate(time.Millisecond)
	cred, token, err := survey.NewCredential(survey.RoleAdmin, "", label, now)
	if err != nil {
		return "", "", err
	}
	if err := store.CreateCredential(ctx, cred); err != nil {
		return "", "", fmt.Errorf("creating an admin credential: %w", err)
	}
	if ev, err := survey.NewAuditEvent(now, "system", "credential.issue", "", "", map[string]any{"credential": cred.ID, "role": cred.Role, "label": label}); err == nil {
		_ = store.AppendAudit(ctx, ev)
	}
	return token, cred.ID, nil
}

// recoveryStore is what -new-admin-token needs.
type recoveryStore interface {
	adminStore
	Credentials(ctx context.Context) ([]survey.Credential, error)
	RevokeCredential(ctx context.Context, id string, at time.Time) (*survey.Credential, error)
}

// recoverAdmin is -new-admin-token: it issues and prints a new admin
// token, then says how many other admin credentials stay valid, or with
// revokeOthers revokes them (each audited) and says how many.
func recoverAdmin(ctx context.Context, store recoveryStore, stdout io.Writer, revokeOthers bool, now time.Time) error {
	token, id, err := issueAdmin(ctx, store, "recovery admin", now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "admin token: %s\n", token)
	creds, err := store.Credentials(ctx)
	if err != nil {
		return fmt.Errorf("listing the other admin credentials (the new token works): %w", err)
	}
	var others []string
	for _, c := range creds {
		if c.Role == survey.RoleAdmin && !c.Revoked && c.ID != id {
			others = append(others, c.ID)
		}
	}
	if !revokeOthers {
		if len(others) == 0 {
			fmt.Fprintln(stdout, "no other admin credential is valid")
			return nil
		}
		fmt.Fprintf(stdout, "%d other admin credential(s) stay valid (%s); revoke them with -new-admin-token -revoke-other-admins, or DELETE /api/v1/credentials/<id>\n",
			len(others), strings.Join(others, ", "))
		return nil
	}
	at := now.UTC().Truncate(time.Millisecond)
	revoked := 0
	for _, other := range others {
		cred, err := store.RevokeCredential(ctx, other, at)
		if err != nil {
			return fmt.Errorf("revoked %d of %d other admin credentials, then %s failed: %w", revoked, len(others), other, err)
		}
		revoked++
		ev, err := survey.NewAuditEvent(at, "system", "credential.revoke", "", cred.Department,
			map[string]any{"credential": cred.ID, "role": cred.Role, "reason": "surveyd -revoke-other-admins"})
		if err == nil {
			err = store.AppendAudit(ctx, ev)
		}
		if err != nil {
			return fmt.Errorf("credential %s is revoked but its audit event was not stored: %w", cred.ID, err)
		}
	}
	fmt.Fprintf(stdout, "revoked %d other admin credential(s)", revoked)
	if revoked > 0 {
		fmt.Fprintf(stdout, " (%s)", strings.Join(others, ", "))
	}
	fmt.Fprintln(stdout)
	return nil
}

// sweepSessions deletes expired sessions now and then: the embedded store
// has no TTL indexes, and expiry is decided by the stored times anyway.
func sweepSessions(ctx context.Context, store *mongostore.Store, idle time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			now := time.Now().UTC()
			if _, err := store.DeleteExpiredSessions(ctx, now, now.Add(-idle)); err != nil {
				logger.Warn("sweeping expired sessions failed", slog.Any("error", err))
			}
		}
	}
}

// latest returns the newest version of questionnaire id in the bank.
func latest(bank []*survey.Questionnaire, id string) *survey.Questionnaire {
	var found *survey.Questionnaire
	for _, q := range bank {
		if q.ID == id && (found == nil || q.Version > found.Version) {
			found = q
		}
	}
	return found
}
