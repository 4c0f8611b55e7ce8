package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// books is an association with a board member and a treasurer, and tasks
// opened in its ledger directly (core/projects opens them in production).
type books struct {
	e                      env
	board, treasurer       membership.Account
	boardTok, treasurerTok string
	name                   string
	project                uuid.UUID
	outsider               membership.Account
	outsiderTok            string
}

func newBooks(t *testing.T, e env) *books {
	b := &books{e: e, name: "commons", project: uuid.Must(uuid.NewV7())}
	b.board, b.boardTok = e.person("founder")
	b.treasurer, b.treasurerTok = e.person("treasurer")
	b.outsider, b.outsiderTok = e.person("outsider")
	e.association(b.board, b.name)
	eur, upTo := "EUR", "500.00"
	e.settings(b.board, b.name, membership.SettingsChange{Currency: &eur, BoardMayAllocateUpTo: &upTo})
	e.join(b.treasurer, b.name)
	role := membership.MemberTreasurer
	if _, err := e.Members.UpdateMember(context.Background(), b.board, b.name, b.treasurer.Username, membership.MemberChange{Role: &role}); err != nil {
		t.Fatalf("make treasurer: %v", err)
	}
	return b
}

// task opens a task account with budget (minor units) and returns its id.
func (b *books) task(t *testing.T, budget int64) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	a, err := b.e.Members.Association(context.Background(), b.name)
	if err != nil {
		t.Fatal(err)
	}
	b.inTx(t, func(tx store.Tx) error {
		return b.e.Ledger.OpenTaskAccount(context.Background(), tx, a.ID, b.project, id, budget)
	})
	return id
}

func (b *books) inTx(t *testing.T, fn func(tx store.Tx) error) {
	t.Helper()
	if err := b.e.DB.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// donate records a donation through the API as the treasurer.
func (b *books) donate(t *testing.T, body string) ledgerTx {
	t.Helper()
	var tr ledgerTx
	b.e.post("/associations/"+b.name+"/donations", b.treasurerTok, body).ok(t, http.StatusCreated, "LedgerTransaction", &tr)
	return tr
}

type ledgerTx struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Donor     string `json:"donor"`
	CreatedBy string `json:"created_by"`
	Postings  []struct {
		Account string `json:"account"`
		Amount  string `json:"amount"`
	} `json:"postings"`
}

