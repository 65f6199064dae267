package campaigntest_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/loyalty/campaign/campaigntest"
)

const brokenEnv = "CAMPAIGNTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	campaigntest.Run(t, func(*testing.T) campaign.Store { return campaign.NewMemoryStore() })
}

func mem() *campaign.MemoryStore { return campaign.NewMemoryStore() }

// broken lists stores that each break one sentence of the contract, with
// the rule that must catch it.
var broken = []kit.Broken[campaign.Store]{
	{Name: "LosesSentinel", Rule: "GetHeader/MissingIsNotFound",
		Store: func() campaign.Store { return losesSentinel{mem()} }},
	{Name: "MemberSentinelLost", Rule: "GetMember/MissingIsNotFound",
		Store: func() campaign.Store { return memberSentinelLost{mem()} }},
	{Name: "DropsCounters", Rule: "Save/CreateIsVersionOneAndRoundTrips",
		Store: func() campaign.Store { return dropsCounters{mem()} }},
	{Name: "MemberBeforeVersionCheck", Rule: "Save/StaleVersionIsConflictWritingNothing",
		Store: func() campaign.Store { return &memberBeforeVersionCheck{MemoryStore: mem()} }},
	{Name: "AcceptsSkippedVersions", Rule: "Save/SkippedVersionIsConflictWritingNothing",
		Store: func() campaign.Store { return acceptsSkippedVersions{mem()} }},
	{Name: "ExistenceFirst", Rule: "Save/VersionIsCheckedFirst",
		Store: func() campaign.Store { return existenceFirst{mem()} }},
	{Name: "UpsertsInserts", Rule: "Save/InsertOfExistingMemberIsAlreadyExistsWritingNothing",
		Store: func() campaign.Store { return upsertsInserts{mem()} }},
	{Name: "ReplaceCreates", Rule: "Save/ReplaceOfMissingMemberIsNotFoundWritingNothing",
		Store: func() campaign.Store { return replaceCreates{mem()} }},
	{Name: "ReplaceKeepsRedemption", Rule: "Save/ReplaceRoundTrips",
		Store: func() campaign.Store { return replaceKeepsOld{mem()} }},
	{Name: "MembersAcrossCampaigns", Rule: "Save/CampaignsAreSeparate",
		Store: func() campaign.Store { return &membersAcrossCampaigns{MemoryStore: mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins",
		Store: func() campaign.Store { return checkThenWrite{mem()} }},
	{Name: "CreateRace", Rule: "Save/ConcurrentCreatesOneWins",
		Store: func() campaign.Store { return checkThenWrite{mem()} }},
	{Name: "CaseInsensitiveOrder", Rule: "Members/AscendingMemberIDByteOrder",
		Store: func() campaign.Store { return caseInsensitiveOrder{mem()} }},
	{Name: "UnknownCampaignFails", Rule: "Members/UnknownCampaignIsEmpty",
		Store: func() campaign.Store { return unknownCampaignFails{mem()} }},
	{Name: "LiveMembers", Rule: "Members/SaveInsideTheLoopNeitherBlocksNorRepeats",
		Store: func() campaign.Store { return &liveMembers{MemoryStore: mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip",
		Store: func() campaign.Store { return millisecondTimes{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/Members",
		Store: func() campaign.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/Members",
		Store: func() campaign.Store { return yieldsAfterBreak{mem()} }},
}

// TestBrokenStores is the child process's test: it runs only with
// brokenEnv set, and fails.
func TestBrokenStores(t *testing.T) {
	defer func(d time.Duration) { campaigntest.BlockTimeout = d }(campaigntest.BlockTimeout)
	campaigntest.BlockTimeout = time.Second
	kit.RunBroken(t, brokenEnv, broken, campaigntest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

type losesSentinel struct{ *campaign.MemoryStore }

func (s losesSentinel) GetHeader(ctx context.Context, id string) (campaign.Header, error) {
	h, err := s.MemoryStore.GetHeader(ctx, id)
	if err != nil {
		return h, errors.New("no such campaign")
	}
	return h, nil
}

type memberSentinelLost struct{ *campaign.MemoryStore }

func (s memberSentinelLost) GetMember(ctx context.Context, c, m string) (campaign.Member, error) {
	got, err := s.MemoryStore.GetMember(ctx, c, m)
	if err != nil {
		return got, errors.New("no such member")
	}
	return got, nil
}

// dropsCounters keeps no reserved budget: a column the adapter forgot.
type dropsCounters struct{ *campaign.MemoryStore }

func (s dropsCounters) Save(ctx context.Context, w campaign.Write) error {
	w.Header.ReservedMinor = 0
	return s.MemoryStore.Save(ctx, w)
}

// memberBeforeVersionCheck writes the member, then checks the version.
type memberBeforeVersionCheck struct {
	*campaign.MemoryStore
	mu    sync.Mutex
	extra map[string]campaign.Member
}

func (s *memberBeforeVersionCheck) Save(ctx context.Context, w campaign.Write) error {
	s.mu.Lock()
	if s.extra == nil {
		s.extra = map[string]campaign.Member{}
	}
	s.extra[w.Member.CampaignID+"/"+w.Member.MemberID] = w.Member
	s.mu.Unlock()
	return s.MemoryStore.Save(ctx, w)
}

func (s *memberBeforeVersionCheck) GetMember(ctx context.Context, c, m string) (campaign.Member, error) {
	s.mu.Lock()
	got, ok := s.extra[c+"/"+m]
	s.mu.Unlock()
	if ok {
		return got, nil
	}
	return s.MemoryStore.GetMember(ctx, c, m)
}

type acceptsSkippedVersions struct{ *campaign.MemoryStore }

func (s acceptsSkippedVersions) Save(ctx context.Context, w campaign.Write) error {
	if cur, err := s.GetHeader(ctx, w.Header.CampaignID); err == nil && w.Header.Version > cur.Version+1 {
		w.Header.Version = cur.Version + 1
	}
	return s.MemoryStore.Save(ctx, w)
}

// existenceFirst checks the member's existence before the version.
type existenceFirst struct{ *campaign.MemoryStore }

func (s existenceFirst) Save(ctx context.Context, w campaign.Write) error {
	_, err := s.GetMember(ctx, w.Member.CampaignID, w.Member.MemberID)
	if err == nil && !w.Replace {
		return campaign.ErrAlreadyExists
	}
	if err != nil && w.Replace {
		return campaign.ErrNotFound
	}
	return s.MemoryStore.Save(ctx, w)
}

type upsertsInserts struct{ *campaign.MemoryStore }

func (s upsertsInserts) Save(ctx context.Context, w campaign.Write) error {
	if _, err := s.GetMember(ctx, w.Member.CampaignID, w.Member.MemberID); err == nil {
		w.Replace = true
	}
	return s.MemoryStore.Save(ctx, w)
}

type replaceCreates struct{ *campaign.MemoryStore }

func (s replaceCreates) Save(ctx context.Context, w campaign.Write) error {
	if _, err := s.GetMember(ctx, w.Member.CampaignID, w.Member.MemberID); err != nil {
		w.Replace = false
	}
	return s.MemoryStore.Save(ctx, w)
}

// replaceKeepsOld updates the header but not the member on a replace.
type replaceKeepsOld struct{ *campaign.MemoryStore }

func (s replaceKeepsOld) Save(ctx context.Context, w campaign.Write) error {
	if w.Replace {
		if cur, err := s.GetMember(ctx, w.Member.CampaignID, w.Member.MemberID); err == nil {
			w.Member = cur
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// membersAcrossCampaigns keys members by member ID alone.
type membersAcrossCampaigns struct {
	*campaign.MemoryStore
}

func (s *membersAcrossCampaigns) Save(ctx context.Context, w campaign.Write) error {
	if !w.Replace {
		for _, c := range []string{"C1", "C2"} {
			if _, err := s.MemoryStore.GetMember(ctx, c, w.Member.MemberID); err == nil && c != w.Member.CampaignID {
				return campaign.ErrAlreadyExists
			}
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// checkThenWrite checks the version, then writes in a second step.
type checkThenWrite struct{ *campaign.MemoryStore }

func (s checkThenWrite) Save(ctx context.Context, w campaign.Write) error {
	cur, err := s.GetHeader(ctx, w.Header.CampaignID)
	if err != nil && !errors.Is(err, campaign.ErrNotFound) {
		return err
	}
	if cur.Version != w.Header.Version-1 {
		return campaign.ErrConflict
	}
	time.Sleep(2 * time.Millisecond) // let the other writers pass the check too
	for {
		cur, _ := s.GetHeader(ctx, w.Header.CampaignID)
		next := w
		next.Header.Version = cur.Version + 1
		if err := s.MemoryStore.Save(ctx, next); !errors.Is(err, campaign.ErrConflict) {
			return err
		}
	}
}

type caseInsensitiveOrder struct{ *campaign.MemoryStore }

func (s caseInsensitiveOrder) Members(ctx context.Context, id string) iter.Seq2[campaign.Member, error] {
	return kit.Resorted(s.MemoryStore.Members(ctx, id), func(a, b campaign.Member) int {
		return strings.Compare(strings.ToLower(a.MemberID), strings.ToLower(b.MemberID))
	})
}

type unknownCampaignFails struct{ *campaign.MemoryStore }

func (s unknownCampaignFails) Members(ctx context.Context, id string) iter.Seq2[campaign.Member, error] {
	if _, err := s.GetHeader(ctx, id); err != nil {
		return func(yield func(campaign.Member, error) bool) { yield(campaign.Member{}, err) }
	}
	return s.MemoryStore.Members(ctx, id)
}

// liveMembers reads the records as they are at each step, so members
// saved inside the loop are yielded too.
type liveMembers struct{ *campaign.MemoryStore }

func (s *liveMembers) Members(ctx context.Context, id string) iter.Seq2[campaign.Member, error] {
	return kit.Live(func() iter.Seq2[campaign.Member, error] { return s.MemoryStore.Members(ctx, id) },
		func(m campaign.Member) string { return m.MemberID })
}

type millisecondTimes struct{ *campaign.MemoryStore }

func (s millisecondTimes) Save(ctx context.Context, w campaign.Write) error {
	w.Member.At = w.Member.At.Truncate(time.Millisecond)
	w.Member.ValidUntil = w.Member.ValidUntil.Truncate(time.Millisecond)
	w.Member.RedeemedAt = w.Member.RedeemedAt.Truncate(time.Millisecond)
	return s.MemoryStore.Save(ctx, w)
}

type ignoresContext struct{ *campaign.MemoryStore }

func (s ignoresContext) Members(_ context.Context, id string) iter.Seq2[campaign.Member, error] {
	return s.MemoryStore.Members(context.Background(), id)
}

type yieldsAfterBreak struct{ *campaign.MemoryStore }

func (s yieldsAfterBreak) Members(ctx context.Context, id string) iter.Seq2[campaign.Member, error] {
	return kit.IgnoringBreak(s.MemoryStore.Members(ctx, id))
}
