package assess

import (
	"bytes"
	"context"
	"io"
	"iter"
	"time"

	"github.com/dpo/dgsurvey/reports"
	"github.com/dpo/dgsurvey/survey"
)

// Workbook is a finished workbook download.
type Workbook struct {
	Name string
	Data []byte
}

// CheckLang accepts "" (English), "en" and "zh".
func CheckLang(lang string) (string, error) {
	switch lang {
	case "":
		return survey.LangEN, nil
	case survey.LangEN, survey.LangZH:
		return lang, nil
	}
	return "", survey.Invalid("invalid request", survey.Fault("lang", survey.RuleOneOf, "en zh"))
}

// withReportDeadline gives a workbook's reads their own deadline: the store
// driver honours a context deadline over its per-operation timeout, so a
// large round's reads (one long cursor) are not cut at the store timeout
// while a stuck store still fails in bounded time.
func (s *Service) withReportDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.cfg.ReportTimeout)
}

// observe reports how long building a workbook of kind took.
func (s *Service) observe(kind string, start time.Time, err error) {
	if s.cfg.ObserveReport != nil {
		s.cfg.ObserveReport(kind, time.Since(start), err)
	}
}

// DepartmentWorkbook builds a department's maturity workbook: admins any,
// respondents their own once submitted.
func (s *Service) DepartmentWorkbook(ctx context.Context, p survey.Principal, round, dept, lang string) (_ *Workbook, err error) {
	start := time.Now()
	defer func() { s.observe("department", start, err) }()
	ctx, cancel := s.withReportDeadline(ctx)
	defer cancel()
	if lang, err = CheckLang(lang); err != nil {
		return nil, err
	}
	if p.Role == survey.RolePlanner {
		return nil, survey.Errorf(survey.EFORBIDDEN, "your role may not do this")
	}
	if !p.CanSeeDepartment(dept) {
		return nil, survey.Errorf(survey.ENOTFOUND, "report not found")
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return nil, err
	}
	if err := visible(p, res.Round); err != nil {
		return nil, err
	}
	department, ok := res.ByCode[dept]
	if !ok {
		return nil, survey.Errorf(survey.ENOTFOUND, "department %s not found", dept)
	}
	r, err := s.store.Response(ctx, res.Round.ID, dept)
	if err != nil {
		return nil, err
	}
	if p.Role == survey.RoleRespondent && r.Status != survey.StatusSubmitted {
		return nil, survey.Errorf(survey.ECONFLICT, "the report is available once the response is submitted")
	}
	earlier, err := s.departmentHistory(ctx, res, dept)
	if err != nil {
		return nil, err
	}
	// The workbook shows only the government figures p may see: a
	// respondent's never holds a figure its JSON would not give.
	gov := s.government(p, res)
	var buf bytes.Buffer
	err = reports.WriteDepartment(&buf, reports.DepartmentReport{
		Lang: lang, Location: s.cfg.Location, Round: *res.Round, Department: department,
		Questionnaire: res.Questionnaire, Response: r, Scores: r.ScoresFor(res.Questionnaire, s.targets()),
		Benchmarks: gov.AreaMeans(res.Questionnaire), DomainMeans: gov.DomainMeans, OverallMean: gov.OverallMean,
		Earlier: earlier, SubmittedBy: s.submitterName(ctx, r), Marking: s.cfg.ReportMarking, GeneratedAt: s.now(),
	})
	if err != nil {
		return nil, err
	}
	name := reports.DepartmentFileName(res.Round.ID, dept, lang, r.Status == survey.StatusSubmitted)
	return &Workbook{Name: name, Data: buf.Bytes()}, nil
}

