package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/wording"
)

// keyUses collects the message keys the pages use, with where each is
// used, and the key prefixes that are completed at run time.
type keyUses struct {
	keys     map[string]string // key → first place it is used
	prefixes map[string]string // prefix ("state.") → first place
	problems []string          // uses the scan cannot resolve
}

func newKeyUses() *keyUses {
	return &keyUses{keys: map[string]string{}, prefixes: map[string]string{}}
}

func (u *keyUses) key(k, where string) {
	if _, ok := u.keys[k]; !ok {
		u.keys[k] = where
	}
}

func (u *keyUses) prefix(p, where string) {
	if _, ok := u.prefixes[p]; !ok {
		u.prefixes[p] = where
	}
}

// scanTemplates walks the parse trees of every embedded template and
// collects the keys of {{.T "key"}} (also $.T and chains ending in .T), the
// prefix of {{.T (print "prefix." .Value)}}, and the label "field.<name>"
// and hint key of {{.Field .Errors "name" .Value "hint.key"}}. Any other
// argument to .T is a problem: the test cannot see which keys it needs.
func scanTemplates(t *testing.T, u *keyUses) {
	t.Helper()
	names, err := fs.Glob(webFS, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, name := range names {
		text, err := webFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		top := parse.New(name)
		top.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := top.Parse(string(text), "", "", trees); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		trees[""] = top
		for _, tree := range trees {
			if tree.Root != nil {
				walkTemplate(tree, tree.Root, u)
			}
		}
	}
}

// walkTemplate visits every command of a template parse tree.
func walkTemplate(tree *parse.Tree, n parse.Node, u *keyUses) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplate(tree, c, u)
		}
	case *parse.ActionNode:
		walkTemplate(tree, n.Pipe, u)
	case *parse.IfNode:
		walkBranch(tree, &n.BranchNode, u)
	case *parse.RangeNode:
		walkBranch(tree, &n.BranchNode, u)
	case *parse.WithNode:
		walkBranch(tree, &n.BranchNode, u)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			walkTemplate(tree, n.Pipe, u)
		}
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkTemplate(tree, c, u)
		}
	case *parse.CommandNode:
		templateCommand(tree, n, u)
		for _, a := range n.Args {
			walkTemplate(tree, a, u)
		}
	case *parse.ChainNode:
		walkTemplate(tree, n.Node, u)
	}
}

func walkBranch(tree *parse.Tree, b *parse.BranchNode, u *keyUses) {
	walkTemplate(tree, b.Pipe, u)
	walkTemplate(tree, b.List, u)
	walkTemplate(tree, b.ElseList, u)
}

// method is the name of the method a command calls on the page (.T, $.T,
// (.X).T), or "".
func method(n parse.Node) string {
	var idents []string
	switch n := n.(type) {
	case *parse.FieldNode:
		idents = n.Ident
	case *parse.VariableNode:
		if len(n.Ident) > 1 {
			idents = n.Ident[1:]
		}
	case *parse.ChainNode:
		idents = n.Field
	}
	if len(idents) == 0 {
		return ""
	}
	return idents[len(idents)-1]
}

func templateCommand(tree *parse.Tree, cmd *parse.CommandNode, u *keyUses) {
	if len(cmd.Args) == 0 {
		return
	}
	where, _ := tree.ErrorContext(cmd)
	switch method(cmd.Args[0]) {
	case "T":
		if len(cmd.Args) < 2 {
			u.problems = append(u.problems, where+": .T without a key")
			return
		}
		switch a := cmd.Args[1].(type) {
		case *parse.StringNode:
			u.key(a.Text, where)
			return
		case *parse.PipeNode:
			if len(a.Cmds) == 1 && len(a.Cmds[0].Args) >= 2 {
				fn, ok1 := a.Cmds[0].Args[0].(*parse.IdentifierNode)
				pre, ok2 := a.Cmds[0].Args[1].(*parse.StringNode)
				if ok1 && ok2 && fn.Ident == "print" {
					u.prefix(pre.Text, where)
					return
				}
			}
		}
		u.problems = append(u.problems, where+": .T with a key the test cannot read: "+cmd.String())
	case "Field":
		// .Field errs name value hintKey: the label is "field."+name.
		if len(cmd.Args) != 5 {
			u.problems = append(u.problems, where+": .Field takes errors, name, value and hint key: "+cmd.String())
			return
		}
		if name, ok := cmd.Args[2].(*parse.StringNode); ok {
			u.key("field."+name.Text, where)
		} else {
			u.problems = append(u.problems, where+": .Field with a name the test cannot read: "+cmd.String())
		}
		if hint, ok := cmd.Args[4].(*parse.StringNode); ok {
			if hint.Text != "" {
				u.key(hint.Text, where)
			}
		} else {
			u.problems = append(u.problems, where+": .Field with a hint key the test cannot read: "+cmd.String())
		}
	}
}

