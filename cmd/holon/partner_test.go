package main

import (
	"strings"
	"testing"
)

// Two associations of one instance become partners from the command line,
// each acting as its board member; the list shows the state; another
// account may not act; ending it twice says there is no partner.
func TestPartner_AddListRemove(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		for _, name := range []string{"ada", "bea", "bob"} {
			createAccount(t, e.env, name).wantSuccess(t)
		}
		holon(t, e.env, "", "admin", "association", "create", "--name", "commons", "--display-name", "Commons", "--owner", "ada").wantSuccess(t)
		holon(t, e.env, "", "admin", "association", "create", "--name", "bakery", "--display-name", "Bakery", "--owner", "bea").wantSuccess(t)
		host := "127.0.0.1:8080"

		holon(t, e.env, "", "partner", "add", "bakery@"+host, "--association", "commons", "--as", "bob").
			wantFailure(t, exitFailure, "only the association's board")
		holon(t, e.env, "", "partner", "add", "bob@"+host, "--association", "commons", "--as", "ada").
			wantFailure(t, exitFailure, "not an association")
		holon(t, e.env, "", "partner", "add", "bakery@"+host, "--as", "ada").wantFailure(t, exitUsage, "association")

		r := holon(t, e.env, "", "partner", "add", "bakery@"+host, "--association", "commons", "--as", "ada")
		r.wantSuccess(t)
		if r.stdout != "bakery@"+host+": requested\n" {
			t.Errorf("add said %q", r.stdout)
		}
		r = holon(t, e.env, "", "partner", "add", "http://"+host+"/actors/commons", "--association", "bakery", "--as", "bea")
		r.wantSuccess(t)
		if r.stdout != "commons@"+host+": mutual\n" {
			t.Errorf("add back said %q", r.stdout)
		}
		r = holon(t, e.env, "", "partner", "list", "--association", "commons", "--as", "ada")
		r.wantSuccess(t)
		if f := strings.Fields(r.stdout); len(f) != 4 || f[0] != "bakery@"+host || f[1] != "mutual" || f[3] != "http://"+host+"/actors/bakery" {
			t.Errorf("list said %q", r.stdout)
		}
		holon(t, e.env, "", "partner", "remove", "bakery@"+host, "--association", "commons", "--as", "ada").wantSuccess(t)
		holon(t, e.env, "", "partner", "remove", "bakery@"+host, "--association", "commons", "--as", "ada").
			wantFailure(t, exitFailure, "not a partner")
		r = holon(t, e.env, "", "partner", "list", "--association", "bakery", "--as", "bea")
		r.wantSuccess(t)
		if r.stdout != "" {
			t.Errorf("list after the end said %q", r.stdout)
		}
	})
}
