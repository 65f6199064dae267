package segment

import "slices"

// Membership is a set of customer IDs, sorted and unique: the result of
// evaluating a segment.
type Membership struct{ ids []string }

// NewMembership returns the set of ids (copied, sorted, duplicates
// dropped).
func NewMembership(ids []string) Membership {
	s := slices.Clone(ids)
	slices.Sort(s)
	return Membership{ids: slices.Compact(s)}
}

// IDs returns the members in ascending order. The slice is a copy.
func (m Membership) IDs() []string { return slices.Clone(m.ids) }

// Len returns the number of members.
func (m Membership) Len() int { return len(m.ids) }

// Has reports whether id is a member.
func (m Membership) Has(id string) bool {
	_, ok := slices.BinarySearch(m.ids, id)
	return ok
}

// Changes is who entered and who left a segment between two evaluations.
type Changes struct {
	Entered []string // in after, not in before; ascending
	Left    []string // in before, not in after; ascending
	Stayed  int      // in both
}

// Diff compares two evaluations of a segment in one merge pass.
func Diff(before, after Membership) Changes {
	var c Changes
	a, b := before.ids, after.ids
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] == b[0]:
			c.Stayed++
			a, b = a[1:], b[1:]
		case a[0] < b[0]:
			c.Left = append(c.Left, a[0])
			a = a[1:]
		default:
			c.Entered = append(c.Entered, b[0])
			b = b[1:]
		}
	}
	c.Left = append(c.Left, a...)
	c.Entered = append(c.Entered, b...)
	return c
}
