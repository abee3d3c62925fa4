package assess

import (
	"context"
	"errors"
	"strings"

	"github.com/dpo/dgsurvey/survey"
)

// NewDepartment is what an administrator gives to add a department.
type NewDepartment struct {
	Code   string `json:"code"`
	NameEN string `json:"name_en"`
	NameZH string `json:"name_zh"`
	Bureau string `json:"bureau"`
}

// CreateDepartment adds an active department (admin).
func (s *Service) CreateDepartment(ctx context.Context, p survey.Principal, in NewDepartment) (*survey.Department, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	d, err := survey.NewDepartment(in.Code, in.NameEN, in.NameZH, in.Bureau, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateDepartment(ctx, d); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "department.create", "", d.Code, nil)
	return d, nil
}

// Departments lists every department, in code order.
func (s *Service) Departments(ctx context.Context, p survey.Principal) ([]survey.Department, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	ds, err := s.store.Departments(ctx)
	return nonNil(ds), err
}

// Department reads one department (admin, or a respondent of it).
func (s *Service) Department(ctx context.Context, p survey.Principal, code string) (*survey.Department, error) {
	if p.Role != survey.RoleAdmin && p.Department != code {
		return nil, survey.Errorf(survey.ENOTFOUND, "department not found")
	}
	return s.store.Department(ctx, code)
}

// ChangeDepartment edits a department's names, bureau or active flag
// (admin), only at the version pre names when it names one (412 when
// someone else changed it since); a change that changes nothing writes
// nothing.
func (s *Service) ChangeDepartment(ctx context.Context, p survey.Principal, code string, ch survey.DepartmentChange, pre Precondition) (*survey.Department, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var changed map[string]any
	d, err := s.store.UpdateDepartment(ctx, code, func(d *survey.Department) error {
		if err := pre.checkVersion("department", d.Version); err != nil {
			return err
		}
		next, diff, err := d.Apply(ch, s.now())
		if err != nil {
			return err
		}
		if len(diff) == 0 {
			return errUnchanged
		}
		*d, changed = next, diff
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return s.store.Department(ctx, code)
	}
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "department.update", "", d.Code, changed)
	return d, nil
}

// errUnchanged stops an update that would change nothing before it writes.
var errUnchanged = errors.New("unchanged")

// NewCredential is what an administrator gives to issue a credential.
type NewCredential struct {
	Role       string `json:"role"`
	Department string `json:"department"`
	Label      string `json:"label"`
}

// Issued is a new credential with its token, shown once and never again.
type Issued struct {
	*survey.Credential
	Token string `json:"token"`
}

// maxLabelLength bounds a credential's label, in characters.
const maxLabelLength = 200

// IssueCredential creates a credential (admin); a respondent's must belong
// to an active department.
func (s *Service) IssueCredential(ctx context.Context, p survey.Principal, in NewCredential) (*Issued, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var fields []survey.FieldError
	switch {
	case in.Role == "":
		fields = append(fields, survey.Fault("role", survey.RuleRequired, ""))
	case !survey.ValidRole(in.Role):
		fields = append(fields, survey.Fault("role", survey.RuleOneOf, "admin respondent planner"))
	}
	switch {
	case in.Role == survey.RoleRespondent && in.Department == "":
		fields = append(fields, survey.Fault("department", survey.RuleRequired, ""))
	case in.Department != "" && !survey.ValidDepartmentCode(in.Department):
		fields = append(fields, survey.Fault("department", survey.RulePattern, survey.PatternDepartment))
	}
	if fe, ok := survey.CheckText("label", in.Label, maxLabelLength, false); !ok {
		fields = append(fields, fe)
	}
	if len(fields) > 0 {
		return nil, survey.Invalid("invalid request", fields...)
	}
	if in.Role == survey.RoleRespondent {
		d, err := s.store.Department(ctx, in.Department)
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !d.Active) {
			return nil, survey.Invalid("invalid credential", survey.Fault("department", survey.RuleInactive, ""))
		}
		if err != nil {
			return nil, err
		}
	}
	cred, token, err := survey.NewCredential(in.Role, in.Department, strings.TrimSpace(in.Label), s.now())
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateCredential(ctx, cred); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "credential.issue", "", cred.Department, map[string]any{"credential": cred.ID, "role": cred.Role})
	return &Issued{Credential: cred, Token: token}, nil
}

// Credentials lists every credential, never a token or hash (admin).
func (s *Service) Credentials(ctx context.Context, p survey.Principal) ([]survey.Credential, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	creds, err := s.store.Credentials(ctx)
	return nonNil(creds), err
}

// RevokeCredential revokes a credential (admin), at once on this instance
// and within the cache lifetime elsewhere.
func (s *Service) RevokeCredential(ctx context.Context, p survey.Principal, id string) error {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return err
	}
	cred, err := s.store.RevokeCredential(ctx, id, s.now())
	if err != nil {
		return err
	}
	s.creds.forget(cred.Hash)
	s.audit(ctx, p, "credential.revoke", "", cred.Department, map[string]any{"credential": cred.ID})
	return nil
}
