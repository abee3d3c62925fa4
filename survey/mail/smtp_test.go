package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// tlsServer is an SMTP server on loopback (emersion/go-smtp) that offers
// STARTTLS with a certificate of its own and, when it has a password,
// requires AUTH PLAIN; it records how each message arrived.
type tlsServer struct {
	addr string
	pool *x509.CertPool

	mu       sync.Mutex
	received []received
}

type received struct {
	tls, authed bool
	to, data    string
}

func newTLSServer(t *testing.T, withTLS bool, password string) *tlsServer {
	t.Helper()
	s := &tlsServer{pool: x509.NewCertPool()}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &tlsSession{s: s, c: c, password: password}, nil
	}))
	srv.Domain = "127.0.0.1"
	if withTLS {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test smtp"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		s.pool.AddCert(cert)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	} else {
		srv.AllowInsecureAuth = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

type tlsSession struct {
	s        *tlsServer
	c        *smtp.Conn
	password string
	authed   bool
	to       string
}

func (ss *tlsSession) AuthMechanisms() []string {
	if ss.password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *tlsSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "survey" || pass != ss.password {
			return errors.New("bad credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *tlsSession) Mail(string, *smtp.MailOptions) error {
	if ss.password != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (ss *tlsSession) Rcpt(to string, _ *smtp.RcptOptions) error { ss.to = to; return nil }
func (ss *tlsSession) Reset()                                    {}
func (ss *tlsSession) Logout() error                             { return nil }
func (ss *tlsSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	_, isTLS := ss.c.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.received = append(ss.s.received, received{tls: isTLS, authed: ss.authed, to: ss.to, data: string(b)})
	ss.s.mu.Unlock()
	return err
}

// TestSMTPStartTLSAndAuth: the sender upgrades with STARTTLS when the
// server offers it (verifying the certificate), authenticates when given a
// username, refuses a server without STARTTLS when it is required, and
// sends in plain text only when told so.
func TestSMTPStartTLSAndAuth(t *testing.T) {
	msg := func() *survey.Message {
		return &survey.Message{ID: "m1", To: "ben@abc.example", ToName: "Ben Wong", Subject: "Receipt / 收據", Text: "text 中文", HTML: "<p>html</p>"}
	}
	cases := []struct {
		name             string
		withTLS          bool
		password         string
		starttls, user   string
		wantTLS, wantErr bool
	}{
		{"opportunistic, offered, with auth", true, "s3cret", mail.StartTLSOpportunistic, "survey", true, false},
		{"required, offered", true, "", mail.StartTLSRequired, "", true, false},
		{"required, not offered", false, "", mail.StartTLSRequired, "", false, true},
		{"off", false, "", mail.StartTLSOff, "", false, false},
		{"wrong password", true, "s3cret", mail.StartTLSRequired, "nobody", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTLSServer(t, tc.withTLS, tc.password)
			sender, err := mail.NewSMTP(mail.SMTPConfig{Addr: srv.addr, From: "survey@dpo.example", Username: tc.user, Password: tc.password,
				StartTLS: tc.starttls, Timeout: 5 * time.Second, TLSConfig: &tls.Config{RootCAs: srv.pool}})
			if err != nil {
				t.Fatal(err)
			}
			err = sender.Send(context.Background(), msg())
			if (err != nil) != tc.wantErr {
				t.Fatalf("Send: %v, want error %v", err, tc.wantErr)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if tc.wantErr {
				if len(srv.received) != 0 {
					t.Error("a message was delivered")
				}
				return
			}
			if len(srv.received) != 1 {
				t.Fatalf("%d messages delivered", len(srv.received))
			}
			got := srv.received[0]
			if got.tls != tc.wantTLS || got.authed != (tc.user != "") || got.to != "ben@abc.example" {
				t.Errorf("delivered with TLS %v, auth %v, to %s", got.tls, got.authed, got.to)
			}
			if !strings.Contains(got.data, "multipart/alternative") || !strings.Contains(got.data, "text/html") {
				t.Errorf("not text plus HTML:\n%s", got.data)
			}
		})
	}
}
