package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
)

// Deps is what the pages are built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	Log     zerolog.Logger
}

// New returns the HTML pages' router.
func New(d Deps) (http.Handler, error) {
	r := chi.NewRouter()
	return r, nil
}
