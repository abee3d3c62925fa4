package assess

import (
	"context"
	"errors"

	"github.com/dpo/dgsurvey/survey"
)

// NewBureau is the input of CreateBureau.
type NewBureau struct {
	Code   string `json:"code" form:"code"`
	NameEN string `json:"name_en" form:"name_en"`
	NameZH string `json:"name_zh" form:"name_zh"`
}

// CreateBureau adds a bureau to the managed list (admin).
func (s *Service) CreateBureau(ctx context.Context, p survey.Principal, in NewBureau) (*survey.Bureau, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	b, err := survey.NewBureau(in.Code, in.NameEN, in.NameZH, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateBureau(ctx, b); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "bureau.create", "", "", map[string]any{"bureau": b.Code})
	return b, nil
}

// Bureaux lists the managed bureaux, by code (anyone signed in: pages show
// their names).
func (s *Service) Bureaux(ctx context.Context, p survey.Principal) ([]survey.Bureau, error) {
	if p.Role == "" {
		return nil, survey.Errorf(survey.EUNAUTHORIZED, "sign in first")
	}
	bs, err := s.store.Bureaux(ctx)
	return nonNil(bs), err
}

// BureauNames is the bureaux indexed for showing departments' bureau
// values in a language.
func (s *Service) BureauNames(ctx context.Context, p survey.Principal) (survey.BureauNames, error) {
	bs, err := s.Bureaux(ctx, p)
	if err != nil {
		return nil, err
	}
	return survey.NewBureauNames(bs), nil
}

// ChangeBureau renames a bureau (admin); pre guards against a stale form.
func (s *Service) ChangeBureau(ctx context.Context, p survey.Principal, code string, ch survey.BureauChange, pre Precondition) (*survey.Bureau, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	var changed map[string]any
	b, err := s.store.UpdateBureau(ctx, code, func(b *survey.Bureau) error {
		if err := pre.checkVersion("bureau", b.Version); err != nil {
			return err
		}
		next, diff, err := b.Apply(ch, s.now())
		if err != nil {
			return err
		}
		if len(diff) == 0 {
			return errUnchanged
		}
		*b, changed = next, diff
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return s.store.Bureau(ctx, code)
	}
	if err != nil {
		return nil, err
	}
	changed["bureau"] = code
	s.audit(ctx, p, "bureau.update", "", "", changed)
	return b, nil
}
