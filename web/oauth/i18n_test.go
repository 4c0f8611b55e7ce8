package oauth

import (
	"bytes"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

func TestCatalogue_KeyParity(t *testing.T) {
	c, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	en := slices.Sorted(maps.Keys(c.messages["en"]))
	for _, lang := range membership.Locales {
		got := slices.Sorted(maps.Keys(c.messages[lang]))
		if !slices.Equal(got, en) {
			t.Errorf("%s keys differ from en:\n%v\n%v", lang, got, en)
		}
		for k, v := range c.messages[lang] {
			if strings.Count(v, "%s") != strings.Count(c.messages["en"][k], "%s") {
				t.Errorf("%s %s: placeholders differ from en", lang, k)
			}
		}
	}
}

// Every key the template or the code uses is in the catalogue: a page of
// every kind, in every language, shows no key.
func TestPages_UseOnlyKnownKeys(t *testing.T) {
	c, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\.T "([a-z_.]+)"`).FindAllStringSubmatch(mustRead(t), -1) {
		used[m[1]] = true
	}
	for _, k := range []string{"title.authorize", "title.code", "title.denied", "title.error", "error.client", "error.redirect",
		"error.request", "login.failed", "login.too_many", "login.refused"} {
		used[k] = true
	}
	for _, s := range Scopes() {
		top, sub, ok := strings.Cut(s, ":")
		if ok {
			used["scope."+top+"_sub"] = true
			_ = sub
		} else {
			used["scope."+top] = true
		}
	}
	for k := range used {
		for _, lang := range membership.Locales {
			if _, ok := c.messages[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	for _, lang := range membership.Locales {
		for _, p := range []*page{
			{Kind: "authorize", Title: "title.authorize", AppName: "<b>App</b>", Scopes: []string{"x"}, NeedLogin: true, LoginError: "login.failed"},
			{Kind: "authorize", Title: "title.authorize", AppName: "App", Account: "ada"},
			{Kind: "code", Title: "title.code", Code: "hlc_x"},
			{Kind: "denied", Title: "title.denied"},
			{Kind: "error", Title: "title.error", Message: "error.redirect"},
		} {
			p.cat, p.Lang = c, lang
			var buf bytes.Buffer
			if err := pageTemplate.Execute(&buf, p); err != nil {
				t.Fatal(err)
			}
			if m := regexp.MustCompile(`\b(title|authorize|login|code|denied|error|scope)\.[a-z_]+\b`).Find(buf.Bytes()); m != nil {
				t.Errorf("%s %s page shows the key %s", lang, p.Kind, m)
			}
			if bytes.Contains(buf.Bytes(), []byte("<b>App</b>")) {
				t.Errorf("the app's name is not escaped")
			}
		}
	}
}

func mustRead(t *testing.T) string {
	b, err := templateFS.ReadFile("templates/page.html")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
