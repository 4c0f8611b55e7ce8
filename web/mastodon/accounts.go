package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/oauth"
)

// The account routes (Mastodon's /api/v1/accounts…): one's own account,
// others' profiles, following and unfollowing, followers and follows.

// refuseCore answers a refusal of core as Mastodon answers its own: 422
// for invalid input, 403, 404 (Record not found) and 409; anything else
// is a failure, logged.
func (h *handlers) refuseCore(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := core.As(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	switch e.Kind {
	case core.KindInvalid, core.KindTooLarge:
		msg := "Validation failed: " + e.Detail
		if len(e.Fields) > 0 {
			parts := make([]string, len(e.Fields))
			for i, f := range e.Fields {
				parts[i] = f.Field + " " + f.Detail
			}
			msg = "Validation failed: " + strings.Join(parts, ", ")
		}
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: msg})
	case core.KindNotFound:
		notFound(w, r)
	case core.KindForbidden:
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: "This action is not allowed"})
	case core.KindConflict:
		writeJSON(w, r, http.StatusConflict, errorJSON{Error: e.Detail})
	case core.KindUnavailable:
		writeJSON(w, r, http.StatusServiceUnavailable, errorJSON{Error: e.Detail})
	default:
		h.fail(w, r, err)
	}
}

// actorParam returns the live actor whose id the route's {id} is: an
// unknown, malformed, deleted or suspended one is answered 404, as
// Mastodon answers an unknown account.
func (h *handlers) actorParam(w http.ResponseWriter, r *http.Request) (membership.Actor, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		notFound(w, r)
		return membership.Actor{}, false
	}
	a, err := h.members.ActorByID(r.Context(), id)
	if err != nil {
		h.refuseCore(w, r, err)
		return membership.Actor{}, false
	}
	return a, true
}

// ownActor returns the actor of acc (its local person).
func (h *handlers) ownActor(w http.ResponseWriter, r *http.Request, acc membership.Account) (membership.Actor, bool) {
	a, err := h.members.LocalActor(r.Context(), acc.Username)
	if err != nil {
		h.fail(w, r, fmt.Errorf("actor of %s: %w", acc.Username, err))
		return membership.Actor{}, false
	}
	return a, true
}

// credentialAccount is the account with what only its owner sees: the
// plain-text sources of the profile and the instance role.
func (h *handlers) credentialAccount(w http.ResponseWriter, r *http.Request, acc membership.Account) {
	a, ok := h.ownActor(w, r, acc)
	if !ok {
		return
	}
	out, err := h.accountOf(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	requests, err := h.members.RequestsToBoard(r.Context(), acc, membership.MaxPageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fields := make([]fieldJSON, 0, len(a.Fields))
	for _, f := range a.Fields {
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.Value})
	}
	out.Source = &sourceJSON{Privacy: "public", Language: acc.Locale, Note: a.Summary, Fields: fields,
		FollowRequestsCount: len(requests)}
	out.Role = roleOf(acc)
	writeJSON(w, r, http.StatusOK, out)
}

// roleOf is the account's instance role as Mastodon 4's Role entity: an
// everyday user's is the nameless role -99; the administrator bit (1) of
// permissions is what clients test to show their admin screens.
func roleOf(acc membership.Account) *roleJSON {
	switch acc.Role {
	case membership.RoleAdmin:
		return &roleJSON{ID: "3", Name: "Admin", Permissions: "1", Highlighted: true}
	case membership.RoleModerator:
		return &roleJSON{ID: "1", Name: "Moderator", Permissions: "0", Highlighted: true}
	}
	return &roleJSON{ID: "-99", Name: "", Permissions: "65536"}
}

func (h *handlers) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, oauth.ScopeProfile)
	if !ok {
		return
	}
	h.credentialAccount(w, r, acc)
}

// Bounds on an update of credentials: an avatar and a header (read and
// left, Holon has no headers) and a little more for the other fields;
// fields_attributes indexes.
const (
	maxCredentialsBody = 2*membership.MaxAvatarBytes + 256<<10
	maxFieldIndex      = 16
)

// credentialsChange is update_credentials' input, from a form (multipart
// or urlencoded) or from JSON.
type credentialsChange struct {
	DisplayName *string `json:"display_name"`
	Note        *string `json:"note"`
	// FieldsAttributes is an array or an object keyed by index in JSON.
	FieldsAttributes json.RawMessage `json:"fields_attributes"`
	fields           *[]membership.ProfileField
	avatar           []byte
}

