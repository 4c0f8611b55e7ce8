package domains

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Bounds of an import.
const (
	MaxImportBytes = 1 << 20
	MaxImportRows  = 10000
	// maxImportProblems bounds how many bad rows a refusal lists.
	maxImportProblems = 100
)

// CSVHeader is the header of Mastodon's export of domain blocks, which
// Export writes and Import reads.
const CSVHeader = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"

// Noop is the severity of Mastodon's blocks that limit nothing federation
// does (media rejection only); Import skips them.
const Noop = "noop"

// ErrImportTooLarge refuses an import over MaxImportBytes.
var ErrImportTooLarge = core.New(core.KindTooLarge, "import-too-large",
	fmt.Sprintf("a list to import has at most %d bytes and %d rows", MaxImportBytes, MaxImportRows))

// Imported is what an import did: blocks added, rows whose domain was
// blocked already (left as they were), rows skipped (noop severity).
type Imported struct {
	Added     int `json:"added"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
}

// Export writes every block as Mastodon's CSV export does.
func (s *Service) Export(ctx context.Context, by Admin, w io.Writer) error {
	list, err := s.Blocks(ctx, by)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(CSVHeader, ",")); err != nil {
		return fmt.Errorf("export blocks: %w", err)
	}
	for _, b := range list {
		if err := cw.Write([]string{b.Domain, b.Severity, "false", "false", b.PublicComment, "false"}); err != nil {
			return fmt.Errorf("export blocks: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// importRow is one block a list asks for, with its line.
type importRow struct {
	line                     int
	domain, severity, public string
}

// Import blocks the domains of a list in Mastodon's CSV format (with its
// header, or without: domain,severity,… by position) or in the older
// one-domain-a-line format, all or nothing. Bad rows refuse the whole list
// with their line numbers, as does a row for the instance's own domain.
// Rows of severity noop are skipped; domains blocked already are left
// unchanged. Suspensions that cut off remote members are refused with the
// list (CutsMembers) unless confirm.
func (s *Service) Import(ctx context.Context, by Admin, r io.Reader, confirm bool) (Imported, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return Imported{}, fmt.Errorf("read the list: %w", err)
	}
	if len(data) > MaxImportBytes {
		return Imported{}, ErrImportTooLarge
	}
	rows, skipped, err := s.parseList(data)
	if err != nil {
		return Imported{}, err
	}
	out := Imported{Skipped: skipped}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		existing, err := tx.DomainBlocks().List(ctx)
		if err != nil {
			return err
		}
		blocked := make(map[string]bool, len(existing))
		for _, b := range existing {
			blocked[b.Domain] = true
		}
		var add []importRow
		suspended := map[string]bool{}
		for _, row := range rows {
			if blocked[row.domain] {
				out.Unchanged++
				continue
			}
			blocked[row.domain] = true
			add = append(add, row)
			if row.severity == Suspend {
				suspended[row.domain] = true
			}
		}
		if len(suspended) > 0 {
			if err := guard(ctx, tx, confirm, func(host string) bool { return coveredBy(suspended, host) }); err != nil {
				return err
			}
		}
		now := s.clock.Now().UTC()
		ended := 0
		for _, row := range add {
			b := store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: row.domain, Severity: row.severity,
				PublicComment: row.public, CreatedBy: by.Account(), CreatedAt: now}
			if err := tx.DomainBlocks().Add(ctx, &b); err != nil {
				return err
			}
			if row.severity == Suspend {
				n, err := s.sever(ctx, tx, row.domain)
				if err != nil {
					return err
				}
				ended += n
			}
		}
		out.Added = len(add)
		return record(ctx, tx, by, "domain.import", "", map[string]any{"added": out.Added, "unchanged": out.Unchanged,
			"skipped": out.Skipped, "follows_ended": ended})
	})
	if err != nil {
		return Imported{}, fmt.Errorf("import blocks: %w", err)
	}
	return out, nil
}

// parseList reads the rows of a list, and how many it skips; a
// core.Invalid error lists the bad rows by line.
func (s *Service) parseList(data []byte) ([]importRow, int, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var records [][]string
	var lines []int
	if plain(data) {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 4096), MaxImportBytes+1)
		for n := 1; sc.Scan(); n++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			records, lines = append(records, []string{text}), append(lines, n)
		}
	} else {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = true
		cr.ReuseRecord = false
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				line := 0
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					line = pe.Line
				}
				return nil, 0, core.Invalid(core.FieldError{Field: fmt.Sprintf("line %d", line), Code: "malformed-csv",
					Detail: fmt.Sprintf("line %d: not valid CSV (%v)", line, errors.Unwrap(err))})
			}
			line, _ := cr.FieldPos(0)
			records, lines = append(records, rec), append(lines, line)
		}
	}
	// Columns by the header's names, or Mastodon's order without one.
	col := map[string]int{"domain": 0, "severity": 1, "public_comment": 4}
	if len(records) > 0 && strings.HasPrefix(strings.TrimSpace(records[0][0]), "#") {
		col = map[string]int{}
		for i, name := range records[0] {
			col[strings.TrimPrefix(strings.TrimSpace(name), "#")] = i
		}
		if _, ok := col["domain"]; !ok {
			return nil, 0, core.Invalid(core.FieldError{Field: fmt.Sprintf("line %d", lines[0]), Code: "malformed-csv",
				Detail: fmt.Sprintf("line %d: the header has no #domain column", lines[0])})
		}
		records, lines = records[1:], lines[1:]
	}
	if len(records) > MaxImportRows {
		return nil, 0, ErrImportTooLarge
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []importRow
	var problems core.FieldErrors
	bad := func(line int, code, detail string) {
		if len(problems) < maxImportProblems {
			problems.Add(fmt.Sprintf("line %d", line), code, fmt.Sprintf("line %d: %s", line, detail))
		}
	}
	skipped := 0
	for i, rec := range records {
		line := lines[i]
		severity := strings.ToLower(field(rec, "severity"))
		if severity == Noop {
			skipped++
			continue
		}
		if severity == "" {
			severity = Suspend
		}
		if severity != Suspend && severity != Silence {
			bad(line, "invalid-choice", fmt.Sprintf("unknown severity %q (silence, suspend or noop)", severity))
			continue
		}
		domain, ferr := Normalize("domain", field(rec, "domain"))
		if ferr != nil {
			bad(line, ferr.Code, fmt.Sprintf("%q: %s", field(rec, "domain"), ferr.Detail))
			continue
		}
		if covers(domain, s.localHost) {
			bad(line, ErrOwnDomain.Code, ErrOwnDomain.Detail)
			continue
		}
		public := field(rec, "public_comment")
		if len([]rune(public)) > MaxComment {
			bad(line, "too-long", fmt.Sprintf("the public comment has at most %d characters", MaxComment))
			continue
		}
		rows = append(rows, importRow{line: line, domain: domain, severity: severity, public: public})
	}
	if err := problems.Err(); err != nil {
		return nil, 0, err
	}
	return rows, skipped, nil
}

// plain tells whether data is the older format, one domain a line: no
// comma and no quote anywhere.
func plain(data []byte) bool {
	return !bytes.ContainsAny(data, ",\"")
}
