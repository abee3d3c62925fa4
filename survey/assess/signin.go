package assess

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// SignInPath is the page a sign-in link opens (the token follows).
const SignInPath = "/signin/"

// RequestSignInLink e-mails a sign-in link to the active user of addr,
// if there is one. The answer is the same whether or not the address is
// registered (no enumeration); only an address that is not one is refused
// (422). Requests are counted per address and per client address, known
// or not: past either allowance the answer is rate_limited with the wait.
func (s *Service) RequestSignInLink(ctx context.Context, addr, client string) error {
	if fe, ok := survey.CheckEmail("email", addr); !ok {
		return survey.Invalid("invalid e-mail address", fe)
	}
	key := survey.EmailKey(addr)
	if retry := s.people.perClient.fail(client); retry > 0 {
		return rateLimited(retry)
	}
	if retry := s.people.perAddress.fail(key); retry > 0 {
		return rateLimited(retry)
	}
	u, err := s.store.UserByEmail(ctx, key)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if !u.Active {
		return nil
	}
	return s.mailSignInLink(ctx, u, false)
}

func rateLimited(retry time.Duration) error {
	e := survey.Errorf(survey.ERATELIMITED, "too many sign-in links asked for; try again later")
	e.RetryAfter = retry
	return e
}

// mailSignInLink stores a fresh single-use link for u and e-mails it (an
// invitation, or a link asked for on the sign-in page).
func (s *Service) mailSignInLink(ctx context.Context, u *survey.User, invitation bool) error {
	token, hash, err := survey.NewToken()
	if err != nil {
		return err
	}
	now := s.now()
	l := &survey.SignInLink{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.People.LinkTTL)}
	if err := s.store.CreateSignInLink(ctx, l); err != nil {
		return err
	}
	link := s.link(SignInPath + url.PathEscape(token))
	kind, c := "sign_in", mail.SignInLink(u.Name, link, s.cfg.People.LinkTTL)
	if invitation {
		kind, c = "invitation", mail.Invitation(u.Name, link, s.cfg.People.LinkTTL)
	}
	content := fromMail(c)
	content.Secret = link
	s.sendMail(ctx, kind, u, "", u.Department, content)
	return nil
}

// CheckSignInLink says whether token is a link that would sign someone in
// now, without using it: the page a link opens shows its button only then.
// A used, expired, forged or deactivated user's link is not_found.
func (s *Service) CheckSignInLink(ctx context.Context, token string) error {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenLength {
		return survey.Errorf(survey.ENOTFOUND, "the link is not valid")
	}
	l, err := s.store.SignInLink(ctx, survey.HashToken(token))
	if err != nil {
		return err
	}
	if l.UsedAt != nil || !s.now().Before(l.ExpiresAt) {
		return survey.Errorf(survey.ENOTFOUND, "the link is not valid")
	}
	p, err := s.userPrincipal(ctx, l.UserID)
	if err != nil {
		return err
	}
	if p == nil {
		return survey.Errorf(survey.ENOTFOUND, "the link is not valid")
	}
	return nil
}

// ConfirmSignInLink uses a sign-in link (once: a second press, like an
// expired or forged link, is unauthorized and counts against client) and
// starts a session for its user with a new session id; previous, the
// browser's old session cookie, is ended.
func (s *Service) ConfirmSignInLink(ctx context.Context, token, client, previous string) (*SignedIn, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenLength {
		return nil, s.failedAuth(client, "the link is not valid")
	}
	l, err := s.store.UseSignInLink(ctx, survey.HashToken(token), s.now())
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil, s.failedAuth(client, "the link has been used, has expired or is not valid; ask for a new one")
	}
	if err != nil {
		return nil, err
	}
	return s.startUserSession(ctx, l.UserID, client, previous, "link")
}

// startUserSession signs an active user in (by link or single sign-on).
func (s *Service) startUserSession(ctx context.Context, userID, client, previous, how string) (*SignedIn, error) {
	s.people.users.drop(userID)
	u, err := s.store.User(ctx, userID)
	if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !u.Active) {
		return nil, s.failedAuth(client, "this user may not sign in")
	}
	if err != nil {
		return nil, err
	}
	s.SignOut(ctx, previous)
	id, hash, err := survey.NewToken()
	if err != nil {
		return nil, err
	}
	csrf, _, err := survey.NewToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess := &survey.Session{Hash: hash, UserID: u.ID, CSRF: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	if err := s.store.TouchUserSignIn(ctx, u.ID, now); err != nil {
		s.log.WarnContext(ctx, "recording a sign-in failed", slog.String("user", u.ID), slog.Any("error", err))
	}
	s.audit(ctx, u.Principal(), "user.sign_in", "", u.Department, map[string]any{"user": u.ID, "by": how})
	return &SignedIn{ID: id, Session: sess, MaxAge: s.cfg.SessionAbsolute}, nil
}
