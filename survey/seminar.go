package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Seminar is a seminar the planners scheduled from a round's results: its
// titles, date, the seminar theme or capability areas it covers, and the
// departments that attended. Its id is derived from what it is (round, date,
// theme or areas), so a repeated create finds the seminar already there
// instead of making a second one.
type Seminar struct {
	ID      string `json:"id" bson:"_id"`
	TitleEN string `json:"title_en" bson:"title_en"`
	TitleZH string `json:"title_zh" bson:"title_zh"`
	// Date is the day it is held, YYYY-MM-DD.
	Date string `json:"date" bson:"date"`
	// Theme is the seminar theme it covers ("" when chosen by areas).
	Theme string `json:"theme,omitempty" bson:"theme,omitempty"`
	// Areas are the capability areas it covers, in the round's
	// questionnaire order: the theme's areas when chosen by theme.
	Areas []string `json:"areas" bson:"areas"`
	// Round is the round whose results chose it.
	Round string `json:"round" bson:"round"`
	// Attendance lists, sorted, the departments that attended; never nil.
	Attendance []string  `json:"attendance" bson:"attendance"`
	Version    int       `json:"version" bson:"version"`
	CreatedAt  time.Time `json:"created_at" bson:"created_at"`
	CreatedBy  string    `json:"created_by" bson:"created_by"`
	UpdatedAt  time.Time `json:"updated_at" bson:"updated_at"`
	UpdatedBy  string    `json:"updated_by" bson:"updated_by"`
}

// Title is the seminar's title in lang, the other language when empty.
func (s Seminar) Title(lang string) string { return Text{EN: s.TitleEN, ZH: s.TitleZH}.Or(lang) }

// SeminarDateLayout is how a seminar's date is written.
const SeminarDateLayout = "2006-01-02"

// MaxSeminarTitle bounds a seminar title, in characters.
const MaxSeminarTitle = 200

// seminarDateParam names the expected form of a date in a field error.
const seminarDateParam = "a date YYYY-MM-DD"

// SeminarInput is what a planner gives to plan a seminar.
type SeminarInput struct {
	TitleEN string   `json:"title_en"`
	TitleZH string   `json:"title_zh"`
	Date    string   `json:"date"`
	Theme   string   `json:"theme"`
	Areas   []string `json:"areas"`
	Round   string   `json:"round"`
}

// NewSeminar checks in against q (the questionnaire of in.Round) and
// returns the seminar, created at now by actor; every field at fault is
// named. Either a theme or at least one area must be given, not both.
func NewSeminar(in SeminarInput, q *Questionnaire, actor string, now time.Time) (*Seminar, error) {
	s := &Seminar{TitleEN: strings.TrimSpace(in.TitleEN), TitleZH: strings.TrimSpace(in.TitleZH), Date: strings.TrimSpace(in.Date),
		Theme: strings.TrimSpace(in.Theme), Round: in.Round, Attendance: []string{},
		Version: 1, CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor}
	fields := checkSeminarText(nil, s.TitleEN, s.TitleZH, s.Date)
	if !ValidRoundID(in.Round) {
		fields = append(fields, Fault("round", RulePattern, PatternRound))
	}
	areas, fe := seminarAreas(q, s.Theme, in.Areas)
	fields = append(fields, fe...)
	if len(fields) > 0 {
		return nil, Invalid("invalid seminar", fields...)
	}
	s.Areas = areas
	s.ID = SeminarID(s.Round, s.Date, s.Theme, s.Areas)
	return s, nil
}

// checkSeminarText checks the titles and the date.
func checkSeminarText(fields []FieldError, titleEN, titleZH, date string) []FieldError {
	if fe, ok := CheckText("title_en", titleEN, MaxSeminarTitle, true); !ok {
		fields = append(fields, fe)
	}
	if fe, ok := CheckText("title_zh", titleZH, MaxSeminarTitle, true); !ok {
		fields = append(fields, fe)
	}
	if date == "" {
		fields = append(fields, Fault("date", RuleRequired, ""))
	} else if d, err := time.Parse(SeminarDateLayout, date); err != nil || d.Format(SeminarDateLayout) != date {
		fields = append(fields, Fault("date", RuleType, seminarDateParam))
	}
	return fields
}

// seminarAreas resolves a theme or a list of areas to the areas of q, in
// questionnaire order.
func seminarAreas(q *Questionnaire, theme string, areas []string) ([]string, []FieldError) {
	switch {
	case theme != "" && len(areas) > 0:
		return nil, []FieldError{Fault("areas", RuleExclusive, "theme")}
	case theme == "" && len(areas) == 0:
		return nil, []FieldError{Fault("theme", RuleRequired, "")}
	case q == nil:
		return nil, nil
	}
	var fields []FieldError
	want := map[string]bool{}
	if theme != "" {
		if !ValidItemID(theme) {
			return nil, []FieldError{Fault("theme", RulePattern, PatternItem)}
		}
		if q.Theme(theme) == nil {
			return nil, []FieldError{Fault("theme", RuleUnknown, "theme")}
		}
	}
	known := map[string]bool{}
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			known[a.ID] = true
		}
	}
	for i, id := range areas {
		field := "areas[" + itoa(i) + "]"
		switch {
		case !ValidItemID(id):
			fields = append(fields, Fault(field, RulePattern, PatternItem))
		case !known[id]:
			fields = append(fields, Fault(field, RuleUnknown, "area"))
		default:
			want[id] = true
		}
	}
	var out []string
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			if (theme != "" && a.Theme == theme) || want[a.ID] {
				out = append(out, a.ID)
			}
		}
	}
	if len(fields) == 0 && len(out) == 0 {
		fields = append(fields, Fault("theme", RuleUnknown, "theme"))
	}
	return out, fields
}

