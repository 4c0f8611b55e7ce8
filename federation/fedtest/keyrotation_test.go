package fedtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// ada's key is rotated on her running instance A. B, which follows her,
// learns the new key from the Update A sends; C, which only cached the old
// key when yan looked her up, learns it by fetching her again when her next
// note fails to verify. Both take the note; a request still signed with the
// old key is refused.
func TestKeyRotation_BetweenRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b", "c"})
		a, b, cc := in[0], in[1], in[2]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: b, Name: "zoe"},
			fedtest.Account{In: cc, Name: "yan"})
		ada, zoe, yan := users[0], users[1], users[2]
		zoe.Follow(t, ada.Acct())
		fedtest.FollowAccepted(t, within, ada.URI(), zoe)
		if got := yan.Resolve(t, ada.Acct()); got != ada.URI() {
			t.Fatalf("yan resolved %s", got)
		}
		// ada's instance knows yan, so that mentioning him delivers to C.
		if got := ada.Resolve(t, yan.Acct()); got != yan.URI() {
			t.Fatalf("ada resolved %s", got)
		}
		oldKeyID, oldKey := a.SigningKey(t, "ada")

		a.RotateKey(t, "ada")
		newKeyID, newKey := a.SigningKey(t, "ada")
		if newKeyID != oldKeyID || newKey.Equal(oldKey) {
			t.Fatalf("after rotation: key id %s (was %s), same key: %v", newKeyID, oldKeyID, newKey.Equal(oldKey))
		}
		// The Update reaches B before the note: B verifies the note with
		// the key the Update brought.
		fedtest.Eventually(t, within, "B receives ada's Update", func() error {
			if n := b.Count(t, "SELECT count(*) FROM inbox_activities WHERE type = 'Update' AND actor = ? AND state = 'done'", ada.URI()); n != 1 {
				return fmt.Errorf("%d Updates processed", n)
			}
			return nil
		})
		note := ada.Post(t, "New key, same me. @zoe@"+b.Host+" @yan@"+cc.Host)
		arrived(t, b, note.URI)
		arrived(t, cc, note.URI)

		forged, _ := json.Marshal(map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       a.BaseURL + "/activities/" + uuid.NewString(),
			"type":     "Like", "actor": ada.URI(), "object": note.URI,
		})
		for _, peer := range []*fedtest.Instance{b, cc} {
			if status, body := (fedtest.Signed{URL: peer.URL + "/inbox", Body: forged, KeyID: oldKeyID, Key: oldKey}).Send(t); status != http.StatusUnauthorized {
				t.Errorf("%s took a request signed with the old key: %d %s", peer.Name, status, body)
			}
		}
	})
}
