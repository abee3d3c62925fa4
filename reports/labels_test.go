package reports

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/wording"
)

// labelKey is the shape of a label key: dotted lower-case words.
var labelKey = regexp.MustCompile(`^[a-z][a-z_0-9]*(\.[a-z_0-9]+)*$`)

// parseReports parses the package's production files.
func parseReports(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	return fset, files
}

// stringLit is the value of a string literal expression.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestLabelsUsedExist: every label key the workbooks use is in the table,
// in both languages, with the same placeholders. Used keys are the literal
// keys of tr and trf calls, and any other string literal of the package in
// the shape of a key that names a table key or lies in one of its
// namespaces ("col.", "sheet.", …), such as the summary's fact rows;
// statusLabel builds "status." keys from survey's statuses.
func TestLabelsUsedExist(t *testing.T) {
	fset, files := parseReports(t)
	namespaces := map[string]bool{}
	for k := range labels {
		if i := strings.IndexByte(k, '.'); i > 0 {
			namespaces[k[:i]] = true
		}
	}
	used := map[string]string{} // key → where
	calls := 0
	for name, f := range files {
		if name == "labels.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "tr" || id.Name == "trf") && len(n.Args) >= 2 {
					calls++
					if k, ok := stringLit(n.Args[1]); ok {
						used[k] = fset.Position(n.Pos()).String()
					}
				}
			case *ast.BasicLit:
				k, ok := stringLit(n)
				if !ok || !labelKey.MatchString(k) {
					return true
				}
				_, inTable := labels[k]
				if i := strings.IndexByte(k, '.'); inTable || (i > 0 && namespaces[k[:i]]) {
					used[k] = fset.Position(n.Pos()).String()
				}
			}
			return true
		})
	}
	for _, st := range []string{survey.StatusNotStarted, survey.StatusInProgress, survey.StatusSubmitted} {
		used["status."+st] = "statusLabel"
	}
	if calls < 100 || len(used) < 80 {
		t.Fatalf("found %d tr/trf calls and %d keys: the scan is broken", calls, len(used))
	}
	placeholders := regexp.MustCompile(`%[sdv]`)
	var bad []string
	for k, where := range used {
		l, ok := labels[k]
		switch {
		case !ok:
			bad = append(bad, where+": "+k+" is not in the table")
		case strings.TrimSpace(l.en) == "" || strings.TrimSpace(l.zh) == "":
			bad = append(bad, k+": a language is empty")
		case l.en == l.zh || !hasHan(l.zh):
			bad = append(bad, k+": the Chinese "+strconv.Quote(l.zh)+" is not Chinese")
		case strings.Join(placeholders.FindAllString(l.en, -1), ",") != strings.Join(placeholders.FindAllString(l.zh, -1), ","):
			bad = append(bad, k+": the placeholders differ between the languages")
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Fatalf("labels:\n%s", strings.Join(bad, "\n"))
	}
}

// TestLabelsSharedOnce: a label whose text the shared catalogue has is
// taken from it (shared(…)), never written again in labels.go, so the
// workbook and the pages cannot drift apart.
func TestLabelsSharedOnce(t *testing.T) {
	fset, files := parseReports(t)
	pairs := map[[2]string]string{}
	for _, k := range wording.Keys() {
		en, zh, _ := wording.Pair(k)
		pairs[[2]string{en, zh}] = k
		pairs[[2]string{en, ""}] = k // the English alone is enough to suspect a copy
	}
	ast.Inspect(files["labels.go"], func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok || len(cl.Elts) != 2 {
			return true
		}
		en, ok1 := stringLit(cl.Elts[0])
		zh, ok2 := stringLit(cl.Elts[1])
		if !ok1 || !ok2 {
			return true
		}
		if k, ok := pairs[[2]string{en, zh}]; ok {
			t.Errorf("%s: {%q, %q} is the shared label %s: use shared(wording…)", fset.Position(cl.Pos()), en, zh, k)
		} else if k, ok := pairs[[2]string{en, ""}]; ok {
			t.Errorf("%s: %q is the shared label %s in other words: use shared(wording…) or word it apart", fset.Position(cl.Pos()), en, k)
		}
		return true
	})
	shared := 0
	for _, l := range labels {
		if _, ok := pairs[[2]string{l.en, l.zh}]; ok {
			shared++
		}
	}
	if shared < 26 {
		t.Errorf("only %d workbook labels come from the shared catalogue; the pages and workbooks share at least 26", shared)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