type fieldAttributes struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

var fieldKey = regexp.MustCompile(`^fields_attributes\[(\d+)\]\[(name|value)\]$`)

// updateCredentials changes the profile: display name, bio, fields,
// avatar. locked, bot, discoverable, header and source[…] are accepted
// and left as they are: a person here is followed without approval, is
// no bot, and has no header nor posting defaults to keep.
func (h *handlers) updateCredentials(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:accounts")
	if !ok {
		return
	}
	in, err := readCredentials(w, r)
	if err != nil {
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + err.Error()})
		return
	}
	ch := membership.ProfileChange{DisplayName: in.DisplayName, Note: in.Note, Fields: in.fields}
	if ch.DisplayName != nil || ch.Note != nil || ch.Fields != nil {
		if _, err := h.members.UpdateProfile(r.Context(), acc, ch); err != nil {
			h.refuseCore(w, r, err)
			return
		}
	}
	if in.avatar != nil {
		if _, err := h.members.SetAvatar(r.Context(), acc, acc.Username, in.avatar); err != nil {
			h.refuseCore(w, r, err)
			return
		}
	}
	h.credentialAccount(w, r, acc)
}

func readCredentials(w http.ResponseWriter, r *http.Request) (credentialsChange, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxCredentialsBody)
	var in credentialsChange
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil && !errors.Is(err, io.EOF) {
			return in, fmt.Errorf("unreadable JSON")
		}
		fields, err := jsonFields(in.FieldsAttributes)
		in.fields = fields
		return in, err
	}
	var form url.Values
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxCredentialsBody); err != nil {
			return in, fmt.Errorf("unreadable form")
		}
		form = r.MultipartForm.Value
		if files := r.MultipartForm.File["avatar"]; len(files) > 0 {
			f, err := files[0].Open()
			if err != nil {
				return in, fmt.Errorf("unreadable avatar")
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, membership.MaxAvatarBytes+1))
			if err != nil {
				return in, fmt.Errorf("unreadable avatar")
			}
			if len(data) > membership.MaxAvatarBytes {
				return in, fmt.Errorf("avatar too large")
			}
			in.avatar = data
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return in, fmt.Errorf("unreadable form")
		}
		form = r.PostForm
	}
	if v, ok := form["display_name"]; ok && len(v) > 0 {
		in.DisplayName = &v[0]
	}
	if v, ok := form["note"]; ok && len(v) > 0 {
		in.Note = &v[0]
	}
	byIndex := map[int]*fieldAttributes{}
	for k, v := range form {
		m := fieldKey.FindStringSubmatch(k)
		if m == nil || len(v) == 0 {
			continue
		}
		i, err := strconv.Atoi(m[1])
		if err != nil || i > maxFieldIndex {
			return in, fmt.Errorf("too many fields")
		}
		if byIndex[i] == nil {
			byIndex[i] = &fieldAttributes{}
		}
		if m[2] == "name" {
			byIndex[i].Name = v[0]
		} else {
			byIndex[i].Value = v[0]
		}
	}
	if len(byIndex) > 0 {
		idx := make([]int, 0, len(byIndex))
		for i := range byIndex {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		fields := make([]membership.ProfileField, 0, len(idx))
		for _, i := range idx {
			fields = append(fields, membership.ProfileField{Name: byIndex[i].Name, Value: byIndex[i].Value})
		}
		in.fields = &fields
	}
	return in, nil
}

// jsonFields reads fields_attributes as clients send it in JSON: an array,
// or an object keyed by index ("0", "1"…), as Rails reads both.
func jsonFields(raw json.RawMessage) (*[]membership.ProfileField, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []fieldAttributes
	if err := json.Unmarshal(raw, &list); err != nil {
		var byKey map[string]fieldAttributes
		if err := json.Unmarshal(raw, &byKey); err != nil {
			return nil, fmt.Errorf("unreadable fields_attributes")
		}
		idx := make([]int, 0, len(byKey))
		for k := range byKey {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i > maxFieldIndex {
				return nil, fmt.Errorf("too many fields")
			}
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			list = append(list, byKey[strconv.Itoa(i)])
		}
	}
	if len(list) > maxFieldIndex {
		return nil, fmt.Errorf("too many fields")
	}
	fields := make([]membership.ProfileField, len(list))
	for i, f := range list {
		fields[i] = membership.ProfileField{Name: f.Name, Value: f.Value}
	}
	return &fields, nil
}

