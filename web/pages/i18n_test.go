package pages

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// pluralForms are the CLDR plural forms each language needs.
var pluralForms = map[string][]string{"en": {"one", "other"}, "fr": {"many", "one", "other"}} // sorted

// messages reads a locale file as key → string or plural forms.
func messages(t *testing.T, lang string) map[string]any {
	t.Helper()
	raw, err := fs.ReadFile(localeFS, "locales/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// placeholders lists the {{.Name}} a message uses, in all its forms.
func placeholders(v any) []string {
	var texts []string
	switch v := v.(type) {
	case string:
		texts = []string{v}
	case map[string]any:
		for _, f := range v {
			s, _ := f.(string)
			texts = append(texts, s)
		}
	}
	set := map[string]bool{}
	for _, s := range texts {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// TestCatalogue_NoKeyTwice reads each locale file token by token: a key
// written twice (two merged branches translating the same code) would be
// silently overwritten by json.Unmarshal.
func TestCatalogue_NoKeyTwice(t *testing.T) {
	for _, lang := range membership.Locales {
		raw, err := fs.ReadFile(localeFS, "locales/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		seen := map[string]bool{}
		depth := 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s.json: %v", lang, err)
			}
			switch tok := tok.(type) {
			case json.Delim:
				if tok == '{' {
					depth++
				} else if tok == '}' {
					depth--
				}
			case string:
				// At depth 1 a key is always followed by its value: read it.
				if depth != 1 {
					continue
				}
				if seen[tok] {
					t.Errorf("%s.json has %q twice", lang, tok)
				}
				seen[tok] = true
				var v json.RawMessage
				if err := dec.Decode(&v); err != nil {
					t.Fatalf("%s.json %q: %v", lang, tok, err)
				}
			}
		}
	}
}

func TestCatalogue_LanguagesHaveTheSameKeys(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range membership.Locales {
		m := messages(t, lang)
		for key := range en {
			if _, ok := m[key]; !ok {
				t.Errorf("%s lacks %q", lang, key)
			}
		}
		for key, v := range m {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has %q, which en lacks", lang, key)
			}
			switch v := v.(type) {
			case string:
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s %q is empty", lang, key)
				}
				if _, plural := en[key].(map[string]any); plural {
					t.Errorf("%s %q is not plural, en's is", lang, key)
				}
			case map[string]any:
				forms := slices.Sorted(maps.Keys(v))
				if want := pluralForms[lang]; !slices.Equal(forms, want) {
					t.Errorf("%s %q has plural forms %v, want %v", lang, key, forms, want)
				}
			default:
				t.Errorf("%s %q is a %T", lang, key, v)
			}
			if got, want := placeholders(v), placeholders(en[key]); !slices.Equal(got, want) {
				t.Errorf("%s %q uses %v, en uses %v", lang, key, got, want)
			}
		}
	}
}

var templateCall = regexp.MustCompile(`\b(t|tn|td)\s+"([^"]+)"`)

// templateKeys returns the keys the templates translate, by function.
func templateKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		for _, m := range templateCall.FindAllStringSubmatch(string(raw), -1) {
			keys[m[2]] = m[1]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in the templates: is the scan broken?", len(keys))
	}
	return keys
}

func TestCatalogue_EveryKeyUsedExists(t *testing.T) {
	en := messages(t, "en")
	for key, fn := range templateKeys(t) {
		v, ok := en[key]
		if !ok {
			t.Errorf("templates use %q, which the catalogue lacks", key)
			continue
		}
		if _, plural := v.(map[string]any); plural != (fn == "tn") {
			t.Errorf("%s %q: a plural message needs tn, and tn a plural message", fn, key)
		}
	}
	for _, keys := range goKeys() {
		for _, key := range keys {
			if _, ok := en[key]; !ok {
				t.Errorf("Go code uses %q, which the catalogue lacks", key)
			}
		}
	}
	for _, code := range errorCodes {
		if _, ok := en["error."+code]; !ok {
			t.Errorf("error code %q has no message", code)
		}
	}
}

// goKeys are the keys Go code translates through: roles, locales and the
// label sets, and the words of durations.
func goKeys() []map[string]string {
	keys := []map[string]string{roleKeys, localeKeys, {"d": "duration.days", "h": "duration.hours", "m": "duration.minutes"}}
	audit := map[string]string{}
	for _, a := range auditActions {
		audit[a] = "audit.action." + a
	}
	keys = append(keys, audit, feedKeys)
	for _, set := range labelSets {
		keys = append(keys, set)
	}
	return keys
}

func TestCatalogue_NoUnusedKeys(t *testing.T) {
	used := map[string]bool{}
	for key := range templateKeys(t) {
		used[key] = true
	}
	for _, keys := range goKeys() {
		for _, key := range keys {
			used[key] = true
		}
	}
	for _, code := range errorCodes {
		used["error."+code] = true
	}
	for key := range messages(t, "en") {
		if !used[key] {
			t.Errorf("%q is never used", key)
		}
	}
}

