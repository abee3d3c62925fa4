package survey

import (
	"html"
	"strconv"
	"strings"
	"time"
)

// Outbox message states: kept (no SMTP server is configured: the message
// waits in the outbox to be read there), queued (waiting to be sent, or to
// be retried), sent, failed (every attempt failed).
const (
	MailKept   = "kept"
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed"
)

// Message is one e-mail, recorded in the outbox whether or not it is sent
// over SMTP, so that every message is on record and a failure is visible.
// Bodies hold sign-in links: the outbox is for administrators only.
type Message struct {
	ID string `json:"id" bson:"_id"`
	// Kind says what the message is: invitation, sign_in, ready, sent_back,
	// receipt, reminder.
	Kind    string    `json:"kind" bson:"kind"`
	To      string    `json:"to" bson:"to"`
	ToName  string    `json:"to_name" bson:"to_name"`
	Subject string    `json:"subject" bson:"subject"`
	Text    string    `json:"text" bson:"text"`
	HTML    string    `json:"html" bson:"html"`
	Created time.Time `json:"created_at" bson:"created_at"`
	Status  string    `json:"status" bson:"status"`
	// Attempts counts SMTP attempts; LastError is the last one's failure.
	Attempts  int        `json:"attempts" bson:"attempts"`
	LastError string     `json:"last_error,omitempty" bson:"last_error,omitempty"`
	SentAt    *time.Time `json:"sent_at,omitempty" bson:"sent_at,omitempty"`
	Round     string     `json:"round,omitempty" bson:"round,omitempty"`
	Dept      string     `json:"department,omitempty" bson:"department,omitempty"`
	// Redacted says the stored copy has its sign-in link removed: with SMTP
	// configured the link exists in the e-mail alone, so nobody who reads
	// the outbox (or a backup) can sign in as its recipient.
	Redacted bool `json:"redacted,omitempty" bson:"redacted,omitempty"`
}

// RedactedLink replaces a sign-in link in the outbox's copy of a message.
const RedactedLink = "[sign-in link: in the e-mail only / 登入連結只載於電郵]"

// WithoutSecret is the copy of m to keep in the outbox when secret (a
// sign-in link) must not be stored: every occurrence replaced.
func (m Message) WithoutSecret(secret string) Message {
	if secret == "" {
		return m
	}
	m.Text = strings.ReplaceAll(m.Text, secret, RedactedLink)
	m.HTML = strings.ReplaceAll(m.HTML, html.EscapeString(secret), RedactedLink)
	m.HTML = strings.ReplaceAll(m.HTML, secret, RedactedLink)
	m.Redacted = true
	return m
}

// SignInLink is a single-use e-mail sign-in link's record: only the hash
// of its token is stored (the token is in the e-mail alone).
type SignInLink struct {
	Hash      string     `bson:"_id"`
	UserID    string     `bson:"user"`
	CreatedAt time.Time  `bson:"created_at"`
	ExpiresAt time.Time  `bson:"expires_at"`
	UsedAt    *time.Time `bson:"used_at,omitempty"`
}

// Reminder records one reminder sent to a department's users: its _id is
// ReminderID, inserted before the message goes out, so that however many
// instances share the store, each reminder is sent once.
type Reminder struct {
	ID         string `json:"id" bson:"_id"`
	Round      string `json:"round" bson:"round"`
	Department string `json:"department" bson:"department"`
	// Offset is the days before the deadline, or 0 for one sent at once by
	// an administrator (whose id then carries the time).
	Offset     int       `json:"offset" bson:"offset"`
	Deadline   time.Time `json:"deadline" bson:"deadline"`
	SentAt     time.Time `json:"sent_at" bson:"sent_at"`
	Recipients int       `json:"recipients" bson:"recipients"`
}

// ReminderID is the deterministic store key of the reminder of round and
// dept at offset days before the deadline: <round>/<dept>/<offset>. A
// deadline that moves does not make the same offset due twice: the key
// carries no date.
func ReminderID(round, dept string, offset int) string {
	return round + "/" + dept + "/" + strconv.Itoa(offset)
}
