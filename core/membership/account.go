package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Instance roles of an account.
const (
	RoleAdmin     = "admin"
	RoleModerator = "moderator"
	RoleUser      = "user"
)

// Account states.
const (
	AccountActive    = "active"
	AccountPending   = "pending"
	AccountSuspended = "suspended"
)

// Account is a local person.
type Account struct {
	ID          uuid.UUID
	Username    string
	DisplayName string
	Email       string
	Locale      string
	Role        string
	Status      string
	CreatedAt   time.Time
}

// IsAdmin reports whether a administers the instance.
func (a Account) IsAdmin() bool { return a.Role == RoleAdmin && a.Status == AccountActive }

func accountFrom(r store.Account) Account {
	return Account{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Email: r.Email,
		Locale: r.Locale, Role: r.Role, Status: r.Status, CreatedAt: r.CreatedAt}
}

// NewAccount is what a sign-up form or an admin gives.
type NewAccount struct {
	Username    string
	DisplayName string
	Email       string
	Password    string
	Locale      string
}

// SignUp creates an account through the public sign-up, as the instance's
// registration mode allows: active when open, pending an admin's approval
// when by approval, refused when closed.
func (s *Service) SignUp(ctx context.Context, in NewAccount) (Account, error) {
	status := AccountActive
	p, err := s.LivePolicy(ctx)
	if err != nil {
		return Account{}, err
	}
	switch p.Registrations {
	case RegistrationsClosed:
		return Account{}, ErrRegistrationsOff
	case RegistrationsApproval:
		status = AccountPending
	}
	return s.createAccount(ctx, in, RoleUser, status)
}

// CreateAccount creates an active account with role, whatever the
// registration mode: it is for administrators and the command line.
func (s *Service) CreateAccount(ctx context.Context, in NewAccount, role string) (Account, error) {
	switch role {
	case RoleAdmin, RoleModerator, RoleUser:
	default:
		return Account{}, core.Invalid(core.FieldError{Field: "role", Code: "unknown-role", Detail: "must be admin, moderator or user"})
	}
	return s.createAccount(ctx, in, role, AccountActive)
}

func (s *Service) createAccount(ctx context.Context, in NewAccount, role, status string) (Account, error) {
	var fe fieldErrors
	name, e := NormalizeName("username", in.Username)
	fe.add(e)
	display, e := checkText("display_name", in.DisplayName, 100, false)
	fe.add(e)
	email, e := normalizeEmail(in.Email)
	fe.add(e)
	if in.Locale == "" {
		in.Locale = s.policy.DefaultLocale
	}
	locale, e := checkLocale(in.Locale)
	fe.add(e)
	fe.add(checkPassword(in.Password))
	if err := fe.err(); err != nil {
		return Account{}, err
	}
	if display == "" {
		display = name
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return Account{}, err
	}
	now := s.now()
	row := store.Account{ID: newID(), Username: name, DisplayName: display, Email: email,
		PasswordHash: hash, Locale: locale, Role: role, Status: status, CreatedAt: now, UpdatedAt: now}
	actor, err := s.newLocalActor(ActorPerson, name, now)
	if err != nil {
		return Account{}, err
	}
	actor.AccountID = &row.ID
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if err := claimName(ctx, tx, name, "account", now); err != nil {
			return err
		}
		if err := tx.Accounts().Create(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrEmailTaken
			}
			return err
		}
		return tx.Actors().Create(ctx, &actor)
	})
	if err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", name, err)
	}
	return accountFrom(row), nil
}

func checkPassword(p string) *core.FieldError {
	switch {
	case len(p) < MinPasswordLength:
		return &core.FieldError{Field: "password", Code: "password-too-short", Detail: fmt.Sprintf("at least %d characters", MinPasswordLength)}
	case len(p) > MaxPasswordLength:
		return &core.FieldError{Field: "password", Code: "password-too-long", Detail: fmt.Sprintf("at most %d characters", MaxPasswordLength)}
	}
	return nil
}

// AccountCount returns how many accounts exist (zero on a fresh instance).
func (s *Service) AccountCount(ctx context.Context) (int, error) {
	return s.db.Accounts().Count(ctx)
}

// Account returns the account named username.
func (s *Service) Account(ctx context.Context, username string) (Account, error) {
	name, fe := NormalizeName("username", username)
	if fe != nil {
		return Account{}, ErrNoSuchAccount
	}
	row, err := s.db.Accounts().ByUsername(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, ErrNoSuchAccount
	}
	if err != nil {
		return Account{}, err
	}
	return accountFrom(row), nil
}

