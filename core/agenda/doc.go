// Package agenda owns an association's events and who takes part in
// them: the event itself (its times in the IANA time zone it was given in,
// its place or online link, capacity, join mode, status, tags, category and
// organiser), its changes (each one raises the sequence number iCalendar's
// SEQUENCE reads), its cancellation, and participation in it by any actor,
// here or on another instance (docs/vocabulary.md §4.5 and §5.11).
//
// A participation is participant, pending (the event asks for the board's
// approval), waitlisted (the event was full) or rejected. Every change of
// participation locks the event's row and changes the counts the row keeps
// in the same transaction, so that capacity holds and counts stay exact
// under concurrent joins; a freed place goes to the first on the waiting
// list in that same transaction.
//
// Federation parses Join and Leave activities and calls ReceiveJoin and
// ReceiveLeave; the answers (Accept, Reject) and the events' Create and
// Update go out through a Publisher inside the transaction that decides
// them (publish.go).
//
// The network's map (places.go) shows the upcoming events with a position
// of the public associations here and of the partners' copies, and the
// public associations that say where they are, bounded in count.
//
// The network agenda (network.go) lists this instance's public events
// beside the copies of the partners' that federation keeps
// (store.RemoteEvent), in one order and one set of pages; the network's
// calendar feed is its anonymous reading, cancelled events included.
//
// agenda never imports web, federation or vocab and never logs; it never
// lets a participant count pass an event's capacity, nor anyone but the
// association's board change an event or decide on a participation.
package agenda
