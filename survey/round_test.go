package survey_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

var (
	opens  = time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)
	closes = time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)
)

func validRound(state string) survey.Round {
	return survey.Round{
		ID: "r2026", Title: survey.Text{EN: "Round 2026", ZH: "2026輪"},
		QuestionnaireID: "small", QuestionnaireVersion: 1,
		OpensAt: opens, ClosesAt: closes, State: state,
		CreatedAt: opens.Add(-48 * time.Hour), UpdatedAt: opens.Add(-24 * time.Hour),
	}
}

func TestRoundValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *survey.Round)
		want []fe
	}{
		{"valid", func(r *survey.Round) {}, nil},
		{"200-character titles", func(r *survey.Round) { r.Title = survey.Text{EN: strings.Repeat("x", 200), ZH: zh(200)} }, nil},
		{"bad id", func(r *survey.Round) { r.ID = "Bad.Round" }, []fe{{"id", survey.RulePattern, survey.PatternRound}}},
		{"empty id", func(r *survey.Round) { r.ID = "" }, []fe{{"id", survey.RulePattern, survey.PatternRound}}},
		{"titles required", func(r *survey.Round) { r.Title = survey.Text{EN: "", ZH: "  "} }, []fe{
			{"title_en", survey.RuleRequired, ""}, {"title_zh", survey.RuleRequired, ""},
		}},
		{"title over 200 characters", func(r *survey.Round) { r.Title.ZH = zh(201) }, []fe{{"title_zh", survey.RuleMaxLength, "200"}}},
		{"dates required", func(r *survey.Round) { r.OpensAt, r.ClosesAt = time.Time{}, time.Time{} }, []fe{
			{"opens_at", survey.RuleRequired, ""}, {"closes_at", survey.RuleRequired, ""},
		}},
		{"closes equal to opens", func(r *survey.Round) { r.ClosesAt = r.OpensAt }, []fe{{"closes_at", survey.RuleAfter, "opens_at"}}},
		{"closes before opens", func(r *survey.Round) { r.OpensAt, r.ClosesAt = closes, opens }, []fe{{"closes_at", survey.RuleAfter, "opens_at"}}},
		{"closes a nanosecond after opens", func(r *survey.Round) { r.ClosesAt = r.OpensAt.Add(time.Nanosecond) }, nil},
		{"every field", func(r *survey.Round) { *r = survey.Round{ID: "-x"} }, []fe{
			{"id", survey.RulePattern, survey.PatternRound},
			{"title_en", survey.RuleRequired, ""},
			{"title_zh", survey.RuleRequired, ""},
			{"opens_at", survey.RuleRequired, ""},
			{"closes_at", survey.RuleRequired, ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := validRound(survey.RoundDraft)
			tc.edit(&r)
			err := r.Validate()
			if tc.want == nil {
				wantNoError(t, err)
				return
			}
			wantFields(t, err, tc.want...)
		})
	}
}

// TestRoundApplyStates walks the whole move matrix.
func TestRoundApplyStates(t *testing.T) {
	states := []string{survey.RoundDraft, survey.RoundOpen, survey.RoundClosed}
	allowed := map[[2]string]bool{
		{survey.RoundDraft, survey.RoundOpen}:  true,
		{survey.RoundOpen, survey.RoundClosed}: true,
		{survey.RoundClosed, survey.RoundOpen}: true,
	}
	for _, from := range states {
		for _, to := range append(states, "archived", "", "OPEN") {
			t.Run(from+"->"+to, func(t *testing.T) {
				r := validRound(from)
				got, err := r.Apply(survey.RoundChange{State: strp(to)}, testNow)
				switch {
				case to == from:
					wantNoError(t, err)
					if got.State != from {
						t.Fatalf("state %s, want %s", got.State, from)
					}
					// A change that changes nothing stamps no new time
					// and no new version.
					if !reflect.DeepEqual(got, r) {
						t.Errorf("same state changed the round:\n got %+v\nwant %+v", got, r)
					}
				case allowed[[2]string{from, to}]:
					wantNoError(t, err)
					want := r
					want.State, want.UpdatedAt = to, testNow
					want.Version++
					if !reflect.DeepEqual(got, want) {
						t.Errorf("round %+v, want %+v", got, want)
					}
				case to != survey.RoundDraft && to != survey.RoundOpen && to != survey.RoundClosed:
					wantFields(t, err, fe{"state", survey.RuleOneOf, "draft open closed"})
					if got.State != from {
						t.Errorf("state %s after a refused move, want %s", got.State, from)
					}
				default:
					wantCode(t, err, survey.ECONFLICT)
					if got.State != from {
						t.Errorf("state %s after a refused move, want %s", got.State, from)
					}
				}
				if r.State != from {
					t.Errorf("Apply changed its receiver's state to %s", r.State)
				}
			})
		}
	}
}

