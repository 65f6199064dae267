package loyalty

import (
	"cmp"
	"context"
	"errors"
	"slices"
)

// ChangeFeed is an optional extension of a Store that names what the saves
// of an account wrote after a version of it. A copy of the account kept
// elsewhere (a lane's offline copy, a reporting replica) is brought up to
// date by reading the lots, records and entries that changed, by ID, key
// and Seq, instead of the member's whole history: refreshing a member who
// shopped once since the last copy costs that purchase's rows, whether
// they have shopped ten times before or fifty thousand.
//
// A store keeps a change journal for it: one small Change per Save, in the
// same atomic write (EncodeChange gives a compact form for a column), and
// answers from the journal's rows after the version asked about. The
// memory store keeps it whole, as does the PostgreSQL example's
// JournaledLoyalty (its default store keeps none: the row costs every
// earn, for a benefit only lanes have); the SQLite example's lane starts a
// member's again at each copy it takes; a store
// that prunes fails for a version older than what it keeps, and the caller
// copies the account whole.
//
// loyaltytest.Run checks, for a store that has it, that the answer names
// exactly what the saves after each version wrote.
type ChangeFeed interface {
	// Changes returns what the saves of the member's account after version
	// since wrote (Changes). It fails with ErrNotFound if the account does
	// not exist, and with ErrChangesGone if the store cannot name every
	// change after since: since is above the account's version, or older
	// than the journal the store keeps.
	Changes(ctx context.Context, memberID string, since int64) (Changes, error)
}

// ErrChangesGone: a ChangeFeed cannot name every change after the version
// asked about; the caller copies the account whole.
var ErrChangesGone = errors.New("loyalty: the changes since that version are not kept")

// Changes is what the saves of an account after a version wrote.
type Changes struct {
	// Version is the account's version the changes reach: the latest save
	// read, or since itself when nothing changed.
	Version int64
	// EntriesAfter is the Seq of the account's last entry at version
	// since: every entry appended since has a greater Seq.
	EntriesAfter int64
	// Lots are the IDs of the lots written, each once, in byte order.
	Lots []string
	// Records are the records written, each once, by kind then key.
	Records []RecordRef
}

// RecordRef names a record of an account.
type RecordRef struct {
	Kind RecordKind
	Key  string
}

// Change is what one Save wrote, as a change journal keeps it.
type Change struct {
	Version      int64 // the version the save wrote
	EntriesAfter int64 // the account's last entry Seq before the save
	Lots         []string
	Records      []RecordRef
}

// ChangeOf is the Change a store journals for w: the header's version, the
// entry Seq the write's entries follow, and the keys of its lots and
// records.
func ChangeOf(w Write) Change {
	c := Change{Version: w.Account.Version, EntriesAfter: w.Account.Points.Header().Seq - int64(len(w.Entries))}
	if len(w.Lots) > 0 {
		c.Lots = make([]string, len(w.Lots))
		for i, l := range w.Lots {
			c.Lots[i] = l.ID
		}
	}
	if len(w.Records) > 0 {
		c.Records = make([]RecordRef, len(w.Records))
		for i, r := range w.Records {
			c.Records[i] = RecordRef{r.Kind, r.Key}
		}
	}
	return c
}

// SumChanges is what the journal's changes after version since add up to,
// for an account whose header is now at version current with its last
// entry at seq: the keys each once and sorted. The changes must be every
// save's after since, in version order; a gap (a version missing, or the
// first not since+1) fails with ErrChangesGone, as does since above
// current.
func SumChanges(since, current, seq int64, changes []Change) (Changes, error) {
	if since > current || since < 0 {
		return Changes{}, ErrChangesGone
	}
	out := Changes{Version: since, EntriesAfter: seq}
	for i, c := range changes {
		if c.Version != since+1+int64(i) {
			return Changes{}, ErrChangesGone
		}
		if i == 0 {
			out.EntriesAfter = c.EntriesAfter
		}
		out.Version = c.Version
		out.Lots = append(out.Lots, c.Lots...)
		out.Records = append(out.Records, c.Records...)
	}
	if out.Version != current {
		return Changes{}, ErrChangesGone
	}
	slices.Sort(out.Lots)
	out.Lots = slices.Compact(out.Lots)
	slices.SortFunc(out.Records, RecordRef.Compare)
	out.Records = slices.Compact(out.Records)
	return out, nil
}

// Compare orders record references by kind, then key (byte order), as
// Changes lists them.
func (r RecordRef) Compare(o RecordRef) int {
	return cmp.Or(cmp.Compare(r.Kind, o.Kind), cmp.Compare(r.Key, o.Key))
}
