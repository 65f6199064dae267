package metrics

import (
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/loyalty"
)

// MemberTier is one member's tier standing as stored at some moment
// (loyalty.Account.MemberID and Tier).
type MemberTier struct {
	MemberID string            `json:"memberId"`
	State    loyalty.TierState `json:"state"`
}

// EntryTier is the label the tier tables use for the entry tier, which a
// TierState records as the empty code.
const EntryTier = "(entry)"

// TierCount is the members holding one tier.
type TierCount struct {
	Tier    string  `json:"tier"`
	Members int     `json:"members"`
	Share   float64 `json:"share"` // of TierDistribution.Members
}

// TierDistribution is how many members hold each tier at At. A member's
// tier is TierState.Effective(At): a manual override while it lasts, the
// earned tier otherwise. Members who joined after At (MemberSince) are
// left out.
type TierDistribution struct {
	At      time.Time   `json:"at"`
	Members int         `json:"members"`
	Tiers   []TierCount `json:"tiers"` // in ladder order, see TierDistributionAt
}

// TierDistributionAt counts the members of states by tier at at. order is
// the tier ladder, lowest first (loyalty tier codes; "" or EntryTier for
// the entry tier); every tier in it gets a row, held or not, and tiers
// met that are not in it follow in code order. A member listed twice is
// an error: the stream must be one state per member.
func TierDistributionAt(states iter.Seq2[MemberTier, error], at time.Time, order []string) (TierDistribution, error) {
	if at.IsZero() {
		return TierDistribution{}, fieldErr(ErrInvalidArgument, "tier distribution", "At", "must be set")
	}
	tiers, err := readTiers(states, at)
	if err != nil {
		return TierDistribution{}, err
	}
	counts := map[string]int{}
	for _, t := range tiers {
		counts[t]++
	}
	out := TierDistribution{At: at, Members: len(tiers)}
	for _, t := range ladder(order, counts) {
		c := TierCount{Tier: t, Members: counts[t]}
		if out.Members > 0 {
			c.Share = float64(c.Members) / float64(out.Members)
		}
		out.Tiers = append(out.Tiers, c)
	}
	return out, nil
}

// TierMigration is the tier migration matrix between two dates: Counts[i][j]
// members held Tiers[i] at From and Tiers[j] at To. Members present at only
// one date are counted apart (Joined by their tier at To, Left by their
// tier at From). Upgraded, Downgraded and Stayed compare ladder positions
// of members present at both dates.
type TierMigration struct {
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	Tiers      []string  `json:"tiers"`
	Counts     [][]int   `json:"counts"`
	Joined     []int     `json:"joined"`
	Left       []int     `json:"left"`
	Upgraded   int       `json:"upgraded"`
	Downgraded int       `json:"downgraded"`
	Stayed     int       `json:"stayed"`
}

// TierMigrationBetween builds the migration matrix from the members'
// states as stored at from and as stored at to (two snapshots of
// loyalty.Store.Accounts, say). Each tier is read with
// TierState.Effective at its own date. order is the ladder, as for
// TierDistributionAt.
func TierMigrationBetween(atFrom, atTo iter.Seq2[MemberTier, error], from, to time.Time, order []string) (TierMigration, error) {
	if from.IsZero() || !from.Before(to) {
		return TierMigration{}, fieldErr(ErrInvalidArgument, "tier migration", "From/To", "both must be set, From before To")
	}
	before, err := readTiers(atFrom, from)
	if err != nil {
		return TierMigration{}, err
	}
	after, err := readTiers(atTo, to)
	if err != nil {
		return TierMigration{}, err
	}
	seen := map[string]int{}
	for _, t := range before {
		seen[t]++
	}
	for _, t := range after {
		seen[t]++
	}
	out := TierMigration{From: from, To: to, Tiers: ladder(order, seen)}
	rank := map[string]int{}
	for i, t := range out.Tiers {
		rank[t] = i
	}
	n := len(out.Tiers)
	out.Counts = make([][]int, n)
	for i := range out.Counts {
		out.Counts[i] = make([]int, n)
	}
	out.Joined, out.Left = make([]int, n), make([]int, n)
	for id, a := range before {
		b, ok := after[id]
		if !ok {
			out.Left[rank[a]]++
			continue
		}
		i, j := rank[a], rank[b]
		out.Counts[i][j]++
		switch {
		case j > i:
			out.Upgraded++
		case j < i:
			out.Downgraded++
		default:
			out.Stayed++
		}
	}
	for id, b := range after {
		if _, ok := before[id]; !ok {
			out.Joined[rank[b]]++
		}
	}
	return out, nil
}

// readTiers maps member → effective tier at at, skipping members who
// joined after at.
func readTiers(states iter.Seq2[MemberTier, error], at time.Time) (map[string]string, error) {
	out := map[string]string{}
	for m, err := range states {
		if err != nil {
			return nil, readErr("tier states", err)
		}
		if m.MemberID == "" {
			return nil, fieldErr(ErrInvalidArgument, "tier state", "MemberID", "must not be empty")
		}
		if _, dup := out[m.MemberID]; dup {
			return nil, fieldErr(ErrInvalidArgument, "tier state "+m.MemberID, "MemberID", "listed twice")
		}
		if !m.State.MemberSince.IsZero() && m.State.MemberSince.After(at) {
			continue
		}
		out[m.MemberID] = tierLabel(m.State.Effective(at))
	}
	return out, nil
}

func tierLabel(code string) string {
	if code == "" {
		return EntryTier
	}
	return code
}

// ladder lists the tiers of order (labelled) followed by any other tier
// in counts, sorted by code.
func ladder(order []string, counts map[string]int) []string {
	var out []string
	in := map[string]bool{}
	for _, t := range order {
		t = tierLabel(t)
		if !in[t] {
			in[t] = true
			out = append(out, t)
		}
	}
	var extra []string
	for t := range counts {
		if !in[t] {
			extra = append(extra, t)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// TiersOf maps a stream of accounts, as loyalty.Store.Accounts yields
// them, to the tier states the tier tables read. Accounts merged into
// another member's are skipped: the survivor holds the tier.
func TiersOf(accounts iter.Seq2[loyalty.Account, error]) iter.Seq2[MemberTier, error] {
	return func(yield func(MemberTier, error) bool) {
		for a, err := range accounts {
			if err != nil {
				yield(MemberTier{}, err)
				return
			}
			if a.MergedInto != "" {
				continue
			}
			if !yield(MemberTier{MemberID: a.MemberID, State: a.Tier}, nil) {
				return
			}
		}
	}
}
