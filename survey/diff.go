package survey

import (
	"slices"
	"sort"
)

// QuestionnaireDiff is what changed from one version of a questionnaire to
// another, area by area and question by question, through lineage: an item
// of the newer version continues the items its lineage names (the item of
// the same id when its lineage is absent; nothing when it is empty).
type QuestionnaireDiff struct {
	ID        string    `json:"id"`
	From      int       `json:"from"`
	To        int       `json:"to"`
	Areas     DiffItems `json:"areas"`
	Questions DiffItems `json:"questions"`
}

// DiffItems sorts the items of one kind: added (continue nothing), removed
// (continued by nothing), changed (continue something, and differ from it
// or continue it under another id or from several), and how many continue
// one item unchanged.
type DiffItems struct {
	Added     []DiffItem `json:"added"`
	Removed   []DiffItem `json:"removed"`
	Changed   []DiffItem `json:"changed"`
	Unchanged int        `json:"unchanged"`
}

// DiffItem is one area or question in a diff. Lineage is what it continues
// in the older version (empty for an added item); Fields names what
// changed: text, help, descriptors, weight, na, mandatory, reference,
// area (a question that moved), title, topic, theme, target, id (continued
// under a new id), merged (continues several).
type DiffItem struct {
	ID      string   `json:"id"`
	Area    string   `json:"area,omitempty"`
	Title   Text     `json:"title"`
	Lineage []string `json:"lineage"`
	Fields  []string `json:"fields,omitempty"`
}

// Diff compares from with to, the newer version; both must be versions of
// the same questionnaire (the caller checks).
func Diff(from, to *Questionnaire) QuestionnaireDiff {
	out := QuestionnaireDiff{ID: to.ID, From: from.Version, To: to.Version}
	// A version compared with itself continues itself item by item; its
	// lineage names the version before.
	self := from.ID == to.ID && from.Version == to.Version
	oldAreas, oldQs := map[string]*Area{}, from.Index()
	for d := range from.Domains {
		for a := range from.Domains[d].Areas {
			oldAreas[from.Domains[d].Areas[a].ID] = &from.Domains[d].Areas[a]
		}
	}
	areaUsed, qUsed := map[string]bool{}, map[string]bool{}
	for d := range to.Domains {
		for a := range to.Domains[d].Areas {
			area := &to.Domains[d].Areas[a]
			lin := resolveLineage(area.ID, ownLineage(self, area.Lineage), func(id string) bool { return oldAreas[id] != nil })
			item := DiffItem{ID: area.ID, Title: area.Title, Lineage: lin}
			for _, id := range lin {
				areaUsed[id] = true
			}
			switch {
			case len(lin) == 0:
				out.Areas.Added = append(out.Areas.Added, item)
			default:
				item.Fields = lineageFields(area.ID, lin)
				if len(lin) == 1 {
					item.Fields = append(item.Fields, areaFields(oldAreas[lin[0]], area)...)
				}
				if len(item.Fields) == 0 {
					out.Areas.Unchanged++
				} else {
					out.Areas.Changed = append(out.Areas.Changed, item)
				}
			}
			for i := range area.Questions {
				qu := &area.Questions[i]
				qlin := resolveLineage(qu.ID, ownLineage(self, qu.Lineage), func(id string) bool { _, ok := oldQs[id]; return ok })
				qi := DiffItem{ID: qu.ID, Area: area.ID, Title: qu.Text, Lineage: qlin}
				for _, id := range qlin {
					qUsed[id] = true
				}
				if len(qlin) == 0 {
					out.Questions.Added = append(out.Questions.Added, qi)
					continue
				}
				qi.Fields = lineageFields(qu.ID, qlin)
				if len(qlin) == 1 {
					prev := oldQs[qlin[0]]
					qi.Fields = append(qi.Fields, questionFields(prev.Question, qu)...)
					if !slices.Contains(lin, prev.Area.ID) {
						qi.Fields = append(qi.Fields, "area")
					}
				}
				if len(qi.Fields) == 0 {
					out.Questions.Unchanged++
				} else {
					out.Questions.Changed = append(out.Questions.Changed, qi)
				}
			}
		}
	}
	for _, d := range from.Domains {
		for _, a := range d.Areas {
			if !areaUsed[a.ID] {
				out.Areas.Removed = append(out.Areas.Removed, DiffItem{ID: a.ID, Title: a.Title, Lineage: []string{}})
			}
			for _, qu := range a.Questions {
				if !qUsed[qu.ID] {
					out.Questions.Removed = append(out.Questions.Removed, DiffItem{ID: qu.ID, Area: a.ID, Title: qu.Text, Lineage: []string{}})
				}
			}
		}
	}
	for _, items := range []*DiffItems{&out.Areas, &out.Questions} {
		for _, list := range []*[]DiffItem{&items.Added, &items.Removed, &items.Changed} {
			if *list == nil {
				*list = []DiffItem{}
			}
		}
	}
	return out
}

// resolveLineage is what an item continues: the ids of its lineage that
// the older version has, or the item of the same id when the lineage is
// absent and the older version has one.
func resolveLineage(id string, lineage []string, exists func(string) bool) []string {
	if lineage == nil {
		lineage = []string{id}
	}
	out := []string{}
	for _, l := range lineage {
		if exists(l) {
			out = append(out, l)
		}
	}
	return out
}

// ownLineage is an item's lineage, or nil (the same id) when a version is
// compared with itself.
func ownLineage(self bool, lineage []string) []string {
	if self {
		return nil
	}
	return lineage
}

// lineageFields names a continuation under another id, or of several items.
func lineageFields(id string, lin []string) []string {
	switch {
	case len(lin) > 1:
		return []string{"merged"}
	case lin[0] != id:
		return []string{"id"}
	}
	return nil
}

func areaFields(a, b *Area) []string {
	var f []string
	if a.Title != b.Title || a.ShortTitle != b.ShortTitle {
		f = append(f, "title")
	}
	if a.Topic != b.Topic {
		f = append(f, "topic")
	}
	if a.Weight != b.Weight {
		f = append(f, "weight")
	}
	if a.Theme != b.Theme {
		f = append(f, "theme")
	}
	if (a.Target == nil) != (b.Target == nil) || (a.Target != nil && *a.Target != *b.Target) {
		f = append(f, "target")
	}
	return f
}

func questionFields(a, b *Question) []string {
	var f []string
	if a.Text != b.Text {
		f = append(f, "text")
	}
	if a.Help != b.Help {
		f = append(f, "help")
	}
	if !slices.Equal(a.Levels, b.Levels) {
		f = append(f, "descriptors")
	}
	if a.Weight != b.Weight {
		f = append(f, "weight")
	}
	if a.NAAllowed != b.NAAllowed || !sameNARequires(a.NARequires, b.NARequires) {
		f = append(f, "na")
	}
	if a.Mandatory != b.Mandatory {
		f = append(f, "mandatory")
	}
	if a.Reference != b.Reference {
		f = append(f, "reference")
	}
	sort.Strings(f)
	return f
}

func sameNARequires(a, b *NARequires) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
