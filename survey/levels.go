package survey

import "strconv"

// Or returns the text in lang, falling back to English when the Chinese is
// empty (older data, a department without a Chinese name), so a page or a
// workbook cell is never blank for want of a translation. In, by contrast,
// returns exactly the language asked for.
func (t Text) Or(lang string) string {
	if lang == LangZH && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// defaultLevelNames is the maturity scale's own wording, used only when a
// questionnaire lacks a level name (the loader normally refuses such a file).
var defaultLevelNames = [MaxLevel + 1]Text{
	{"Not performed", "未執行"}, {"Initial", "初始"}, {"Developing", "發展中"},
	{"Defined", "已界定"}, {"Managed", "已管理"}, {"Optimising", "持續優化"},
}

// LevelName is the name of a maturity level (0..MaxLevel) in lang: the
// questionnaire's own name in that language, else the default scale's (so a
// Chinese page shows Chinese rather than the questionnaire's English); a
// level off the scale shows as its number. q may be nil.
func (q *Questionnaire) LevelName(level int, lang string) string {
	if q != nil && level >= 0 && level < len(q.Levels) {
		if s := q.Levels[level].In(lang); s != "" {
			return s
		}
	}
	if level >= 0 && level <= MaxLevel {
		return defaultLevelNames[level].Or(lang)
	}
	return strconv.Itoa(level)
}
