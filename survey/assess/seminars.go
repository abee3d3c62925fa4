package assess

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dpo/dgsurvey/reports"
	"github.com/dpo/dgsurvey/survey"
)

// Seminars are planned by planners and admins from a round's results: the
// invitation list is the departments below the baseline in the seminar's
// areas, attendance is recorded afterwards, and the effect compares how
// attending departments and the others moved by a later round. Everything
// here reads submitted score snapshots only: never a comment, evidence or
// N/A reason.

// Invitation is one department to invite to a seminar, with its contacts.
type Invitation struct {
	survey.Invitee
	NameEN   string           `json:"name_en"`
	NameZH   string           `json:"name_zh"`
	Bureau   string           `json:"bureau"`
	Contacts []survey.Contact `json:"contacts"`
	Attended bool             `json:"attended"`
}

// Invitations is a seminar's invitation list.
type Invitations struct {
	Seminar     survey.Seminar `json:"seminar"`
	Baseline    int            `json:"baseline"`
	Departments []Invitation   `json:"departments"`
	// Results are the seminar round's results the list was drawn from.
	Results *RoundResults `json:"-"`
}

// Effect is how the departments that attended a seminar moved by a later
// round, against the others.
type Effect struct {
	Seminar  string              `json:"seminar"`
	From     string              `json:"from_round"`
	To       string              `json:"to_round"`
	MinGroup int                 `json:"min_group"`
	Areas    []survey.EffectArea `json:"areas"`
	// FromResults and ToResults are the two rounds' results.
	FromResults *RoundResults `json:"-"`
	ToResults   *RoundResults `json:"-"`
}

// SeminarList is every planned seminar.
type SeminarList struct {
	Seminars []survey.Seminar `json:"seminars"`
}

// AttendanceInput is the departments that attended a seminar.
type AttendanceInput struct {
	Departments []string `json:"departments"`
}

// CreateSeminar plans a seminar from the results of in.Round (admin,
// planner). The same round, date and theme (or areas) twice is a conflict:
// the seminar is already planned.
func (s *Service) CreateSeminar(ctx context.Context, p survey.Principal, in survey.SeminarInput) (*survey.Seminar, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	var q *survey.Questionnaire
	if survey.ValidRoundID(in.Round) {
		r, err := s.store.Round(ctx, in.Round)
		if err == nil {
			err = visible(p, r)
		}
		switch {
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			return nil, survey.Invalid("invalid seminar", survey.Fault("round", survey.RuleUnknown, "round"))
		case err != nil:
			return nil, err
		}
		if q, err = s.RoundQuestionnaire(ctx, in.Round); err != nil {
			return nil, err
		}
	}
	sem, err := survey.NewSeminar(in, q, p.Actor(), s.now())
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateSeminar(ctx, sem); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "seminar.create", sem.Round, "", map[string]any{"seminar": sem.ID, "areas": sem.Areas})
	return sem, nil
}

// ListSeminars lists every planned seminar (admin, planner).
func (s *Service) ListSeminars(ctx context.Context, p survey.Principal) (*SeminarList, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	list, err := s.store.Seminars(ctx)
	if err != nil {
		return nil, err
	}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	hidden := map[string]bool{}
	for _, r := range rounds {
		hidden[r.ID] = visible(p, &r) != nil
	}
	// A seminar planned on a draft round is as hidden as the round.
	out := []survey.Seminar{}
	for _, sem := range list {
		if !hidden[sem.Round] {
			out = append(out, sem)
		}
	}
	return &SeminarList{Seminars: out}, nil
}

// Seminar returns one seminar (admin, planner).
func (s *Service) Seminar(ctx context.Context, p survey.Principal, id string) (*survey.Seminar, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	if !survey.ValidSeminarID(id) {
		return nil, survey.Errorf(survey.ENOTFOUND, "seminar not found")
	}
	sem, err := s.store.Seminar(ctx, id)
	if err != nil || p.Role == survey.RoleAdmin {
		return sem, err
	}
	// A seminar planned on a draft round is as hidden as the round.
	r, err := s.store.Round(ctx, sem.Round)
	if err == nil && visible(p, r) != nil {
		err = survey.Errorf(survey.ENOTFOUND, "seminar %s not found", id)
	}
	if err != nil {
		return nil, err
	}
	return sem, nil
}

