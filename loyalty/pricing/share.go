package pricing

// share is one offer's part of one line's discount, packed in a word:
// the amount (at most factlimit.MaxAmountMinor, < 2^40) in the high bits,
// then the decision and the line (each < 2^11: at most factlimit.MaxLines
// lines and maxPromotions + maxCoupons + 2 decisions). A 50-line basket
// under 20 offers books hundreds of shares, and the Result keeps them
// all: half the bytes of a struct is less for the collector to do.
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
