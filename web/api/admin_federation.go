package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/web/problem"
)

// The federation policy beyond blocks (issue 9): the severity of a block,
// the mode and its allowlist, and Mastodon's CSV of blocks.

type federationModeJSON struct {
	Mode   string `json:"mode"`
	Locked bool   `json:"locked"`
}

type federationModeRequest struct {
	Mode    string `json:"mode"`
	Confirm bool   `json:"confirm"`
}

type domainBlockChange struct {
	Severity       *string `json:"severity"`
	PublicComment  *string `json:"public_comment"`
	PrivateComment *string `json:"private_comment"`
	Confirm        bool    `json:"confirm"`
}

type domainAllowJSON struct {
	Domain    string `json:"domain"`
	Comment   string `json:"comment"`
	CreatedAt string `json:"created_at"`
}

type domainAllowRequest struct {
	Domain  string `json:"domain"`
	Comment string `json:"comment"`
	Confirm bool   `json:"confirm"`
}

func (h *handlers) updateDomainBlock(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in domainBlockChange
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	b, err := h.domains.UpdateBlock(r.Context(), by, chi.URLParam(r, "domain"), domains.BlockChange{Severity: in.Severity,
		PublicComment: in.PublicComment, PrivateComment: in.PrivateComment, Confirm: in.Confirm})
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderDomainBlock(b))
}

// exportDomainBlocks answers the blocks as Mastodon exports them.
func (h *handlers) exportDomainBlocks(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := h.domains.Export(r.Context(), by, &buf); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="domain_blocks.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// importDomainBlocks blocks the domains of a CSV list sent as the body
// (text/csv, or text/plain for one domain a line), all or nothing;
// ?confirm=true goes on though suspensions cut off remote members.
func (h *handlers) importDomainBlocks(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "text/csv" && mt != "text/plain") {
		problem.Write(w, problem.Problem{Type: problem.TypePrefix + "unsupported-media-type", Title: http.StatusText(http.StatusUnsupportedMediaType),
			Status: http.StatusUnsupportedMediaType, Code: "unsupported-media-type",
			Detail: fmt.Sprintf("send the list as text/csv (or text/plain, one domain a line), not %q", ct)})
		return
	}
	// web.limitBody bounds the body already; over its limit is too large
	// a list, not a failure of ours.
	body, err := io.ReadAll(io.LimitReader(r.Body, domains.MaxImportBytes+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = domains.ErrImportTooLarge
		}
		fail(w, r, err)
		return
	}
	out, err := h.domains.Import(r.Context(), by, bytes.NewReader(body), confirmed(r))
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

// confirmed tells whether the request's query says confirm=true.
func confirmed(r *http.Request) bool {
	v := strings.ToLower(r.URL.Query().Get("confirm"))
	return v == "true" || v == "1"
}

func (h *handlers) federationMode(w http.ResponseWriter, r *http.Request) {
	if _, err := admin(r); err != nil {
		fail(w, r, err)
		return
	}
	mode, locked, err := h.domains.Mode(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, federationModeJSON{Mode: mode, Locked: locked})
}

func (h *handlers) setFederationMode(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in federationModeRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	if err := h.domains.SetMode(r.Context(), by, in.Mode, in.Confirm); err != nil {
		fail(w, r, err)
		return
	}
	mode, locked, err := h.domains.Mode(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, federationModeJSON{Mode: mode, Locked: locked})
}

func renderDomainAllow(a domains.Allow) domainAllowJSON {
	return domainAllowJSON{Domain: a.Domain, Comment: a.Comment, CreatedAt: timestamp(a.CreatedAt)}
}

func (h *handlers) listDomainAllows(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.domains.Allows(r.Context(), by)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]domainAllowJSON, len(list))
	for i, a := range list {
		items[i] = renderDomainAllow(a)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

// allowDomain adds a domain to the allowlist. confirm is accepted for
// symmetry with the other changes; an allow cuts no one off.
func (h *handlers) allowDomain(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in domainAllowRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.domains.Allow(r.Context(), by, domains.NewAllow{Domain: in.Domain, Comment: in.Comment})
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/admin/domain-allows/"+a.Domain, renderDomainAllow(a))
}

func (h *handlers) disallowDomain(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.domains.Disallow(r.Context(), by, chi.URLParam(r, "domain"), confirmed(r)); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
