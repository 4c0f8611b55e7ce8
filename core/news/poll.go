package news

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds on the poll of a local note: Mastodon's defaults, which clients
// read from the instance's configuration.polls.
const (
	MaxPollOptions      = 4
	MaxPollOptionLength = 50 // characters of an option's title
	MinPollExpiry       = 5 * time.Minute
	MaxPollExpiry       = 30 * 24 * time.Hour
	// MaxRemotePollOptions bounds the options kept of a received poll;
	// MaxRemotePollOption the characters of each title.
	MaxRemotePollOptions = 20
	MaxRemotePollOption  = 200
)

// Errors of polls. Their details are Mastodon's own sentences, which
// clients show as they are.
var (
	ErrNoPoll        = core.New(core.KindNotFound, "poll-not-found", "no such poll")
	ErrPollEnded     = core.New(core.KindConflict, "poll-ended", "The poll has already ended")
	ErrAlreadyVoted  = core.New(core.KindConflict, "already-voted", "You have already voted on this poll")
	ErrSelfVote      = core.New(core.KindForbidden, "self-vote", "You cannot vote in your own polls")
	ErrInvalidChoice = core.New(core.KindInvalid, "invalid-choice", "The chosen vote option does not exist")
	ErrOneChoice     = core.New(core.KindInvalid, "one-choice", "This poll allows one choice only")
)

// PollInput is the poll an author attaches to a note.
type PollInput struct {
	Options    []string
	ExpiresIn  time.Duration
	Multiple   bool // several options may be chosen
	HideTotals bool // the counts are hidden until the poll ends
}

// Poll is a note's poll as it stands: counted here from the votes for a
// local note, as its origin last sent it (with the local votes since) for
// a received one.
type Poll struct {
	Options    []PollOption
	Multiple   bool
	HideTotals bool
	ExpiresAt  *time.Time
	Votes      int // every option chosen, counted once per voter
	// Voters is how many voted; nil when the origin of a received poll
	// did not say.
	Voters *int
}

// PollOption is one answer of a poll and how many chose it.
type PollOption struct {
	Title string
	Votes int
}

// Expired reports whether the poll had ended at now.
func (p Poll) Expired(now time.Time) bool { return p.ExpiresAt != nil && !now.Before(*p.ExpiresAt) }

// RemotePoll is a received Question's poll, read off the wire: nothing in
// it is trusted.
type RemotePoll struct {
	Options  []string
	Counts   []int
	Multiple bool // anyOf rather than oneOf
	Voters   *int
	EndTime  time.Time // zero when it has none
}

// checkPoll checks a local poll's input, with Mastodon's sentences.
func checkPoll(in *PollInput) []core.FieldError {
	var fe []core.FieldError
	add := func(field, code, detail string) {
		fe = append(fe, core.FieldError{Field: field, Code: code, Detail: detail})
	}
	for i, o := range in.Options {
		in.Options[i] = strings.TrimSpace(strings.ReplaceAll(o, "\x00", ""))
	}
	switch {
	case len(in.Options) < 2:
		add("poll.options", "too-few-options", "Poll options must have more than one item")
	case len(in.Options) > MaxPollOptions:
		add("poll.options", "too-many-options", fmt.Sprintf("Poll options can't contain more than %d items", MaxPollOptions))
	}
	seen := map[string]bool{}
	for _, o := range in.Options {
		switch {
		case !utf8.ValidString(o) || o == "":
			add("poll.options", "blank-option", "Poll options can't be blank")
		case utf8.RuneCountInString(o) > MaxPollOptionLength:
			add("poll.options", "option-too-long", fmt.Sprintf("Poll options cannot be longer than %d characters each", MaxPollOptionLength))
		case seen[o]:
			add("poll.options", "duplicate-options", "Poll options contain duplicate items")
		}
		seen[o] = true
	}
	switch {
	case in.ExpiresIn < MinPollExpiry:
		add("poll.expires_in", "too-soon", "Poll expires at is too soon")
	case in.ExpiresIn > MaxPollExpiry:
		add("poll.expires_in", "too-far", "Poll expires at is too far into the future")
	}
	// One sentence per rule: several too-long options say it once.
	return slices.CompactFunc(fe, func(a, b core.FieldError) bool { return a.Code == b.Code })
}

