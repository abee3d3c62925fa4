package assess

import (
	"context"
	"iter"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// The store, as the use cases need it, one small interface per subject.
// survey/mongostore implements them all.

// Departments keeps the departments.
type Departments interface {
	CreateDepartment(ctx context.Context, d *survey.Department) error
	Department(ctx context.Context, code string) (*survey.Department, error)
	Departments(ctx context.Context) ([]survey.Department, error)
	UpdateDepartment(ctx context.Context, code string, change func(*survey.Department) error) (*survey.Department, error)
}

// Credentials keeps bearer-token credentials by the hash of their token.
type Credentials interface {
	CreateCredential(ctx context.Context, c *survey.Credential) error
	CredentialByHash(ctx context.Context, hash string) (*survey.Credential, error)
	Credentials(ctx context.Context) ([]survey.Credential, error)
	RevokeCredential(ctx context.Context, id string, at time.Time) (*survey.Credential, error)
	TouchCredential(ctx context.Context, hash string, at time.Time) error
}

// Rounds keeps the rounds and each round's copy of its questionnaire.
type Rounds interface {
	CreateRound(ctx context.Context, r *survey.Round, q *survey.Questionnaire) error
	Round(ctx context.Context, id string) (*survey.Round, error)
	RoundQuestionnaire(ctx context.Context, id string) (*survey.Questionnaire, error)
	Rounds(ctx context.Context) ([]survey.Round, error)
	UpdateRound(ctx context.Context, id string, change func(*survey.Round) error) (*survey.Round, error)
}

// Responses keeps the departments' responses. UpdateResponse applies change
// to a copy of the stored response (an empty one if there is none) and
// stores it only when change returns nil.
type Responses interface {
	Response(ctx context.Context, round, dept string) (*survey.Response, error)
	UpdateResponse(ctx context.Context, round, dept string, change func(*survey.Response) error) (*survey.Response, error)
	ResponseSummaries(ctx context.Context, round string) ([]survey.Response, error)
	Responses(ctx context.Context, round string) iter.Seq2[*survey.Response, error]
	SubmittedScores(ctx context.Context, round string) ([]survey.Response, error)
}

// Audit keeps the append-only audit trail.
type Audit interface {
	AppendAudit(ctx context.Context, e *survey.AuditEvent) error
	Audit(ctx context.Context, f survey.AuditFilter) ([]survey.AuditEvent, error)
}

// Sessions keeps signed-in browsers by the hash of their cookie.
type Sessions interface {
	CreateSession(ctx context.Context, sess *survey.Session) error
	Session(ctx context.Context, hash string) (*survey.Session, error)
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// Secret returns the server secret of name, shared by every instance
	// on the store; when there is none, fresh (if not nil) is stored and
	// returned, else it is not_found.
	Secret(ctx context.Context, name string, fresh []byte) ([]byte, error)
}

// Seminars keeps the seminars planners schedule. UpdateSeminar applies
// change to a copy of the stored seminar and stores it when change returns
// nil and moved its version (written only if nobody else did meanwhile).
type Seminars interface {
	CreateSeminar(ctx context.Context, s *survey.Seminar) error
	Seminar(ctx context.Context, id string) (*survey.Seminar, error)
	Seminars(ctx context.Context) ([]survey.Seminar, error)
	UpdateSeminar(ctx context.Context, id string, change func(*survey.Seminar) error) (*survey.Seminar, error)
}

// Questionnaires keeps the questionnaire versions administrators upload
// (the built-in ones live in the binary), under survey.QuestionnaireKey.
// UpdateQuestionnaireVersion applies change to a copy of the stored version
// and stores it only when change returns nil.
type Questionnaires interface {
	CreateQuestionnaireVersion(ctx context.Context, v *survey.QuestionnaireVersion) error
	QuestionnaireVersion(ctx context.Context, id string, version int) (*survey.QuestionnaireVersion, error)
	QuestionnaireVersions(ctx context.Context) ([]survey.QuestionnaireVersion, error)
	UpdateQuestionnaireVersion(ctx context.Context, id string, version int, change func(*survey.QuestionnaireVersion) error) (*survey.QuestionnaireVersion, error)
}

// Bureaux keeps the managed list of bureaux.
type Bureaux interface {
	CreateBureau(ctx context.Context, b *survey.Bureau) error
	Bureau(ctx context.Context, code string) (*survey.Bureau, error)
	Bureaux(ctx context.Context) ([]survey.Bureau, error)
	UpdateBureau(ctx context.Context, code string, change func(*survey.Bureau) error) (*survey.Bureau, error)
}

// People keeps named users, their sign-in links, the outbox of e-mail and
// the reminders sent.
type People interface {
	CreateUser(ctx context.Context, u *survey.User) error
	User(ctx context.Context, id string) (*survey.User, error)
	UserByEmail(ctx context.Context, key string) (*survey.User, error)
	// Users lists users, of one department when dept is not empty.
	Users(ctx context.Context, dept string) ([]survey.User, error)
	UpdateUser(ctx context.Context, id string, change func(*survey.User) error) (*survey.User, error)
	// TouchUserSignIn records a sign-in time, touching that field only.
	TouchUserSignIn(ctx context.Context, id string, at time.Time) error
	CreateSignInLink(ctx context.Context, l *survey.SignInLink) error
	SignInLink(ctx context.Context, hash string) (*survey.SignInLink, error)
	// UseSignInLink marks an unused, unexpired link used; not_found otherwise.
	UseSignInLink(ctx context.Context, hash string, now time.Time) (*survey.SignInLink, error)
	AppendMessage(ctx context.Context, m *survey.Message) error
	UpdateMessage(ctx context.Context, m *survey.Message) error
	Messages(ctx context.Context, limit int) ([]survey.Message, error)
	// ClaimReminder inserts a reminder's record; conflict when it exists.
	ClaimReminder(ctx context.Context, r *survey.Reminder) error
	Reminders(ctx context.Context, round string) ([]survey.Reminder, error)
}

// Store is all of them, and a ping for readiness.
type Store interface {
	Ping(ctx context.Context) error
	Departments
	Credentials
	Rounds
	Responses
	Audit
	Sessions
	Seminars
	Questionnaires
	Bureaux
	People
}
