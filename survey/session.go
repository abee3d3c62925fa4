package survey

import "time"

// Session is a signed-in browser: created by signing in with a credential
// token, kept in the store (so any instance can serve it), ended by logout
// or by its idle and absolute timeouts.
type Session struct {
	// Hash is the SHA-256 of the cookie value; the value itself is never stored.
	Hash string `bson:"_id"`
	// CredentialHash ties the session to its credential, so revoking the
	// credential ends the session too.
	CredentialHash string `bson:"credential"`
	// UserID, for a named user's session (CredentialHash is then empty):
	// deactivating the user ends it.
	UserID     string    `bson:"user,omitempty"`
	CSRF       string    `bson:"csrf"`
	CreatedAt  time.Time `bson:"created_at"`
	LastSeenAt time.Time `bson:"last_seen_at"`
	ExpiresAt  time.Time `bson:"expires_at"`
}

// Expired reports whether the session is past its absolute lifetime or has
// been idle longer than idle.
func (s *Session) Expired(now time.Time, idle time.Duration) bool {
	return !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= idle
}
