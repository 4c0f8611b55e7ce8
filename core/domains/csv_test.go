package domains_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "holon.example:8443")
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "old.example", Severity: domains.Silence}); err != nil {
			t.Fatal(err)
		}
		blocks := func() string {
			t.Helper()
			list, err := s.Blocks(ctx, domains.CommandLine)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, b := range list {
				out = append(out, b.Domain+":"+b.Severity+":"+b.PublicComment)
			}
			return strings.Join(out, " ")
		}
		// Bad lists refuse everything, naming the lines.
		for _, tc := range []struct {
			name, list string
			kind       core.Kind
			lines      []string
		}{
			{"malformed CSV", domains.CSVHeader + "\nfine.example,suspend,false,false,,false\n\"open.example,suspend\n", core.KindInvalid, []string{"line 3"}},
			{"unknown severity", domains.CSVHeader + "\nfine.example,suspend,false,false,,false\nx.example,limit,false,false,,false\n", core.KindInvalid, []string{"line 3"}},
			{"bad domains", domains.CSVHeader + "\nhttps://x.example/,suspend,false,false,,false\nfine.example,silence,false,false,,false\nexa*.example,suspend,false,false,,false\n", core.KindInvalid, []string{"line 2", "line 4"}},
			{"own domain", domains.CSVHeader + "\nfine.example,suspend,false,false,,false\nholon.example,suspend,false,false,,false\n", core.KindInvalid, []string{"line 3"}},
			{"own parent domain in a plain list", "fine.example\nexample\nholon.example\n", core.KindInvalid, []string{"line 2", "line 3"}},
			{"no domain column", "#severity,#public_comment\nsuspend,x\n", core.KindInvalid, []string{"line 1"}},
			{"too large", "a.example\n" + strings.Repeat("b", domains.MaxImportBytes), core.KindTooLarge, nil},
			{"too many rows", strings.Repeat("a.example\n", domains.MaxImportRows+1), core.KindTooLarge, nil},
		} {
			_, err := s.Import(ctx, domains.CommandLine, strings.NewReader(tc.list), true)
			e, ok := core.As(err)
			if !ok || e.Kind != tc.kind {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.kind)
				continue
			}
			var lines []string
			for _, f := range e.Fields {
				lines = append(lines, f.Field)
			}
			if strings.Join(lines, ",") != strings.Join(tc.lines, ",") {
				t.Errorf("%s: problems at %q, want %q (%v)", tc.name, lines, tc.lines, e.Fields)
			}
		}
		if got := blocks(); got != "old.example:silence:" {
			t.Fatalf("a refused import was half-applied: %s", got)
		}

		list := "\ufeff" + domains.CSVHeader + "\n" +
			"Spam.Example,suspend,false,false,\"spam, mostly\",false\n" +
			"loud.example,silence,true,false,,false\n" +
			"media.example,noop,true,false,,false\n" +
			"old.example,suspend,false,false,,false\n" +
			"spam.example,silence,false,false,,false\n"
		out, err := s.Import(ctx, domains.CommandLine, strings.NewReader(list), false)
		if err != nil || out != (domains.Imported{Added: 2, Unchanged: 2, Skipped: 1}) {
			t.Fatalf("import: %+v, %v", out, err)
		}
		if got := blocks(); got != "loud.example:silence: old.example:silence: spam.example:suspend:spam, mostly" {
			t.Errorf("after the import: %s", got)
		}
		// The older format: one domain a line, suspended.
		out, err = s.Import(ctx, domains.CommandLine, strings.NewReader("# a list\nplain.example\r\n\nloud.example\n"), false)
		if err != nil || out != (domains.Imported{Added: 1, Unchanged: 1}) {
			t.Fatalf("plain import: %+v, %v", out, err)
		}
		var buf bytes.Buffer
		if err := s.Export(ctx, domains.CommandLine, &buf); err != nil {
			t.Fatal(err)
		}
		want := domains.CSVHeader + "\nloud.example,silence,false,false,,false\nold.example,silence,false,false,,false\n" +
			"plain.example,suspend,false,false,,false\nspam.example,suspend,false,false,\"spam, mostly\",false\n"
		if buf.String() != want {
			t.Errorf("export:\n%s\nwant:\n%s", buf.String(), want)
		}
		// The export imports again unchanged.
		out, err = s.Import(ctx, domains.CommandLine, &buf, false)
		if err != nil || out != (domains.Imported{Unchanged: 4}) {
			t.Errorf("export imported again: %+v, %v", out, err)
		}
		if got := auditActions(t, db); len(got) != 4 || got[1] != "domain.import " {
			t.Errorf("audit %q", got)
		}
	})
}

// An import that suspends the domain of remote members is refused with
// them, nothing applied, unless confirmed.
func TestImport_CutsMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := fixture{t: t, db: db}
		f.association("jardin", f.actor("partner.example", "yan", false, nil))
		s := domains.New(db, core.SystemClock{}, "holon.example")
		list := "a.example\npartner.example\n"
		if _, err := s.Import(ctx, domains.CommandLine, strings.NewReader(list), false); !errors.Is(err, domains.ErrCutsMembersCode) {
			t.Fatalf("import: %v", err)
		}
		if l, _ := s.Blocks(ctx, domains.CommandLine); len(l) != 0 {
			t.Fatalf("half-applied: %+v", l)
		}
		if out, err := s.Import(ctx, domains.CommandLine, strings.NewReader(list), true); err != nil || out.Added != 2 {
			t.Fatalf("confirmed: %+v, %v", out, err)
		}
	})
}
