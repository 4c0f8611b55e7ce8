package problem

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/holon-network/holon/core"
)

func TestFrom(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
	}{
		{"invalid", core.Invalid(core.FieldError{Field: "name", Code: "required"}), 400, "invalid-input"},
		{"unauthenticated", core.New(core.KindUnauthenticated, "unauthenticated", "log in"), 401, "unauthenticated"},
		{"forbidden", core.New(core.KindForbidden, "board-only", "board only"), 403, "board-only"},
		{"not found, wrapped", fmt.Errorf("ctx: %w", core.New(core.KindNotFound, "association-not-found", "no")), 404, "association-not-found"},
		{"conflict", core.New(core.KindConflict, "name-taken", "taken"), 409, "name-taken"},
		{"too large", core.New(core.KindTooLarge, "too-large", "big"), 413, "too-large"},
		{"rate limited", core.New(core.KindRateLimited, "too-many-attempts", "wait"), 429, "too-many-attempts"},
		{"unexpected", errors.New("pq: password=secret connection refused"), 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := From(tt.err)
			if p.Status != tt.wantStatus || p.Code != tt.wantCode || p.Type != TypePrefix+tt.wantCode {
				t.Fatalf("got %+v", p)
			}
			if strings.Contains(p.Detail, "secret") {
				t.Fatalf("an internal error's text leaked: %q", p.Detail)
			}
		})
	}
}
