package assess

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/mail"
)

// day is the unit of reminders.days_before.
const day = 24 * time.Hour

// reminderGrace is how late a scheduled reminder may still go out (an
// instance that was down at the time); later than that it is skipped, not
// sent late.
const reminderGrace = day

// scheduler is the principal the reminder scheduler acts as in the audit.
var scheduler = survey.Principal{CredentialID: "scheduler", Role: "system", Label: "reminder scheduler"}

// ReminderResult is one department's reminder: how many users it went to.
type ReminderResult struct {
	Round      string `json:"round"`
	Department string `json:"department"`
	Offset     int    `json:"offset"`
	Recipients int    `json:"recipients"`
}

// RunDueReminders sends the reminders that are due now in every open
// round: for each active department that has not submitted, the latest
// offset of reminders.days_before whose time (the department's deadline,
// extension included, less that many days) has come, unless that time
// passed more than a day ago or before the round opened (skipped, not sent
// late). Each reminder's record is claimed under its deterministic id
// before anything is sent, so however many instances run this, each
// reminder goes out once.
func (s *Service) RunDueReminders(ctx context.Context) ([]ReminderResult, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	offsets := slices.Clone(s.cfg.People.ReminderDays)
	slices.Sort(offsets)
	var out []ReminderResult
	for i := range rounds {
		r := &rounds[i]
		if r.State != survey.RoundOpen || now.Before(r.OpensAt) {
			continue
		}
		targets, err := s.unsubmitted(ctx, r)
		if err != nil {
			return out, err
		}
		for _, d := range targets {
			deadline := r.Deadline(d.Code)
			if !now.Before(deadline) {
				continue
			}
			for _, o := range offsets {
				due := deadline.Add(-time.Duration(o) * day)
				if due.After(now) {
					continue
				}
				if now.Sub(due) < reminderGrace && !due.Before(r.OpensAt) {
					res, sent, err := s.remind(ctx, scheduler, r, d, o, survey.ReminderID(r.ID, d.Code, o))
					if err != nil {
						return out, err
					}
					if sent {
						out = append(out, res)
					}
				}
				break // only the latest offset due counts; earlier ones are past
			}
		}
	}
	return out, nil
}

// unsubmitted lists a round's active departments that have not submitted.
func (s *Service) unsubmitted(ctx context.Context, r *survey.Round) ([]survey.Department, error) {
	depts, err := s.store.Departments(ctx)
	if err != nil {
		return nil, err
	}
	summaries, err := s.store.ResponseSummaries(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	submitted := map[string]bool{}
	for _, sm := range summaries {
		submitted[sm.Department] = sm.Status == survey.StatusSubmitted
	}
	var out []survey.Department
	for _, d := range depts {
		if d.Active && !submitted[d.Code] {
			out = append(out, d)
		}
	}
	return out, nil
}

// reminderSendTimeout bounds recording a claimed reminder's messages.
const reminderSendTimeout = 30 * time.Second

// remind claims the reminder id and, when it was not claimed before, mails
// the department's users and audits it.
func (s *Service) remind(ctx context.Context, p survey.Principal, r *survey.Round, d survey.Department, offset int, id string) (ReminderResult, bool, error) {
	users, err := s.departmentUsers(ctx, d.Code)
	if err != nil {
		return ReminderResult{}, false, err
	}
	deadline := r.Deadline(d.Code)
	rec := &survey.Reminder{ID: id, Round: r.ID, Department: d.Code, Offset: offset, Deadline: deadline, SentAt: s.now(), Recipients: len(users)}
	if err := s.store.ClaimReminder(ctx, rec); err != nil {
		if survey.ErrorCode(err) == survey.ECONFLICT {
			return ReminderResult{}, false, nil // another instance sent it
		}
		return ReminderResult{}, false, err
	}
	// The reminder is claimed: no instance will send it again, so its
	// messages are recorded even if the caller goes away meanwhile (a
	// stopping scheduler, a dropped request).
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reminderSendTimeout)
	defer cancel()
	when := deadline.In(s.cfg.Location).Format("2006-01-02 15:04 MST")
	link := s.link(responsePath(r.ID, d.Code))
	for i := range users {
		s.sendMail(ctx, "reminder", &users[i], r.ID, d.Code, fromMail(mail.Reminder(users[i].Name, d.Name(survey.LangEN), r.ID, when, link)))
	}
	s.audit(ctx, p, "reminder.send", r.ID, d.Code, map[string]any{"reminder": id, "offset": offset, "recipients": len(users)})
	return ReminderResult{Round: r.ID, Department: d.Code, Offset: offset, Recipients: len(users)}, true, nil
}

