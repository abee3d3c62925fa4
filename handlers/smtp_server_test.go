package handlers_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// smtpServer is a real SMTP server (github.com/emersion/go-smtp) on
// loopback in the test process: it keeps every message it accepts, and
// can be told to refuse the next deliveries (a server that is down).
type smtpServer struct {
	t    *testing.T
	addr string
	srv  *smtp.Server

	mu       sync.Mutex
	messages []capturedMail
	refuse   int
	arrived  chan struct{}
}

// capturedMail is one accepted message, decoded.
type capturedMail struct {
	From, To, Subject string
	Text, HTML        string
	Raw               string
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{t: t, arrived: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// refuseNext makes the next n deliveries fail with a temporary error.
func (s *smtpServer) refuseNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// wait returns once n messages in all have arrived (fails after 10 s).
func (s *smtpServer) wait(n int) []capturedMail {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			out := append([]capturedMail(nil), s.messages...)
			s.mu.Unlock()
			return out
		}
		s.mu.Unlock()
		select {
		case <-s.arrived:
		case <-deadline:
			s.t.Fatalf("only %d of %d e-mails arrived", len(s.all()), n)
		}
	}
}

func (s *smtpServer) all() []capturedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]capturedMail(nil), s.messages...)
}

// to lists the messages to addr.
func (s *smtpServer) to(addr string) []capturedMail {
	var out []capturedMail
	for _, m := range s.all() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

type smtpSession struct {
	s        *smtpServer
	from, to string
}

func (ss *smtpSession) Reset()        {}
func (ss *smtpSession) Logout() error { return nil }
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.refuse > 0 {
		ss.s.refuse--
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "try again later"}
	}
	ss.from = from
	return nil
}
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { ss.to = to; return nil }
func (ss *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decodeMail(raw)
	if err != nil {
		ss.s.t.Errorf("undecodable message: %v\n%s", err, raw)
		return err
	}
	m.From, m.To = ss.from, ss.to
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, m)
	ss.s.mu.Unlock()
	ss.s.arrived <- struct{}{}
	return nil
}

// decodeMail reads a message's subject and its text and HTML parts.
func decodeMail(raw []byte) (capturedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return capturedMail{}, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return capturedMail{}, err
	}
	out := capturedMail{Subject: subject, Raw: string(raw)}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return out, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return out, errors.New("not a multipart message: " + mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		var body io.Reader = p
		switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, p)
		case "quoted-printable":
			body = quotedprintable.NewReader(p)
		}
		data, err := io.ReadAll(body)
		if err != nil {
			return out, err
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			out.Text = string(data)
		case "text/html":
			out.HTML = string(data)
		}
	}
}

var signInLinkRE = regexp.MustCompile(`/signin/([A-Za-z0-9_-]{43})`)

// signInToken is the token of the sign-in link in a message's text.
func signInToken(t *testing.T, text string) string {
	t.Helper()
	m := signInLinkRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no sign-in link in the message:\n%s", text)
	}
	return m[1]
}

// waitFor returns the first message to addr whose subject contains
// subject, once it has arrived (fails after 10 s).
func (s *smtpServer) waitFor(addr, subject string) capturedMail {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range s.to(addr) {
			if strings.Contains(m.Subject, subject) {
				return m
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no message %q reached %s", subject, addr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
