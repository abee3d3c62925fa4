package survey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Roles: admin (the DPO), respondent (one department), planner (seminar planning).
const (
	RoleAdmin      = "admin"
	RoleRespondent = "respondent"
	RolePlanner    = "planner"
)

// ValidRole reports whether role is one of the known roles.
func ValidRole(role string) bool {
	return role == RoleAdmin || role == RoleRespondent || role == RolePlanner
}

// Credential is an API token's record. The token itself is never stored:
// only its SHA-256, which is also the store key so a look-up is one read.
type Credential struct {
	Hash       string     `json:"-" bson:"_id"`
	ID         string     `json:"id" bson:"cid"`
	Role       string     `json:"role" bson:"role"`
	Department string     `json:"department,omitempty" bson:"department,omitempty"`
	Label      string     `json:"label" bson:"label"`
	CreatedAt  time.Time  `json:"created_at" bson:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at" bson:"last_used_at,omitempty"`
	Revoked    bool       `json:"revoked" bson:"revoked"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" bson:"revoked_at,omitempty"`
}

// Principal is who a request acts as.
type Principal struct {
	CredentialID string
	Role         string
	Department   string
	Label        string
	// UserID, Name and Approver are set for a named user signed in by
	// e-mail link or single sign-on (CredentialID is then empty).
	UserID   string
	Name     string
	Approver bool
}

// Actor is how the principal appears in audit events and updated_by.
func (p Principal) Actor() string {
	id := p.CredentialID
	if p.UserID != "" {
		id = p.UserID
	}
	if p.Department != "" {
		return p.Role + ":" + p.Department + ":" + id
	}
	return p.Role + ":" + id
}

// CanSeeDepartment reports whether p may read dept's response.
func (p Principal) CanSeeDepartment(dept string) bool {
	return p.Role == RoleAdmin || (p.Role == RoleRespondent && p.Department == dept)
}

// NewToken returns a fresh random token (base64url of 32 bytes, 43
// characters) and its hash for storage.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewID returns a short random identifier for public use (credential ids).
func NewID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// NewCredential validates a request to issue a credential and returns the
// record to store and the token to show once.
func NewCredential(role, dept, label string, now time.Time) (*Credential, string, error) {
	var fields []FieldError
	if !ValidRole(role) {
		fields = append(fields, Fault("role", RuleOneOf, "admin respondent planner"))
	}
	if role == RoleRespondent && !ValidDepartmentCode(dept) {
		fields = append(fields, Fault("department", RulePattern, PatternDepartment))
	}
	if role != RoleRespondent && dept != "" {
		fields = append(fields, Fault("department", RuleNoRespondent, ""))
	}
	fields = appendName(fields, "label", label, false)
	if len(fields) > 0 {
		return nil, "", Invalid("invalid credential", fields...)
	}
	token, hash, err := NewToken()
	if err != nil {
		return nil, "", err
	}
	id, err := NewID()
	if err != nil {
		return nil, "", err
	}
	return &Credential{Hash: hash, ID: id, Role: role, Department: dept, Label: label, CreatedAt: now}, token, nil
}

// AuditEvent is an append-only record of one change.
type AuditEvent struct {
	ID    string    `json:"id" bson:"_id"`
	At    time.Time `json:"at" bson:"at"`
	Actor string    `json:"actor" bson:"actor"`
	// ActorName is the name of the person (or the credential's label) that
	// acted, as shown to people; empty on events recorded before names.
	ActorName  string         `json:"actor_name,omitempty" bson:"actor_name,omitempty"`
	Action     string         `json:"action" bson:"action"`
	Round      string         `json:"round,omitempty" bson:"round,omitempty"`
	Department string         `json:"department,omitempty" bson:"department,omitempty"`
	Details    map[string]any `json:"details,omitempty" bson:"details,omitempty"`
}

// NewAuditEvent stamps an event with a sortable unique id: the time first,
// so an _id range scan returns events in order.
func NewAuditEvent(at time.Time, actor, action, round, dept string, details map[string]any) (*AuditEvent, error) {
	suffix, err := NewID()
	if err != nil {
		return nil, err
	}
	return &AuditEvent{
		ID: at.UTC().Format("20060102T150405.000000000Z") + "-" + suffix,
		At: at.UTC(), Actor: actor, Action: action, Round: round, Department: dept, Details: details,
	}, nil
}

// AuditFilter selects audit events; empty fields match everything.
type AuditFilter struct {
	Round      string
	Department string
	// Action selects one kind of event ("response.reopen", say).
	Action string
	// Before is the id of the last event of the previous page (newest first).
	Before string
	Limit  int
}
