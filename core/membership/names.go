package membership

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// MaxNameLength bounds person and association names.
const MaxNameLength = 30

// NormalizeName lowers name and checks it is 1 to 30 of a-z, 0-9 and _.
// Names are unique case-insensitively, so "Commons" and "commons" are one.
func NormalizeName(field, name string) (string, *core.FieldError) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return "", &core.FieldError{Field: field, Code: "required", Detail: "a name is required"}
	}
	if len(n) > MaxNameLength {
		return "", &core.FieldError{Field: field, Code: "too-long", Detail: "at most 30 characters"}
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "", &core.FieldError{Field: field, Code: "bad-characters", Detail: "only letters a to z, digits and _ are allowed"}
		}
	}
	return n, nil
}

// checkText trims s and checks it holds at most max characters (and at
// least one when required).
func checkText(field, s string, max int, required bool) (string, *core.FieldError) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", &core.FieldError{Field: field, Code: "bad-encoding", Detail: "must be valid UTF-8 text"}
	}
	if required && s == "" {
		return "", &core.FieldError{Field: field, Code: "required", Detail: "this field is required"}
	}
	if utf8.RuneCountInString(s) > max {
		return "", &core.FieldError{Field: field, Code: "too-long", Detail: "too long"}
	}
	return s, nil
}

func normalizeEmail(s string) (string, *core.FieldError) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", &core.FieldError{Field: "email", Code: "required", Detail: "an e-mail address is required"}
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		return "", &core.FieldError{Field: "email", Code: "invalid-email", Detail: "not a valid e-mail address"}
	}
	return s, nil
}

// Locales Holon speaks.
var Locales = []string{"en", "fr"}

func checkLocale(s string) (string, *core.FieldError) {
	for _, l := range Locales {
		if s == l {
			return s, nil
		}
	}
	return "", &core.FieldError{Field: "locale", Code: "unknown-locale", Detail: "must be en or fr"}
}

// fieldErrors collects field errors so that a form is answered with every
// problem at once.
type fieldErrors []core.FieldError

func (f *fieldErrors) add(e *core.FieldError) {
	if e != nil {
		*f = append(*f, *e)
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return core.Invalid(f...)
}

// claimName takes name in the name space shared by persons and
// associations, within the transaction that creates its holder.
func claimName(ctx context.Context, tx store.Tx, name, kind string, at time.Time) error {
	err := tx.ClaimName(ctx, name, kind, at)
	if errors.Is(err, store.ErrDuplicate) {
		return ErrNameTaken
	}
	return err
}
