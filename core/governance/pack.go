package governance

import (
	"encoding/binary"
	"errors"
)

// The count of a million members reads packed pages, each covering 1024
// voter numbers (store/migrations/…_governance.tx.up.sql): the roll of a
// phase (who may vote, and the ballot box) and the voting instructions.

// PageSize is how many voter numbers one page covers.
const PageSize = 1024

// noChoice in a ballot box's first byte marks a voter without a ballot.
const noChoice = 0xFF

// Position codes in the consensus round's ballot box.
var positionCodes = []string{Agree, Abstain, Object}

func positionCode(p string) byte {
	for i, v := range positionCodes {
		if v == p {
			return byte(i)
		}
	}
	return noChoice
}

// pageOf splits a voter number into its page and its place on it.
func pageOf(number int32) (page int32, offset int) {
	return number / PageSize, int(number % PageSize)
}

// boxWidth is the bytes a ballot takes in a ballot box: the position in
// the consensus round, one score per option in the value vote.
func boxWidth(phase string, options int) int {
	if phase == PhaseValueVote {
		return max(options, 1)
	}
	return 1
}

// newRollPage returns an empty page: nobody eligible, no ballots.
func newRollPage(width int) (eligible, choices []byte) {
	eligible = make([]byte, PageSize/8)
	choices = make([]byte, PageSize*width)
	for i := 0; i < len(choices); i += width {
		choices[i] = noChoice
	}
	return eligible, choices
}

func isEligible(eligible []byte, offset int) bool {
	return offset/8 < len(eligible) && eligible[offset/8]&(1<<(offset%8)) != 0
}

func setEligible(eligible []byte, offset int) { eligible[offset/8] |= 1 << (offset % 8) }

// errBadPage is a page that does not decode: a bug or a damaged database,
// never a user's doing.
var errBadPage = errors.New("governance: damaged instruction page")

// encodeInstructions packs the instructions of one page's voters, given in
// increasing order of offset:
//
//	per voter: uvarint offset, uvarint count of instructions, then each
//	instruction: uvarint len(scope), scope, uvarint count of delegates,
//	and each delegate: uvarint 2*number for a voter, or 2*len(role)+1
//	followed by the role's name.
func encodeInstructions(voters []pageVoter) []byte {
	// Never nil: a page whose voters all dropped their instructions is
	// kept, empty (the column is NOT NULL).
	b := []byte{}
	for _, v := range voters {
		b = binary.AppendUvarint(b, uint64(v.offset))
		b = binary.AppendUvarint(b, uint64(len(v.instructions)))
		for _, in := range v.instructions {
			b = binary.AppendUvarint(b, uint64(len(in.Scope)))
			b = append(b, in.Scope...)
			b = binary.AppendUvarint(b, uint64(len(in.Delegates)))
			for _, d := range in.Delegates {
				if d.Role != "" {
					b = binary.AppendUvarint(b, uint64(2*len(d.Role)+1))
					b = append(b, d.Role...)
				} else {
					b = binary.AppendUvarint(b, uint64(2*d.Voter))
				}
			}
		}
	}
	return b
}

// pageVoter is one voter's instructions on a page.
type pageVoter struct {
	offset       int
	instructions []Instruction
}

// decodeInstructions calls fn for each voter of the page with the
// delegates that apply to category (InstructionFor), skipping the voters
// skip says need none. Role names are interned in roles so that a million
// delegates to "treasurer" share one string.
func decodeInstructions(data []byte, category string, skip func(offset int) bool, roles map[string]string, fn func(offset int, delegates []Delegate)) error {
	r := reader{b: data}
	for !r.done() {
		offset := int(r.uvarint())
		count := r.uvarint()
		var chosen, all []Delegate
		found := false
		want := !skip(offset)
		for range count {
			scope := r.bytes(int(r.uvarint()))
			n := r.uvarint()
			if r.err != nil || n > uint64(len(r.b)) {
				return errBadPage
			}
			// Read the delegates when they may apply; skip them otherwise.
			use := want && !found && (string(scope) == category || len(scope) == 0)
			var list []Delegate
			if use {
				list = make([]Delegate, 0, n)
			}
			for range n {
				x := r.uvarint()
				if x%2 == 1 {
					name := r.bytes(int(x / 2))
					if use {
						role, ok := roles[string(name)]
						if !ok {
							role = string(name)
							roles[role] = role
						}
						list = append(list, Delegate{Role: role})
					}
				} else if use {
					list = append(list, Delegate{Voter: int32(x / 2)})
				}
			}
			if use {
				if len(scope) == 0 {
					all = list
				} else {
					chosen, found = list, true
				}
			}
		}
		if r.err != nil {
			return errBadPage
		}
		if !want {
			continue
		}
		if !found {
			chosen = all
		}
		if len(chosen) > 0 {
			fn(offset, chosen)
		}
	}
	return r.err
}

// reader reads uvarints and byte strings, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) done() bool { return r.err != nil || len(r.b) == 0 }

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadPage
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errBadPage
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}