// LogIn checks username and password, from client address ip. Unknown
// usernames and wrong passwords get the same answer, after the same work.
// Too many failures for the username or the address within LoginWindow are
// refused before the password is checked.
func (s *Service) LogIn(ctx context.Context, username, password, ip string) (Account, error) {
	now := s.now()
	name, fe := NormalizeName("username", username)
	if fe != nil || len(password) > MaxPasswordLength {
		name = "" // still counted against the address below
	}
	creds := s.db.Credentials()
	byUser, byIP, err := creds.CountLoginFailures(ctx, name, ip, now.Add(-LoginWindow))
	if err != nil {
		return Account{}, err
	}
	if byIP >= MaxFailuresPerClient || (name != "" && byUser >= MaxFailuresPerUser) {
		return Account{}, ErrTooManyAttempts
	}
	var row store.Account
	found := false
	if name != "" {
		row, err = s.db.Accounts().ByUsername(ctx, name)
		switch {
		case err == nil && row.Status == AccountDeleted:
			// As if unknown: the dummy hash is checked below.
		case err == nil:
			found = true
		case !errors.Is(err, store.ErrNotFound):
			return Account{}, err
		}
	}
	hash := s.dummyHash
	if found {
		hash = row.PasswordHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return Account{}, fmt.Errorf("check password of %s: %w", name, err)
	}
	if !found || !ok {
		if err := creds.AddLoginFailure(ctx, &store.LoginFailure{ID: newID(), Username: name, IP: ip, At: now}); err != nil {
			return Account{}, err
		}
		return Account{}, ErrBadCredentials
	}
	switch row.Status {
	case AccountPending:
		return Account{}, ErrAccountPending
	case AccountSuspended:
		return Account{}, ErrAccountSuspended
	}
	if err := creds.ClearLoginFailures(ctx, name, now.Add(-LoginWindow)); err != nil {
		return Account{}, err
	}
	return accountFrom(row), nil
}

// StartSession opens a browser session for account and returns its secret,
// to be kept in a cookie; only its hash is stored.
func (s *Service) StartSession(ctx context.Context, account Account) (secret string, expires time.Time, err error) {
	secret, hash := newSecret("hls_")
	now := s.now()
	expires = now.Add(SessionLifetime)
	err = s.db.Credentials().CreateSession(ctx, &store.Session{ID: newID(), AccountID: account.ID, TokenHash: hash, CreatedAt: now, ExpiresAt: expires})
	if err != nil {
		return "", time.Time{}, err
	}
	return secret, expires, nil
}

// SessionAccount returns the active account of the session secret.
func (s *Service) SessionAccount(ctx context.Context, secret string) (Account, error) {
	if len(secret) > 128 {
		return Account{}, ErrUnauthenticated
	}
	row, err := s.db.Credentials().SessionAccount(ctx, hashSecret(secret), s.now())
	return activeAccount(row, err)
}

// EndSession logs the session secret out.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	return s.db.Credentials().DeleteSession(ctx, hashSecret(secret))
}

// Token describes an API token; its secret is shown once, at creation.
type Token struct {
	ID         uuid.UUID
	Label      string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateToken makes a bearer token for account and returns its secret, which
// is never stored nor shown again.
func (s *Service) CreateToken(ctx context.Context, account Account, label string) (secret string, tok Token, err error) {
	label, fe := checkText("label", label, 100, false)
	if fe != nil {
		return "", Token{}, core.Invalid(*fe)
	}
	if label == "" {
		label = "API token"
	}
	secret, hash := newSecret("hln_")
	row := store.APIToken{ID: newID(), AccountID: account.ID, Label: label, TokenHash: hash, CreatedAt: s.now()}
	if err := s.db.Credentials().CreateToken(ctx, &row); err != nil {
		return "", Token{}, err
	}
	return secret, Token{ID: row.ID, Label: row.Label, CreatedAt: row.CreatedAt}, nil
}

// TokenAccount returns the active account of the bearer token secret.
func (s *Service) TokenAccount(ctx context.Context, secret string) (Account, error) {
	if len(secret) > 128 {
		return Account{}, ErrUnauthenticated
	}
	row, err := s.db.Credentials().TokenAccount(ctx, hashSecret(secret), s.now())
	return activeAccount(row, err)
}

func activeAccount(row store.Account, err error) (Account, error) {
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, ErrUnauthenticated
	}
	if err != nil {
		return Account{}, err
	}
	if row.Status != AccountActive {
		return Account{}, ErrUnauthenticated
	}
	return accountFrom(row), nil
}

// Tokens lists account's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, account Account) ([]Token, error) {
	rows, err := s.db.Credentials().Tokens(ctx, account.ID)
	if err != nil {
		return nil, err
	}
	list := make([]Token, len(rows))
	for i, r := range rows {
		list[i] = Token{ID: r.ID, Label: r.Label, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
	}
	return list, nil
}

// RevokeToken revokes account's token id.
func (s *Service) RevokeToken(ctx context.Context, account Account, id uuid.UUID) error {
	err := s.db.Credentials().RevokeToken(ctx, account.ID, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchToken
	}
	return err
}

// ProfileChange is what a person may change of their own account; nil
// fields stay as they are.
type ProfileChange struct {
	DisplayName *string
	Email       *string
	Locale      *string
	// Fields replace the profile's fields, when given; the HTML of each is
	// made here.
	Fields *[]ProfileField
	// Note is the person's bio, plain text (at most MaxNote characters).
	Note *string
}

