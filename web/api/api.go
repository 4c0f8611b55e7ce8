package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/problem"
)

// Prefix is where the native API is mounted.
const Prefix = "/api/holon/v1"

// Deps is what the API is built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	Log     zerolog.Logger
}

// New returns the API's router, to be mounted at Prefix.
func New(d Deps) http.Handler {
	r := chi.NewRouter()
	return r
}

// AuthFailed answers a request whose credentials were refused.
func AuthFailed(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, problem.From(err))
}