// TestLedger_DonateAllocateRead follows money through the API: donations
// recorded by the treasurer, an allocation by the board, then the ledger in
// pages and as CSV, the balances, a donation's trace and a task's funding,
// with a hidden donor hidden from the public only.
func TestLedger_DonateAllocateRead(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		b := newBooks(t, e)
		task := b.task(t, 4000)
		ada := b.donate(t, `{"amount": "100.00", "currency": "EUR", "donor": "Ada", "public_name": true, "reference": "VIR-2026-001"}`)
		if ada.Kind != "donation" || ada.Amount != "100.00" || ada.Currency != "EUR" || ada.Donor != "Ada" || len(ada.Postings) != 2 {
			t.Fatalf("donation %+v", ada)
		}
		b.donate(t, `{"amount": "30", "target": "general", "donor": "Bob"}`)
		var alloc ledgerTx
		e.post("/associations/"+b.name+"/allocations", b.boardTok, fmt.Sprintf(`{"from": "general", "task": %q, "amount": "40.00"}`, task)).
			ok(t, http.StatusCreated, "LedgerTransaction", &alloc)
		if alloc.Kind != "allocation" || alloc.Amount != "40.00" {
			t.Fatalf("allocation %+v", alloc)
		}

		// The public reads the ledger in pages; Bob stays unnamed to it.
		var p1, p2 struct {
			Items []ledgerTx `json:"items"`
			Next  *string    `json:"next"`
		}
		e.get("/associations/"+b.name+"/ledger?limit=2", "").ok(t, http.StatusOK, "LedgerPage", &p1)
		if len(p1.Items) != 2 || p1.Next == nil || p1.Items[0].Kind != "allocation" || p1.Items[1].Donor != "" {
			t.Fatalf("first page %+v", p1)
		}
		e.get("/associations/"+b.name+"/ledger?limit=2&cursor="+*p1.Next, "").ok(t, http.StatusOK, "LedgerPage", &p2)
		if len(p2.Items) != 1 || p2.Next != nil || p2.Items[0].ID != ada.ID || p2.Items[0].Donor != "Ada" {
			t.Fatalf("second page %+v", p2)
		}
		var member struct {
			Items []ledgerTx `json:"items"`
		}
		e.get("/associations/"+b.name+"/ledger", b.boardTok).ok(t, http.StatusOK, "LedgerPage", &member)
		if len(member.Items) != 3 || member.Items[1].Donor != "Bob" {
			t.Fatalf("members see %+v", member)
		}

		// The CSV holds the whole ledger, the hidden donor unnamed.
		r := e.get("/associations/"+b.name+"/ledger.csv", "")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("csv: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil {
			t.Fatalf("csv does not parse: %v", err)
		}
		if len(rows) != 4 || strings.Join(rows[0], ",") != "id,created_at,kind,amount,currency,cause,created_by,donor,memo,postings" {
			t.Fatalf("csv rows %q", rows)
		}
		if got := rows[3]; got[0] != ada.ID || got[2] != "donation" || got[3] != "100.00" || got[4] != "EUR" || got[5] != "VIR-2026-001" ||
			got[7] != "Ada" || got[9] != "external:donors -100.00; general 100.00" {
			t.Fatalf("Ada's row %q", got)
		}
		if rows[2][7] != "" || rows[2][6] != "" || rows[1][9] != "general -40.00; task:"+task.String()+" 40.00" {
			t.Fatalf("rows %q", rows[1:3])
		}

		var bal struct {
			Currency string `json:"currency"`
			Accounts []struct {
				Account, Balance string
				Budget           *string
				Locked           *bool
			} `json:"accounts"`
		}
		e.get("/associations/"+b.name+"/balances", "").ok(t, http.StatusOK, "Balances", &bal)
		got := map[string]string{}
		for _, a := range bal.Accounts {
			got[a.Account] = a.Balance
			if a.Account == "task:"+task.String() && (a.Budget == nil || *a.Budget != "40.00" || a.Locked == nil || *a.Locked) {
				t.Fatalf("task account %+v", a)
			}
		}
		if bal.Currency != "EUR" || got["general"] != "90.00" || got["task:"+task.String()] != "40.00" || got["external:donors"] != "-130.00" {
			t.Fatalf("balances %+v", bal)
		}

		// Ada's donation came first: the allocation took from it.
		var trace struct {
			Steps []struct {
				Kind, From, To, Amount string
			} `json:"steps"`
			Holdings []struct{ Account, Amount string } `json:"holdings"`
		}
		e.get("/donations/"+ada.ID+"/trace", "").ok(t, http.StatusOK, "DonationTrace", &trace)
		if len(trace.Steps) != 2 || trace.Steps[1].Kind != "allocation" || trace.Steps[1].To != "task:"+task.String() || trace.Steps[1].Amount != "40.00" {
			t.Fatalf("trace steps %+v", trace.Steps)
		}
		held := map[string]string{}
		for _, h := range trace.Holdings {
			held[h.Account] = h.Amount
		}
		if held["general"] != "60.00" || held["task:"+task.String()] != "40.00" {
			t.Fatalf("holdings %+v", trace.Holdings)
		}

		var funding struct {
			Donations []struct{ Donation, Donor, In, Remaining string } `json:"donations"`
		}
		e.get("/tasks/"+task.String()+"/funding", "").ok(t, http.StatusOK, "TaskFunding", &funding)
		if len(funding.Donations) != 1 || funding.Donations[0].Donation != ada.ID || funding.Donations[0].Donor != "Ada" ||
			funding.Donations[0].In != "40.00" || funding.Donations[0].Remaining != "40.00" {
			t.Fatalf("funding %+v", funding)
		}
	})
}

