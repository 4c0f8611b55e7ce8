package oauth

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"

	"golang.org/x/text/language"

	"github.com/holon-network/holon/core/membership"
)

//go:embed locales/*.json
var localeFS embed.FS

// maxAcceptLanguage bounds the Accept-Language header parsed.
const maxAcceptLanguage = 512

// catalogue holds the authorization pages' messages, a flat map per
// language (as web/pages' catalogue, kept apart so that this package
// stays small). It is read-only after loading.
type catalogue struct {
	messages map[string]map[string]string
	matcher  language.Matcher
	fallback string
}

func loadCatalogue(defaultLocale string) (*catalogue, error) {
	c := &catalogue{messages: map[string]map[string]string{}}
	tags := make([]language.Tag, len(membership.Locales))
	for i, lang := range membership.Locales {
		b, err := localeFS.ReadFile("locales/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("load oauth %s messages: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("load oauth %s messages: %w", lang, err)
		}
		c.messages[lang] = m
		tags[i] = language.Make(lang)
	}
	if !slices.Contains(membership.Locales, defaultLocale) {
		defaultLocale = "en"
	}
	c.matcher, c.fallback = language.NewMatcher(tags), defaultLocale
	return c, nil
}

// choose picks the page's language: the app's lang parameter, the
// account's locale, the browser's preference, the instance's default.
func (c *catalogue) choose(lang string, account *membership.Account, acceptLanguage string) string {
	if _, ok := c.messages[lang]; ok {
		return lang
	}
	if account != nil {
		if _, ok := c.messages[account.Locale]; ok {
			return account.Locale
		}
	}
	if acceptLanguage != "" && len(acceptLanguage) <= maxAcceptLanguage {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			if _, i, conf := c.matcher.Match(tags...); conf != language.No {
				return membership.Locales[i]
			}
		}
	}
	return c.fallback
}

// t translates key into lang; a missing key shows itself, and the
// key-parity test keeps that from happening.
func (c *catalogue) t(lang, key string, args ...any) string {
	m, ok := c.messages[lang][key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}
