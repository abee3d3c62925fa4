package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/reports"
	"github.com/dpo/dgsurvey/survey"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type reportQuery struct {
	Lang string `form:"lang" json:"lang" validate:"omitempty,oneof=en zh"`
}

// reportLang reads ?lang=en|zh (default English).
func (s *Server) reportLang(c *gin.Context) (string, error) {
	var q reportQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		return "", malformed("invalid query parameters")
	}
	if err := s.validate.Struct(q); err != nil {
		return "", validationError(err)
	}
	if q.Lang == "" {
		return survey.LangEN, nil
	}
	return q.Lang, nil
}

// withReportDeadline gives the rest of a workbook request its own deadline:
// the store driver honours a context deadline over its per-operation
// timeout, so a large round's reads (one long cursor) are not cut at
// mongodb.timeout while a stuck store still fails in bounded time. It
// returns the cancel function to defer.
func (s *Server) withReportDeadline(c *gin.Context) context.CancelFunc {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.ReportTimeout)
	c.Request = c.Request.WithContext(ctx)
	return cancel
}

// sendWorkbook writes a finished workbook as a download.
func sendWorkbook(c *gin.Context, name string, data []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, xlsxType, data)
}

// departmentReport serves a department's maturity workbook: admins any,
// respondents their own once submitted.
func (s *Server) departmentReport(c *gin.Context) {
	defer s.withReportDeadline(c)()
	start := time.Now()
	data, name, err := s.buildDepartmentReport(c)
	s.metrics.observeReport("department", start, err)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendWorkbook(c, name, data)
}

func (s *Server) buildDepartmentReport(c *gin.Context) ([]byte, string, error) {
	lang, err := s.reportLang(c)
	if err != nil {
		return nil, "", err
	}
	dept := c.Param("dept")
	p := principal(c)
	if !p.CanSeeDepartment(dept) {
		return nil, "", survey.Errorf(survey.ENOTFOUND, "report not found")
	}
	res, err := s.loadResults(c, c.Param("round"))
	if err != nil {
		return nil, "", err
	}
	department, ok := res.depts[dept]
	if !ok {
		return nil, "", survey.Errorf(survey.ENOTFOUND, "department %s not found", dept)
	}
	r, err := s.store.Response(c, res.round.ID, dept)
	if err != nil {
		return nil, "", err
	}
	if p.Role == survey.RoleRespondent && r.Status != survey.StatusSubmitted {
		return nil, "", survey.Errorf(survey.ECONFLICT, "the report is available once the response is submitted")
	}
	previous, err := s.previousScores(c, res, dept)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	err = reports.WriteDepartment(&buf, reports.DepartmentReport{
		Lang: lang, Location: s.cfg.Location, Round: *res.round, Department: department,
		Questionnaire: res.q, Response: r, Scores: r.ScoresFor(res.q, s.targets()),
		Benchmarks:  survey.Benchmarks(res.q, res.scores),
		DomainMeans: survey.DomainMeans(res.q, res.scores), OverallMean: survey.OverallMean(res.scores),
		Previous: previous, GeneratedAt: s.now(),
	})
	if err != nil {
		return nil, "", err
	}
	return buf.Bytes(), reports.DepartmentFileName(res.round.ID, dept), nil
}

// previousScores finds the department's submitted scores in the previous
// round (DESIGN §3's rule), for the Trend sheet; nil when there are none.
func (s *Server) previousScores(c *gin.Context, res *roundResults, dept string) (*reports.PreviousScores, error) {
	rounds, err := s.store.Rounds(c)
	if err != nil {
		return nil, err
	}
	var found *reports.PreviousScores
	var loadErr error
	survey.PreviousRound(res.round, rounds, func(id string) bool {
		if found != nil || loadErr != nil {
			return false
		}
		r, err := s.store.Response(c, id, dept)
		if err != nil {
			loadErr = err
			return false
		}
		if r.Status != survey.StatusSubmitted || r.Snapshot == nil {
			return false
		}
		for _, round := range rounds {
			if round.ID == id {
				found = &reports.PreviousScores{Round: round, Scores: *r.Snapshot}
			}
		}
		return true
	})
	return found, loadErr
}

// consolidatedReport streams the government-wide workbook (admin). The
// answers come from one cursor; data errors surface before the first byte
// is sent, so they still get a proper error status.
func (s *Server) consolidatedReport(c *gin.Context) {
	defer s.withReportDeadline(c)()
	start := time.Now()
	err := s.writeConsolidated(c)
	s.metrics.observeReport("consolidated", start, err)
	if err != nil && !c.Writer.Written() {
		s.fail(c, err)
		return
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "consolidated report failed mid-stream",
			slog.String("request_id", requestID(c)), slog.Any("error", err))
	}
}

func (s *Server) writeConsolidated(c *gin.Context) error {
	lang, err := s.reportLang(c)
	if err != nil {
		return err
	}
	res, err := s.loadResults(c, c.Param("round"))
	if err != nil {
		return err
	}
	rows, err := s.statusRows(c, res.roundBasics)
	if err != nil {
		return err
	}
	status := make([]reports.StatusRow, len(rows))
	for i, r := range rows {
		status[i] = reports.StatusRow{Code: r.Code, NameEN: r.NameEN, NameZH: r.NameZH, Bureau: r.Bureau,
			Status: r.Status, Answered: r.Answered, Total: r.Total, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt}
	}
	ranking, err := s.rankTopics(c, res, survey.TopicFilter{})
	if err != nil {
		return err
	}
	var topics []survey.TopicRow
	if len(res.scores) > 0 {
		topics = ranking.Topics
	}
	c.Header("Content-Type", xlsxType)
	c.Header("Content-Disposition", `attachment; filename="`+reports.ConsolidatedFileName(res.round.ID)+`"`)
	return reports.WriteConsolidated(c.Writer, reports.ConsolidatedReport{
		Lang: lang, Location: s.cfg.Location, Round: *res.round, Questionnaire: res.q,
		Status: status, Scores: res.scores, Benchmarks: survey.Benchmarks(res.q, res.scores),
		Topics: topics, Answers: s.store.Responses(c, res.round.ID), GeneratedAt: s.now(),
	})
}

// topicsWorkbook serves the ranking as a workbook (admin, planner), with the
// same filters as the JSON.
func (s *Server) topicsWorkbook(c *gin.Context) {
	defer s.withReportDeadline(c)()
	start := time.Now()
	res, q, ranking, err := s.topicsRequest(c)
	var buf bytes.Buffer
	if err == nil {
		err = reports.WriteTopics(&buf, reports.TopicsReport{
			Lang: q.Lang, Round: *res.round, Questionnaire: res.q, Previous: ranking.Previous,
			Filter: survey.TopicFilter{Domain: q.Domain, Bureau: q.Bureau}, Topics: ranking.Topics, GeneratedAt: s.now(),
		})
	}
	s.metrics.observeReport("topics", start, err)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendWorkbook(c, reports.TopicsFileName(res.round.ID), buf.Bytes())
}
