package pages

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/holon-network/holon/core/membership"
)

//go:embed locales/*.json
var localeFS embed.FS

// maxAcceptLanguage bounds the Accept-Language header we parse; browsers
// send a few dozen bytes.
const maxAcceptLanguage = 512

// catalogue holds the messages of every language Holon speaks. It is
// filled once at start-up and only read afterwards, so that requests may
// share it without locks.
type catalogue struct {
	langs    []string // as in membership.Locales: "en", "fr"
	matcher  language.Matcher
	fallback string
	speakers map[string]speaker
}

func loadCatalogue(defaultLocale string) (*catalogue, error) {
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &catalogue{langs: membership.Locales, speakers: map[string]speaker{}}
	tags := make([]language.Tag, len(c.langs))
	for i, lang := range c.langs {
		if _, err := bundle.LoadMessageFileFS(localeFS, "locales/"+lang+".json"); err != nil {
			return nil, fmt.Errorf("load %s messages: %w", lang, err)
		}
		tags[i] = language.Make(lang)
	}
	for _, lang := range c.langs {
		c.speakers[lang] = speaker{lang: lang, loc: i18n.NewLocalizer(bundle, lang)}
	}
	c.matcher = language.NewMatcher(tags)
	if !slices.Contains(c.langs, defaultLocale) {
		return nil, fmt.Errorf("default locale %q is not one of %v", defaultLocale, c.langs)
	}
	c.fallback = defaultLocale
	return c, nil
}

// choose picks the language of a page: the account's own locale, else the
// best match of the browser's Accept-Language, else the instance's default.
func (c *catalogue) choose(account *membership.Account, acceptLanguage string) string {
	if account != nil && slices.Contains(c.langs, account.Locale) {
		return account.Locale
	}
	if acceptLanguage != "" && len(acceptLanguage) <= maxAcceptLanguage {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			if _, i, conf := c.matcher.Match(tags...); conf != language.No {
				return c.langs[i]
			}
		}
	}
	return c.fallback
}

// speaker translates into one language. Its localizer only reads the
// bundle, so one speaker serves any number of concurrent requests.
type speaker struct {
	lang string
	loc  *i18n.Localizer
}

// t returns the message key. A key missing from the catalogue is an error,
// so that a template using it fails its tests instead of showing a key.
func (s speaker) t(key string) (string, error) {
	return s.localize(&i18n.LocalizeConfig{MessageID: key})
}

// tn returns the plural form of key for count n; the message sees n as
// {{.Count}}.
func (s speaker) tn(key string, n int) (string, error) {
	return s.localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateData: map[string]any{"Count": n}})
}

// td returns key with named values given as pairs: td "k" "Name" .Name.
func (s speaker) td(key string, pairs ...any) (string, error) {
	if len(pairs)%2 != 0 {
		return "", fmt.Errorf("message %q: odd number of arguments", key)
	}
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		name, ok := pairs[i].(string)
		if !ok {
			return "", fmt.Errorf("message %q: argument %d is not a name", key, i)
		}
		data[name] = pairs[i+1]
	}
	return s.localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
}

func (s speaker) localize(lc *i18n.LocalizeConfig) (string, error) {
	msg, err := s.loc.Localize(lc)
	var missing *i18n.MessageNotFoundErr
	switch {
	case errors.As(err, &missing):
		return "", fmt.Errorf("message %q missing in %s", lc.MessageID, s.lang)
	case err != nil && msg == "":
		return "", fmt.Errorf("message %q in %s: %w", lc.MessageID, s.lang, err)
	}
	return msg, nil // a missing plural form falls back to "other"
}

// has reports whether the catalogue holds key in s's language.
func (s speaker) has(key string) bool {
	_, err := s.t(key)
	return err == nil
}