// TestCatalogue_TranslatesEveryCoreCode reads core's sources for the codes
// it can return, so that a new rule cannot reach a person untranslated.
func TestCatalogue_TranslatesEveryCoreCode(t *testing.T) {
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`Code:\s*"([a-z0-9-]+)"`),
		regexp.MustCompile(`core\.New\(core\.Kind\w+,\s*"([a-z0-9-]+)"`),
		regexp.MustCompile(`Code:\s*"([a-z0-9-]+)",\s*Detail`),
		// Field errors are collected with fe.Add(field, code, detail)
		// (core.FieldErrors).
		regexp.MustCompile(`\.Add\([^,()]+,\s*"([a-z0-9-]+)"`),
	}
	var files []string
	for _, pkg := range []string{"membership", "news", "ledger", "projects", "governance", "agenda", "instance"} {
		found, err := filepath.Glob("../../core/" + pkg + "/*.go")
		if err != nil || len(found) == 0 {
			t.Fatalf("no sources in core/%s: %v", pkg, err)
		}
		files = append(files, found...)
	}
	files = append(files, "../../core/errors.go", "../../core/fielderrors.go")
	found := map[string]bool{core.Invalid().Code: true}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(string(raw), -1) {
				found[m[1]] = true
			}
		}
	}
	if len(found) < 20 {
		t.Fatalf("found only %d codes in core: is the scan broken?", len(found))
	}
	for code := range found {
		if !slices.Contains(errorCodes, code) {
			t.Errorf("core returns %q, which the catalogue does not translate", code)
		}
	}
}

func TestCatalogue_ChoosesLanguage(t *testing.T) {
	cases := []struct {
		name, def, account, accept, want string
	}{
		{"nothing: default", "en", "", "", "en"},
		{"nothing: default fr", "fr", "", "", "fr"},
		{"browser fr", "en", "", "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"browser regional fr", "en", "", "fr-CA", "fr"},
		{"browser prefers en", "fr", "", "en-GB,fr;q=0.5", "en"},
		{"browser unknown language", "fr", "", "de-DE,de;q=0.9", "fr"},
		{"browser second choice", "en", "", "de;q=0.9,fr;q=0.8", "fr"},
		{"malformed header", "en", "", ";;;=q", "en"},
		{"oversized header", "en", "", "fr," + strings.Repeat("x", 1000), "en"},
		{"account beats browser", "en", "fr", "en", "fr"},
		{"account en beats default fr", "fr", "en", "", "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat, err := loadCatalogue(c.def)
			if err != nil {
				t.Fatal(err)
			}
			var acc *membership.Account
			if c.account != "" {
				acc = &membership.Account{Locale: c.account}
			}
			if got := cat.choose(acc, c.accept); got != c.want {
				t.Errorf("choose = %q, want %q", got, c.want)
			}
		})
	}
	if _, err := loadCatalogue("de"); err == nil {
		t.Error("an unknown default locale is accepted")
	}
}

func TestErrText(t *testing.T) {
	cat, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	en, fr := cat.speakers["en"], cat.speakers["fr"]
	cases := []struct {
		name string
		sp   speaker
		fe   core.FieldError
		want string
	}{
		{"known code", en, core.FieldError{Code: "name-taken"}, "This name is already taken by a person or an association."},
		{"known code fr", fr, core.FieldError{Code: "name-taken"}, "Ce nom est déjà pris par une personne ou une association."},
		{"unknown code: core's detail", fr, core.FieldError{Code: "brand-new-rule", Detail: "a brand new rule"}, "a brand new rule"},
		{"unknown code without detail", en, core.FieldError{Code: "brand-new-rule"}, "Something went wrong on our side. It has been noted; please try again later."},
		{"too long, plural", en, core.FieldError{Field: "username", Code: "too-long"}, "At most 30 characters."},
		{"too long fr", fr, core.FieldError{Field: "summary", Code: "too-long"}, "500 caractères au plus."},
		{"too long, unknown field", en, core.FieldError{Field: "mystery", Code: "too-long", Detail: "too long"}, "too long"},
		{"password too short fr", fr, core.FieldError{Field: "password", Code: "password-too-short"}, "Au moins 8 caractères."},
		{"out of range", en, core.FieldError{Field: "debate_period", Code: "out-of-range"}, "Must be between 0s and 8784h."},
		{"field-specific message", en, core.FieldError{Field: "suspension_reason", Code: "required"}, "Say why the voting rights are suspended."},
		{"generic message", en, core.FieldError{Field: "email", Code: "required"}, "This field is required."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.sp.errText(c.fe); got != c.want {
				t.Errorf("errText = %q, want %q", got, c.want)
			}
		})
	}
	if got, _ := fr.tn("association.member_count", 1); got != "1 membre" {
		t.Errorf("fr one = %q", got)
	}
	if got, _ := fr.tn("association.member_count", 0); got != "0 membre" {
		t.Errorf("fr zero (CLDR: one) = %q", got)
	}
	if got, _ := en.tn("association.member_count", 0); got != "0 members" {
		t.Errorf("en zero = %q", got)
	}
	if _, err := en.t("no.such.key"); err == nil {
		t.Error("a missing key is not an error")
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", time.Second: "1s", 90 * time.Minute: "1h30m", 168 * time.Hour: "168h",
		30 * time.Minute: "30m", time.Hour + time.Second: "1h0m1s", 1500 * time.Millisecond: "1.5s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(shortDuration(d)); err != nil || back != d {
			t.Errorf("%q does not read back as %v", shortDuration(d), d)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := paragraphs("Art. 1\r\nline two\r\n\r\n\r\n  \n\nArt. 2\n")
	if want := []string{"Art. 1\nline two", "Art. 2"}; !slices.Equal(got, want) {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}
