package survey_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

func validDepartment() survey.Department {
	created := testNow.Add(-72 * time.Hour)
	return survey.Department{
		Code: "ABC", NameEN: "ABC Department", NameZH: "甲乙丙署", Bureau: "Test Bureau",
		Active: true, CreatedAt: created, UpdatedAt: created,
	}
}

func TestDepartmentValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *survey.Department)
		want []fe
	}{
		{"valid", func(d *survey.Department) {}, nil},
		{"inactive is valid", func(d *survey.Department) { d.Active = false }, nil},
		{"code with digits and hyphen", func(d *survey.Department) { d.Code = "A1-B2" }, nil},
		{"code of 16 characters", func(d *survey.Department) { d.Code = strings.Repeat("A", 16) }, nil},
		{"code of 17 characters", func(d *survey.Department) { d.Code = strings.Repeat("A", 17) },
			[]fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"code of one character", func(d *survey.Department) { d.Code = "A" },
			[]fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"lower-case code", func(d *survey.Department) { d.Code = "abc" },
			[]fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"code starting with a hyphen", func(d *survey.Department) { d.Code = "-AB" },
			[]fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"code with a dot", func(d *survey.Department) { d.Code = "A.B" },
			[]fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"200-character names", func(d *survey.Department) {
			d.NameEN, d.NameZH, d.Bureau = strings.Repeat("n", 200), zh(200), zh(200)
		}, nil},
		{"names over 200 characters", func(d *survey.Department) {
			d.NameEN, d.NameZH, d.Bureau = strings.Repeat("n", 201), zh(201), zh(201)
		}, []fe{
			{"name_en", survey.RuleMaxLength, "200"},
			{"name_zh", survey.RuleMaxLength, "200"},
			{"bureau", survey.RuleMaxLength, "200"},
		}},
		{"everything missing", func(d *survey.Department) { *d = survey.Department{} }, []fe{
			{"code", survey.RulePattern, survey.PatternDepartment},
			{"name_en", survey.RuleRequired, ""},
			{"name_zh", survey.RuleRequired, ""},
			{"bureau", survey.RuleRequired, ""},
		}},
		{"blank names", func(d *survey.Department) { d.NameEN, d.Bureau = " ", "\t" }, []fe{
			{"name_en", survey.RuleRequired, ""},
			{"bureau", survey.RuleRequired, ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := validDepartment()
			tc.edit(&d)
			err := d.Validate()
			if tc.want == nil {
				wantNoError(t, err)
				return
			}
			wantFields(t, err, tc.want...)
		})
	}
}

