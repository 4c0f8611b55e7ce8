package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/version"
)

// Directory is what discovery needs of the membership service.
type Directory interface {
	LocalActor(ctx context.Context, name string) (membership.Actor, error)
	AccountCount(ctx context.Context) (int, error)
}

// Instance describes this instance for NodeInfo.
type Instance struct {
	BaseURL           string // "https://holon.example"
	Host              string // "holon.example"
	Name, Description string
	OpenRegistrations bool
	// Settings, when set, gives the settings admins saved, read at each
	// request; they replace Name, Description and OpenRegistrations.
	Settings Settings
}

// Settings gives the instance's current settings (instance.Service).
type Settings interface {
	Get(ctx context.Context) (instance.Settings, error)
}

type server struct {
	dir  Directory
	inst Instance
}

// Register adds the discovery endpoints to r, the instance's root router.
func Register(r chi.Router, dir Directory, inst Instance) {
	s := &server{dir: dir, inst: inst}
	r.Get("/.well-known/webfinger", s.webfinger)
	r.Get("/.well-known/host-meta", s.hostMeta)
	r.Get("/.well-known/nodeinfo", s.nodeinfoIndex)
	r.Get("/nodeinfo/2.1", s.nodeinfo)
}

// MaxResource bounds the resource parameter of WebFinger.
const MaxResource = 512

// link is one link of a JRD.
type link struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

type jrd struct {
	Subject string   `json:"subject"`
	Aliases []string `json:"aliases"`
	Links   []link   `json:"links"`
}

// webfinger answers for local persons, associations and the instance actor,
// named either as acct:name@host (with or without "acct:", with or without a
// leading "@") or by their actor or profile URL (RFC 7033 §4.5: Mastodon
// looks actors up both ways).
func (s *server) webfinger(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	resource := r.URL.Query().Get("resource")
	if resource == "" || len(resource) > MaxResource {
		http.Error(w, "the resource parameter is required (acct:name@host or an actor URL), at most 512 characters", http.StatusBadRequest)
		return
	}
	name, ok := s.localName(resource)
	if !ok {
		http.Error(w, "no such account on this instance", http.StatusNotFound)
		return
	}
	actor, err := s.dir.LocalActor(r.Context(), name)
	if err != nil {
		if errors.Is(err, membership.ErrActorDeleted) {
			http.Error(w, "this account was deleted", http.StatusGone)
			return
		}
		if core.KindOf(err) == core.KindNotFound {
			http.Error(w, "no such account on this instance", http.StatusNotFound)
			return
		}
		hlog.FromRequest(r).Error().Err(err).Msg("webfinger lookup failed")
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	doc := jrd{
		Subject: "acct:" + actor.Username + "@" + s.inst.Host,
		Aliases: []string{actor.URI},
		Links:   []link{{Rel: "self", Type: "application/activity+json", Href: actor.URI}},
	}
	if actor.Kind != membership.ActorApplication {
		profile := s.inst.BaseURL + "/@" + actor.Username
		doc.Aliases = append(doc.Aliases, profile)
		doc.Links = append([]link{{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: profile}}, doc.Links...)
	}
	writeJSON(w, "application/jrd+json; charset=utf-8", doc)
}

// localName extracts the local name a WebFinger resource designates, if it
// designates one of this instance's actors.
func (s *server) localName(resource string) (string, bool) {
	if strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://") {
		u, err := url.Parse(resource)
		if err != nil || !strings.EqualFold(u.Host, s.inst.Host) {
			return "", false
		}
		switch {
		case strings.HasPrefix(u.Path, "/actors/"):
			return strings.TrimPrefix(u.Path, "/actors/"), true
		case strings.HasPrefix(u.Path, "/@"):
			return strings.TrimPrefix(u.Path, "/@"), true
		}
		return "", false
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@")
	name, host, found := strings.Cut(acct, "@")
	// Hosts are case-insensitive (RFC 4343); so are Holon's names, and the
	// instance actor is named after the host itself.
	if !found || !strings.EqualFold(host, s.inst.Host) {
		return "", false
	}
	if strings.EqualFold(name, s.inst.Host) {
		return s.inst.Host, true
	}
	n, fe := membership.NormalizeName("name", name)
	return n, fe == nil
}

// hostMeta points older software (and Mastodon's first lookup) at WebFinger.
func (s *server) hostMeta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s/.well-known/webfinger?resource={uri}"/>
</XRD>
`, html.EscapeString(s.inst.BaseURL))
}

// NodeInfoSchema is the NodeInfo version Holon serves.
const NodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

func (s *server) nodeinfoIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, "application/json", map[string]any{
		"links": []link{{Rel: NodeInfoSchema, Href: s.inst.BaseURL + "/nodeinfo/2.1"}},
	})
}

type nodeInfo struct {
	Version           string         `json:"version"`
	Software          software       `json:"software"`
	Protocols         []string       `json:"protocols"`
	Services          services       `json:"services"`
	OpenRegistrations bool           `json:"openRegistrations"`
	Usage             usage          `json:"usage"`
	Metadata          map[string]any `json:"metadata"`
}

type software struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository"`
	Homepage   string `json:"homepage"`
}

