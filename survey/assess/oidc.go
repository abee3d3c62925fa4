package assess

import (
	"context"

	"github.com/dpo/dgsurvey/survey"
)

// SignInOIDC signs in the active user whose address is the verified e-mail
// claim of a single sign-on (the protocol, state and nonce are checked at
// the edge before this is called). An unverified address is refused
// (forbidden); an address no active user has is unauthorized and counts
// against client, like a wrong token. previous, the browser's old session
// cookie, is ended; the session id is new.
func (s *Service) SignInOIDC(ctx context.Context, email string, verified bool, client, previous string) (*SignedIn, error) {
	if !verified {
		return nil, survey.Errorf(survey.EFORBIDDEN, "the identity provider has not verified this e-mail address")
	}
	if _, ok := survey.CheckEmail("email", email); !ok {
		return nil, s.failedAuth(client, "no user has this e-mail address")
	}
	u, err := s.store.UserByEmail(ctx, survey.EmailKey(email))
	if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !u.Active) {
		return nil, s.failedAuth(client, "no active user has this e-mail address")
	}
	if err != nil {
		return nil, err
	}
	return s.startUserSession(ctx, u.ID, client, previous, "oidc")
}
