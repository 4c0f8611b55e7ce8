package httpsig

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ClockSkew is how far from now, either way, a signature's Date or (created) may be.
// Queues on the sender's side and clocks off by minutes both land inside it.
const ClockSkew = time.Hour

// expiresLeeway is the clock skew allowed past an expires parameter. Unlike the date
// window it only ever shortens a signature's life, so it is honoured even unsigned.
const expiresLeeway = 5 * time.Minute

// checkCoverage refuses signatures that leave out what makes a request unforgeable
// elsewhere: the method and path always, a signing time, the Host a GET is for, and
// the body of anything that carries one.
func checkCoverage(method string, p *params) error {
	need := func(name string) error {
		if !p.covers(name) {
			return fmt.Errorf("%w: %s on %s", ErrRequiredHeaderNotSigned, name, method)
		}
		return nil
	}
	if err := need("(request-target)"); err != nil {
		return err
	}
	if !p.covers("date") && !p.covers("(created)") {
		return fmt.Errorf("%w: neither date nor (created)", ErrRequiredHeaderNotSigned)
	}
	switch method {
	case http.MethodGet, http.MethodHead:
		return need("host")
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return need("digest")
	}
	return nil
}

// checkTime refuses a signature whose signed Date or (created) lies more than
// ClockSkew from now, or whose expires has passed. Only signed times count towards
// freshness: an unsigned created parameter could be set by anyone replaying.
func checkTime(r *http.Request, p *params, now time.Time) error {
	if p.covers("(created)") {
		created, err := unixParam("created", p.created)
		if err != nil {
			return err
		}
		if err := inWindow("(created)", created, now); err != nil {
			return err
		}
	}
	if p.covers("date") {
		raw := r.Header.Get("Date")
		if raw == "" {
			return fmt.Errorf("%w: date", ErrSignedHeaderMissing)
		}
		date, err := http.ParseTime(raw)
		if err != nil {
			return fmt.Errorf("%w: Date %q is not an HTTP date", ErrInvalidDate, raw)
		}
		if err := inWindow("Date", date, now); err != nil {
			return err
		}
	}
	if p.expires != "" {
		expires, err := unixParam("expires", p.expires)
		if err != nil {
			return err
		}
		if now.After(expires.Add(expiresLeeway)) {
			return fmt.Errorf("%w: at %s, now %s", ErrExpired, expires.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	return nil
}

func unixParam(name, raw string) (time.Time, error) {
	if raw == "" {
		return time.Time{}, fmt.Errorf("%w: %s parameter missing", ErrInvalidDate, name)
	}
	sec, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s parameter %q is not a Unix time", ErrInvalidDate, name, raw)
	}
	return time.Unix(sec, 0), nil
}

func inWindow(what string, t, now time.Time) error {
	switch d := now.Sub(t); {
	case d > ClockSkew:
		return fmt.Errorf("%w: %s %s is %s before now", ErrDateTooOld, what, t.UTC().Format(time.RFC3339), d.Round(time.Second))
	case -d > ClockSkew:
		return fmt.Errorf("%w: %s %s is %s after now", ErrDateInFuture, what, t.UTC().Format(time.RFC3339), (-d).Round(time.Second))
	}
	return nil
}
