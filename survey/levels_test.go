package survey

import "testing"

func TestTextOr(t *testing.T) {
	tests := []struct {
		t    Text
		lang string
		want string
	}{
		{Text{"Bureau", "決策局"}, LangZH, "決策局"},
		{Text{"Bureau", "決策局"}, LangEN, "Bureau"},
		{Text{"Bureau", ""}, LangZH, "Bureau"},
		{Text{"Bureau", "決策局"}, "fr", "Bureau"},
		{Text{"", "決策局"}, LangEN, ""},
	}
	for _, tc := range tests {
		if got := tc.t.Or(tc.lang); got != tc.want {
			t.Errorf("%+v.Or(%q) = %q, want %q", tc.t, tc.lang, got, tc.want)
		}
	}
}

func TestLevelName(t *testing.T) {
	q := &Questionnaire{Levels: []Text{{"Absent", "缺乏"}, {"Begun", ""}}}
	tests := []struct {
		q     *Questionnaire
		level int
		lang  string
		want  string
	}{
		{q, 0, LangEN, "Absent"},
		{q, 0, LangZH, "缺乏"},
		{q, 1, LangZH, "初始"}, // no Chinese in the questionnaire: the default scale's
		{q, 3, LangEN, "Defined"},
		{q, 5, LangZH, "持續優化"},
		{nil, 2, LangEN, "Developing"},
		{q, 6, LangEN, "6"},
		{q, -1, LangZH, "-1"},
	}
	for _, tc := range tests {
		if got := tc.q.LevelName(tc.level, tc.lang); got != tc.want {
			t.Errorf("LevelName(%d, %q) = %q, want %q", tc.level, tc.lang, got, tc.want)
		}
	}
}
