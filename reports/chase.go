package reports

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/wording"
)

// ChaseLine is one department still to chase in a round.
type ChaseLine struct {
	Code, NameEN, NameZH, Bureau string
	Status                       string
	Reopened                     bool
	Answered, Total              int
	LastChange                   *time.Time
	// Days is the whole days since the last change, -1 when never.
	Days int
}

// ChaseReport is the to-chase list of a round, in the order to call.
type ChaseReport struct {
	Lang        string
	Round       survey.Round
	Lines       []ChaseLine
	GeneratedAt time.Time
	Location    *time.Location
	// Marking is the classification printed on every page ("" for none).
	Marking string
}

// chaseLabels are the to-chase workbook's own words.
var chaseLabels = map[string]label{
	"sheet":    {"To chase", "待跟進"},
	"title":    {"Departments to chase: %s", "待跟進部門：%s"},
	"intro":    {"Active departments that have not submitted, least progress first. Times in %s.", "尚未提交的現行部門，進度最少者先列。時間以%s為準。"},
	"name":     {"Name", "名稱"},
	"status":   {"Status", "狀態"},
	"answered": {"Answered", "已回答"},
	"total":    {"Questions", "問題數目"},
	"last":     {"Last change", "最後更新"},
	"days":     {"Days since last change", "距最後更新日數"},
	"reopened": {"Reopened", "已重新開放"},
	"none":     {"Every active department has submitted.", "所有現行部門均已提交。"},
	"hk":       {"Hong Kong time", "香港時間"},
}

func chaseText(lang, key string) string {
	l := chaseLabels[key]
	if lang == survey.LangZH {
		return l.zh
	}
	return l.en
}

// ChaseFileName is the download name of the to-chase workbook.
func ChaseFileName(round string) string { return fileToken(round) + "-to-chase.xlsx" }

// WriteChase writes the to-chase list: code, names, bureau, status (with
// "Reopened"), progress, last change and days since it. It holds no answer.
func WriteChase(w io.Writer, r ChaseReport) error {
	if r.Round.ID == "" {
		return errors.New("reports: the to-chase workbook needs its round")
	}
	lang := normLang(r.Lang)
	loc := location(r.Location)
	name := cleanSheetName(chaseText(lang, "sheet"))
	f, st, err := newWorkbook(name)
	if err != nil {
		return err
	}
	defer f.Close()
	zone := loc.String()
	if zone == "Asia/Hong_Kong" {
		zone = chaseText(lang, "hk")
	}
	title := r.Round.Title.Or(lang)
	page := pageContext{lang: lang, marking: r.Marking, loc: loc, generated: r.GeneratedAt,
		context: fmt.Sprintf(chaseText(lang, "title"), title)}
	if err := printSetup(f, name, pageSetup{landscape: true, titleRows: 4}, page); err != nil {
		return err
	}
	s := &sheet{f: f, st: st, name: name}
	s.widths(14, 40, 20, 18, 12, 12, 20, 14)
	s.set(1, 1, fmt.Sprintf(chaseText(lang, "title"), title), st.title)
	s.set(1, 2, fmt.Sprintf(chaseText(lang, "intro"), zone), st.text)
	const first = 4
	s.header(first, wording.Label(wording.Department, lang), chaseText(lang, "name"), wording.Label(wording.Bureau, lang),
		chaseText(lang, "status"), chaseText(lang, "answered"), chaseText(lang, "total"), chaseText(lang, "last"), chaseText(lang, "days"))
	if len(r.Lines) == 0 {
		s.set(1, first+1, chaseText(lang, "none"), st.text)
	}
	for i, l := range r.Lines {
		n := l.NameEN
		if lang == survey.LangZH {
			n = cmp.Or(l.NameZH, l.NameEN)
		}
		status := wording.Label("status."+l.Status, lang)
		if l.Reopened {
			status = chaseText(lang, "reopened")
		}
		var days any = ""
		if l.Days >= 0 {
			days = l.Days
		}
		s.row(first+1+i, cell(l.Code, st.text), cell(n, st.wrap), cell(l.Bureau, st.text), cell(status, st.text),
			l.Answered, l.Total, cell(dateValue(l.LastChange, loc), st.date), days)
	}
	if s.err == nil {
		s.err = f.SetPanes(name, freezeHeader(first, 1))
	}
	if err := s.finish(); err != nil {
		return err
	}
	if err := docProps(f, lang, fmt.Sprintf(chaseText(lang, "title"), title), title, r.GeneratedAt); err != nil {
		return err
	}
	return writeTo(f, w, nil)
}
