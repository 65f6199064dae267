package loyalty

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// AccountDocs is an account header as a store may keep it beside its
// member ID and version: the ledger header and the rest of the state, as
// two small documents, JSON (Docs) or binary (BinaryDocs). Adapters that
// keep the header as documents share this form, and with it one decoder
// that checks what it reads and tells the two forms apart.
type AccountDocs struct {
	Header []byte // ledger.Header as JSON or binary
	State  []byte // tier, activity, purchase count and merge fields as JSON or binary
}

// accountState is the state document: the header's fields beside the
// version and the ledger header. Its JSON names are what stores hold.
type accountState struct {
	Tier        TierState         `json:"tier"`
	TierMarks   []TierMark        `json:"tierMarks,omitempty"`
	Activity    []QualifyingEvent `json:"activity,omitempty"`    // as documents before activityBin had it
	ActivityBin []byte            `json:"activityBin,omitempty"` // the activity's binary form (activity_codec.go)
	Purchases   int64             `json:"purchases,omitempty"`
	MergedInto  string            `json:"mergedInto,omitempty"`
	MergingInto string            `json:"mergingInto,omitempty"`
	MergingAt   time.Time         `json:"mergingAt,omitzero"`
}

// Docs returns the account header's documents.
func (a Account) Docs() (AccountDocs, error) {
	header, err := json.Marshal(a.Points.Header())
	if err != nil {
		return AccountDocs{}, err
	}
	activity, err := encodeActivity(a.Activity)
	if err != nil {
		return AccountDocs{}, err
	}
	state, err := json.Marshal(accountState{Tier: a.Tier, TierMarks: a.TierMarks, ActivityBin: activity, Purchases: a.Purchases,
		MergedInto: a.MergedInto, MergingInto: a.MergingInto, MergingAt: a.MergingAt})
	return AccountDocs{Header: header, State: state}, err
}

// AccountFromDocs restores an account header from its member ID, version
// and documents, with ledger.FromHeader's checks. Each document may be
// JSON or binary.
func AccountFromDocs(memberID string, version int64, d AccountDocs) (Account, error) {
	a := Account{MemberID: memberID, Version: version}
	st, err := decodeStateDoc(d.State)
	if err != nil {
		return a, fmt.Errorf("account %s: state: %w", memberID, err)
	}
	h, err := decodeHeaderDoc(d.Header)
	if err != nil {
		return a, fmt.Errorf("account %s: header: %w", memberID, err)
	}
	p, err := ledger.FromHeader(h)
	if err != nil {
		return a, fmt.Errorf("account %s: header: %w", memberID, err)
	}
	if len(st.ActivityBin) > 0 {
		if st.Activity, err = decodeActivity(st.ActivityBin); err != nil {
			return a, fmt.Errorf("account %s: state: %w", memberID, err)
		}
	}
	a.Points, a.Tier, a.TierMarks, a.Activity, a.Purchases = p, st.Tier, st.TierMarks, st.Activity, st.Purchases
	a.MergedInto, a.MergingInto, a.MergingAt = st.MergedInto, st.MergingInto, st.MergingAt
	return a, nil
}

// decodeStateDoc and decodeHeaderDoc read a document in either form. The
// JSON forms are decoded in functions of their own: a value handed to
// json.Unmarshal lives on the heap, and were the binary path's value the
// same variable, every read of a binary document would pay for it too.
func decodeStateDoc(doc []byte) (accountState, error) {
	if !isBinaryDoc(doc) {
		return decodeJSON[accountState](doc)
	}
	var st accountState
	err := st.decodeBinary(doc)
	return st, err
}

func decodeHeaderDoc(doc []byte) (ledger.Header, error) {
	if !isBinaryDoc(doc) {
		return decodeJSON[ledger.Header](doc)
	}
	return decodeHeader(doc)
}

func decodeJSON[T any](doc []byte) (T, error) {
	var v T
	err := json.Unmarshal(doc, &v)
	return v, err
}
