package assess

import (
	"context"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// RoundCopy is what an administrator gives for "a new round like this
// one": the new id, and optionally other titles or another published
// version of the same questionnaire.
type RoundCopy struct {
	ID                   string  `json:"id"`
	TitleEN              *string `json:"title_en"`
	TitleZH              *string `json:"title_zh"`
	QuestionnaireVersion int     `json:"questionnaire_version"`
}

// CopyRound creates a draft round like round from (admin): its titles
// (unless given), its questionnaire at the latest published version (next
// year's, once the DPO has published it; the copied round's own when
// nothing newer is published; another when given), its dates a year later,
// and prefill_from from, so every department starts from its submitted
// answers there. It is CreateRound underneath: the same checks, the same
// audit (with prefill_from).
func (s *Service) CopyRound(ctx context.Context, p survey.Principal, from string, in RoundCopy) (*survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	src, err := s.store.Round(ctx, from)
	if err != nil {
		return nil, err
	}
	version := src.QuestionnaireVersion
	if latest, err := s.lookup(ctx, src.QuestionnaireID, 0); err == nil && latest.Number > version {
		version = latest.Number
	} else if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		return nil, err
	}
	nr := NewRound{
		ID: in.ID, TitleEN: src.Title.EN, TitleZH: src.Title.ZH,
		Questionnaire: src.QuestionnaireID, QuestionnaireVersion: version,
		OpensAt:     src.OpensAt.AddDate(1, 0, 0).Format(time.RFC3339Nano),
		ClosesAt:    src.ClosesAt.AddDate(1, 0, 0).Format(time.RFC3339Nano),
		PrefillFrom: src.ID,
	}
	if in.TitleEN != nil {
		nr.TitleEN = *in.TitleEN
	}
	if in.TitleZH != nil {
		nr.TitleZH = *in.TitleZH
	}
	if in.QuestionnaireVersion != 0 {
		nr.QuestionnaireVersion = in.QuestionnaireVersion
	}
	return s.CreateRound(ctx, p, nr)
}
