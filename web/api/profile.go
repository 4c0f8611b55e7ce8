package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/problem"
)

// fieldJSON is one profile field: a local owner's plain-text name and
// value, as written.
type fieldJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func renderFields(list []membership.ProfileField) []fieldJSON {
	out := make([]fieldJSON, len(list))
	for i, f := range list {
		out[i] = fieldJSON{Name: f.Name, Value: f.Value}
	}
	return out
}

func fieldsIn(list *[]fieldJSON) *[]membership.ProfileField {
	if list == nil {
		return nil
	}
	out := make([]membership.ProfileField, len(*list))
	for i, f := range *list {
		out[i] = membership.ProfileField{Name: f.Name, Value: f.Value}
	}
	return &out
}

// renderMe renders the caller's account with its actor's profile.
func (h *handlers) renderMe(r *http.Request, acc membership.Account) (accountJSON, error) {
	out := renderAccount(acc)
	a, err := h.members.LocalActor(r.Context(), acc.Username)
	if err != nil {
		return accountJSON{}, err
	}
	out.Fields, out.AvatarURL = renderFields(a.Fields), optString(a.IconURL)
	return out, nil
}

// accountPatch is the body of PATCH /accounts/me; absent fields stay.
type accountPatch struct {
	DisplayName *string      `json:"display_name"`
	Email       *string      `json:"email"`
	Locale      *string      `json:"locale"`
	Fields      *[]fieldJSON `json:"fields"`
}

func (h *handlers) updateMe(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in accountPatch
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	acc, err = h.members.UpdateProfile(r.Context(), acc, membership.ProfileChange{
		DisplayName: in.DisplayName, Email: in.Email, Locale: in.Locale, Fields: fieldsIn(in.Fields)})
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeMe(w, r, acc)
}

func (h *handlers) writeMe(w http.ResponseWriter, r *http.Request, acc membership.Account) {
	out, err := h.renderMe(r, acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

// accountDeletion is the body of DELETE /accounts/me.
type accountDeletion struct {
	Password string `json:"password"`
}

// deleteMe deletes the caller's account, once its password confirms it.
func (h *handlers) deleteMe(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in accountDeletion
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	if err := h.members.DeleteOwnAccount(r.Context(), acc, in.Password); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// putMyAvatar sets the caller's avatar from the image in the body.
func (h *handlers) putMyAvatar(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	img, ok := readImage(w, r)
	if !ok {
		return
	}
	if _, err := h.members.SetAvatar(r.Context(), acc, acc.Username, img); err != nil {
		fail(w, r, err)
		return
	}
	h.writeMe(w, r, acc)
}

// putAssociationAvatar sets an association's avatar; its board only.
func (h *handlers) putAssociationAvatar(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	name := chi.URLParam(r, "name")
	a, err := h.members.Association(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	img, ok := readImage(w, r)
	if !ok {
		return
	}
	if _, err := h.members.SetAvatar(r.Context(), acc, a.Name, img); err != nil {
		fail(w, r, err)
		return
	}
	out, err := h.renderCounted(r, a)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

// readImage reads an image sent as the raw body (Content-Type image/png or
// image/jpeg), at most membership.MaxAvatarBytes. It answers and returns
// false when the body is not one.
func readImage(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "image/png" && mt != "image/jpeg") {
		problem.Write(w, problem.Problem{Type: problem.TypePrefix + "unsupported-media-type", Title: http.StatusText(http.StatusUnsupportedMediaType),
			Status: http.StatusUnsupportedMediaType, Detail: "send the image itself as the body, with Content-Type: image/png or image/jpeg", Code: "unsupported-media-type"})
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, membership.MaxAvatarBytes+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || len(body) > membership.MaxAvatarBytes:
		fail(w, r, membership.ErrAvatarTooLarge)
		return nil, false
	case err != nil:
		fail(w, r, core.New(core.KindInvalid, "unreadable-body", "the image could not be read"))
		return nil, false
	}
	return body, true
}
