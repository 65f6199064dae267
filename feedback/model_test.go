package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

// TestComplaintModel drives random steps on a few complaints from several
// goroutines, with the clock jumping between rounds, and checks the
// invariants of every complaint after every round. The seed is logged;
// set FEEDBACK_MODEL_SEED to run one again (the goroutines' interleaving
// still varies).
func TestComplaintModel(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FEEDBACK_MODEL_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
		seed = v
	}
	t.Logf("seed %d", seed)
	rounds := 80
	if testing.Short() {
		rounds = 20
	}
	ctx := context.Background()
	f := newFixture(t)
	rng := rand.New(rand.NewPCG(seed, 0))
	const complaints, workers, opsEach = 6, 4, 8
	prios := []feedback.Priority{feedback.PriorityLow, feedback.PriorityNormal, feedback.PriorityHigh, feedback.PriorityUrgent}
	for i := range complaints {
		_, _, err := f.svc.ReceiveComplaint(ctx, intake(fmt.Sprint("c-", i), prios[i%len(prios)]))
		require.NoError(t, err)
	}
	actions := allActions[1:] // every action but the intake
	for round := range rounds {
		f.clock.Set(f.clock.Now().Add(time.Duration(rng.Int64N(int64(30 * time.Hour)))))
		var wg sync.WaitGroup
		errs := make(chan error, workers*opsEach)
		for w := range workers {
			r := rand.New(rand.NewPCG(seed, uint64(round*workers+w+1)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for op := range opsEach {
					id := fmt.Sprint("c-", r.IntN(complaints))
					var err error
					switch k := r.IntN(10); {
					case k < 7:
						_, _, err = f.svc.Apply(ctx, id, feedback.Step{Action: actions[r.IntN(len(actions))], Actor: fmt.Sprint("w", w)})
					case k < 8:
						_, _, err = f.svc.AddRemedy(ctx, id, feedback.Remedy{ID: fmt.Sprintf("r-%d-%d-%d", round, w, op), Kind: feedback.RemedyCoupon, Cost: mustDecimal("5"), Currency: "CNY", Actor: "w"})
					case k < 9:
						_, _, err = f.svc.RateHandling(ctx, id, 1+r.IntN(5))
					default:
						_, err = f.svc.CheckOverdue(ctx)
					}
					if err != nil && !errors.Is(err, feedback.ErrIllegalTransition) {
						errs <- fmt.Errorf("round %d worker %d: %w", round, w, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		_, err := f.svc.Scan(ctx)
		require.NoError(t, err)
		checkInvariants(t, f, round)
	}
}

func checkInvariants(t *testing.T, f *fixture, round int) {
	t.Helper()
	ctx := context.Background()
	now := f.clock.Now()
	cal := f.policy.Calendar
	overdue := map[string]bool{}
	for c, err := range f.svc.OverdueComplaints(ctx, now) {
		require.NoError(t, err)
		overdue[c.ID] = true
	}
	for i := range 6 {
		c, err := f.svc.GetComplaint(ctx, fmt.Sprint("c-", i))
		require.NoError(t, err)
		where := fmt.Sprintf("round %d, %s", round, c.ID)

		// The status is the history replayed through the flow.
		require.Equal(t, feedback.ActionReceive, c.History[0].Action, where)
		status, waiting, reopened := feedback.StatusReceived, false, 0
		for j, h := range c.History[1:] {
			require.False(t, h.At.Before(c.History[j].At), "%s: history out of time order", where)
			require.Equal(t, status, h.From, where)
			next, err := feedback.NextStatus(status, waiting, h.Action)
			require.NoError(t, err, where)
			require.Equal(t, next, h.To, where)
			switch h.Action {
			case feedback.ActionWaitOnCustomer:
				waiting = true
			case feedback.ActionResume, feedback.ActionResolve:
				waiting = false
			case feedback.ActionReopen:
				reopened++
			}
			status = next
		}
		require.Equal(t, status, c.Status, where)
		require.Equal(t, waiting, c.WaitingOnCustomer, where)
		require.Equal(t, reopened, c.Reopened, where)
		require.GreaterOrEqual(t, c.Version, int64(len(c.History)), where)

		// Pauses are ordered, disjoint, and open only while waiting.
		for j, p := range c.Pauses {
			last := j == len(c.Pauses)-1
			require.Equal(t, last && c.WaitingOnCustomer, p.Open(), "%s: pause %d", where, j)
			if !p.Open() {
				require.False(t, p.End.Before(p.Start), where)
			}
			if j > 0 {
				require.False(t, p.Start.Before(c.Pauses[j-1].End), "%s: pauses overlap", where)
			}
		}

		// Deadlines follow from intake, targets and pauses.
		first, err := cal.Add(c.ReceivedAt, c.Target.FirstResponse)
		require.NoError(t, err)
		require.True(t, first.Equal(c.FirstResponseDue), where)
		res, suspended, err := cal.Deadline(c.ReceivedAt, c.Target.Resolution, c.Pauses)
		require.NoError(t, err)
		if suspended {
			require.True(t, c.ResolutionDue.IsZero(), where)
		} else {
			require.True(t, res.Equal(c.ResolutionDue), "%s: resolution due %s, want %s", where, c.ResolutionDue, res)
		}
		var due time.Time
		if c.Status == feedback.StatusReceived {
			due = c.FirstResponseDue
		}
		if c.Status.Open() && !c.ResolutionDue.IsZero() && (due.IsZero() || c.ResolutionDue.Before(due)) {
			due = c.ResolutionDue
		}
		require.True(t, due.Equal(c.DueAt), "%s: DueAt %s, want %s", where, c.DueAt, due)
		require.Equal(t, !due.IsZero() && due.Before(now), overdue[c.ID], "%s: the overdue listing", where)

		// Every escalation level once, in order, only on a breached deadline.
		levels := map[feedback.DeadlineKind]int{}
		for _, e := range c.Escalations {
			levels[e.Deadline]++
			require.Equal(t, levels[e.Deadline], e.Level, "%s: escalation levels", where)
			if e.Deadline == feedback.DeadlineFirstResponse {
				require.True(t, c.FirstResponseBreached, where)
			} else {
				require.True(t, c.ResolutionBreached, where)
			}
		}
		require.LessOrEqual(t, levels[feedback.DeadlineFirstResponse], len(f.policy.Escalations), where)
		require.LessOrEqual(t, levels[feedback.DeadlineResolution], len(f.policy.Escalations), where)

		// A running deadline passed before this round's scan is marked.
		if c.Status == feedback.StatusReceived && now.After(c.FirstResponseDue) {
			require.True(t, c.FirstResponseBreached, where)
		}
		if c.Status.Open() && !c.ResolutionDue.IsZero() && now.After(c.ResolutionDue) {
			require.True(t, c.ResolutionBreached, where)
		}
	}
}
