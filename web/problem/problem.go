// Package problem maps errors to what HTTP clients are told: a status, a
// stable problem type (RFC 9457) and a detail safe to show. It is the one
// place where core error kinds meet HTTP status codes; the JSON API writes
// the result as application/problem+json, the HTML pages as a translated
// page. It never shows an unexpected error's text: that goes to the log.
package problem

import (
	"encoding/json"
	"net/http"

	"github.com/holon-network/holon/core"
)

// TypePrefix starts every problem type: a tag URI (RFC 4151), stable and
// not meant to be fetched. The code follows it: "…:problem/name-taken".
const TypePrefix = "tag:holon.social,2026:problem/"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Code   string            `json:"code"`
	Errors []core.FieldError `json:"errors,omitempty"`
	// Proposal, on a refusal that a decision of the members can overcome
	// (an allocation above what the board may do alone…), is how to ask
	// for that decision: the proposal ready to send, and where.
	Proposal any `json:"proposal,omitempty"`
	// Affected, on a change of the federation policy that would cut off
	// remote members (federation-cuts-members), lists them.
	Affected any `json:"affected,omitempty"`
}

// From describes err. Unexpected errors (not a core.Error) become a 500
// whose detail says nothing of the cause.
func From(err error) Problem {
	e, ok := core.As(err)
	if !ok {
		return Problem{Type: TypePrefix + "internal", Title: http.StatusText(500), Status: 500,
			Detail: "something went wrong on our side; it has been logged", Code: "internal"}
	}
	status := Status(e.Kind)
	return Problem{Type: TypePrefix + e.Code, Title: http.StatusText(status), Status: status,
		Detail: e.Detail, Code: e.Code, Errors: e.Fields}
}

// Status maps a kind of failure to its HTTP status.
func Status(k core.Kind) int {
	switch k {
	case core.KindInvalid:
		return http.StatusBadRequest
	case core.KindUnauthenticated:
		return http.StatusUnauthorized
	case core.KindForbidden:
		return http.StatusForbidden
	case core.KindNotFound:
		return http.StatusNotFound
	case core.KindConflict:
		return http.StatusConflict
	case core.KindRateLimited:
		return http.StatusTooManyRequests
	case core.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case core.KindUnavailable:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// Write sends p as application/problem+json.
func Write(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="holon"`)
	}
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