// writeAccount answers a as an Account.
func (h *handlers) writeAccount(w http.ResponseWriter, r *http.Request, a membership.Actor) {
	out, err := h.accountOf(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

// showAccount is a profile: public, as Mastodon's.
func (h *handlers) showAccount(w http.ResponseWriter, r *http.Request) {
	a, ok := h.actorParam(w, r)
	if !ok {
		return
	}
	h.writeAccount(w, r, a)
}

// lookupAccount finds an account by its acct (name, or name@host). A
// known actor answers at once; an unknown remote one is looked up on its
// server for a signed-in person only, so that visitors cannot make this
// instance fetch.
func (h *handlers) lookupAccount(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimPrefix(strings.TrimSpace(r.URL.Query().Get("acct")), "@")
	if q == "" || len(q) > 500 {
		notFound(w, r)
		return
	}
	name, host, _ := strings.Cut(q, "@")
	a, err := h.members.ActorByHandle(r.Context(), name, host)
	if errors.Is(err, membership.ErrNoSuchActor) && host != "" && h.remote != nil && viewer(r, "read:accounts") != nil {
		a, err = h.remote.Lookup(r.Context(), q)
		if err != nil {
			notFound(w, r) // unreachable, unknown or refused: not found, as Mastodon says
			return
		}
	}
	if err != nil {
		h.refuseCore(w, r, err)
		return
	}
	h.writeAccount(w, r, a)
}

// follow makes the person follow the account: a person or an association,
// here or elsewhere. The answer is the relationship, requested while the
// follow waits for approval.
func (h *handlers) follow(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:follows")
	if !ok {
		return
	}
	a, ok := h.actorParam(w, r)
	if !ok {
		return
	}
	if _, err := h.members.Follow(r.Context(), acc, a); errors.Is(err, membership.ErrFollowSelf) {
		// Mastodon refuses following oneself as a forbidden action.
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: "This action is not allowed"})
		return
	} else if err != nil {
		h.refuseCore(w, r, err)
		return
	}
	h.writeRelationship(w, r, acc, a.ID)
}

// unfollow ends the person's follow of the account, pending or accepted;
// not following is no error, as in Mastodon.
func (h *handlers) unfollow(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:follows")
	if !ok {
		return
	}
	a, ok := h.actorParam(w, r)
	if !ok {
		return
	}
	f, err := h.members.FollowOf(r.Context(), acc, a.ID)
	if err == nil {
		err = h.members.Unfollow(r.Context(), acc, f.ID)
	}
	if err != nil && !errors.Is(err, membership.ErrNoSuchFollow) {
		h.refuseCore(w, r, err)
		return
	}
	h.writeRelationship(w, r, acc, a.ID)
}

func (h *handlers) followers(w http.ResponseWriter, r *http.Request) { h.follows(w, r, true) }
func (h *handlers) following(w http.ResponseWriter, r *http.Request) { h.follows(w, r, false) }

// follows lists an account's followers or follows, newest first, paged by
// follow id with Mastodon's Link header. A remote account's are those
// known here.
func (h *handlers) follows(w http.ResponseWriter, r *http.Request, followers bool) {
	if _, found := auth.From(r.Context()); found && viewer(r, "read:accounts") == nil {
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: errOutsideScope})
		return
	}
	a, ok := h.actorParam(w, r)
	if !ok {
		return
	}
	win := pageWindow(r, defaultAccountsLimit, membership.MaxActorsAtOnce)
	edges, err := h.members.FollowEdges(r.Context(), a.ID, followers, win)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ids := make([]uuid.UUID, len(edges))
	for i, e := range edges {
		ids[i] = e.Actor
	}
	actors, err := h.members.ActorsByID(r.Context(), ids)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.accountsOf(r.Context(), actors)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(edges) > 0 {
		h.linkHeader(w, r, edges[len(edges)-1].ID.String(), edges[0].ID.String())
	}
	writeJSON(w, r, http.StatusOK, list)
}