// UpdateSeminar changes a seminar's titles or date (admin, planner), at
// the version pre names when set (412 otherwise).
func (s *Service) UpdateSeminar(ctx context.Context, p survey.Principal, id string, ch survey.SeminarChange, pre Precondition) (*survey.Seminar, error) {
	if _, err := s.Seminar(ctx, p, id); err != nil {
		return nil, err
	}
	var changed bool
	out, err := s.store.UpdateSeminar(ctx, id, func(sem *survey.Seminar) error {
		if err := pre.checkVersion("seminar", sem.Version); err != nil {
			return err
		}
		next, ok, err := sem.Apply(ch, p.Actor(), s.now())
		if err != nil {
			return err
		}
		*sem, changed = next, ok
		return nil
	})
	if err != nil {
		return nil, err
	}
	if changed {
		s.audit(ctx, p, "seminar.update", out.Round, "", map[string]any{"seminar": id})
	}
	return out, nil
}

// SetAttendance records which departments attended a seminar (admin,
// planner), replacing the list, at the version pre names when set.
func (s *Service) SetAttendance(ctx context.Context, p survey.Principal, id string, in AttendanceInput, pre Precondition) (*survey.Seminar, error) {
	if _, err := s.Seminar(ctx, p, id); err != nil {
		return nil, err
	}
	depts, err := s.store.Departments(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, d := range depts {
		known[d.Code] = true
	}
	var changed bool
	out, err := s.store.UpdateSeminar(ctx, id, func(sem *survey.Seminar) error {
		if err := pre.checkVersion("seminar", sem.Version); err != nil {
			return err
		}
		next, ok, err := sem.SetAttendance(in.Departments, func(c string) bool { return known[c] }, p.Actor(), s.now())
		if err != nil {
			return err
		}
		*sem, changed = next, ok
		return nil
	})
	if err != nil {
		return nil, err
	}
	if changed {
		s.audit(ctx, p, "seminar.attendance", out.Round, "", map[string]any{"seminar": id, "departments": out.Attendance})
	}
	return out, nil
}

// SeminarInvitations lists the departments to invite to a seminar (admin,
// planner): those below the baseline in its areas in the seminar's round,
// weakest first, with their users' names and e-mail addresses.
func (s *Service) SeminarInvitations(ctx context.Context, p survey.Principal, id string) (*Invitations, error) {
	sem, err := s.Seminar(ctx, p, id)
	if err != nil {
		return nil, err
	}
	res, err := s.loadResults(ctx, sem.Round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	contacts, err := s.contacts(ctx)
	if err != nil {
		return nil, err
	}
	out := &Invitations{Seminar: *sem, Baseline: s.cfg.TargetLevel, Departments: []Invitation{}, Results: res}
	for _, inv := range survey.SeminarInvitees(sem.Areas, s.cfg.TargetLevel, TopicInputs(res.Scores, res.ByCode)) {
		d := res.ByCode[inv.Department]
		out.Departments = append(out.Departments, Invitation{Invitee: inv, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau,
			Contacts: nonNil(contacts[inv.Department]), Attended: slices.Contains(sem.Attendance, inv.Department)})
	}
	return out, nil
}

// contacts are the people to invite on behalf of each department: its
// active respondents (as departmentUsers counts them), by name, read once.
func (s *Service) contacts(ctx context.Context) (map[string][]survey.Contact, error) {
	users, err := s.store.Users(ctx, "")
	if err != nil {
		return nil, err
	}
	out := map[string][]survey.Contact{}
	for _, u := range users {
		if u.Active && u.Role == survey.RoleRespondent && u.Department != "" {
			out[u.Department] = append(out[u.Department], survey.Contact{Name: u.Name, Email: u.Email})
		}
	}
	return out, nil
}

// SeminarEffect compares, per area of a seminar, the mean change from the
// seminar's round to a later round of the departments that attended with
// that of the others (admin, planner). Rows where either group is smaller
// than privacy.min_group carry a caution.
func (s *Service) SeminarEffect(ctx context.Context, p survey.Principal, id, round string) (*Effect, error) {
	sem, err := s.Seminar(ctx, p, id)
	if err != nil {
		return nil, err
	}
	switch {
	case round == "":
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RuleRequired, ""))
	case !survey.ValidRoundID(round):
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RulePattern, survey.PatternRound))
	}
	from, err := s.loadResults(ctx, sem.Round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, from.Round); err != nil {
		return nil, err
	}
	to, err := s.loadResults(ctx, round)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RuleUnknown, "round"))
	}
	if err != nil {
		return nil, err
	}
	if err := visible(p, to.Round); err != nil {
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RuleUnknown, "round"))
	}
	if !to.Round.OpensAt.After(from.Round.OpensAt) {
		return nil, survey.Invalid("invalid request", survey.Fault("round", survey.RuleAfter, sem.Round))
	}
	var toAreas []string
	for _, d := range to.Questionnaire.Domains {
		for _, a := range d.Areas {
			toAreas = append(toAreas, a.ID)
		}
	}
	rows := survey.SeminarEffect(survey.EffectInput{
		Areas: sem.Areas, Attended: sem.Attendance,
		From: TopicInputs(from.Scores, from.ByCode), To: TopicInputs(to.Scores, to.ByCode),
		ToAreas: toAreas, Lineage: s.areaLineage(ctx, from.Questionnaire, to.Questionnaire), MinGroup: s.cfg.MinGroup,
	})
	return &Effect{Seminar: sem.ID, From: sem.Round, To: round, MinGroup: s.cfg.MinGroup, Areas: rows, FromResults: from, ToResults: to}, nil
}