// newPoll is the row of a local note's poll.
func newPoll(note uuid.UUID, in PollInput, now time.Time) (store.NotePoll, error) {
	options, err := json.Marshal(in.Options)
	if err != nil {
		return store.NotePoll{}, fmt.Errorf("poll options: %w", err)
	}
	at := now.Add(in.ExpiresIn)
	return store.NotePoll{NoteID: note, Options: string(options), Counts: "[]", Multiple: in.Multiple,
		HideTotals: in.HideTotals, ExpiresAt: &at}, nil
}

// remotePollRow bounds a received poll into a row; ok is false when it is
// no poll (fewer than one option).
func remotePollRow(note uuid.UUID, in *RemotePoll) (store.NotePoll, bool) {
	if in == nil {
		return store.NotePoll{}, false
	}
	var options []string
	var counts []int
	for i, o := range in.Options {
		if len(options) == MaxRemotePollOptions {
			break
		}
		options = append(options, truncate(PlainText(o), MaxRemotePollOption))
		n := 0
		if i < len(in.Counts) && in.Counts[i] > 0 {
			n = in.Counts[i]
		}
		counts = append(counts, n)
	}
	if len(options) == 0 {
		return store.NotePoll{}, false
	}
	o, _ := json.Marshal(options)
	c, _ := json.Marshal(counts)
	row := store.NotePoll{NoteID: note, Options: string(o), Counts: string(c), Multiple: in.Multiple,
		EndedPublished: true} // its origin announces its end
	if in.Voters != nil && *in.Voters >= 0 {
		v := *in.Voters
		row.VotersCount = &v
	}
	if !in.EndTime.IsZero() {
		t := in.EndTime.UTC()
		row.ExpiresAt = &t
	}
	return row, true
}

// pollOf reads the poll of the note r, nil when it has none.
func pollOf(ctx context.Context, tx store.Tx, r store.NoteRow) (*Poll, error) {
	row, err := tx.Polls().Of(ctx, r.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return pollFrom(ctx, tx, r.Local, row)
}

func pollFrom(ctx context.Context, tx store.Tx, local bool, row store.NotePoll) (*Poll, error) {
	var titles []string
	if err := json.Unmarshal([]byte(row.Options), &titles); err != nil {
		return nil, fmt.Errorf("poll of %s: %w", row.NoteID, err)
	}
	p := &Poll{Multiple: row.Multiple, HideTotals: row.HideTotals, ExpiresAt: row.ExpiresAt,
		Options: make([]PollOption, len(titles))}
	for i, t := range titles {
		p.Options[i].Title = t
	}
	if local {
		per, voters, err := tx.Polls().Tally(ctx, row.NoteID)
		if err != nil {
			return nil, err
		}
		for i := range p.Options {
			p.Options[i].Votes = per[i]
			p.Votes += per[i]
		}
		p.Voters = &voters
		return p, nil
	}
	var counts []int
	if err := json.Unmarshal([]byte(row.Counts), &counts); err != nil {
		return nil, fmt.Errorf("poll counts of %s: %w", row.NoteID, err)
	}
	for i := range p.Options {
		if i < len(counts) {
			p.Options[i].Votes = counts[i]
			p.Votes += counts[i]
		}
	}
	p.Voters = row.VotersCount
	return p, nil
}

// OwnVotes returns the options viewer chose in the poll of the note id, in
// order; empty when they did not vote (or are nobody).
func (s *Service) OwnVotes(ctx context.Context, viewer *membership.Account, id uuid.UUID) ([]int, error) {
	if viewer == nil {
		return []int{}, nil
	}
	me, err := s.db.Actors().OfAccount(ctx, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return []int{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("own votes on %s: %w", id, err)
	}
	out, err := s.db.Polls().Choices(ctx, id, me.URI)
	if err != nil {
		return nil, fmt.Errorf("own votes on %s: %w", id, err)
	}
	if out == nil {
		out = []int{}
	}
	return out, nil
}

// Vote records by's choices (indexes of the options) in the poll of the
// note id, which by must be able to read. Votes in a poll that has ended,
// by the poll's author, a second vote in a single-choice poll and the same
// choice twice in a multiple one are refused, as Mastodon refuses them.
// On a received poll, the votes are also sent to its author, one Note per
// choice (docs/vocabulary.md §5.8), and counted in what is shown until the
// origin sends its counts.
func (s *Service) Vote(ctx context.Context, by membership.Account, id uuid.UUID, choices []int) (Note, error) {
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Notes().ByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchNote
		}
		if err != nil {
			return err
		}
		n, err := s.load(ctx, tx, row)
		if err != nil {
			return err
		}
		if ok, err := s.mayRead(ctx, tx, &by, n); err != nil {
			return err
		} else if !ok || n.Deleted != nil {
			return ErrNoSuchNote
		}
		poll, err := tx.Polls().ForUpdate(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoPoll
		}
		if err != nil {
			return err
		}
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrMayNotPost
		}
		if err != nil {
			return err
		}
		if me.URI == n.Author.URI {
			return ErrSelfVote
		}
		if err := membership.RefuseBlocked(ctx, tx, me, n.Author.URI); err != nil {
			return err
		}
		names, err := s.record(ctx, tx, n, poll, me.URI, choices, func() string { return me.URI + "#votes/" + newID().String() })
		if err != nil {
			return err
		}
		if !n.Local {
			if err := s.sendVotes(ctx, tx, n, me, names); err != nil {
				return err
			}
		}
		out, err = s.load(ctx, tx, row)
		return err
	})
	if err != nil {
		return Note{}, fmt.Errorf("vote of %s on %s: %w", by.Username, id, err)
	}
	return out, nil
}

