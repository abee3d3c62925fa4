package reports

// answerColumns are the Answers sheet's column names. They are the same in
// both languages on purpose: the sheet is a data table for pivot tables and
// scripts, whose column names must not change with the reader's language.
// The first seven are the long format of the consolidated workbook; the rest help pivoting.
var answerColumns = []string{
	"round", "department", "question_id", "level", "na", "na_reason", "comment",
	"evidence", "status", "domain", "area",
}

// answersSheet streams every stored answer of every response in long
// format, one row per (department, question), in questionnaire order within
// a response. It consumes r.Answers once; each response can be dropped as
// soon as its rows are written, so memory stays bounded.
func (b *consBuilder) answersSheet(name string) error {
	st := b.st
	s, err := newStream(b.f, name, 1, 0, 10, 12, 16, 8, 8, 30, 40, 40, 12, 10, 16)
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
			if resp == nil {
				continue
			}
			round := resp.Round
			if round == "" {
				round = b.r.Round.ID
			}
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
				s.add(round, resp.Department, qid, a.Level, a.NA, reason, a.Comment,
					a.Evidence, resp.Status, ref.Domain.ID, ref.Area.ID)
				if s.err != nil {
					return s.err
				}
			}
		}
	}
	if s.err == nil {
		s.err = b.f.AutoFilter(name, rangeRef(1, 1, len(answerColumns), max(s.row, 2)), nil)
	}
	if s.err != nil {
		return s.err
	}
	return s.sw.Flush()
}