func TestNewDepartment(t *testing.T) {
	t.Run("trimmed, active, stamped", func(t *testing.T) {
		d, err := survey.NewDepartment("ABC", "  ABC Department ", "\t甲乙丙署\n", " Test Bureau  ", testNow)
		wantNoError(t, err)
		want := &survey.Department{Code: "ABC", NameEN: "ABC Department", NameZH: "甲乙丙署", Bureau: "Test Bureau",
			Active: true, CreatedAt: testNow, UpdatedAt: testNow}
		if !reflect.DeepEqual(d, want) {
			t.Errorf("department %+v, want %+v", d, want)
		}
	})
	tests := []struct {
		name                         string
		code, nameEN, nameZH, bureau string
		want                         []fe
	}{
		{"code is not trimmed", " ABC", "A", "甲", "B", []fe{{"code", survey.RulePattern, survey.PatternDepartment}}},
		{"blank names", "ABC", "  ", "", " ", []fe{
			{"name_en", survey.RuleRequired, ""},
			{"name_zh", survey.RuleRequired, ""},
			{"bureau", survey.RuleRequired, ""},
		}},
		{"long name counted after trimming", "ABC", " " + strings.Repeat("n", 200) + " ", zh(201), "B",
			[]fe{{"name_zh", survey.RuleMaxLength, "200"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := survey.NewDepartment(tc.code, tc.nameEN, tc.nameZH, tc.bureau, testNow)
			wantFields(t, err, tc.want...)
			if d != nil {
				t.Errorf("department %+v returned with an error", d)
			}
		})
	}
}

func TestDepartmentApply(t *testing.T) {
	tests := []struct {
		name        string
		start       func() survey.Department
		ch          survey.DepartmentChange
		wantChanged map[string]any
		edit        func(d *survey.Department) // from the start, what must change
	}{
		{"nothing given", validDepartment, survey.DepartmentChange{}, map[string]any{}, nil},
		{"the same values, untrimmed", validDepartment, survey.DepartmentChange{
			NameEN: strp("  ABC Department  "), NameZH: strp("甲乙丙署"), Bureau: strp(" Test Bureau"), Active: boolp(true),
		}, map[string]any{}, nil},
		{"one name, trimmed", validDepartment, survey.DepartmentChange{
			NameEN: strp(" ABC Dept "), NameZH: strp("甲乙丙署"), Bureau: strp("Test Bureau"),
		}, map[string]any{"name_en": "ABC Dept"}, func(d *survey.Department) { d.NameEN = "ABC Dept" }},
		{"every field", validDepartment, survey.DepartmentChange{
			NameEN: strp("N"), NameZH: strp("新"), Bureau: strp(" Other Bureau "), Active: boolp(false),
		}, map[string]any{"name_en": "N", "name_zh": "新", "bureau": "Other Bureau", "active": false},
			func(d *survey.Department) { d.NameEN, d.NameZH, d.Bureau, d.Active = "N", "新", "Other Bureau", false }},
		{"deactivate", validDepartment, survey.DepartmentChange{Active: boolp(false)},
			map[string]any{"active": false}, func(d *survey.Department) { d.Active = false }},
		{"activate", func() survey.Department { d := validDepartment(); d.Active = false; return d },
			survey.DepartmentChange{Active: boolp(true)},
			map[string]any{"active": true}, func(d *survey.Department) { d.Active = true }},
		{"already inactive", func() survey.Department { d := validDepartment(); d.Active = false; return d },
			survey.DepartmentChange{Active: boolp(false)}, map[string]any{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := tc.start()
			got, changed, err := start.Apply(tc.ch, testNow)
			wantNoError(t, err)
			if !reflect.DeepEqual(changed, tc.wantChanged) {
				t.Errorf("changed %v, want %v", changed, tc.wantChanged)
			}
			want := start
			if tc.edit != nil {
				tc.edit(&want)
				want.UpdatedAt = testNow
				want.Version++
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("department %+v, want %+v", got, want)
			}
		})
	}

	refusals := []struct {
		name string
		ch   survey.DepartmentChange
		want []fe
	}{
		{"blank English name", survey.DepartmentChange{NameEN: strp("   ")}, []fe{{"name_en", survey.RuleRequired, ""}}},
		{"blank Chinese name and bureau", survey.DepartmentChange{NameZH: strp(""), Bureau: strp(" ")},
			[]fe{{"name_zh", survey.RuleRequired, ""}, {"bureau", survey.RuleRequired, ""}}},
		{"bureau over 200 characters", survey.DepartmentChange{Bureau: strp(zh(201)), Active: boolp(false)},
			[]fe{{"bureau", survey.RuleMaxLength, "200"}}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			start := validDepartment()
			_, changed, err := start.Apply(tc.ch, testNow)
			wantFields(t, err, tc.want...)
			if changed != nil {
				t.Errorf("changed %v with an error, want nil", changed)
			}
			if !reflect.DeepEqual(start, validDepartment()) {
				t.Error("Apply changed its receiver")
			}
		})
	}
}

func TestDepartmentName(t *testing.T) {
	d := validDepartment()
	if d.Name(survey.LangZH) != "甲乙丙署" || d.Name(survey.LangEN) != "ABC Department" || d.Name("fr") != "ABC Department" {
		t.Errorf("names %q %q %q", d.Name(survey.LangZH), d.Name(survey.LangEN), d.Name("fr"))
	}
	d.NameZH = ""
	if d.Name(survey.LangZH) != "ABC Department" {
		t.Errorf("zh name without a Chinese name: %q, want the English one", d.Name(survey.LangZH))
	}
}
