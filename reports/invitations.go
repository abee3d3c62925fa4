package reports

import (
	"cmp"
	"io"
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// InvitationRow is one department on a seminar's invitation list.
type InvitationRow struct {
	survey.Invitee
	NameEN, NameZH, Bureau string
	Contacts               []survey.Contact
	Attended               bool
}

// InvitationsReport is a seminar's invitation list as a workbook: the same
// list the page and the JSON show.
type InvitationsReport struct {
	Lang          string
	Seminar       survey.Seminar
	Questionnaire *survey.Questionnaire
	Baseline      int
	Rows          []InvitationRow
	GeneratedAt   time.Time
	// Marking is the classification printed on every page ("" for none).
	Marking string
}

// InvitationsFileName is the download name of a seminar's invitation list.
func InvitationsFileName(seminar, lang string) string {
	return fileToken(seminar) + "-invitations-" + normLang(lang) + ".xlsx"
}

// WriteInvitations writes the invitation list: department, bureau, mean
// score and gap in the seminar's areas, the areas below the baseline, the
// contacts (names and e-mail addresses) and whether it attended. It holds
// no comment, evidence or N/A reason: planners may read it.
func WriteInvitations(w io.Writer, r InvitationsReport) error {
	lang := normLang(r.Lang)
	name := cleanSheetName(tr(lang, "sheet.invitations"))
	f, st, err := newWorkbook(name)
	if err != nil {
		return err
	}
	defer f.Close()
	areaTitles := map[string]string{}
	if r.Questionnaire != nil {
		for _, d := range r.Questionnaire.Domains {
			for _, a := range d.Areas {
				areaTitles[a.ID] = a.Title.Or(lang)
			}
		}
	}
	titles := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = cmp.Or(areaTitles[id], id)
		}
		return strings.Join(out, "; ")
	}
	page := pageContext{lang: lang, marking: r.Marking, loc: location(nil), generated: r.GeneratedAt,
		context: trf(lang, "invitations.title", r.Seminar.Title(lang))}
	if err := printSetup(f, name, pageSetup{landscape: true, titleRows: 5}, page); err != nil {
		return err
	}
	s := &sheet{f: f, st: st, name: name}
	s.widths(14, 36, 28, 14, 14, 40, 60, 10)
	s.set(1, 1, trf(lang, "invitations.title", r.Seminar.Title(lang)), st.title)
	s.set(1, 2, tr(lang, "invitations.date")+": "+r.Seminar.Date+" · "+tr(lang, "col.areas")+": "+titles(r.Seminar.Areas), st.wrap)
	s.set(1, 3, trf(lang, "invitations.scope", r.Baseline, r.Seminar.Round), st.text)
	const first = 5
	s.header(first, tr(lang, "col.code"), tr(lang, "dept.name"), tr(lang, "col.bureau"), tr(lang, "col.mean.areas"),
		tr(lang, "col.gap.areas"), tr(lang, "col.below.areas"), tr(lang, "col.contacts"), tr(lang, "col.attended"))
	if len(r.Rows) == 0 {
		s.set(1, first+1, tr(lang, "invitations.none"), st.text)
	}
	for i, row := range r.Rows {
		contacts := make([]string, len(row.Contacts))
		for j, c := range row.Contacts {
			contacts[j] = strings.TrimSpace(c.Name + " <" + c.Email + ">")
		}
		dept := row.NameEN
		if lang == survey.LangZH {
			dept = cmp.Or(row.NameZH, row.NameEN)
		}
		attended := tr(lang, "no")
		if row.Attended {
			attended = tr(lang, "yes")
		}
		score, gap := row.Score, row.Gap
		s.row(first+1+i, cell(row.Department, st.text), cell(dept, st.wrap), cell(row.Bureau, st.wrap), cell(&score, st.score),
			cell(&gap, st.score), cell(titles(row.BelowAreas), st.wrap), cell(strings.Join(contacts, "\n"), st.wrap), cell(attended, st.text))
	}
	if s.err == nil {
		s.err = f.SetPanes(name, freezeHeader(first, 0))
	}
	if err := s.finish(); err != nil {
		return err
	}
	if err := docProps(f, lang, trf(lang, "invitations.title", r.Seminar.Title(lang)), r.Seminar.Round, r.GeneratedAt); err != nil {
		return err
	}
	return writeTo(f, w, nil)
}
