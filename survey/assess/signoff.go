package assess

import (
	"context"
	"strings"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// nameAnswers records who changed the answers named in changed, by name.
// A change withdraws a request for approval (the patch has put the
// response back in progress): approvers approve what they were asked to.
func nameAnswers(r *survey.Response, changed []string, p survey.Principal) {
	if len(changed) > 0 {
		r.ReadyAt, r.ReadyByName = nil, ""
	}
	for _, id := range changed {
		if a := r.Answers[id]; a != nil {
			a.UpdatedByName = p.DisplayName()
		}
	}
}

// sealSubmission names the submitter and stores the receipt's hash of
// the submitted answers; a ready response's request is settled.
func sealSubmission(r *survey.Response, p survey.Principal) {
	r.SubmittedByName = p.DisplayName()
	r.AnswersSHA256 = survey.AnswersDigest(r)
	r.ReadyAt, r.ReadyByName = nil, ""
}

// unsealSubmission drops what a submission recorded when it is reopened.
func unsealSubmission(r *survey.Response) {
	r.SubmittedByName, r.AnswersSHA256 = "", ""
}

// maySubmit refuses a respondent who is not an approver of a department
// that has approvers: they ask for approval instead (403).
func (s *Service) maySubmit(ctx context.Context, p survey.Principal, dept string) error {
	if p.Role == survey.RoleAdmin || p.Approver {
		return nil
	}
	has, err := s.hasApprover(ctx, dept)
	if err != nil {
		return err
	}
	if !p.MaySubmit(has) {
		return survey.Errorf(survey.EFORBIDDEN, "this department's approvers submit its response; ask for approval instead")
	}
	return nil
}

// SignOffState says what the principal may do about a response's sign-off.
type SignOffState struct {
	// HasApprover: the department has an active approver.
	HasApprover bool
	// MaySubmit: the principal may submit; MayAskApproval: it may mark the
	// response ready instead; MaySendBack: it may send a ready response back.
	MaySubmit, MayAskApproval, MaySendBack bool
}

// SignOff tells the pages which sign-off buttons to show p for dept.
func (s *Service) SignOff(ctx context.Context, p survey.Principal, dept, status string) (SignOffState, error) {
	has, err := s.hasApprover(ctx, dept)
	if err != nil {
		return SignOffState{}, err
	}
	st := SignOffState{HasApprover: has, MaySubmit: p.MaySubmit(has)}
	st.MayAskApproval = has && !st.MaySubmit && p.Role == survey.RoleRespondent && status != survey.StatusReady
	st.MaySendBack = status == survey.StatusReady && (p.Role == survey.RoleAdmin || p.Approver)
	return st, nil
}

// AskApproval marks the department's complete response ready and e-mails
// its approvers (a respondent of the department; admins submit directly).
func (s *Service) AskApproval(ctx context.Context, p survey.Principal, round, dept string, pre Precondition) (*Scoped, error) {
	if err := requireRole(p, survey.RoleRespondent); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if err := s.acceptsChanges(ctx, p, sc); err != nil {
		return nil, err
	}
	users, err := s.departmentUsers(ctx, dept)
	if err != nil {
		return nil, err
	}
	var approvers []survey.User
	for _, u := range users {
		if u.Approver {
			approvers = append(approvers, u)
		}
	}
	if len(approvers) == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "the department has no approver: submit the response yourself")
	}
	sc.Response, err = s.store.UpdateResponse(ctx, sc.Round.ID, dept, func(r *survey.Response) error {
		if err := pre.check(r); err != nil {
			return err
		}
		return r.MarkReady(sc.Questionnaire, p.DisplayName(), s.now())
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "response.ready", sc.Round.ID, dept, map[string]any{"version": sc.Response.Version, "approvers": len(approvers)})
	link := s.link(responsePath(sc.Round.ID, dept) + "/review")
	for i := range approvers {
		s.sendMail(ctx, "ready", &approvers[i], sc.Round.ID, dept,
			fromMail(mail.ReadyForApproval(approvers[i].Name, dept, sc.Round.ID, p.DisplayName(), link)))
	}
	return sc, nil
}

// SendBack returns a ready response to its preparers with a reason (an
// approver of the department, or an admin), e-mailing the department's
// other users.
func (s *Service) SendBack(ctx context.Context, p survey.Principal, round, dept, reason string, pre Precondition) (*Scoped, error) {
	if p.Role != survey.RoleAdmin && !(p.Role == survey.RoleRespondent && p.Approver) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "only the department's approvers send a response back")
	}
	if err := survey.ValidateReopenReason(reason); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p, round, dept)
	if err != nil {
		return nil, err
	}
	if err := s.acceptsChanges(ctx, p, sc); err != nil {
		return nil, err
	}
	var preparer string
	sc.Response, err = s.store.UpdateResponse(ctx, sc.Round.ID, dept, func(r *survey.Response) error {
		if err := pre.check(r); err != nil {
			return err
		}
		preparer = r.ReadyByName
		return r.SendBackToPreparers(reason, p.DisplayName(), s.now())
	})
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	s.audit(ctx, p, "response.send_back", sc.Round.ID, dept, map[string]any{"reason": reason, "version": sc.Response.Version, "preparer": preparer})
	users, err := s.departmentUsers(ctx, dept)
	if err != nil {
		return sc, nil // sent back; the notice is best effort
	}
	link := s.link(responsePath(sc.Round.ID, dept))
	for i := range users {
		if users[i].ID == p.UserID {
			continue
		}
		s.sendMail(ctx, "sent_back", &users[i], sc.Round.ID, dept,
			fromMail(mail.SentBack(users[i].Name, dept, sc.Round.ID, p.DisplayName(), reason, link)))
	}
	return sc, nil
}
