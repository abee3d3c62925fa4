package reports

import "github.com/dpo/dgsurvey/survey"

// answerColumns are the Answers sheet's column names. They are the same in
// both languages on purpose: the sheet is a data table for pivot tables and
// scripts, whose column names must not change with the reader's language.
// A pivot of weight × level over weight per department and area (N/A rows
// left out) gives the Heatmap; the area-weighted mean of those per domain
// gives the Domains sheet.
var answerColumns = []string{
	"round", "bureau", "department", "department_name", "domain", "area", "question",
	"weight", "area_weight", "level", "na", "mandatory", "status", "submitted_at",
	"na_reason", "comment", "evidence",
}

// answersSheet streams the answers of every submitted response in long
// format, one row per (department, question), in questionnaire order within
// a response. Drafts are left out: only submitted answers count in the
// scores. It consumes r.Answers once; each response can be dropped as soon
// as its rows are written, so memory stays bounded.
func (b *consBuilder) answersSheet(name string) error {
	st := b.st
	s, err := b.newStream(name, pageSetup{landscape: true, titleRows: 1}, 1, 0,
		10, 20, 11, 28, 8, 16, 16, 8, 8, 7, 7, 10, 11, 17, 26, 34, 30)
	if err != nil {
		return err
	}
	s.add(headerCells(st, answerColumns...)...)
	idx := b.q.Index()
	qids := b.q.QuestionIDs()
	if b.r.Answers != nil {
		for resp, err := range b.r.Answers {
			if err != nil {
				return err
			}
			if resp == nil || resp.Status != survey.StatusSubmitted {
				continue
			}
			round := resp.Round
			if round == "" {
				round = b.r.Round.ID
			}
			who := b.info[resp.Department]
			submitted := cell(dateValue(resp.SubmittedAt, b.loc), st.date)
			for _, qid := range qids {
				a := resp.Answers[qid]
				if a == nil {
					continue
				}
				ref := idx[qid]
				var reason string
				if a.NA {
					reason = a.NAReason
				}
				s.add(round, cell(who.Bureau, st.text), resp.Department, cell(who.name(b.lang), st.text), ref.Domain.ID, ref.Area.ID, qid,
					ref.Question.Weight, ref.Area.Weight, a.Level, a.NA, ref.Question.Mandatory, resp.Status, submitted,
					cell(reason, st.text), cell(a.Comment, st.text), cell(a.Evidence, st.text))
				if s.err != nil {
					return s.err
				}
			}
		}
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, len(answerColumns), max(s.row, 2)), nil)
	}
	return b.flush(name, s)
}