// TestLedger_Refusals checks each refusal's status and code, and that none
// changed the ledger.
func TestLedger_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		b := newBooks(t, e)
		open := b.task(t, 1000)
		closed := b.task(t, 1000)
		b.inTx(t, func(tx store.Tx) error { return e.Ledger.CloseTaskAccount(context.Background(), tx, closed) })
		b.donate(t, `{"amount": "50.00"}`)
		donations := "/associations/" + b.name + "/donations"
		allocations := "/associations/" + b.name + "/allocations"
		alloc := func(task uuid.UUID, amount string) string {
			return fmt.Sprintf(`{"task": %q, "amount": %q}`, task, amount)
		}
		tests := []struct {
			name, path, token, body string
			status                  int
			code                    string
		}{
			{"anonymous donation", donations, "", `{"amount": "5.00"}`, 401, "unauthenticated"},
			{"donation by a board member", donations, b.boardTok, `{"amount": "5.00"}`, 403, "treasurer-only"},
			{"donation by an outsider", donations, b.outsiderTok, `{"amount": "5.00"}`, 403, "treasurer-only"},
			{"zero donation", donations, b.treasurerTok, `{"amount": "0"}`, 400, "invalid-amount"},
			{"negative donation", donations, b.treasurerTok, `{"amount": "-5.00"}`, 400, "invalid-amount"},
			{"donation without amount", donations, b.treasurerTok, `{"donor": "Ada"}`, 400, "invalid-amount"},
			{"too many decimals", donations, b.treasurerTok, `{"amount": "1.005"}`, 400, "invalid-amount"},
			{"wrong currency", donations, b.treasurerTok, `{"amount": "5.00", "currency": "USD"}`, 400, "wrong-currency"},
			{"donation to a closed task", donations, b.treasurerTok, fmt.Sprintf(`{"amount": "5.00", "target": "task:%s"}`, closed), 409, "task-closed"},
			{"donation to a bad target", donations, b.treasurerTok, `{"amount": "5.00", "target": "external:payees"}`, 400, "invalid-target"},
			{"donation to an unknown association", "/associations/nobody/donations", b.treasurerTok, `{"amount": "5.00"}`, 404, "association-not-found"},
			{"allocation beyond the balance", allocations, b.boardTok, alloc(open, "50.01"), 409, "insufficient-funds"},
			{"allocation above the board's limit", allocations, b.boardTok, alloc(open, "500.01"), 403, "allocation-needs-proposal"},
			{"allocation by a non-member", allocations, b.outsiderTok, alloc(open, "1.00"), 403, "board-or-treasurer-only"},
			{"allocation to a closed task", allocations, b.boardTok, alloc(closed, "1.00"), 409, "task-closed"},
			{"allocation to an unknown task", allocations, b.boardTok, alloc(uuid.Must(uuid.NewV7()), "1.00"), 404, "task-account-not-found"},
			{"allocation to no task", allocations, b.boardTok, `{"task": "x", "amount": "1.00"}`, 400, "invalid-task"},
			{"negative allocation", allocations, b.boardTok, alloc(open, "-1"), 400, "invalid-amount"},
			{"anonymous allocation", allocations, "", alloc(open, "1.00"), 401, "unauthenticated"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.post(tc.path, tc.token, tc.body).problem(t, tc.status, tc.code)
			})
		}
		for _, q := range []string{"?cursor=nope", "?limit=0", "?limit=201"} {
			e.get("/associations/"+b.name+"/ledger"+q, "").problem(t, 400, "invalid-input")
		}
		e.get("/donations/"+uuid.Must(uuid.NewV7()).String()+"/trace", "").problem(t, 404, "donation-not-found")
		e.get("/donations/nope/trace", "").problem(t, 404, "donation-not-found")
		e.get("/tasks/nope/funding", "").problem(t, 404, "task-account-not-found")
		e.get("/associations/nobody/balances", "").problem(t, 404, "association-not-found")

		var page struct {
			Items []ledgerTx `json:"items"`
		}
		e.get("/associations/"+b.name+"/ledger", "").ok(t, http.StatusOK, "LedgerPage", &page)
		if len(page.Items) != 1 {
			t.Fatalf("refusals changed the ledger: %+v", page.Items)
		}
	})
}

// TestLedger_MembersOnly checks that a members-only association's ledger
// is closed to the public, its CSV included.
func TestLedger_MembersOnly(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		b := newBooks(t, e)
		vis := membership.VisibilityMembers
		e.settings(b.board, b.name, membership.SettingsChange{Visibility: &vis})
		d := b.donate(t, `{"amount": "5.00"}`)
		for _, path := range []string{"/associations/commons/ledger", "/associations/commons/ledger.csv", "/associations/commons/balances", "/donations/" + d.ID + "/trace"} {
			e.get(path, b.outsiderTok).problem(t, 403, "not-allowed")
		}
		e.get("/associations/commons/balances", b.treasurerTok).ok(t, http.StatusOK, "Balances", nil)
	})
}

