package api

import (
	_ "embed"
	"net/http"
)

// openAPI describes every route of the API; TestOpenAPI_MatchesRouter keeps
// it true to the router.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
}
