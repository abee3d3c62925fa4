// Package mail sends the service's e-mail: bilingual messages (English and
// Traditional Chinese in one message, plain text with an HTML alternative,
// no tracking of any kind) composed here, sent over SMTP with
// github.com/wneessen/go-mail by an asynchronous queue that retries with
// back-off and records every outcome in the outbox.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/dpo/dgsurvey/survey"
)

// STARTTLS policies of SMTPConfig.StartTLS.
const (
	StartTLSOpportunistic = "opportunistic"
	StartTLSRequired      = "required"
	StartTLSOff           = "off"
)

// SMTPConfig says how to reach the SMTP server.
type SMTPConfig struct {
	// Addr is host:port.
	Addr string
	// From is the sender address.
	From string
	// Username and Password, when Username is set, authenticate (the
	// server's strongest offered mechanism).
	Username, Password string
	// StartTLS is opportunistic (the default: whenever the server offers
	// it), required or off.
	StartTLS string
	// Timeout bounds one delivery attempt.
	Timeout time.Duration
	// TLSConfig, when set, verifies the server's certificate with it (a
	// private certificate authority, say); nil uses the system's roots.
	TLSConfig *tls.Config
}

// SMTP delivers messages to one SMTP server.
type SMTP struct {
	cfg  SMTPConfig
	host string
	port int
}

// NewSMTP checks the configuration and returns the sender; it does not
// connect until the first message.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, portText, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail.smtp: %q is not host:port", cfg.Addr)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("mail.smtp: %q has no valid port", cfg.Addr)
	}
	if fe, ok := survey.CheckEmail("mail.from", cfg.From); !ok {
		return nil, fmt.Errorf("mail.from: %s", fe.Message)
	}
	switch cfg.StartTLS {
	case "":
		cfg.StartTLS = StartTLSOpportunistic
	case StartTLSOpportunistic, StartTLSRequired, StartTLSOff:
	default:
		return nil, fmt.Errorf("mail.starttls: %q is not opportunistic, required or off", cfg.StartTLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg, host: host, port: port}, nil
}

// Send delivers one message: one connection, one message.
func (s *SMTP) Send(ctx context.Context, m *survey.Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageID()
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	policy := gomail.TLSOpportunistic
	switch s.cfg.StartTLS {
	case StartTLSRequired:
		policy = gomail.TLSMandatory
	case StartTLSOff:
		policy = gomail.NoTLS
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTLSPolicy(policy), gomail.WithTimeout(s.cfg.Timeout)}
	tc := &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		tc = s.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.host
		}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