// RemindersInput names the departments to remind now; none means every
// active department that has not submitted.
type RemindersInput struct {
	Departments []string `json:"departments"`
}

// SendRemindersNow reminds departments of a round at once (admin): the
// named ones, or every active department not yet submitted. A named
// department that has submitted, is inactive or unknown is 422 on its
// entry. Each sending is recorded and audited.
func (s *Service) SendRemindersNow(ctx context.Context, p survey.Principal, round string, in RemindersInput) ([]ReminderResult, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, err
	}
	r, err := s.store.Round(ctx, round)
	if err != nil {
		return nil, err
	}
	if r.State != survey.RoundOpen {
		return nil, survey.Errorf(survey.ENOTOPEN, "round %s is %s; reminders go out only while it is open", r.ID, r.State)
	}
	targets, err := s.unsubmitted(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(in.Departments) > 0 {
		byCode := map[string]survey.Department{}
		for _, d := range targets {
			byCode[d.Code] = d
		}
		var chosen []survey.Department
		var fields []survey.FieldError
		for i, code := range in.Departments {
			d, ok := byCode[code]
			if !ok {
				fields = append(fields, survey.Fault("departments."+strconv.Itoa(i), survey.RuleUnknown, ""))
				continue
			}
			if !slices.ContainsFunc(chosen, func(c survey.Department) bool { return c.Code == code }) {
				chosen = append(chosen, d)
			}
		}
		if len(fields) > 0 {
			return nil, survey.Invalid("only active departments that have not submitted can be reminded", fields...)
		}
		targets = chosen
	}
	out := []ReminderResult{}
	stamp := s.now().Format("20060102T150405.000Z")
	for _, d := range targets {
		res, sent, err := s.remind(ctx, p, r, d, 0, r.ID+"/"+d.Code+"/now-"+stamp)
		if err != nil {
			return out, err
		}
		if sent {
			out = append(out, res)
		}
	}
	return out, nil
}

// ReminderRow is one department on the reminders page.
type ReminderRow struct {
	Department survey.Department
	Status     string
	Deadline   time.Time
	Users      int
	Sent       []survey.Reminder
}

// ReminderOverview lists a round's active departments that have not
// submitted, with the reminders each has had (admin).
func (s *Service) ReminderOverview(ctx context.Context, p survey.Principal, round string) (*survey.Round, []ReminderRow, error) {
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return nil, nil, err
	}
	r, err := s.store.Round(ctx, round)
	if err != nil {
		return nil, nil, err
	}
	targets, err := s.unsubmitted(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	sent, err := s.store.Reminders(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	summaries, err := s.store.ResponseSummaries(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	status := map[string]string{}
	for _, sm := range summaries {
		status[sm.Department] = sm.Status
	}
	users, err := s.store.Users(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	count := map[string]int{}
	for _, u := range users {
		if u.Active && u.Role == survey.RoleRespondent {
			count[u.Department]++
		}
	}
	rows := make([]ReminderRow, 0, len(targets))
	for _, d := range targets {
		row := ReminderRow{Department: d, Status: status[d.Code], Deadline: r.Deadline(d.Code), Users: count[d.Code]}
		if row.Status == "" {
			row.Status = survey.StatusNotStarted
		}
		for _, rem := range sent {
			if rem.Department == d.Code {
				row.Sent = append(row.Sent, rem)
			}
		}
		rows = append(rows, row)
	}
	return r, rows, nil
}

// StartReminders runs RunDueReminders every interval until ctx ends;
// failures are logged and tried again at the next tick.
func (s *Service) StartReminders(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if sent, err := s.RunDueReminders(ctx); err != nil {
			s.log.WarnContext(ctx, "sending reminders failed; will try again", slog.Any("error", err))
		} else if len(sent) > 0 {
			s.log.InfoContext(ctx, "reminders sent", slog.Int("departments", len(sent)))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
