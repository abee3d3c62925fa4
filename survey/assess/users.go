package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// NewUser is an invitation: who to invite and as what.
type NewUser struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	Department string `json:"department"`
	Approver   bool   `json:"approver"`
}

// InviteUser creates a user (admin) and e-mails them a sign-in link. A
// respondent must belong to an active department; an address already
// registered (in any case) is a conflict naming the email field.
func (s *Service) InviteUser(ctx context.Context, p survey.Principal, in NewUser) (*survey.User, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	u, err := survey.NewUser(in.Name, in.Email, in.Role, in.Department, in.Approver, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.checkUserDepartment(ctx, u); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "user.invite", "", u.Department, map[string]any{"user": u.ID, "name": u.Name, "role": u.Role, "approver": u.Approver})
	if err := s.mailSignInLink(ctx, u, true); err != nil {
		return nil, err
	}
	return u, nil
}

// checkUserDepartment refuses a respondent of an unknown or deactivated
// department (422 on the department field).
func (s *Service) checkUserDepartment(ctx context.Context, u *survey.User) error {
	if u.Role != survey.RoleRespondent {
		return nil
	}
	d, err := s.store.Department(ctx, u.Department)
	if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !d.Active) {
		return survey.Invalid("invalid user", survey.Fault("department", survey.RuleInactive, ""))
	}
	return err
}

// Users lists every user (admin), by name.
func (s *Service) Users(ctx context.Context, p survey.Principal) ([]survey.User, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx, "")
	return nonNil(users), err
}

// ChangeUser edits a user (admin): name, role, department, approver,
// active. pre is the version the change was made against (412 when it has
// moved on). Deactivating a user ends their sessions at once here and
// within the cache TTL elsewhere.
func (s *Service) ChangeUser(ctx context.Context, p survey.Principal, id string, ch survey.UserChange, pre Precondition) (*survey.User, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if ch.Name == nil && ch.Role == nil && ch.Department == nil && ch.Approver == nil && ch.Active == nil {
		return nil, survey.Invalid("nothing to change", survey.Fault("name", survey.RuleRequired, ""))
	}
	var changed map[string]any
	u, err := s.store.UpdateUser(ctx, id, func(u *survey.User) error {
		if err := pre.checkVersion("user", u.Version); err != nil {
			return err
		}
		next, diff, err := u.Apply(ch, s.now())
		if err != nil {
			return err
		}
		_, newDept := diff["department"]
		_, newRole := diff["role"]
		if newDept || newRole {
			if err := s.checkUserDepartment(ctx, &next); err != nil {
				return err
			}
		}
		changed = diff
		*u = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.people.users.drop(u.ID)
	if len(changed) > 0 {
		changed["user"] = u.ID
		changed["version"] = u.Version
		s.audit(ctx, p, "user.change", "", u.Department, changed)
	}
	return u, nil
}

// ResendInvitation e-mails a user a fresh sign-in link (admin); earlier
// links keep working until they expire or are used.
func (s *Service) ResendInvitation(ctx context.Context, p survey.Principal, id string) (*survey.User, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, survey.Errorf(survey.ECONFLICT, "the user is deactivated; activate them first")
	}
	s.audit(ctx, p, "user.invite_again", "", u.Department, map[string]any{"user": u.ID})
	if err := s.mailSignInLink(ctx, u, true); err != nil {
		return nil, err
	}
	return u, nil
}

// departmentUsers lists a department's active users.
func (s *Service) departmentUsers(ctx context.Context, dept string) ([]survey.User, error) {
	all, err := s.store.Users(ctx, dept)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if u.Active && u.Role == survey.RoleRespondent {
			out = append(out, u)
		}
	}
	return out, nil
}

// hasApprover reports whether dept has an active approver: then only
// approvers (and administrators) submit its response.
func (s *Service) hasApprover(ctx context.Context, dept string) (bool, error) {
	users, err := s.departmentUsers(ctx, dept)
	if err != nil {
		return false, err
	}
	for _, u := range users {
		if u.Approver {
			return true, nil
		}
	}
	return false, nil
}

// userPrincipal resolves a session's user to its principal; nil when the
// user is gone or deactivated. Look-ups are cached like credentials.
func (s *Service) userPrincipal(ctx context.Context, id string) (*survey.Principal, error) {
	u, ok := s.people.users.get(id)
	if !ok {
		var err error
		u, err = s.store.User(ctx, id)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			s.people.users.put(id, nil)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		s.people.users.put(id, u)
	}
	if u == nil || !u.Active {
		return nil, nil
	}
	p := u.Principal()
	return &p, nil
}

func fromMail(c mail.Content) mailContent {
	return mailContent{Subject: c.Subject, Text: c.Text, HTML: c.HTML}
}
