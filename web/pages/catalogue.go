package pages

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/projects"
)

// NetworkCatalogue lists the open tasks of partner associations, on other
// servers, for the catalogue page's network part (DESIGN §4, partners).
// The pages show what it returns and nothing else: until federation
// provides it (Deps.Network), the catalogue lists this instance's tasks.
type NetworkCatalogue interface {
	PartnerTasks(ctx context.Context, q projects.CatalogueQuery) ([]PartnerTask, error)
}

// PartnerTask is a partner's open task as the catalogue lists it.
type PartnerTask struct {
	ID          uuid.UUID // the copy kept here, whose page is /tasks/{id}; nil links to URI
	URI         string    // the task's id, on its server
	Name        string
	Association string // the partner, as name@host
	Category    string
	Budget      int64 // minor units of Currency
	Currency    string
}

// Path is the task's page here, or "" when it has none.
func (t PartnerTask) Path() string {
	if t.ID == uuid.Nil {
		return ""
	}
	return "/tasks/" + t.ID.String()
}

// catalogueFields are the filters of the catalogue.
var catalogueFields = []string{"category", "tag", "place", "min_budget", "max_budget", "association"}

func init() {
	for name, max := range map[string]int{"tag": projects.MaxTag + 1, "min_budget": 32, "max_budget": 32,
		"association": 64} {
		fieldMax[name] = max
	}
}

// catalogueItem is one open task with its project and association.
type catalogueItem struct {
	projects.Task
	ProjectName     string
	AssociationName string
	AssociationPath string
}

type cataloguePage struct {
	frame
	Filter     *form
	Categories []string
	Tasks      []catalogueItem
	Next       string
	// Network is nil when there is no network catalogue; NetworkDown says
	// that the partners could not be listed this time.
	Network     []PartnerTask
	HasNetwork  bool
	NetworkDown bool
}

// cataloguePage lists open tasks, newest first, filtered by category, tag,
// budget, place and association.
func (s *server) cataloguePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := newForm(catalogueFields...)
	q := r.URL.Query()
	for _, name := range catalogueFields {
		if v := q.Get(name); v != "" {
			if len([]rune(v)) > fieldMax[name] {
				f.fail(core.FieldError{Field: name, Code: codeTooLong})
				continue
			}
			f.Values[name] = v
		}
	}
	p := &cataloguePage{Filter: f, Categories: projects.Categories, HasNetwork: s.network != nil}
	query := projects.CatalogueQuery{Status: projects.TaskOpen, Association: f.Value("association"), Category: f.Value("category"),
		Tag: f.Value("tag"), Place: f.Value("place"), MinBudget: decimalInput(f.Value("min_budget")),
		MaxBudget: decimalInput(f.Value("max_budget")), Limit: 30}
	query.Cursor, _ = uuid.Parse(q.Get("before"))
	if !f.Invalid() {
		list, next, err := s.projects.Catalogue(ctx, query)
		if err != nil {
			if core.KindOf(err) == core.KindNotFound {
				err = core.Invalid(core.FieldError{Field: "association", Code: "association-not-found"})
			}
			if !f.take(err) {
				s.fail(w, r, err)
				return
			}
		}
		names := s.namer(ctx)
		associations := map[uuid.UUID]string{}
		for _, t := range list {
			item := catalogueItem{Task: t, ProjectName: names.project(t.ProjectID)}
			name, seen := associations[t.AssociationID]
			if !seen {
				if a, err := s.projects.AssociationOf(ctx, t.AssociationID); err == nil {
					name = a.Name
				}
				associations[t.AssociationID] = name
			}
			item.AssociationName, item.AssociationPath = name, "/@"+name
			p.Tasks = append(p.Tasks, item)
		}
		if next != uuid.Nil {
			u := *r.URL
			v := u.Query()
			v.Set("before", next.String())
			u.RawQuery = v.Encode()
			p.Next = u.RequestURI()
		}
	}
	if s.network != nil && !f.Invalid() {
		partners, err := s.network.PartnerTasks(ctx, query)
		if err != nil {
			// The local catalogue stands without the partners'.
			hlog.FromRequest(r).Warn().Err(err).Msg("network catalogue")
			p.NetworkDown = true
		}
		p.Network = partners
	}
	s.render(w, r, f.Status(), "catalogue", p)
}
