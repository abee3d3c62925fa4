package web

import (
	"bytes"
	"html/template"
	"strconv"
	"sync"

	"github.com/dpo/dgsurvey/survey"
)

// The answer form's fixed parts (each question's legend, help and
// references, and the label of every level with its descriptor) are the
// same for every department answering one questionnaire version in one
// language, and escaping them was most of a page's cost. They are rendered
// once per questionnaire version and language and kept: a published
// version never changes, so nothing ever invalidates them.

// questionFragment is the pre-rendered fixed HTML of one question.
type questionFragment struct {
	Head template.HTML
	// Options are each option's whole HTML, by option in the form's
	// order: [0] unchosen, [1] chosen.
	Options [][2]template.HTML
}

// fragmentCache holds the fragments of each questionnaire version and
// language; the set of versions in use is small and bounded by the bank.
type fragmentCache struct {
	tmpl *template.Template
	mu   sync.Mutex
	m    map[string]map[string]*questionFragment
}

// fragmentsSource renders the fixed parts; Pages parses it once, with the
// page templates (load).
const fragmentsSource = `
{{define "head"}}<legend><span class="qid">{{.ID}}</span> {{.Text}}</legend>
        <p class="hint" id="help-{{.ID}}">{{.Help}}</p>
        {{if .Reference}}<details class="refs"><summary>{{.RefLabel}}</summary><p>{{.Reference}}</p></details>{{end}}{{end}}
{{define "option"}}<div class="option">
            <input type="radio" name="level.{{.QID}}" id="{{.ID}}" value="{{.Value}}"{{if .Checked}} checked{{end}}>
            <label for="{{.ID}}"><span class="level-name">{{.Name}}</span> <span class="descriptor">{{.Descriptor}}</span></label>
          </div>{{end}}`

// fragments returns the fixed parts of every question of q in lang,
// rendering them on first use.
func (pg *Pages) fragments(lang string, q *survey.Questionnaire) map[string]*questionFragment {
	key := q.ID + "@" + strconv.Itoa(q.Version) + "/" + lang
	c := &pg.frags
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.m[key]; ok {
		return f
	}
	if c.m == nil {
		c.m = map[string]map[string]*questionFragment{}
	}
	out := map[string]*questionFragment{}
	// The templates are fixed and their data is plain text, and a buffer
	// never fails to write: executing them cannot fail.
	var buf bytes.Buffer
	for _, d := range q.Domains {
		for _, a := range d.Areas {
			for i := range a.Questions {
				qu := &a.Questions[i]
				qv := pg.questionView(lang, q, qu, answerValue{}, nil)
				f := &questionFragment{}
				buf.Reset()
				_ = c.tmpl.ExecuteTemplate(&buf, "head", struct {
					questionView
					RefLabel string
				}{qv, message(pg.messages, lang, "answer.references")})
				f.Head = template.HTML(buf.String())
				for _, opt := range qv.Options {
					var both [2]template.HTML
					for i, checked := range []bool{false, true} {
						buf.Reset()
						opt.Checked = checked
						_ = c.tmpl.ExecuteTemplate(&buf, "option", struct {
							levelOption
							QID string
						}{opt, qu.ID})
						both[i] = template.HTML(buf.String())
					}
					f.Options = append(f.Options, both)
				}
				out[qu.ID] = f
			}
		}
	}
	c.m[key] = out
	return out
}

// reopenCache remembers, per response version, the latest reopening of a
// response in progress (nil: never reopened), so the answer form does not
// read the audit trail on every view. A reopening changes the response's
// version, so an entry can never be stale; the map is emptied when it grows
// past its bound.
type reopenCache struct {
	mu sync.Mutex
	m  map[string]*reopenNotice
}

const reopenCacheMax = 8192

func (c *reopenCache) get(key string) (*reopenNotice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *reopenCache) put(key string, v *reopenNotice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= reopenCacheMax {
		c.m = map[string]*reopenNotice{}
	}
	c.m[key] = v
}