type services struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

type usage struct {
	Users struct {
		Total int `json:"total"`
	} `json:"users"`
}

func (s *server) nodeinfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	n, err := s.dir.AccountCount(r.Context())
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("nodeinfo: count accounts")
		http.Error(w, "nodeinfo unavailable", http.StatusInternalServerError)
		return
	}
	doc := nodeInfo{
		Version:           "2.1",
		Software:          software{Name: version.Software, Version: version.Version, Repository: version.Repository, Homepage: version.Repository},
		Protocols:         []string{"activitypub"},
		Services:          services{Inbound: []string{}, Outbound: []string{}},
		OpenRegistrations: s.inst.OpenRegistrations,
		Metadata:          map[string]any{"nodeName": s.inst.Name, "nodeDescription": s.inst.Description},
	}
	if s.inst.Settings != nil {
		set, err := s.inst.Settings.Get(r.Context())
		if err != nil {
			hlog.FromRequest(r).Error().Err(err).Msg("nodeinfo: read the instance settings")
			http.Error(w, "nodeinfo unavailable", http.StatusInternalServerError)
			return
		}
		doc.OpenRegistrations, doc.Metadata = s.metadata(set)
	}
	doc.Usage.Users.Total = n
	writeJSON(w, `application/json; profile="`+NodeInfoSchema+`#"`, doc)
}

// metadata describes the instance as its admins set it: name,
// description, languages, rules, privacy policy and contact, under the
// keys other software reads (Misskey's maintainer and privacyPolicyUrl
// among them). Registrations count as open unless closed, approval
// included, as Mastodon counts them.
func (s *server) metadata(set instance.Settings) (bool, map[string]any) {
	rules := make([]map[string]string, 0, len(set.Rules))
	for _, r := range set.Rules {
		rules = append(rules, map[string]string{"id": r.ID, "text": r.Text})
	}
	contact := map[string]string{"email": set.ContactEmail, "account": ""}
	if set.ContactAccount != "" {
		contact["account"] = s.inst.BaseURL + "/@" + set.ContactAccount
	}
	return set.Registrations != membership.RegistrationsClosed, map[string]any{
		"nodeName":         set.Name,
		"nodeDescription":  set.ShortDescription,
		"languages":        set.Languages,
		"rules":            rules,
		"privacyPolicyUrl": s.inst.BaseURL + "/privacy-policy",
		"aboutUrl":         s.inst.BaseURL + "/about",
		"contact":          contact,
		"maintainer":       map[string]string{"name": set.ContactAccount, "email": set.ContactEmail},
		"registrations":    set.Registrations,
		"approvalRequired": set.Registrations == membership.RegistrationsApproval,
	}
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "max-age=300")
	_, _ = w.Write(b)
}
