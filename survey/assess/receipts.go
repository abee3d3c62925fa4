package assess

import (
	"context"
	"log/slog"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// sendReceipts e-mails every active user of the submitted department who
// submitted, when, and the SHA-256 of the submitted answers. The
// submission has happened: a failure here is logged, never returned.
func (s *Service) sendReceipts(ctx context.Context, sc *Scoped) {
	r := sc.Response
	users, err := s.departmentUsers(ctx, sc.Department)
	if err != nil {
		s.log.WarnContext(ctx, "receipts not sent", slog.String("round", sc.Round.ID), slog.String("department", sc.Department), slog.Any("error", err))
		return
	}
	when := ""
	if r.SubmittedAt != nil {
		when = r.SubmittedAt.In(s.cfg.Location).Format("2006-01-02 15:04 MST")
	}
	link := s.link(responsePath(sc.Round.ID, sc.Department))
	for i := range users {
		s.sendMail(ctx, "receipt", &users[i], sc.Round.ID, sc.Department,
			fromMail(mail.Receipt(users[i].Name, sc.Department, sc.Round.ID, survey.NameOr(r.SubmittedByName, r.SubmittedBy), when, r.AnswersSHA256, link)))
	}
}