// MaxNote bounds a person's bio, as Mastodon bounds its note.
const MaxNote = 500

// UpdateProfile changes account's display name, e-mail address, locale or
// profile fields. A change of what the actor's document shows (name,
// fields) is published to the followers' servers as an Update.
func (s *Service) UpdateProfile(ctx context.Context, account Account, ch ProfileChange) (Account, error) {
	var fe fieldErrors
	var display, email, locale string
	var fields []ProfileField
	var e *core.FieldError
	if ch.DisplayName != nil {
		display, e = checkText("display_name", *ch.DisplayName, 100, true)
		fe.add(e)
	}
	if ch.Fields != nil {
		fields = checkFields(*ch.Fields, &fe)
	}
	var note string
	if ch.Note != nil {
		note, e = checkText("note", strings.ReplaceAll(*ch.Note, "\r\n", "\n"), MaxNote, false)
		fe.add(e)
	}
	if ch.Email != nil {
		email, e = normalizeEmail(*ch.Email)
		fe.add(e)
	}
	if ch.Locale != nil {
		locale, e = checkLocale(*ch.Locale)
		fe.add(e)
	}
	if err := fe.err(); err != nil {
		return Account{}, err
	}
	var out store.Account
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Accounts().ByID(ctx, account.ID)
		if err != nil {
			return err
		}
		renamed := ch.DisplayName != nil && display != row.DisplayName
		if ch.DisplayName != nil {
			row.DisplayName = display
		}
		if ch.Locale != nil {
			row.Locale = locale
		}
		if ch.Email != nil {
			row.Email = email
		}
		row.UpdatedAt = s.now()
		out = row
		err = tx.Accounts().Update(ctx, &row)
		if errors.Is(err, store.ErrDuplicate) {
			return ErrEmailTaken
		}
		if err != nil {
			return err
		}
		actor, err := tx.Actors().OfAccount(ctx, row.ID)
		if err != nil {
			return err
		}
		refielded := false
		if ch.Fields != nil {
			if refielded, err = s.setFields(ctx, tx, actor, fields); err != nil {
				return err
			}
		}
		renoted := ch.Note != nil && note != actor.Summary
		if renoted {
			if err := tx.Actors().SetSummary(ctx, actor.ID, note, s.now()); err != nil {
				return err
			}
		}
		if !renamed && !refielded && !renoted {
			return nil
		}
		return s.publishProfile(ctx, tx, actor.ID)
	})
	if err != nil {
		return Account{}, fmt.Errorf("update profile of %s: %w", account.Username, err)
	}
	return accountFrom(out), nil
}

// ChangePassword replaces account's password after checking the current one,
// and ends its other sessions.
func (s *Service) ChangePassword(ctx context.Context, account Account, current, next string) error {
	if fe := checkPassword(next); fe != nil {
		fe.Field = "new_password"
		return core.Invalid(*fe)
	}
	row, err := s.db.Accounts().ByID(ctx, account.ID)
	if err != nil {
		return err
	}
	ok, err := CheckPassword(row.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return core.Invalid(core.FieldError{Field: "current_password", Code: "wrong-password", Detail: "the current password is wrong"})
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx store.Tx) error {
		row.PasswordHash = hash
		row.UpdatedAt = s.now()
		if err := tx.Accounts().Update(ctx, &row); err != nil {
			return err
		}
		return tx.Credentials().DeleteSessionsOf(ctx, row.ID)
	})
}

// PendingAccounts lists accounts waiting for approval; admins only.
func (s *Service) PendingAccounts(ctx context.Context, by Account) ([]Account, error) {
	if !by.IsAdmin() {
		return nil, ErrNotAllowed
	}
	rows, err := s.db.Accounts().ListByStatus(ctx, AccountPending, uuid.Nil, 200)
	if err != nil {
		return nil, err
	}
	list := make([]Account, len(rows))
	for i, r := range rows {
		list[i] = accountFrom(r)
	}
	return list, nil
}

// ApproveAccount activates a pending account; admins only.
func (s *Service) ApproveAccount(ctx context.Context, by Account, username string) (Account, error) {
	if !by.IsAdmin() {
		return Account{}, ErrNotAllowed
	}
	name, fe := NormalizeName("username", username)
	if fe != nil {
		return Account{}, ErrNoSuchAccount
	}
	var out store.Account
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Accounts().ByUsername(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchAccount
		}
		if err != nil {
			return err
		}
		if row.Status != AccountPending {
			return core.New(core.KindConflict, "not-pending", "this account is not waiting for approval")
		}
		row.Status = AccountActive
		row.UpdatedAt = s.now()
		out = row
		if err := tx.Accounts().Update(ctx, &row); err != nil {
			return err
		}
		return recordAdmin(ctx, tx, by, "account.approve", Handle(row.Username, "", true), nil)
	})
	if err != nil {
		return Account{}, fmt.Errorf("approve account %s: %w", username, err)
	}
	return accountFrom(out), nil
}