// votedName is one vote recorded: the option's title and the vote's id.
type votedName struct{ URI, Name string }

// record checks and writes voter's choices in poll (of note n, locked),
// and for a received poll adds them to the counts its origin sent.
func (s *Service) record(ctx context.Context, tx store.Tx, n Note, poll store.NotePoll, voter string, choices []int, voteURI func() string) ([]votedName, error) {
	if poll.ExpiresAt != nil && !s.now().Before(*poll.ExpiresAt) {
		return nil, ErrPollEnded
	}
	var titles []string
	if err := json.Unmarshal([]byte(poll.Options), &titles); err != nil {
		return nil, fmt.Errorf("poll of %s: %w", n.ID, err)
	}
	if len(choices) == 0 || len(choices) > len(titles) {
		return nil, ErrInvalidChoice
	}
	if !poll.Multiple && len(choices) > 1 {
		return nil, ErrOneChoice
	}
	before, err := tx.Polls().Choices(ctx, n.ID, voter)
	if err != nil {
		return nil, err
	}
	if !poll.Multiple && len(before) > 0 {
		return nil, ErrAlreadyVoted
	}
	var counts []int
	if !n.Local {
		if err := json.Unmarshal([]byte(poll.Counts), &counts); err != nil {
			return nil, fmt.Errorf("poll counts of %s: %w", n.ID, err)
		}
	}
	var out []votedName
	now := s.now()
	for _, c := range choices {
		if c < 0 || c >= len(titles) {
			return nil, ErrInvalidChoice
		}
		if slices.Contains(before, c) {
			return nil, ErrAlreadyVoted
		}
		before = append(before, c)
		v := store.PollVote{ID: newID(), NoteID: n.ID, Voter: voter, Choice: c, URI: voteURI(), CreatedAt: now}
		if poll.Multiple {
			v.Slot = c
		}
		if err := tx.Polls().AddVote(ctx, &v); errors.Is(err, store.ErrDuplicate) {
			return nil, ErrAlreadyVoted // a vote at the same time
		} else if err != nil {
			return nil, err
		}
		out = append(out, votedName{URI: v.URI, Name: titles[c]})
		if c < len(counts) {
			counts[c]++
		}
	}
	if !n.Local {
		c, _ := json.Marshal(counts)
		poll.Counts = string(c)
		if poll.VotersCount != nil && len(before) == len(choices) { // the voter's first vote
			v := *poll.VotersCount + 1
			poll.VotersCount = &v
		}
		if err := tx.Polls().SetCounts(ctx, &poll); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sendVotes publishes me's votes on the received poll n to its author.
func (s *Service) sendVotes(ctx context.Context, tx store.Tx, n Note, me store.Actor, votes []votedName) error {
	author, err := tx.Actors().ByURI(ctx, n.Author.URI)
	if err != nil {
		return err
	}
	inbox := inboxOf(author)
	if inbox == "" {
		return nil // nowhere to send: the vote stays ours
	}
	by := authorOf(me)
	for _, v := range votes {
		if err := s.publish(ctx, tx, Publication{Type: "Vote", Note: n, By: by, ActivityID: v.URI, Vote: v.Name,
			Inboxes: []string{inbox}}); err != nil {
			return err
		}
	}
	return nil
}

// ReceivePollVote counts the vote of the remote actor voter (who signed
// it) for the option named option in the poll of the local note question,
// as Mastodon sends it: a Note named after the option, in reply to the
// poll. The voter must be able to read the note (anyone a public or
// unlisted one), and no block may stand between them and its author.
// ErrNoPoll when question is no local note's poll.
func (s *Service) ReceivePollVote(ctx context.Context, voter, question, option, voteURI string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Notes().ByURI(ctx, question)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!row.Local || row.DeletedAt != nil)) {
			return ErrNoPoll
		}
		if err != nil {
			return err
		}
		poll, err := tx.Polls().ForUpdate(ctx, row.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoPoll
		}
		if err != nil {
			return err
		}
		n, err := s.load(ctx, tx, row)
		if err != nil {
			return err
		}
		if voter == n.Author.URI {
			return ErrSelfVote
		}
		if apart, err := tx.Blocks().Apart(ctx, n.Author.ID); err != nil {
			return err
		} else if apart[voter] {
			return membership.ErrBlocked
		}
		if ok, err := s.remoteMayRead(ctx, tx, voter, n); err != nil {
			return err
		} else if !ok {
			return ErrNoSuchNote
		}
		var titles []string
		if err := json.Unmarshal([]byte(poll.Options), &titles); err != nil {
			return fmt.Errorf("poll of %s: %w", n.ID, err)
		}
		c := slices.Index(titles, option)
		if c < 0 {
			return ErrInvalidChoice
		}
		_, err = s.record(ctx, tx, n, poll, voter, []int{c}, func() string { return voteURI })
		return err
	})
	if err != nil {
		return fmt.Errorf("poll vote of %s on %s: %w", voter, question, err)
	}
	return nil
}

