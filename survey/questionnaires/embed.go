// Package questionnaires holds the built-in bilingual question bank, embedded in the binary.
package questionnaires

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var files embed.FS

// FS returns the embedded question bank files, for survey.LoadQuestionnaires.
func FS() fs.FS { return files }
