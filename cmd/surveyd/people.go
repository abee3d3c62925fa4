package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/handlers/web"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/mail"
	"github.com/dpo/dgsurvey/survey/mongostore"
)

// mailConfig is the mail: section (SURVEY_MAIL_SMTP, SURVEY_MAIL_FROM
// override smtp and from). With no smtp, every message is kept in the
// outbox.
type mailConfig struct {
	SMTP     string `yaml:"smtp"`
	From     string `yaml:"from"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	StartTLS string `yaml:"starttls"`
	// CAFile, when set, is a PEM file of the certificate authorities the
	// SMTP server's certificate must chain to (a private CA); else the
	// system's.
	CAFile string `yaml:"ca_file"`

	// tls is CAFile read, by resolvePeople.
	tls *tls.Config
}

// remindersConfig is the reminders: section.
type remindersConfig struct {
	DaysBefore []int `yaml:"days_before"`
	// Every is how often the scheduler looks for reminders that are due.
	Every time.Duration `yaml:"every"`
}

// oidcConfig is auth.oidc: single sign-on, off while issuer is empty.
type oidcConfig struct {
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	// RedirectURL is this service's callback as registered with the
	// provider; empty: base_url + /auth/oidc/callback.
	RedirectURL string `yaml:"redirect_url"`
}

// oidc is the pages' single sign-on setting, nil when off.
func (c *config) oidc(baseURL string) *web.OIDCConfig {
	o := c.Auth.OIDC
	if o.Issuer == "" {
		return nil
	}
	if o.RedirectURL == "" {
		o.RedirectURL = strings.TrimRight(baseURL, "/") + "/auth/oidc/callback"
	}
	return &web.OIDCConfig{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL}
}

// resolvePeople checks the mail, reminder and sign-in link settings.
func (c *config) resolvePeople() error {
	bad := func(key, why string) error { return fmt.Errorf("config: %s: %s", key, why) }
	if c.Auth.LinkTTL < time.Minute || c.Auth.LinkTTL > 24*time.Hour {
		return bad("auth.link_ttl", "must be between 1m and 24h")
	}
	if c.Mail.CAFile != "" {
		pem, err := os.ReadFile(c.Mail.CAFile)
		if err != nil {
			return bad("mail.ca_file", err.Error())
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return bad("mail.ca_file", "holds no PEM certificate")
		}
		c.Mail.tls = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if c.Mail.SMTP != "" {
		if _, err := mail.NewSMTP(c.smtpConfig()); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	switch c.Mail.StartTLS {
	case mail.StartTLSOpportunistic, mail.StartTLSRequired, mail.StartTLSOff:
	default:
		return bad("mail.starttls", "must be opportunistic, required or off")
	}
	if o := c.Auth.OIDC; o.Issuer != "" {
		if u, err := url.Parse(o.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bad("auth.oidc.issuer", "must be the provider's URL, e.g. https://login.example.gov.hk")
		}
		if o.ClientID == "" {
			return bad("auth.oidc.client_id", "is required with auth.oidc.issuer")
		}
		if o.RedirectURL != "" {
			if u, err := url.Parse(o.RedirectURL); err != nil || u.Host == "" || u.Path != "/auth/oidc/callback" {
				return bad("auth.oidc.redirect_url", "must be this service's https://<host>/auth/oidc/callback")
			}
		}
	}
	seen := map[int]bool{}
	for _, d := range c.Reminders.DaysBefore {
		if d < 1 || d > 365 || seen[d] {
			return bad("reminders.days_before", "must be distinct whole days between 1 and 365, e.g. [14, 7, 2]")
		}
		seen[d] = true
	}
	if c.Reminders.Every < time.Minute {
		return bad("reminders.every", "must be at least 1m")
	}
	return nil
}

func (c *config) smtpConfig() mail.SMTPConfig {
	return mail.SMTPConfig{Addr: c.Mail.SMTP, From: c.Mail.From, Username: c.Mail.Username, Password: c.Mail.Password,
		StartTLS: c.Mail.StartTLS, TLSConfig: c.Mail.tls}
}

// startMail builds the people settings: an SMTP queue when mail.smtp is
// set (stop it with the returned function), else the outbox, which
// start-up says. Links in e-mails point at baseURL.
func startMail(cfg config, store *mongostore.Store, baseURL string, logger *slog.Logger) (assess.PeopleConfig, func(), error) {
	days := cfg.Reminders.DaysBefore
	if days == nil {
		days = []int{}
	}
	pc := assess.PeopleConfig{BaseURL: baseURL, LinkTTL: cfg.Auth.LinkTTL, ReminderDays: days}
	if cfg.Mail.SMTP == "" {
		logger.Warn("no mail.smtp configured: e-mail is not sent but kept in the outbox (/admin/outbox, GET /api/v1/outbox)")
		return pc, func() {}, nil
	}
	sender, err := mail.NewSMTP(cfg.smtpConfig())
	if err != nil {
		return pc, nil, err
	}
	q := mail.NewQueue(sender, store, mail.QueueConfig{Logger: logger})
	pc.Mailer = q
	requeue(store, q, logger)
	logger.Info("e-mail goes out over SMTP", slog.String("smtp", cfg.Mail.SMTP), slog.String("starttls", cfg.Mail.StartTLS))
	return pc, q.Close, nil
}

// startReminders runs the reminder scheduler until ctx ends.
func startReminders(ctx context.Context, svc *assess.Service, cfg config) {
	if len(cfg.Reminders.DaysBefore) == 0 {
		return
	}
	go svc.StartReminders(ctx, cfg.Reminders.Every)
}

// requeue hands the queue the messages a previous run left queued (it
// stopped before sending them), so no invitation or receipt is lost.
func requeue(store *mongostore.Store, q *mail.Queue, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msgs, err := store.Messages(ctx, 10000)
	if err != nil {
		logger.Warn("reading the outbox for messages left unsent failed", slog.Any("error", err))
		return
	}
	n, dropped := 0, 0
	for i := range msgs {
		if msgs[i].Status != survey.MailQueued {
			continue
		}
		if msgs[i].Redacted {
			// Its sign-in link was never stored: the recipient asks for a
			// new one (the sign-in page says how).
			msgs[i].Status, msgs[i].LastError = survey.MailFailed, "stopped before sending; the sign-in link was not kept"
			if err := store.UpdateMessage(ctx, &msgs[i]); err != nil {
				logger.Warn("marking an unsent sign-in message failed", slog.String("message", msgs[i].ID), slog.Any("error", err))
			}
			dropped++
			continue
		}
		q.Enqueue(&msgs[i])
		n++
	}
	if n > 0 || dropped > 0 {
		logger.Info("sending e-mail left unsent by the last run", slog.Int("messages", n), slog.Int("sign_in_links_not_kept", dropped))
	}
}