// remoteMayRead tells whether the remote actor uri may read the local note
// n: a public or unlisted one, or one that mentions them, or a
// followers-only one when they follow its author.
func (s *Service) remoteMayRead(ctx context.Context, tx store.Tx, uri string, n Note) (bool, error) {
	if n.Visibility == Public || n.Visibility == Unlisted || slices.Contains(n.MentionURIs(), uri) {
		return true, nil
	}
	if n.Visibility != Followers {
		return false, nil
	}
	a, err := tx.Actors().ByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f, err := tx.Follows().Between(ctx, a.ID, n.Author.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && f.State == membership.FollowAccepted, err
}

// receivePoll keeps, or brings up to date, the poll of the received note
// id. Options changed reset the votes, as Mastodon does.
func receivePoll(ctx context.Context, tx store.Tx, id uuid.UUID, in *RemotePoll) error {
	row, ok := remotePollRow(id, in)
	if !ok {
		return nil
	}
	old, err := tx.Polls().ForUpdate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return tx.Polls().Create(ctx, &row)
	}
	if err != nil {
		return err
	}
	// Compared as values: PostgreSQL's jsonb gives the text back its own way.
	var before, after []string
	if err := json.Unmarshal([]byte(old.Options), &before); err != nil {
		return fmt.Errorf("poll of %s: %w", id, err)
	}
	_ = json.Unmarshal([]byte(row.Options), &after)
	if !slices.Equal(before, after) {
		if err := tx.Polls().ClearVotes(ctx, id); err != nil {
			return err
		}
	}
	return tx.Polls().SetCounts(ctx, &row)
}
