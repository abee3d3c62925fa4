package survey_test

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

func TestNewCredential(t *testing.T) {
	tests := []struct {
		name              string
		role, dept, label string
		want              []fe // nil: issued
	}{
		{"admin", survey.RoleAdmin, "", "ops", nil},
		{"planner", survey.RolePlanner, "", "", nil},
		{"respondent", survey.RoleRespondent, "ABC", "ABC team", nil},
		{"200-character label", survey.RoleAdmin, "", zh(200), nil},
		{"unknown role", "superuser", "", "", []fe{{"role", survey.RuleOneOf, "admin respondent planner"}}},
		{"no role", "", "", "", []fe{{"role", survey.RuleOneOf, "admin respondent planner"}}},
		{"role in capitals", "Admin", "", "", []fe{{"role", survey.RuleOneOf, "admin respondent planner"}}},
		{"respondent without a department", survey.RoleRespondent, "", "",
			[]fe{{"department", survey.RulePattern, survey.PatternDepartment}}},
		{"respondent with a malformed department", survey.RoleRespondent, "abc", "",
			[]fe{{"department", survey.RulePattern, survey.PatternDepartment}}},
		{"admin with a department", survey.RoleAdmin, "ABC", "",
			[]fe{{"department", survey.RuleNoRespondent, ""}}},
		{"planner with a department", survey.RolePlanner, "ABC", "",
			[]fe{{"department", survey.RuleNoRespondent, ""}}},
		{"label over 200 characters", survey.RolePlanner, "", zh(201),
			[]fe{{"label", survey.RuleMaxLength, "200"}}},
		{"every fault", "root", "ABC", zh(201), []fe{
			{"role", survey.RuleOneOf, "admin respondent planner"},
			{"department", survey.RuleNoRespondent, ""},
			{"label", survey.RuleMaxLength, "200"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, token, err := survey.NewCredential(tc.role, tc.dept, tc.label, testNow)
			if tc.want != nil {
				wantFields(t, err, tc.want...)
				if c != nil || token != "" {
					t.Errorf("credential %+v and token %q returned with an error", c, token)
				}
				return
			}
			wantNoError(t, err)
			checkToken(t, token)
			if c.Hash != survey.HashToken(token) {
				t.Errorf("hash %s, want HashToken(token) %s", c.Hash, survey.HashToken(token))
			}
			if strings.Contains(c.Hash, token) {
				t.Error("the stored hash contains the token")
			}
			if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(c.ID) {
				t.Errorf("id %q, want 16 hex digits", c.ID)
			}
			if c.Role != tc.role || c.Department != tc.dept || c.Label != tc.label || !c.CreatedAt.Equal(testNow) {
				t.Errorf("credential %+v, want role %s department %q label %q created %v", c, tc.role, tc.dept, tc.label, testNow)
			}
			if c.Revoked || c.RevokedAt != nil || c.LastUsedAt != nil {
				t.Errorf("new credential %+v is revoked or used", c)
			}
		})
	}
}

// checkToken fails unless token is base64url (no padding) of 32 bytes.
func checkToken(t *testing.T, token string) {
	t.Helper()
	if len(token) != 43 {
		t.Fatalf("token %q has %d characters, want 43", token, len(token))
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 32 {
		t.Fatalf("token %q is not base64url of 32 bytes: %v (%d bytes)", token, err, len(b))
	}
}

func TestNewCredentialIsFresh(t *testing.T) {
	a, ta, err := survey.NewCredential(survey.RoleAdmin, "", "", testNow)
	wantNoError(t, err)
	b, tb, err := survey.NewCredential(survey.RoleAdmin, "", "", testNow)
	wantNoError(t, err)
	if ta == tb || a.Hash == b.Hash || a.ID == b.ID {
		t.Errorf("two credentials share token, hash or id: %q/%q %s/%s %s/%s", ta, tb, a.Hash, b.Hash, a.ID, b.ID)
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256 of the empty string and of "abc" (FIPS 180-2 test vectors).
	for token, want := range map[string]string{
		"":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	} {
		if got := survey.HashToken(token); got != want {
			t.Errorf("HashToken(%q) = %s, want %s", token, got, want)
		}
	}
	token, hash, err := survey.NewToken()
	wantNoError(t, err)
	checkToken(t, token)
	if _, err := hex.DecodeString(hash); err != nil || hash != survey.HashToken(token) {
		t.Errorf("NewToken hash %s, want HashToken(token)", hash)
	}
}

func TestPrincipalCanSeeDepartment(t *testing.T) {
	tests := []struct {
		p    survey.Principal
		dept string
		want bool
	}{
		{survey.Principal{Role: survey.RoleAdmin}, "ABC", true},
		{survey.Principal{Role: survey.RoleAdmin}, "XYZ", true},
		{survey.Principal{Role: survey.RoleRespondent, Department: "ABC"}, "ABC", true},
		{survey.Principal{Role: survey.RoleRespondent, Department: "ABC"}, "XYZ", false},
		{survey.Principal{Role: survey.RoleRespondent, Department: "ABC"}, "abc", false},
		{survey.Principal{Role: survey.RolePlanner}, "ABC", false},
		{survey.Principal{Role: survey.RolePlanner, Department: "ABC"}, "ABC", false},
		{survey.Principal{Role: "", Department: "ABC"}, "ABC", false},
	}
	for _, tc := range tests {
		t.Run(tc.p.Role+"/"+tc.p.Department+"->"+tc.dept, func(t *testing.T) {
			if got := tc.p.CanSeeDepartment(tc.dept); got != tc.want {
				t.Errorf("CanSeeDepartment(%q) = %v, want %v", tc.dept, got, tc.want)
			}
		})
	}
}

func TestPrincipalActor(t *testing.T) {
	tests := []struct {
		p    survey.Principal
		want string
	}{
		{survey.Principal{CredentialID: "c1", Role: survey.RoleAdmin, Label: "ignored"}, "admin:c1"},
		{survey.Principal{CredentialID: "c2", Role: survey.RolePlanner}, "planner:c2"},
		{survey.Principal{CredentialID: "c3", Role: survey.RoleRespondent, Department: "ABC"}, "respondent:ABC:c3"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.p.Actor(); got != tc.want {
				t.Errorf("Actor() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSessionExpired(t *testing.T) {
	const idle = 30 * time.Minute
	seen := testNow
	s := &survey.Session{CreatedAt: seen.Add(-time.Hour), LastSeenAt: seen, ExpiresAt: seen.Add(8 * time.Hour)}
	tests := []struct {
		name string
		s    *survey.Session
		now  time.Time
		want bool
	}{
		{"just seen", s, seen, false},
		{"idle a nanosecond short of the limit", s, seen.Add(idle - time.Nanosecond), false},
		{"idle exactly the limit", s, seen.Add(idle), true},
		{"idle past the limit", s, seen.Add(idle + time.Second), true},
		{"active a nanosecond before the absolute end", &survey.Session{LastSeenAt: seen.Add(8*time.Hour - time.Minute), ExpiresAt: seen.Add(8 * time.Hour)},
			seen.Add(8*time.Hour - time.Nanosecond), false},
		{"active at the absolute end", &survey.Session{LastSeenAt: seen.Add(8*time.Hour - time.Minute), ExpiresAt: seen.Add(8 * time.Hour)},
			seen.Add(8 * time.Hour), true},
		{"active after the absolute end", &survey.Session{LastSeenAt: seen.Add(9 * time.Hour), ExpiresAt: seen.Add(8 * time.Hour)},
			seen.Add(9 * time.Hour), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Expired(tc.now, idle); got != tc.want {
				t.Errorf("Expired(%v) = %v, want %v", tc.now, got, tc.want)
			}
		})
	}
}

func TestNewAuditEvent(t *testing.T) {
	at := time.Date(2026, 2, 3, 12, 5, 6, 7, time.FixedZone("HKT", 8*3600))
	e, err := survey.NewAuditEvent(at, "admin:c1", "round.update", "r1", "ABC", map[string]any{"state": "draft->open"})
	wantNoError(t, err)
	if !regexp.MustCompile(`^20260203T040506\.000000007Z-[0-9a-f]{16}$`).MatchString(e.ID) {
		t.Errorf("id %q, want the UTC time then a random suffix", e.ID)
	}
	if e.At != at.UTC() || e.Actor != "admin:c1" || e.Action != "round.update" || e.Round != "r1" || e.Department != "ABC" {
		t.Errorf("event %+v", e)
	}
	later, err := survey.NewAuditEvent(at.Add(time.Nanosecond), "a", "x", "", "", nil)
	wantNoError(t, err)
	if later.ID <= e.ID {
		t.Errorf("a later event's id %q does not sort after %q", later.ID, e.ID)
	}
}