// ConsolidatedWorkbook streams the government-wide workbook of a round
// (admin). Everything but the answers is read first, so a failure to read
// surfaces before open is called; open names the file and returns where to
// write it. The answers come from one cursor while the file is written.
func (s *Service) ConsolidatedWorkbook(ctx context.Context, p survey.Principal, round, lang string, open func(name string) io.Writer) (err error) {
	start := time.Now()
	defer func() { s.observe("consolidated", start, err) }()
	ctx, cancel := s.withReportDeadline(ctx)
	defer cancel()
	if err := requireRole(p, survey.RoleAdmin); err != nil {
		return err
	}
	if lang, err = CheckLang(lang); err != nil {
		return err
	}
	res, err := s.loadResults(ctx, round)
	if err != nil {
		return err
	}
	rows, err := s.statusRows(ctx, res.RoundBasics)
	if err != nil {
		return err
	}
	status := make([]reports.StatusRow, len(rows))
	for i, r := range rows {
		status[i] = reports.StatusRow{Code: r.Code, NameEN: r.NameEN, NameZH: r.NameZH, Bureau: r.Bureau,
			Status: r.Status, Answered: r.Answered, Total: r.Total, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt}
	}
	ranking, err := s.rankTopics(ctx, res, survey.TopicFilter{})
	if err != nil {
		return err
	}
	// The Topics and Themes sheets are the planner's rankings of the whole
	// government (ThemeRanking, as the themes JSON and topics.xlsx), so
	// the figures never differ between the downloads.
	var topics []survey.TopicRow
	var themes []survey.ThemeRow
	if len(res.Scores) > 0 {
		topics, themes = ranking.Topics, ranking.ThemeRanking().Themes
	}
	earlier, err := s.governmentHistory(ctx, res)
	if err != nil {
		return err
	}
	return reports.WriteConsolidated(open(reports.ConsolidatedFileName(res.Round.ID, lang)), reports.ConsolidatedReport{
		Lang: lang, Location: s.cfg.Location, Round: *res.Round, Questionnaire: res.Questionnaire,
		Status: status, Scores: res.Scores, Benchmarks: survey.Benchmarks(res.Questionnaire, res.Scores),
		Topics: topics, Themes: themes, Previous: ranking.Previous, Earlier: earlier, Marking: s.cfg.ReportMarking,
		Answers: counted(res, s.store.Responses(ctx, res.Round.ID)), GeneratedAt: s.now(),
	})
}

// TopicsWorkbook builds the topic ranking as a workbook (admin, planner),
// with the same filters as Topics.
func (s *Service) TopicsWorkbook(ctx context.Context, p survey.Principal, round, lang string, q TopicQuery) (_ *Workbook, err error) {
	start := time.Now()
	defer func() { s.observe("topics", start, err) }()
	ctx, cancel := s.withReportDeadline(ctx)
	defer cancel()
	if lang, err = CheckLang(lang); err != nil {
		return nil, err
	}
	ranking, err := s.Topics(ctx, p, round, q)
	if err != nil {
		return nil, err
	}
	res := ranking.Results
	var buf bytes.Buffer
	err = reports.WriteTopics(&buf, reports.TopicsReport{
		Lang: lang, Round: *res.Round, Questionnaire: res.Questionnaire, Previous: ranking.Previous,
		Filter: survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau, Theme: q.Theme}, Topics: ranking.Topics, GeneratedAt: s.now(),
		Baseline: ranking.Baseline, Themes: ranking.ThemeRanking().Themes, Marking: s.cfg.ReportMarking,
	})
	if err != nil {
		return nil, err
	}
	return &Workbook{Name: reports.TopicsFileName(res.Round.ID, lang), Data: buf.Bytes()}, nil
}

// counted leaves out of a round's answers the departments its figures
// leave out (deactivated ones while the round is open), so the Answers
// sheet pivots to the same Heatmap and Status.
func counted(res *RoundResults, answers iter.Seq2[*survey.Response, error]) iter.Seq2[*survey.Response, error] {
	if res.Round.State != survey.RoundOpen {
		return answers
	}
	return func(yield func(*survey.Response, error) bool) {
		for r, err := range answers {
			if err == nil {
				if d, ok := res.ByCode[r.Department]; ok && !d.Active {
					continue
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}