// goKey is the shape of a message key in Go source; a trailing dot marks a
// prefix completed at run time.
var goKey = regexp.MustCompile(`^[a-z][a-z_0-9]*(\.[a-z_0-9-]+)*\.?$`)

// keyCalls are the functions whose string arguments are message keys.
var keyCalls = map[string]bool{"message": true, "t": true, "T": true, "newPage": true, "msg": true, "link": true, "renderLogin": true}

// flashParam finds the flash key in a redirect target.
var flashParam = regexp.MustCompile(`[?&]flash=([a-z-]+)`)

// scanGo parses the package's production Go files and collects: the
// key-shaped string arguments of message, t, T, newPage, msg, link and
// renderLogin; any other key-shaped literal in a namespace of the table
// ("err.", "rounds.", …); "flash.<key>" for every ?flash= in a redirect; and
// the planner's change directions (changeView{Dir: …}), which templates
// complete "planner.change." with; and the names of the form fields
// (`form:"…"` tags but the CSRF token) whose errors the error summary
// labels "field.<name>".
func scanGo(t *testing.T, u *keyUses, namespaces map[string]bool) (changeDirs, formFields []string) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "messages.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files++
		add := func(k string, pos token.Pos) {
			where := fset.Position(pos).String()
			if strings.HasSuffix(k, ".") {
				u.prefix(k, where)
			} else {
				u.key(k, where)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if !keyCalls[name] {
					return true
				}
				for _, a := range n.Args {
					if s, ok := stringLit(a); ok && s != "" && goKey.MatchString(s) {
						add(s, a.Pos())
					}
				}
			case *ast.BasicLit:
				s, ok := stringLit(n)
				if !ok {
					return true
				}
				for _, m := range flashParam.FindAllStringSubmatch(s, -1) {
					if where := fset.Position(n.Pos()).String(); strings.HasSuffix(m[1], "-") {
						u.prefix("flash."+m[1], where) // "?flash=round-"+state
					} else {
						u.key("flash."+m[1], where)
					}
				}
				if i := strings.IndexByte(s, '.'); i > 0 && goKey.MatchString(s) && namespaces[s[:i]] {
					add(s, n.Pos())
				}
			case *ast.TypeSpec:
				st, ok := n.Type.(*ast.StructType)
				if !ok || ownErrors[n.Name.Name] {
					return true
				}
				for _, fl := range st.Fields.List {
					if fl.Tag == nil {
						continue
					}
					tag, _ := strconv.Unquote(fl.Tag.Value)
					if name := reflect.StructTag(tag).Get("form"); name != "" && name != "csrf" {
						formFields = append(formFields, name)
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "changeView" {
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Dir" {
								if s, ok := stringLit(kv.Value); ok {
									changeDirs = append(changeDirs, s)
								}
							}
						}
					}
				}
			}
			return true
		})
	}
	if files < 10 {
		t.Fatalf("only %d Go files scanned", files)
	}
	return changeDirs, formFields
}

