package survey

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// Rules of user fields (the Rule of a FieldError; RuleMessage words them).
const (
	RuleEmail     = "email"      // not one plain e-mail address
	RuleLineBreak = "line_break" // a line break or other control character (header injection)
)

// MaxEmailLength bounds e-mail addresses, in bytes (RFC 5321's path limit).
const MaxEmailLength = 254

// User is a named person: invited by an administrator by e-mail, signed in
// with single-use e-mail links or single sign-on. Respondents belong to one
// department; an approver of a department signs its submission off.
type User struct {
	ID    string `json:"id" bson:"_id"`
	Name  string `json:"name" bson:"name"`
	Email string `json:"email" bson:"email"`
	// EmailKey is the address folded to lower case: addresses are unique
	// whatever their case (a unique index in the store).
	EmailKey   string `json:"-" bson:"email_key"`
	Role       string `json:"role" bson:"role"`
	Department string `json:"department,omitempty" bson:"department,omitempty"`
	// Approver: this respondent submits the department's response (or sends
	// it back); where a department has approvers, the others ask them.
	Approver     bool       `json:"approver" bson:"approver"`
	Active       bool       `json:"active" bson:"active"`
	Version      int        `json:"version" bson:"version"`
	CreatedAt    time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at" bson:"updated_at"`
	LastSignInAt *time.Time `json:"last_sign_in_at" bson:"last_sign_in_at,omitempty"`
}

// EmailKey is the form of an address users are matched by: trimmed and in
// lower case.
func EmailKey(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// CheckEmail checks that addr is one plain address (local@domain, no
// display name, no line breaks): what goes into a To: header must never be
// able to add a header of its own.
func CheckEmail(field, addr string) (FieldError, bool) {
	switch {
	case strings.TrimSpace(addr) == "":
		return Fault(field, RuleRequired, ""), false
	case hasControl(addr):
		return Fault(field, RuleLineBreak, ""), false
	case len(addr) > MaxEmailLength:
		return Fault(field, RuleMaxLength, "254"), false
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(addr) || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") {
		return Fault(field, RuleEmail, ""), false
	}
	return FieldError{}, true
}

// hasControl reports a control character anywhere in s (CR and LF above all).
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// checkPersonName checks a user's name: required, bounded, one line.
func checkPersonName(fields []FieldError, name string) []FieldError {
	if hasControl(name) {
		return append(fields, Fault("name", RuleLineBreak, ""))
	}
	return appendName(fields, "name", name, true)
}

// Validate checks every field of the user and names each one at fault.
func (u User) Validate() error {
	fields := checkPersonName(nil, u.Name)
	if fe, ok := CheckEmail("email", u.Email); !ok {
		fields = append(fields, fe)
	}
	if !ValidRole(u.Role) {
		fields = append(fields, Fault("role", RuleOneOf, "admin respondent planner"))
	}
	switch {
	case u.Role == RoleRespondent && u.Department == "":
		fields = append(fields, Fault("department", RuleRequired, ""))
	case u.Role == RoleRespondent && !ValidDepartmentCode(u.Department):
		fields = append(fields, Fault("department", RulePattern, PatternDepartment))
	case u.Role != RoleRespondent && u.Department != "":
		fields = append(fields, Fault("department", RuleNoRespondent, ""))
	}
	if u.Approver && u.Role != RoleRespondent {
		fields = append(fields, Fault("approver", RuleNoRespondent, ""))
	}
	if len(fields) > 0 {
		return Invalid("invalid user", fields...)
	}
	return nil
}

// NewUser is a new, active user created at now; it checks every field.
func NewUser(name, email, role, dept string, approver bool, now time.Time) (*User, error) {
	id, err := NewID()
	if err != nil {
		return nil, err
	}
	u := &User{ID: "u-" + id, Name: strings.TrimSpace(name), Email: strings.TrimSpace(email), Role: role,
		Department: dept, Approver: approver, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	u.EmailKey = EmailKey(u.Email)
	return u, nil
}

// UserChange is a partial edit of a user; nil fields stay. The address is
// not changed here: a new address is a new invitation.
type UserChange struct {
	Name       *string `json:"name"`
	Role       *string `json:"role"`
	Department *string `json:"department"`
	Approver   *bool   `json:"approver"`
	Active     *bool   `json:"active"`
}

// Apply returns the user with the change applied at now and what changed
// (field: new value), or an error naming every field at fault. A change
// that changes nothing keeps the version.
func (u User) Apply(ch UserChange, now time.Time) (User, map[string]any, error) {
	changed := map[string]any{}
	next := u
	if ch.Name != nil && strings.TrimSpace(*ch.Name) != u.Name {
		next.Name = strings.TrimSpace(*ch.Name)
		changed["name"] = next.Name
	}
	if ch.Role != nil && *ch.Role != u.Role {
		next.Role = *ch.Role
		changed["role"] = next.Role
		if next.Role != RoleRespondent && ch.Department == nil {
			next.Department, next.Approver = "", false
		}
	}
	if ch.Department != nil && *ch.Department != next.Department {
		next.Department = *ch.Department
		changed["department"] = next.Department
	}
	if ch.Approver != nil && *ch.Approver != next.Approver {
		next.Approver = *ch.Approver
		changed["approver"] = next.Approver
	}
	if ch.Active != nil && *ch.Active != u.Active {
		next.Active = *ch.Active
		changed["active"] = next.Active
	}
	if err := next.Validate(); err != nil {
		return u, nil, err
	}
	if len(changed) > 0 {
		next.Version++
		next.UpdatedAt = now
	}
	return next, changed, nil
}

// Principal returns the principal a signed-in user acts as.
func (u *User) Principal() Principal {
	return Principal{UserID: u.ID, Name: u.Name, Role: u.Role, Department: u.Department, Approver: u.Approver}
}

// DisplayName is how the principal is shown to people: the user's name, or
// a token client's credential label, or (for neither) its actor id.
func (p Principal) DisplayName() string {
	switch {
	case p.Name != "":
		return p.Name
	case p.Label != "":
		return p.Label
	}
	return p.Actor()
}

// NameOr is name when there is one, else the id it stands for: records made
// before names were kept show their id.
func NameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}
