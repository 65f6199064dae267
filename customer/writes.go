package customer

import (
	"context"
)

// Writes is the customer service's write API returning the events each
// write caused, as loyalty's and feedback's operations do. Get it from
// Service.Writes; the Service methods of the same names return only the
// customer and are kept for callers that publish nothing.
//
// A host on a database publishes at least once: it calls the write, then
// publishes Change.Events; if it crashes in between, it repeats the call
// with the same request (the same RequestID, the same merge, the same
// erasure, the same profile update) and gets the events again.
type Writes struct{ s *Service }

// Writes returns the event-returning write API of the service.
func (s *Service) Writes() Writes { return Writes{s} }

// Register is Service.Register returning an EventRegistered.
func (w Writes) Register(ctx context.Context, r Registration) (Change, error) {
	return w.s.register(ctx, r)
}

// UpdateProfile is Service.UpdateProfile returning an EventProfileUpdated.
func (w Writes) UpdateProfile(ctx context.Context, id string, version int64, p Profile) (Change, error) {
	return w.s.updateProfile(ctx, id, version, p)
}

// SetPreferences is Service.SetPreferences returning an
// EventPreferencesSet.
func (w Writes) SetPreferences(ctx context.Context, id string, p Preferences) (Change, error) {
	return w.s.setPreferences(ctx, id, p)
}

// GrantConsent is Service.GrantConsent returning an EventConsentGranted.
func (w Writes) GrantConsent(ctx context.Context, id string, r ConsentRequest) (Change, error) {
	return w.s.changeConsent(ctx, id, r, true)
}

// WithdrawConsent is Service.WithdrawConsent returning an
// EventConsentWithdrawn.
func (w Writes) WithdrawConsent(ctx context.Context, id string, r ConsentRequest) (Change, error) {
	return w.s.changeConsent(ctx, id, r, false)
}

// Tag is Service.Tag returning an EventTagged.
func (w Writes) Tag(ctx context.Context, id string, tags ...string) (Change, error) {
	return w.s.tag(ctx, id, tags)
}

// Untag is Service.Untag returning an EventUntagged.
func (w Writes) Untag(ctx context.Context, id string, tags ...string) (Change, error) {
	return w.s.untag(ctx, id, tags)
}

// AddIdentity is Service.AddIdentity returning an EventIdentityAdded.
func (w Writes) AddIdentity(ctx context.Context, id string, kind IdentityKind, raw string, allowErased bool) (Change, error) {
	return w.s.addIdentity(ctx, id, kind, raw, allowErased)
}

// RemoveIdentity is Service.RemoveIdentity returning an
// EventIdentityRemoved.
func (w Writes) RemoveIdentity(ctx context.Context, id string, kind IdentityKind, raw string) (Change, error) {
	return w.s.removeIdentity(ctx, id, kind, raw)
}

// Merge is Service.Merge returning an EventMerged, again on every replay.
func (w Writes) Merge(ctx context.Context, survivorID, duplicateID string, r MergeRequest) (MergeRecord, []Event, error) {
	rec, err := w.s.Merge(ctx, survivorID, duplicateID, r)
	if err != nil {
		return MergeRecord{}, nil, err
	}
	return rec, []Event{{Type: EventMerged, CustomerID: rec.Survivor, Duplicate: rec.Duplicate, At: rec.At}}, nil
}

// Erase is Service.Erase returning an EventErased for every customer
// record the erasure covers (the customer, its merge chain and the records
// merged into them), again on every replay.
func (w Writes) Erase(ctx context.Context, id string, r EraseRequest) ([]Event, error) {
	return w.s.erase(ctx, id, r)
}
