package pricing

import "slices"

// share is one offer's part of one line's discount, packed in a word:
// the amount (at most factlimit.MaxAmountMinor, < 2^40) in the high bits,
// then the decision and the line (each < 2^11: at most factlimit.MaxLines
// lines and maxPromotions + maxCoupons + 2 decisions). A 50-line basket
// under 20 offers books hundreds of shares: half the bytes of a struct
// is less for the collector to do. The Result keeps them packed tighter
// still (packShares).
type share uint64

const (
	shareIndexBits = 11
	shareIndexMask = 1<<shareIndexBits - 1
)

func newShare(line, decision int, amount int64) share {
	return share(uint64(amount)<<(2*shareIndexBits) | uint64(decision)<<shareIndexBits | uint64(line))
}

// plus adds v to the share's amount.
func (s share) plus(v int64) share { return s + share(v)<<(2*shareIndexBits) }

func (s share) line() int     { return int(s & shareIndexMask) }
func (s share) decision() int { return int(s >> shareIndexBits & shareIndexMask) }
func (s share) amount() int64 { return int64(s >> (2 * shareIndexBits)) }

// packedAmountBits is how many bits a share's amount has in a Result: 21
// (up to 20,971.51 in a currency of cents) beside the line's 11.
const packedAmountBits = 32 - shareIndexBits

// packShares packs shares, booked decision by decision, for a Result:
// one uint32 per share (its amount above its line), after the run end of
// each of the decisions (an index past them). A 50-line basket under 20
// offers keeps about 600 shares: 2.4 KB instead of 4.8 of the 18 KB a
// Result takes, and bytes are what the collector's cycles follow (its
// worst case priced 6 % faster with half the shares' bytes). It gives the shares back as
// they are (wide) when an amount needs more bits or the decisions are out
// of order, which the engine never books but the packing must not assume.
// TestPackSharesRoundTrips holds it to the plain list.
func packShares(shares []share, decisions int) (packed []uint32, wide []share) {
	packed = make([]uint32, decisions+len(shares))
	prev := 0
	for j, s := range shares {
		a, d := s.amount(), s.decision()
		if a >= 1<<packedAmountBits || d < prev || d >= decisions {
			return nil, slices.Clone(shares)
		}
		prev = d
		packed[decisions+j] = uint32(a)<<shareIndexBits | uint32(s.line())
		packed[d]++
	}
	for d := 1; d < decisions; d++ {
		packed[d] += packed[d-1]
	}
	return packed, nil
}