// LaterRounds are the rounds a seminar's effect can be read against: those
// the principal may see that opened after the seminar's round, newest first.
func (s *Service) LaterRounds(ctx context.Context, p survey.Principal, sem *survey.Seminar) ([]survey.Round, error) {
	if err := requireRole(p, survey.RoleAdmin, survey.RolePlanner); err != nil {
		return nil, err
	}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var from *survey.Round
	for i := range rounds {
		if rounds[i].ID == sem.Round {
			from = &rounds[i]
		}
	}
	out := []survey.Round{}
	if from == nil {
		return out, nil
	}
	for _, r := range rounds {
		if r.OpensAt.After(from.OpensAt) && visible(p, &r) == nil {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b survey.Round) int { return cmp.Or(b.OpensAt.Compare(a.OpensAt), cmp.Compare(b.ID, a.ID)) })
	return out, nil
}

// InvitationsWorkbook is a seminar's invitation list as a workbook (admin,
// planner): the list SeminarInvitations returns.
func (s *Service) InvitationsWorkbook(ctx context.Context, p survey.Principal, id, lang string) (_ *Workbook, err error) {
	start := time.Now()
	defer func() { s.observe("invitations", start, err) }()
	ctx, cancel := s.withReportDeadline(ctx)
	defer cancel()
	if lang, err = CheckLang(lang); err != nil {
		return nil, err
	}
	inv, err := s.SeminarInvitations(ctx, p, id)
	if err != nil {
		return nil, err
	}
	rows := make([]reports.InvitationRow, 0, len(inv.Departments))
	for _, d := range inv.Departments {
		rows = append(rows, reports.InvitationRow{Invitee: d.Invitee, NameEN: d.NameEN, NameZH: d.NameZH, Bureau: d.Bureau, Contacts: d.Contacts, Attended: d.Attended})
	}
	var buf bytes.Buffer
	err = reports.WriteInvitations(&buf, reports.InvitationsReport{Lang: lang, Marking: s.cfg.ReportMarking, Seminar: inv.Seminar, Questionnaire: inv.Results.Questionnaire,
		Baseline: inv.Baseline, Rows: rows, GeneratedAt: s.now()})
	if err != nil {
		return nil, err
	}
	return &Workbook{Name: reports.InvitationsFileName(inv.Seminar.ID, lang), Data: buf.Bytes()}, nil
}
