package api

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// accountJSON is a person's own account, as only they see it.
type accountJSON struct {
	ID          uuid.UUID   `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Email       string      `json:"email"`
	Locale      string      `json:"locale"`
	Role        string      `json:"role"`
	Status      string      `json:"status"`
	CreatedAt   string      `json:"created_at"`
	Fields      []fieldJSON `json:"fields"`
	AvatarURL   *string     `json:"avatar_url"`
}

func renderAccount(a membership.Account) accountJSON {
	return accountJSON{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Email: a.Email,
		Locale: a.Locale, Role: a.Role, Status: a.Status, CreatedAt: timestamp(a.CreatedAt), Fields: []fieldJSON{}}
}

// getMe answers the caller's account, as the credentials resolved it: a
// script's way to check its token.
func (h *handlers) getMe(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeMe(w, r, acc)
}
