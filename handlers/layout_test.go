package handlers_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/dpo/dgsurvey"

// TestLayout keeps the layout of docs/ARCHITECTURE.md: the JSON API and the
// pages never import each other; Gin stays in handlers; the store's driver
// stays in survey/mongostore; the domain imports no HTTP; nothing imports a
// higher layer than its own.
func TestLayout(t *testing.T) {
	imports := moduleImports(t)
	if len(imports) < 20 {
		t.Fatalf("found only %d Go files: is the module root right?", len(imports))
	}
	under := func(file, dir string) bool { return strings.HasPrefix(file, dir+"/") }
	rules := []struct {
		name string
		// forbidden reports whether file may not import path.
		forbidden func(file, path string) bool
	}{
		{"the API never imports the pages", func(f, p string) bool {
			return under(f, "handlers/api") && strings.HasPrefix(p, module+"/handlers/web")
		}},
		{"the pages never import the API", func(f, p string) bool {
			return under(f, "handlers/web") && strings.HasPrefix(p, module+"/handlers/api")
		}},
		{"Gin only under handlers/", func(f, p string) bool {
			return strings.HasPrefix(p, "github.com/gin-gonic/") && !under(f, "handlers")
		}},
		// The load tool measures the driver's own ceiling on purpose, and
		// two tests read raw stored documents to prove no secret is kept.
		{"the store driver only under survey/mongostore", func(f, p string) bool {
			return strings.HasPrefix(p, "go.mongodb.org/") && !under(f, "survey/mongostore") &&
				!under(f, "cmd/surveyload") && !strings.HasSuffix(f, "_test.go")
		}},
		{"the domain imports no HTTP", func(f, p string) bool {
			return filepath.Dir(f) == "survey" && (p == "net/http" || strings.HasPrefix(p, "net/http/"))
		}},
		{"the use cases import no HTTP and no driver", func(f, p string) bool {
			return under(f, "survey/assess") && (strings.HasPrefix(p, "net/http") || strings.HasPrefix(p, "go.mongodb.org/") ||
				strings.HasPrefix(p, module+"/survey/mongostore"))
		}},
		{"nothing below handlers imports it", func(f, p string) bool {
			return strings.HasPrefix(p, module+"/handlers") && !under(f, "handlers") && !under(f, "cmd")
		}},
		{"the domain imports none of its adapters", func(f, p string) bool {
			return filepath.Dir(f) == "survey" && !strings.HasSuffix(f, "_test.go") &&
				strings.HasPrefix(p, module+"/") && !strings.HasPrefix(p, module+"/survey/questionnaires")
		}},
		{"reports import only the domain", func(f, p string) bool {
			return under(f, "reports") && strings.HasPrefix(p, module+"/") && p != module+"/survey" &&
				!strings.HasPrefix(p, module+"/survey/surveytest") && !strings.HasPrefix(p, module+"/survey/wording")
		}},
		{"the store adapter imports no use case or edge", func(f, p string) bool {
			return under(f, "survey/mongostore") && (strings.HasPrefix(p, module+"/survey/assess") ||
				strings.HasPrefix(p, module+"/handlers") || strings.HasPrefix(p, module+"/reports"))
		}},
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			for file, paths := range imports {
				for _, p := range paths {
					if r.forbidden(file, p) {
						t.Errorf("%s imports %s", file, p)
					}
				}
			}
		})
	}
}

// moduleImports parses the import block of every Go file of the module,
// keyed by its path from the module root.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[rel] = append(out[rel], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
