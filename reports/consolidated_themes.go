package reports

// themesSheet writes the government-wide theme ranking (the planner's
// survey.RankThemes, passed in as Themes) in the table the topics workbook
// uses, under the consolidated title line naming the round the change
// compares with.
func (b *consBuilder) themesSheet(name string) error {
	lang, st := b.lang, b.st
	s, err := b.inMemory(name, pageSetup{landscape: true, titleRows: 2})
	if err != nil {
		return err
	}
	s.widths(themeColumns...)
	title := b.sheetTitle("sheet.themes")
	change := tr(lang, "col.change")
	if b.r.Previous != "" {
		title += " · " + trf(lang, "topics.previous", b.r.Previous)
		change = trf(lang, "col.change.since", b.r.Previous)
	}
	s.set(1, 1, title, st.label)
	themesTable(s, lang, 2, change, b.r.Themes)
	return s.finish()
}