func TestRoundApplyFields(t *testing.T) {
	hk := time.FixedZone("HKT", 8*3600)
	tests := []struct {
		name  string
		ch    survey.RoundChange
		want  []fe                               // nil: applied
		check func(t *testing.T, r survey.Round) // on success
	}{
		{"nothing", survey.RoundChange{}, nil, func(t *testing.T, r survey.Round) {
			want := validRound(survey.RoundOpen)
			if !reflect.DeepEqual(r, want) {
				t.Errorf("round %+v, want %+v", r, want)
			}
		}},
		{"dates move and are kept in UTC", survey.RoundChange{
			OpensAt:  timep(time.Date(2026, 2, 1, 9, 0, 0, 0, hk)),
			ClosesAt: timep(time.Date(2026, 2, 28, 18, 0, 0, 0, hk)),
		}, nil, func(t *testing.T, r survey.Round) {
			if r.OpensAt != time.Date(2026, 2, 1, 1, 0, 0, 0, time.UTC) || r.ClosesAt != time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC) {
				t.Errorf("dates %v – %v, want 2026-02-01T01:00Z – 2026-02-28T10:00Z", r.OpensAt, r.ClosesAt)
			}
			if r.OpensAt.Location() != time.UTC || r.ClosesAt.Location() != time.UTC {
				t.Error("dates not in UTC")
			}
		}},
		{"closes moved before opens", survey.RoundChange{ClosesAt: timep(opens.Add(-time.Minute))},
			[]fe{{"closes_at", survey.RuleAfter, "opens_at"}}, nil},
		{"opens moved after closes", survey.RoundChange{OpensAt: timep(closes.Add(time.Minute))},
			[]fe{{"closes_at", survey.RuleAfter, "opens_at"}}, nil},
		{"closes moved onto opens", survey.RoundChange{ClosesAt: timep(opens)},
			[]fe{{"closes_at", survey.RuleAfter, "opens_at"}}, nil},
		{"opens cleared", survey.RoundChange{OpensAt: timep(time.Time{})},
			[]fe{{"opens_at", survey.RuleRequired, ""}}, nil},
		{"titles trimmed", survey.RoundChange{TitleEN: strp("  New title "), TitleZH: strp(" 新標題 ")}, nil,
			func(t *testing.T, r survey.Round) {
				if r.Title != (survey.Text{EN: "New title", ZH: "新標題"}) {
					t.Errorf("title %+v, want trimmed", r.Title)
				}
			}},
		{"200-character title", survey.RoundChange{TitleZH: strp(zh(200))}, nil, func(t *testing.T, r survey.Round) {
			if r.Title.ZH != zh(200) {
				t.Error("title not set")
			}
		}},
		{"blank titles", survey.RoundChange{TitleEN: strp("   "), TitleZH: strp("")},
			[]fe{{"title_en", survey.RuleRequired, ""}, {"title_zh", survey.RuleRequired, ""}}, nil},
		{"title over 200 characters", survey.RoundChange{TitleEN: strp(zh(201))},
			[]fe{{"title_en", survey.RuleMaxLength, "200"}}, nil},
		{"title and date faults together", survey.RoundChange{TitleEN: strp(""), ClosesAt: timep(opens)},
			[]fe{{"title_en", survey.RuleRequired, ""}, {"closes_at", survey.RuleAfter, "opens_at"}}, nil},
		{"a move with a bad date", survey.RoundChange{State: strp(survey.RoundClosed), ClosesAt: timep(opens)},
			[]fe{{"closes_at", survey.RuleAfter, "opens_at"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := validRound(survey.RoundOpen)
			got, err := r.Apply(tc.ch, testNow)
			if tc.want != nil {
				wantFields(t, err, tc.want...)
				return
			}
			wantNoError(t, err)
			if tc.name != "nothing" && got.UpdatedAt != testNow {
				t.Errorf("updated_at %v, want %v", got.UpdatedAt, testNow)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("applied round does not validate: %v", err)
			}
			tc.check(t, got)
		})
	}
}

func TestRoundIsOpen(t *testing.T) {
	for state, want := range map[string]bool{survey.RoundDraft: false, survey.RoundOpen: true, survey.RoundClosed: false} {
		r := validRound(state)
		if r.IsOpen() != want {
			t.Errorf("%s: IsOpen %v, want %v", state, r.IsOpen(), want)
		}
	}
}