// TestLedger_Reallocation: a volunteer sees their right and moves the
// task's money in parts, never past the right, never to a closed task.
func TestLedger_Reallocation(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		b := newBooks(t, e)
		vol, volTok := e.person("volunteer")
		done, next, other, closed := b.task(t, 3000), b.task(t, 1000), b.task(t, 1000), b.task(t, 1000)
		b.donate(t, fmt.Sprintf(`{"amount": "30.00", "target": "task:%s"}`, done))
		b.inTx(t, func(tx store.Tx) error {
			ctx := context.Background()
			if err := e.Ledger.CloseTaskAccount(ctx, tx, closed); err != nil {
				return err
			}
			return e.Ledger.GrantReallocationRight(ctx, tx, done, e.Members.ActorURI(vol.Username), "https://holon.example/submissions/7")
		})
		type rights struct {
			Rights []struct{ Task, Currency, Amount, Used, Remaining, Cause string } `json:"rights"`
		}
		var before rights
		e.get("/accounts/me/reallocation-rights", volTok).ok(t, http.StatusOK, "ReallocationRights", &before)
		if len(before.Rights) != 1 || before.Rights[0].Task != done.String() || before.Rights[0].Remaining != "30.00" || before.Rights[0].Currency != "EUR" {
			t.Fatalf("rights %+v", before)
		}
		path := "/tasks/" + done.String() + "/reallocations"
		parts := func(ps ...string) string { return `{"parts": [` + strings.Join(ps, ", ") + `]}` }
		part := func(task uuid.UUID, amount string) string {
			return fmt.Sprintf(`{"task": %q, "amount": %q}`, task, amount)
		}
		tests := []struct {
			name, token, body string
			status            int
			code              string
		}{
			{"beyond the right", volTok, parts(part(next, "20.00"), part(other, "10.01")), 409, "reallocation-right-exceeded"},
			{"to a closed task", volTok, parts(part(closed, "1.00")), 409, "task-closed"},
			{"by someone without the right", b.boardTok, parts(part(next, "1.00")), 403, "no-reallocation-right"},
			{"zero part", volTok, parts(part(next, "0")), 400, "invalid-amount"},
			{"negative part", volTok, parts(part(next, "-1")), 400, "invalid-input"},
			{"no parts", volTok, parts(), 400, "out-of-range"},
			{"anonymous", "", parts(part(next, "1.00")), 401, "unauthenticated"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e.post(path, tc.token, tc.body).problem(t, tc.status, tc.code)
			})
		}
		e.post("/tasks/"+uuid.Must(uuid.NewV7()).String()+"/reallocations", volTok, parts(part(next, "1.00"))).problem(t, 404, "task-account-not-found")
		var tr ledgerTx
		e.post(path, volTok, parts(part(next, "20.00"), part(other, "5.00"))).ok(t, http.StatusCreated, "LedgerTransaction", &tr)
		if tr.Kind != "reallocation" || tr.Amount != "25.00" || len(tr.Postings) != 3 {
			t.Fatalf("reallocation %+v", tr)
		}
		var after rights
		e.get("/accounts/me/reallocation-rights", volTok).ok(t, http.StatusOK, "ReallocationRights", &after)
		if after.Rights[0].Used != "25.00" || after.Rights[0].Remaining != "5.00" {
			t.Fatalf("rights after %+v", after)
		}
		e.post(path, volTok, parts(part(next, "5.01"))).problem(t, 409, "reallocation-right-exceeded")
		var none rights
		e.get("/accounts/me/reallocation-rights", b.boardTok).ok(t, http.StatusOK, "ReallocationRights", &none)
		if len(none.Rights) != 0 {
			t.Fatalf("board holds rights %+v", none)
		}
	})
}

// TestLedger_CSVSpansPages checks that the CSV export holds more than one
// page of the ledger, each transaction once, newest first.
func TestLedger_CSVSpansPages(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		b := newBooks(t, e)
		const n = 205 // one page is 200
		for i := range n {
			if _, err := e.Ledger.Donate(context.Background(), nil, b.name, ledger.DonationInput{Amount: int64(i + 1), Currency: "EUR"}); err != nil {
				t.Fatal(err)
			}
		}
		r := e.get("/associations/"+b.name+"/ledger.csv", "")
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if r.status != http.StatusOK || err != nil {
			t.Fatalf("csv: %d %v", r.status, err)
		}
		if len(rows) != n+1 || rows[0][0] != "id" {
			t.Fatalf("%d rows, want %d and a header", len(rows), n+1)
		}
		seen := map[string]bool{}
		for i, row := range rows[1:] {
			if want := fmt.Sprintf("%d.%02d", (n-i)/100, (n-i)%100); row[3] != want || seen[row[0]] {
				t.Fatalf("row %d: %q, want amount %s once", i+1, row, want)
			}
			seen[row[0]] = true
		}
	})
}
