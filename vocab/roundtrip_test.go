package vocab

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// Every example document, Holon's types first among them, goes through
// JSON-LD expansion without losing a term, and resolves back to the same
// document: build → serialise → expand → resolve → serialise → equal.
func TestRoundTrip_EveryExampleSurvivesExpansionAndResolution(t *testing.T) {
	for _, e := range docExamples(t) {
		t.Run(e.name, func(t *testing.T) {
			v, err := e.build()
			if err != nil {
				t.Fatal(err)
			}
			b, err := Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			sent := jsonValue(t, b)
			assertNoTermDropped(t, sent, b)

			got, err := Resolve(context.Background(), b)
			if err != nil {
				t.Fatalf("resolve: %v\n%s", err, b)
			}
			if want := FirstType(sent.(map[string]any)["type"]); got.GetTypeName() != want {
				t.Errorf("resolved to a %s, sent a %s", got.GetTypeName(), want)
			}
			again, err := Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(jsonValue(t, again), sent) {
				t.Errorf("round trip changed the document:\nsent %s\ngot  %s", b, again)
			}
		})
	}
}

// assertNoTermDropped expands doc with json-gold and the offline loader and
// checks that every property and type became an IRI and that no property
// disappeared.
func assertNoTermDropped(t *testing.T, doc any, raw []byte) {
	t.Helper()
	compact := countProperties(doc)
	expanded := expand(t, doc)
	var bad []string
	walkExpanded(expanded, func(key string, types []any) {
		if !strings.HasPrefix(key, "@") && !strings.Contains(key, "://") {
			bad = append(bad, key)
		}
		for _, ty := range types {
			if s, _ := ty.(string); !strings.Contains(s, "://") {
				bad = append(bad, "type "+s)
			}
		}
	})
	if len(bad) > 0 {
		t.Errorf("terms not expanded to IRIs: %v\n%s", bad, raw)
	}
	if got := countProperties(expanded); got != compact {
		t.Errorf("%d properties after expansion, %d before:\n%s", got, compact, raw)
	}
}

// Every Holon type, and every extension property the builders write, appears
// in at least one example, so that the round trip above covers them all.
func TestRoundTrip_ExamplesCoverEveryTerm(t *testing.T) {
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case map[string]any:
			for k, e := range n {
				used[k] = true
				if k == "type" {
					switch ty := e.(type) {
					case string:
						used[ty] = true
					case []any:
						for _, s := range ty {
							used[s.(string)] = true
						}
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range n {
				walk(e)
			}
		}
	}
	for _, e := range docExamples(t) {
		v, err := e.build()
		if err != nil {
			t.Fatal(err)
		}
		m, err := Serialize(v)
		if err != nil {
			t.Fatal(err)
		}
		delete(m, "@context")
		walk(m)
	}
	for term, def := range terms() {
		iri, _ := termIRI(def)
		if !strings.HasPrefix(iri, "holon:") && !strings.HasPrefix(iri, "schema:") && !strings.HasPrefix(iri, "mz:") {
			continue // Mastodon's and ActivityStreams' terms are for the federation core
		}
		if term == "PropertyValue" || term == "value" {
			// Profile fields; the examples use PropertyValue only inside a
			// change_setting action, which the next test builds.
			continue
		}
		if !used[term] {
			t.Errorf("no example uses %s", term)
		}
	}
}

// A change_setting action carries the setting as a PropertyValue; a
// change_rules action the category and its new thresholds, the same way.
func TestNewProposal_ChangeSettingAction(t *testing.T) {
	for _, c := range []struct{ kind, name, value string }{
		{"change_setting", "consensus_period", "240h"},
		{"change_rules", "statutes", "quorum 0.5, majority 0.6"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			f := consensusFields()
			f.Actions = []ProposalAction{{Kind: c.kind, Setting: &Setting{Name: c.name, Value: c.value}}}
			q, err := NewProposal(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Marshal(q)
			if err != nil {
				t.Fatal(err)
			}
			doc := jsonValue(t, b).(map[string]any)
			assertNoTermDropped(t, doc, b)
			action := doc["actions"].([]any)[0].(map[string]any)
			setting := action["object"].(map[string]any)
			if action["kind"] != c.kind || setting["type"] != "PropertyValue" || setting["name"] != c.name || setting["value"] != c.value {
				t.Errorf("action = %v", action)
			}
			f.Actions[0].Setting = nil
			if _, err := NewProposal(f); err == nil {
				t.Error("an action without its setting is built")
			}
		})
	}
}