// ownErrors are the forms that show their errors their own way (a message
// key of their own), not as "field.<name>: message" in the error summary.
var ownErrors = map[string]bool{"loginForm": true, "reopenForm": true}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestWebMessagesComplete: every message key a template or a page handler
// uses exists, in the pages' table or the shared catalogue, in English and
// Chinese, with the same placeholders in both. Keys completed at run time
// are expanded from the values that complete them.
func TestWebMessagesComplete(t *testing.T) {
	msgs := webMessages()
	namespaces := map[string]bool{}
	for k := range msgs {
		if i := strings.IndexByte(k, '.'); i > 0 {
			namespaces[k[:i]] = true
		}
	}
	u := newKeyUses()
	scanTemplates(t, u)
	templateKeys := len(u.keys)
	changeDirs, formFields := scanGo(t, u, namespaces)

	var codes []string
	for status := 100; status < 600; status++ {
		codes = append(codes, errorKey(status))
	}
	roundStates := []string{survey.RoundDraft, survey.RoundOpen, survey.RoundClosed}
	expand := map[string][]string{
		"state.":             roundStates,
		"status.":            {survey.StatusNotStarted, survey.StatusInProgress, survey.StatusReady, survey.StatusSubmitted, statusReopened},
		"audit.action.":      auditActions,
		"dashboard.sort.":    dashboardSorts,
		"planner.heat_sort.": heatSorts,
		"role.":              {survey.RoleAdmin, survey.RoleRespondent, survey.RolePlanner},
		"planner.change.":    changeDirs,
		// A round changes state to open or closed ("?flash=round-"+state).
		"flash.round-": {survey.RoundOpen, survey.RoundClosed},
		// Questionnaire versions: their state, origin, preview language and
		// the fields a diff names.
		"questionnaire.state.":      {survey.QuestionnaireDraft, survey.QuestionnairePublished},
		"questionnaire.origin.":     {survey.OriginBuiltIn, survey.OriginUploaded},
		"questionnaire.preview_in_": {survey.LangEN, survey.LangZH},
		"diff.field.":               {"text", "help", "descriptors", "weight", "na", "mandatory", "reference", "area", "title", "topic", "theme", "target", "id", "merged"},
	}
	var problems []string
	for p, where := range u.prefixes {
		switch p {
		case "error.":
			for _, c := range codes {
				u.key("error."+c+".title", "errorKey")
				u.key("error."+c+".text", "errorKey")
			}
		case "field.":
			for _, f := range formFields {
				u.key("field."+f, where)
			}
		case "flash.":
			// flash.<key> comes from the ?flash= scan.
		default:
			vals, ok := expand[p]
			if !ok || len(vals) == 0 {
				problems = append(problems, where+": keys completed at run time from "+strconv.Quote(p)+": add their values to the test")
			}
			for _, v := range vals {
				u.key(p+v, where)
			}
		}
	}

	placeholders := regexp.MustCompile(`%[sdv]|\{[a-z]+\}`)
	for k, where := range u.keys {
		m, ok := msgs[k]
		if !ok {
			m[0], m[1], ok = wording.Pair(k)
		}
		switch {
		case !ok:
			problems = append(problems, where+": "+k+" is in neither the pages' table nor the shared catalogue")
		case strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "":
			problems = append(problems, where+": "+k+": a language is empty")
		case strings.Join(placeholders.FindAllString(m[0], -1), ",") != strings.Join(placeholders.FindAllString(m[1], -1), ","):
			problems = append(problems, where+": "+k+": the placeholders differ between the languages")
		}
	}
	problems = append(problems, u.problems...)
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Fatalf("messages:\n%s", strings.Join(problems, "\n"))
	}
	if templateKeys < 150 || len(u.keys) < 220 || len(changeDirs) != 4 || len(formFields) < 14 {
		t.Fatalf("found %d keys in templates, %d in all, %d change directions and %d form fields: the scan is broken",
			templateKeys, len(u.keys), len(changeDirs), len(formFields))
	}
}

// TestWebMessagesSharedOnce: a label whose text the shared catalogue has is
// taken from it (shared(…)), never written again in messages.go, so the
// pages and the workbooks cannot drift apart.
func TestWebMessagesSharedOnce(t *testing.T) {
	// Page labels whose English is a shared label's but which mean
	// something else, with what they mean.
	apart := map[string]string{
		"round.state": "the state of the round (評估輪次狀態), shown as “Round: Open”",
		"rounds.open": "the button that opens a round, a verb (開放)",
	}
	apart["questionnaire.state.draft"] = "a questionnaire version not yet published (草稿), not a draft round (草擬)"
	pairs := map[[2]string]string{}
	english := map[string]string{}
	for _, k := range wording.Keys() {
		en, zh, _ := wording.Pair(k)
		pairs[[2]string{en, zh}] = k
		english[en] = k
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "messages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		key, _ := stringLit(kv.Key)
		cl, ok := kv.Value.(*ast.CompositeLit)
		if !ok || len(cl.Elts) != 2 {
			return true
		}
		en, ok1 := stringLit(cl.Elts[0])
		zh, ok2 := stringLit(cl.Elts[1])
		if !ok1 || !ok2 {
			return true
		}
		if k, ok := pairs[[2]string{en, zh}]; ok {
			t.Errorf("%s: %s {%q, %q} is the shared label %s: use shared(wording…)", fset.Position(cl.Pos()), key, en, zh, k)
		} else if k, ok := english[en]; ok && apart[key] == "" {
			t.Errorf("%s: %s %q is the shared label %s in other words: use shared(wording…), word it apart or list it in apart",
				fset.Position(cl.Pos()), key, en, k)
		}
		return true
	})
	msgs := webMessages()
	for k := range apart {
		if _, ok := msgs[k]; !ok {
			t.Errorf("apart lists %s, which is not in the table", k)
		}
	}
	shared := 0
	for _, m := range msgs {
		if _, ok := pairs[m]; ok {
			shared++
		}
	}
	if shared < 26 {
		t.Errorf("only %d page labels come from the shared catalogue; the pages and workbooks share at least 26", shared)
	}
}
