package assess

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dpo/dgsurvey/reports"
	"github.com/dpo/dgsurvey/survey"
)

// DashboardRow is one department on a round's dashboard: its status row,
// its latest reopening (nil when none, or when it has been submitted
// again since) and the whole days since its last change (-1: never).
type DashboardRow struct {
	StatusRow
	Reopened *Reopening
	Days     int
}

// Chased reports whether the department is still to chase: active and not
// submitted.
func (r DashboardRow) Chased() bool { return r.Active && r.Status != survey.StatusSubmitted }

// Dashboard is a round's status with what the DPO needs to chase
// departments: reopenings and days since the last change.
type Dashboard struct {
	*RoundBasics
	Rows []DashboardRow
}

// Dashboard lists every department of a round for the DPO's dashboard
// (admin): two store reads (the responses' summaries and the round's
// reopen events) whatever the number of departments.
func (s *Service) Dashboard(ctx context.Context, p survey.Principal, round string) (*Dashboard, error) {
	st, err := s.Status(ctx, p, round)
	if err != nil {
		return nil, err
	}
	reopened, err := s.Reopenings(ctx, p, round)
	if err != nil {
		return nil, err
	}
	now := s.now()
	d := &Dashboard{RoundBasics: st.RoundBasics, Rows: make([]DashboardRow, 0, len(st.Rows))}
	for _, row := range st.Rows {
		dr := DashboardRow{StatusRow: row, Days: -1}
		if ro, ok := reopened[row.Code]; ok && row.Status != survey.StatusSubmitted && row.Status != survey.StatusNotStarted {
			dr.Reopened = &ro
		}
		if row.UpdatedAt != nil {
			dr.Days = max(0, int(now.Sub(*row.UpdatedAt)/(24*time.Hour)))
		}
		d.Rows = append(d.Rows, dr)
	}
	return d, nil
}

// ChaseOrder sorts the departments to chase: least progress first, then
// the longest without a change, then by code.
func ChaseOrder(a, b DashboardRow) int {
	return cmp.Or(cmp.Compare(a.Answered, b.Answered), cmp.Compare(b.Days, a.Days), cmp.Compare(a.Code, b.Code))
}

// ChaseWorkbook is the to-chase list of a round as a workbook (admin): the
// active departments that have not submitted, least progress first.
func (s *Service) ChaseWorkbook(ctx context.Context, p survey.Principal, round, lang string) (*Workbook, error) {
	lang, err := CheckLang(lang)
	if err != nil {
		return nil, err
	}
	d, err := s.Dashboard(ctx, p, round)
	if err != nil {
		return nil, err
	}
	var rows []DashboardRow
	for _, r := range d.Rows {
		if r.Chased() {
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, ChaseOrder)
	rep := reports.ChaseReport{Lang: lang, Round: *d.Round, GeneratedAt: s.now(), Location: s.cfg.Location, Marking: s.cfg.ReportMarking}
	for _, r := range rows {
		rep.Lines = append(rep.Lines, reports.ChaseLine{Code: r.Code, NameEN: r.NameEN, NameZH: r.NameZH, Bureau: r.Bureau,
			Status: r.Status, Reopened: r.Reopened != nil, Answered: r.Answered, Total: r.Total, LastChange: r.UpdatedAt, Days: r.Days})
	}
	var buf bytes.Buffer
	if err := reports.WriteChase(&buf, rep); err != nil {
		return nil, err
	}
	return &Workbook{Name: reports.ChaseFileName(d.Round.ID), Data: buf.Bytes()}, nil
}
