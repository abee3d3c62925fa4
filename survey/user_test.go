package survey_test

import (
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

func TestCheckEmail(t *testing.T) {
	cases := []struct {
		addr string
		rule string // "" when valid
	}{
		{"ben.wong@abc.gov.hk", ""},
		{"Ben.Wong+survey@ABC.example", ""},
		{"", survey.RuleRequired},
		{"ben", survey.RuleEmail},
		{"ben@localhost", survey.RuleEmail},
		{"Ben <ben@abc.example>", survey.RuleEmail},
		{"ben@abc.example, eve@abc.example", survey.RuleEmail},
		{"ben@abc.example\r\nBcc: eve@abc.example", survey.RuleLineBreak},
		{"ben@abc.example\n", survey.RuleLineBreak},
		{"ben\x00@abc.example", survey.RuleLineBreak},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			fe, ok := survey.CheckEmail("email", tc.addr)
			if ok != (tc.rule == "") || (!ok && fe.Rule != tc.rule) {
				t.Errorf("CheckEmail(%q) = %v %q, want rule %q", tc.addr, ok, fe.Rule, tc.rule)
			}
		})
	}
}

func TestNewUserValidation(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name                    string
		uname, email, role, dep string
		approver                bool
		field                   string // "" when valid
	}{
		{"respondent", "Ben Wong", "ben@abc.example", "respondent", "ABC", false, ""},
		{"approver", "Carmen Lee", "carmen@abc.example", "respondent", "ABC", true, ""},
		{"planner", "Daniel Ho", "daniel@csc.example", "planner", "", false, ""},
		{"respondent without department", "X", "x@abc.example", "respondent", "", false, "department"},
		{"planner with department", "X", "x@abc.example", "planner", "ABC", false, "department"},
		{"approver who is not a respondent", "X", "x@abc.example", "admin", "", true, "approver"},
		{"unknown role", "X", "x@abc.example", "boss", "", false, "role"},
		{"name with a line break", "X\r\nBcc: y", "x@abc.example", "planner", "", false, "name"},
		{"empty name", "  ", "x@abc.example", "planner", "", false, "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := survey.NewUser(tc.uname, tc.email, tc.role, tc.dep, tc.approver, now)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if u.EmailKey != survey.EmailKey(tc.email) || !u.Active || u.Version != 1 {
					t.Errorf("new user %+v", u)
				}
				return
			}
			var fields []survey.FieldError
			if e, ok := err.(*survey.Error); ok {
				fields = e.Fields
			}
			found := false
			for _, f := range fields {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Errorf("error %v does not name %s", err, tc.field)
			}
		})
	}
}

func TestUserApply(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	u, err := survey.NewUser("Ben Wong", "ben@abc.example", "respondent", "ABC", true, now)
	if err != nil {
		t.Fatal(err)
	}
	planner, same := "planner", "Ben Wong"
	t.Run("a change that changes nothing keeps the version", func(t *testing.T) {
		next, changed, err := u.Apply(survey.UserChange{Name: &same}, now)
		if err != nil || len(changed) != 0 || next.Version != u.Version {
			t.Fatalf("%v %v %d", err, changed, next.Version)
		}
	})
	t.Run("becoming a planner drops the department and approval", func(t *testing.T) {
		next, changed, err := u.Apply(survey.UserChange{Role: &planner}, now)
		if err != nil || next.Department != "" || next.Approver || next.Version != u.Version+1 || changed["role"] != "planner" {
			t.Fatalf("%v %+v %v", err, next, changed)
		}
	})
}

func TestPrincipalNames(t *testing.T) {
	cases := []struct {
		p          survey.Principal
		actor, dis string
	}{
		{survey.Principal{UserID: "u-1", Name: "Ben Wong", Role: "respondent", Department: "ABC"}, "respondent:ABC:u-1", "Ben Wong"},
		{survey.Principal{CredentialID: "c1", Label: "ETL job", Role: "admin"}, "admin:c1", "ETL job"},
		{survey.Principal{CredentialID: "c2", Role: "planner"}, "planner:c2", "planner:c2"},
	}
	for _, tc := range cases {
		if got := tc.p.Actor(); got != tc.actor {
			t.Errorf("Actor() = %q, want %q", got, tc.actor)
		}
		if got := tc.p.DisplayName(); got != tc.dis {
			t.Errorf("DisplayName() = %q, want %q", got, tc.dis)
		}
	}
}

func TestMaySubmit(t *testing.T) {
	cases := []struct {
		name        string
		p           survey.Principal
		hasApprover bool
		want        bool
	}{
		{"admin, on the department's behalf", survey.Principal{Role: "admin"}, true, true},
		{"approver", survey.Principal{Role: "respondent", Approver: true}, true, true},
		{"preparer where there is an approver", survey.Principal{Role: "respondent"}, true, false},
		{"respondent where there is none", survey.Principal{Role: "respondent"}, false, true},
		{"planner", survey.Principal{Role: "planner"}, false, false},
	}
	for _, tc := range cases {
		if got := tc.p.MaySubmit(tc.hasApprover); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
