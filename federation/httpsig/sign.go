package httpsig

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The headers we sign, in the order Holon always sends them.
var (
	postHeaders = []string{"(request-target)", "host", "date", "digest", "content-type"}
	getHeaders  = []string{"(request-target)", "host", "date", "accept"}
)

// SignPOST signs a delivery: it sets Host from the URL, Date from now, Digest from
// body and a Signature over "(request-target) host date digest content-type" made with
// key, announced as rsa-sha256 under keyID. Content-Type must already be set.
//
// SignPOST also makes body the request's body, so the bytes digested are the bytes
// sent. Calling it again (a retry) re-dates and re-signs the request.
func SignPOST(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	if r.Method != http.MethodPost {
		return fmt.Errorf("sign POST %s: method is %s", r.URL, r.Method)
	}
	if r.Header.Get("Content-Type") == "" {
		return fmt.Errorf("sign POST %s: Content-Type not set", r.URL)
	}
	if err := setHostAndDate(r, now); err != nil {
		return fmt.Errorf("sign POST: %w", err)
	}
	r.Header.Set("Digest", digestHeader(body))
	if r.Body != nil {
		_ = r.Body.Close() // replaced below; closing a body we did not send is all we owe it
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if err := sign(r, keyID, key, postHeaders); err != nil {
		return fmt.Errorf("sign POST %s: %w", r.URL, err)
	}
	return nil
}

// SignGET signs a fetch: it sets Host from the URL, Date from now and a Signature over
// "(request-target) host date accept". Accept must already be set. The
// request-target includes the query, as current Mastodon and GoToSocial expect.
func SignGET(r *http.Request, keyID string, key *rsa.PrivateKey, now time.Time) error {
	if r.Method != http.MethodGet {
		return fmt.Errorf("sign GET %s: method is %s", r.URL, r.Method)
	}
	if r.Header.Get("Accept") == "" {
		return fmt.Errorf("sign GET %s: Accept not set", r.URL)
	}
	if err := setHostAndDate(r, now); err != nil {
		return fmt.Errorf("sign GET: %w", err)
	}
	if err := sign(r, keyID, key, getHeaders); err != nil {
		return fmt.Errorf("sign GET %s: %w", r.URL, err)
	}
	return nil
}

func setHostAndDate(r *http.Request, now time.Time) error {
	if r.URL == nil || r.URL.Host == "" {
		return errors.New("request URL has no host")
	}
	// Go's client sends r.Host (or, when empty, r.URL.Host) and ignores
	// r.Header["Host"]; setting r.Host makes the signed value the sent one.
	r.Host = r.URL.Host
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	return nil
}

// sign adds the Signature header over the listed headers of r, as sent.
func sign(r *http.Request, keyID string, key *rsa.PrivateKey, headers []string) error {
	if keyID == "" || strings.ContainsAny(keyID, "\"\\\r\n") {
		return fmt.Errorf("keyId %q cannot be sent in a quoted string", keyID)
	}
	if key == nil {
		return errors.New("no private key")
	}
	p := &params{algorithm: algRSASHA256, headers: headers}
	s, err := signingString(r, p, r.URL.RequestURI())
	if err != nil {
		return err
	}
	hashed := sha256.Sum256([]byte(s))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, hashed[:])
	if err != nil {
		return fmt.Errorf("RSA signature: %w", err)
	}
	var b strings.Builder
	b.Grow(len(keyID) + len(sig)*4/3 + 128)
	b.WriteString(`keyId="`)
	b.WriteString(keyID)
	b.WriteString(`",algorithm="` + algRSASHA256 + `",headers="`)
	b.WriteString(strings.Join(headers, " "))
	b.WriteString(`",signature="`)
	b.WriteString(base64.StdEncoding.EncodeToString(sig))
	b.WriteByte('"')
	r.Header.Set("Signature", b.String())
	return nil
}