// itoa is strconv.Itoa for small indexes.
func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// SeminarID is the id of the seminar of round on date covering theme (or,
// without one, areas): "<round>_<yyyymmdd>_<theme>" or, for areas, a short
// hash of them, so the same plan made twice has the same id.
func SeminarID(round, date, theme string, areas []string) string {
	day := strings.ReplaceAll(date, "-", "")
	if theme != "" {
		return round + "_" + day + "_" + theme
	}
	sorted := slices.Clone(areas)
	slices.Sort(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, ",")))
	return round + "_" + day + "_areas-" + hex.EncodeToString(sum[:4])
}

// ValidSeminarID says whether id can be a seminar id (what SeminarID makes).
func ValidSeminarID(id string) bool {
	if len(id) == 0 || len(id) > 100 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// SeminarChange is a partial edit of a seminar's titles and date; nil
// fields stay. What it covers and the round that chose it never change (they
// make its id): plan another seminar instead.
type SeminarChange struct {
	TitleEN *string `json:"title_en"`
	TitleZH *string `json:"title_zh"`
	Date    *string `json:"date"`
}

// Apply returns the seminar with ch applied by actor at now and whether
// anything changed (then the version is one more), or the fields at fault.
func (s Seminar) Apply(ch SeminarChange, actor string, now time.Time) (Seminar, bool, error) {
	out := s
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&out.TitleEN, ch.TitleEN)
	set(&out.TitleZH, ch.TitleZH)
	set(&out.Date, ch.Date)
	if fields := checkSeminarText(nil, out.TitleEN, out.TitleZH, out.Date); len(fields) > 0 {
		return s, false, Invalid("invalid seminar", fields...)
	}
	if out.TitleEN == s.TitleEN && out.TitleZH == s.TitleZH && out.Date == s.Date {
		return s, false, nil
	}
	out.Version++
	out.UpdatedAt, out.UpdatedBy = now, actor
	return out, true, nil
}

// SetAttendance returns the seminar with its attendance replaced by depts
// (sorted, without repeats) by actor at now and whether it changed. known
// says whether a department code exists; codes that are malformed or
// unknown are named.
func (s Seminar) SetAttendance(depts []string, known func(string) bool, actor string, now time.Time) (Seminar, bool, error) {
	var fields []FieldError
	list := []string{}
	for i, code := range depts {
		field := "departments[" + itoa(i) + "]"
		switch {
		case !ValidDepartmentCode(code):
			fields = append(fields, Fault(field, RulePattern, PatternDepartment))
		case known != nil && !known(code):
			fields = append(fields, Fault(field, RuleUnknown, "department"))
		case !slices.Contains(list, code):
			list = append(list, code)
		}
	}
	if len(fields) > 0 {
		return s, false, Invalid("invalid attendance", fields...)
	}
	slices.Sort(list)
	if slices.Equal(list, s.Attendance) {
		return s, false, nil
	}
	out := s
	out.Attendance = list
	out.Version++
	out.UpdatedAt, out.UpdatedBy = now, actor
	return out, true, nil
}

// Contact is a person to invite on behalf of a department: a user of it.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Invitee is a department to invite to a seminar: below the baseline in at
// least one of the seminar's areas.
type Invitee struct {
	Department string `json:"department"`
	// Score is the mean of its scores in the seminar's areas, rounded.
	Score float64 `json:"score"`
	// Gap is the sum of its gaps against the baseline in those areas.
	Gap float64 `json:"gap"`
	// BelowAreas are the seminar's areas it is below the baseline in.
	BelowAreas []string `json:"below_areas"`
}

// SeminarInvitees lists the departments of in below the baseline in at
// least one of areas, weakest first: lowest mean score in the areas, then
// the larger gap, then code.
func SeminarInvitees(areas []string, baseline int, in []TopicInput) []Invitee {
	b := float64(baselineOf(baseline))
	out := []Invitee{}
	raw := map[string]float64{}
	for _, d := range in {
		inv := Invitee{Department: d.Department, BelowAreas: []string{}}
		var sum, gap float64
		n := 0
		for _, id := range areas {
			s, ok := areaScoreOf(d.Scores, id)
			if !ok {
				continue
			}
			n++
			sum += s
			gap += max(0, b-s)
			if s < b {
				inv.BelowAreas = append(inv.BelowAreas, id)
			}
		}
		if len(inv.BelowAreas) == 0 {
			continue
		}
		raw[d.Department] = sum / float64(n)
		inv.Score, inv.Gap = Round2(sum/float64(n)), Round2(gap)
		out = append(out, inv)
	}
	slices.SortFunc(out, func(a, b Invitee) int {
		if c := cmpFloat(raw[a.Department], raw[b.Department]); c != 0 {
			return c
		}
		if c := cmpFloat(b.Gap, a.Gap); c != 0 {
			return c
		}
		return strings.Compare(a.Department, b.Department)
	})
	return out
}

// cmpFloat compares two floats.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
