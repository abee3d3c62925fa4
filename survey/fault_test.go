package survey_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/dpo/dgsurvey/survey"
)

// ruleConstants reads fault.go and returns every Rule* constant's value by
// name, so a rule added later without a message fails TestRuleMessage.
func ruleConstants(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "fault.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Rule") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s is not a string literal", name.Name)
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				rules[name.Name] = v
			}
		}
	}
	if len(rules) < 20 {
		t.Fatalf("found only %d Rule constants in fault.go: %v", len(rules), rules)
	}
	return rules
}

// params gives each rule the parameter it is used with in the service.
var params = map[string]string{
	survey.RuleMaxLength: "4000",
	survey.RuleRange:     "0-5",
	survey.RuleMin:       "1",
	survey.RuleMaxValue:  "500",
	survey.RulePattern:   survey.PatternDepartment,
	survey.RuleOneOf:     "draft open closed",
	survey.RuleAfter:     "opens_at",
	survey.RuleType:      "a string",
	survey.RuleUnknown:   "question",
}

func TestRuleMessage(t *testing.T) {
	const generic = "is invalid"
	if got := survey.RuleMessage("no-such-rule", ""); got != generic {
		t.Fatalf("unknown rule: %q, want the generic %q", got, generic)
	}
	seen := map[string]string{}
	for name, rule := range ruleConstants(t) {
		t.Run(name, func(t *testing.T) {
			msg := survey.RuleMessage(rule, params[rule])
			if msg == "" || msg == generic {
				t.Fatalf("rule %q has the generic message %q", rule, msg)
			}
			if other, ok := seen[msg]; ok {
				t.Errorf("rules %q and %q share the message %q", rule, other, msg)
			}
			seen[msg] = rule
			f := survey.Fault("answers.q", rule, params[rule])
			if f != (survey.FieldError{Field: "answers.q", Rule: rule, Param: params[rule], Message: msg}) {
				t.Errorf("Fault = %+v", f)
			}
		})
	}
}

func TestRuleMessageParams(t *testing.T) {
	tests := []struct{ rule, param, want string }{
		{survey.RuleMaxLength, "4000", "must be at most 4000 characters"},
		{survey.RuleMaxLength, "200", "must be at most 200 characters"},
		{survey.RuleRange, "0-5", "must be between 0 and 5"},
		{survey.RuleMin, "1", "must be at least 1"},
		{survey.RuleMaxValue, "500", "must be at most 500"},
		{survey.RuleOneOf, "draft open closed", "must be one of draft, open, closed"},
		{survey.RuleAfter, "opens_at", "must be after opens_at"},
		{survey.RuleType, "a string", "must be a string"},
	}
	for _, tc := range tests {
		t.Run(tc.rule+" "+tc.param, func(t *testing.T) {
			if got := survey.RuleMessage(tc.rule, tc.param); got != tc.want {
				t.Errorf("RuleMessage(%q, %q) = %q, want %q", tc.rule, tc.param, got, tc.want)
			}
		})
	}
	// Each identifier pattern is described in its own words.
	patterns := map[string]string{}
	for _, p := range []string{survey.PatternDepartment, survey.PatternRound, survey.PatternItem} {
		msg := survey.RuleMessage(survey.RulePattern, p)
		if other, ok := patterns[msg]; ok {
			t.Errorf("patterns %s and %s share the message %q", p, other, msg)
		}
		patterns[msg] = p
	}
	if !strings.Contains(survey.RuleMessage(survey.RulePattern, survey.PatternDepartment), "A-Z") {
		t.Error("the department pattern message does not name upper-case letters")
	}
}

func TestErrors(t *testing.T) {
	nf := survey.Errorf(survey.ENOTFOUND, "round %s not found", "r9")
	if nf.Error() != "not_found: round r9 not found" {
		t.Errorf("Error() = %q", nf.Error())
	}
	tests := []struct {
		name string
		err  error
		code string // "": not checked (the edge unwraps AnswerConflictError itself)
		is   error  // a sentinel it must match
		not  error  // a sentinel it must not match
	}{
		{"specific not found", nf, survey.ENOTFOUND, survey.ErrNotFound, survey.ErrConflict},
		{"wrapped", fmt.Errorf("store: %w", nf), survey.ENOTFOUND, survey.ErrNotFound, survey.ErrUnavailable},
		{"conflict", survey.Errorf(survey.ECONFLICT, "x"), survey.ECONFLICT, survey.ErrConflict, survey.ErrNotFound},
		{"answer conflict", &survey.AnswerConflictError{Current: map[string]*survey.Answer{"q": nil}}, "", survey.ErrConflict, survey.ErrNotFound},
		{"invalid", survey.Invalid("bad", survey.Fault("f", survey.RuleRequired, "")), survey.EINVALID, &survey.Error{Code: survey.EINVALID}, survey.ErrConflict},
		{"plain error", errors.New("boom"), survey.EINTERNAL, nil, survey.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := survey.ErrorCode(tc.err); tc.code != "" && got != tc.code {
				t.Errorf("ErrorCode = %s, want %s", got, tc.code)
			}
			if tc.is != nil && !errors.Is(tc.err, tc.is) {
				t.Errorf("%v does not match %v", tc.err, tc.is)
			}
			if errors.Is(tc.err, tc.not) {
				t.Errorf("%v matches %v", tc.err, tc.not)
			}
		})
	}
	if got := (&survey.AnswerConflictError{Current: map[string]*survey.Answer{"a": nil, "b": nil}}).Error(); got != "2 answer(s) changed since they were read" {
		t.Errorf("AnswerConflictError.Error() = %q", got)
	}
}
