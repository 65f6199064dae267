package feedback

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/clientele-go/clientele/customer"
)

// CreateSurvey validates and stores a new survey definition with Version 1.
func (s *Service) CreateSurvey(ctx context.Context, sv Survey) (Survey, error) {
	if err := sv.Validate(); err != nil {
		return Survey{}, wrap("create survey", sv.ID, err)
	}
	sv.Version = 1
	return sv, wrap("create survey", sv.ID, s.store.CreateSurvey(ctx, sv))
}

// UpdateSurvey replaces a survey definition. sv.Version must be the
// version that was read; a stale one fails with ErrConflict. Responses
// already recorded keep the question kinds they were given.
func (s *Service) UpdateSurvey(ctx context.Context, sv Survey) (Survey, error) {
	if err := sv.Validate(); err != nil {
		return Survey{}, wrap("update survey", sv.ID, err)
	}
	sv.Version++
	return sv, wrap("update survey", sv.ID, s.store.UpdateSurvey(ctx, sv))
}

// GetSurvey returns a survey definition, or ErrNotFound.
func (s *Service) GetSurvey(ctx context.Context, id string) (Survey, error) {
	sv, err := s.store.GetSurvey(ctx, id)
	return sv, wrap("get survey", id, err)
}

// SubmitResponse records a survey response after checking it against the
// survey: every answer names a question of the survey once, scores lie on
// the question's scale, required questions are answered. It fills in each
// answer's Kind. The response ID makes it idempotent: a replay returns the
// stored response and its event again; the same ID with different
// content fails with ErrIdempotencyMismatch. A zero Time means now; a
// Time more than MaxClockAhead after the service clock is refused.
func (s *Service) SubmitResponse(ctx context.Context, r Response) (Response, []Event, error) {
	out, err := s.submit(ctx, r)
	if err != nil {
		return Response{}, nil, wrap("submit response", r.ID, err)
	}
	nps := -1
	if v, ok := out.Score(KindNPS); ok {
		nps = v
	}
	return out, []Event{ResponseReceived{ResponseID: out.ID, SurveyID: out.SurveyID, CustomerID: out.CustomerID, Store: out.Store, At: out.Time, NPS: nps}}, nil
}

func (s *Service) submit(ctx context.Context, r Response) (Response, error) {
	var ids fieldErrors
	for field, id := range map[string]string{"id": r.ID, "surveyId": r.SurveyID, "customerId": r.CustomerID,
		"purchaseId": r.PurchaseID, "interactionId": r.InteractionID, "complaintId": r.ComplaintID,
		"store": r.Store, "staff": r.Staff} {
		checkID(&ids, field, id)
	}
	if err := ids.err(); err != nil {
		return Response{}, err
	}
	hashed := r.Clone()
	hashed.Time = utc(r.Time)
	for i := range hashed.Answers {
		hashed.Answers[i].Kind = ""
	}
	hash, err := requestHash(hashed)
	if err != nil {
		return Response{}, err
	}
	if r.ID == "" {
		r.ID = s.newID()
	}
	if r.SurveyID == "" {
		return Response{}, &FieldError{Field: "surveyId", Problem: "is required"}
	}
	sv, err := s.store.GetSurvey(ctx, r.SurveyID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Response{}, &FieldError{Field: "surveyId", Problem: "names no survey"}
		}
		return Response{}, err
	}
	r = r.Clone()
	if err := errors.Join(checkAnswers(sv, &r), s.aheadErr("time", r.Time)); err != nil {
		return Response{}, err
	}
	r.Time = stamp(r.Time)
	if r.Time.IsZero() {
		r.Time = s.now()
	}
	err = s.store.AddResponse(ctx, ResponseRecord{Response: r, Hash: hash})
	if errors.Is(err, ErrAlreadyExists) {
		old, gerr := s.store.GetResponse(ctx, r.ID)
		if gerr != nil {
			return Response{}, gerr
		}
		if old.Hash != hash {
			return Response{}, ErrIdempotencyMismatch
		}
		return old.Response, nil
	}
	return r, err
}

func checkAnswers(sv Survey, r *Response) error {
	var fe fieldErrors
	if r.Channel == "" {
		fe.add("channel", "is required")
	}
	seen := map[string]bool{}
	for i := range r.Answers {
		a := &r.Answers[i]
		p := fmt.Sprintf("answers[%d]", i)
		q, ok := sv.Question(a.QuestionID)
		if !ok {
			fe.add(p+".questionId", "names no question of the survey")
			continue
		}
		if seen[q.ID] {
			fe.add(p+".questionId", "is answered twice")
		}
		seen[q.ID] = true
		a.Kind = q.Kind
		if lo, hi, scored := q.Scale(); scored {
			if a.Score < lo || a.Score > hi {
				fe.add(p+".score", "must lie between %d and %d", lo, hi)
			}
			if a.Text != "" {
				fe.add(p+".text", "belongs to comment questions only")
			}
		} else {
			if a.Score != 0 {
				fe.add(p+".score", "does not apply to a comment")
			}
			checkText(&fe, p+".text", a.Text)
		}
	}
	for _, q := range sv.Questions {
		if q.Required && !seen[q.ID] {
			fe.add("answers", "must answer required question %s", q.ID)
		}
	}
	if len(r.Answers) == 0 {
		fe.add("answers", "must hold at least one answer")
	}
	return fe.err()
}

// GetResponse returns a recorded response, or ErrNotFound.
func (s *Service) GetResponse(ctx context.Context, id string) (Response, error) {
	r, err := s.store.GetResponse(ctx, id)
	return r.Response, wrap("get response", id, err)
}

// ResponsesBetween yields the responses given in [from, to), oldest first,
// for NPS, CSAT and CES figures.
func (s *Service) ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Response, error] {
	return s.store.ResponsesBetween(ctx, from, to)
}

// ResponsesOf yields a customer's responses, newest first.
func (s *Service) ResponsesOf(ctx context.Context, customerID string) iter.Seq2[Response, error] {
	return s.store.ResponsesOf(ctx, customerID)
}

// InvitationRequest is a trigger that may earn a survey invitation.
type InvitationRequest struct {
	SurveyID   string
	CustomerID string
	Trigger    Trigger
	Reference  string          // the purchase or complaint ID
	At         time.Time       // when the trigger happened; zero means now
	Total      decimal.Decimal // the purchase total, for MinTotal rules
	Currency   string
}

// Declined reasons Invite gives when it invites nobody.
const (
	DeclinedInactive  = "survey-inactive"
	DeclinedNoRule    = "no-matching-rule"
	DeclinedAnonymous = "anonymous"
	DeclinedCoolDown  = "cooling-down"
	DeclinedNoConsent = "no-consent"
)

// Invite decides whether the trigger earns the customer an invitation to
// the survey. The survey must be active; its rules for the trigger (and,
// for purchases, the total) are tried in order, and the first whose
// channel the customer consented to for surveys (when the service has a
// ConsentChecker) gives the channel. The customer must not have been
// invited (to any survey) within the survey's cool-down before or after
// At. The decision and the record are one compare-and-set on the
// customer's InvitationLog, so two lanes never both invite. The
// invitation ID is survey:trigger:reference, so a replayed trigger
// returns the same invitation, even if consent changed since. declined
// says why nobody was invited: DeclinedNoConsent when a rule matched but
// the customer consented to none of the matching rules' channels.
// req.At may not lie more than MaxClockAhead after the service clock.
func (s *Service) Invite(ctx context.Context, req InvitationRequest) (inv Invitation, declined string, evs []Event, err error) {
	inv, declined, err = s.invite(ctx, req)
	if err != nil {
		return Invitation{}, "", nil, wrap("invite", req.CustomerID, err)
	}
	if declined != "" {
		return Invitation{}, declined, nil, nil
	}
	return inv, "", []Event{SurveyInvitationDue{Invitation: inv}}, nil
}

func (s *Service) invite(ctx context.Context, req InvitationRequest) (Invitation, string, error) {
	var fe fieldErrors
	if req.SurveyID == "" {
		fe.add("surveyId", "is required")
	}
	if req.Reference == "" {
		fe.add("reference", "is required")
	}
	s.checkNotAhead(&fe, "at", req.At)
	if err := fe.err(); err != nil {
		return Invitation{}, "", err
	}
	if req.CustomerID == "" {
		return Invitation{}, DeclinedAnonymous, nil
	}
	sv, err := s.store.GetSurvey(ctx, req.SurveyID)
	if err != nil {
		return Invitation{}, "", err
	}
	if !sv.Active {
		return Invitation{}, DeclinedInactive, nil
	}
	rules := sv.rulesFor(req)
	if len(rules) == 0 {
		return Invitation{}, DeclinedNoRule, nil
	}
	at := stamp(req.At)
	if at.IsZero() {
		at = s.now()
	}
	id := fmt.Sprintf("%s:%s:%s", sv.ID, req.Trigger, req.Reference)
	if old, ok, err := s.invitation(ctx, req.CustomerID, id); err != nil || ok {
		return old, "", err
	}
	rule, ok, err := s.consentedRule(ctx, req.CustomerID, rules, at)
	if err != nil {
		return Invitation{}, "", err
	}
	if !ok {
		return Invitation{}, DeclinedNoConsent, nil
	}
	inv := Invitation{
		ID: id, SurveyID: sv.ID,
		CustomerID: req.CustomerID, Trigger: req.Trigger, Reference: req.Reference,
		At: at, SendAt: at.Add(rule.Delay), Channel: rule.Channel,
	}
	declined := ""
	err = s.retry(func() error {
		declined = ""
		log, err := s.store.GetInvitationLog(ctx, req.CustomerID)
		if errors.Is(err, ErrNotFound) {
			log, err = InvitationLog{CustomerID: req.CustomerID}, nil
		}
		if err != nil {
			return err
		}
		for _, old := range log.Invitations {
			if old.ID == inv.ID {
				inv = old
				return nil
			}
		}
		for _, old := range log.Invitations {
			if gap := inv.At.Sub(old.At); gap < sv.coolDown() && gap > -sv.coolDown() {
				declined = DeclinedCoolDown
				return nil
			}
		}
		log.Invitations = append(log.Invitations, inv)
		slices.SortFunc(log.Invitations, func(a, b Invitation) int { return a.At.Compare(b.At) })
		log.Invitations = trimInvitations(log.Invitations)
		log.Version++
		return s.store.SaveInvitationLog(ctx, log)
	})
	return inv, declined, err
}

// rulesFor returns the survey's rules the request meets, in order.
func (sv Survey) rulesFor(req InvitationRequest) []InvitationRule {
	var out []InvitationRule
	for _, r := range sv.Invitations {
		if r.Trigger == req.Trigger && (r.MinTotal.IsZero() || (r.Currency == req.Currency && !req.Total.LessThan(r.MinTotal))) {
			out = append(out, r)
		}
	}
	return out
}

// invitation returns the customer's invitation with the ID, if the log
// holds it (a replayed trigger).
func (s *Service) invitation(ctx context.Context, customerID, id string) (Invitation, bool, error) {
	log, err := s.store.GetInvitationLog(ctx, customerID)
	if errors.Is(err, ErrNotFound) {
		return Invitation{}, false, nil
	}
	if err != nil {
		return Invitation{}, false, err
	}
	i := slices.IndexFunc(log.Invitations, func(x Invitation) bool { return x.ID == id })
	if i < 0 {
		return Invitation{}, false, nil
	}
	return log.Invitations[i], true, nil
}

// consentedRule returns the first rule whose channel the customer may be
// contacted on for surveys at at; without a ConsentChecker, the first.
func (s *Service) consentedRule(ctx context.Context, customerID string, rules []InvitationRule, at time.Time) (InvitationRule, bool, error) {
	if s.consent == nil {
		return rules[0], true, nil
	}
	for _, r := range rules {
		ok, err := s.consent.CanContact(ctx, customerID, customer.PurposeSurveys, r.Channel, at)
		if err != nil {
			return InvitationRule{}, false, fmt.Errorf("checking consent: %w", err)
		}
		if ok {
			return r, true, nil
		}
	}
	return InvitationRule{}, false, nil
}

// maxInvitationsKept bounds an invitation log: a cool-down is days or
// weeks, so the last few invitations decide every check.
const maxInvitationsKept = 50

func trimInvitations(invs []Invitation) []Invitation {
	if len(invs) > maxInvitationsKept {
		return slices.Clone(invs[len(invs)-maxInvitationsKept:])
	}
	return invs
}

// SurveyDecline is one survey's reason for not inviting: one of the
// Declined constants.
type SurveyDecline struct {
	SurveyID string `json:"surveyId"`
	Reason   string `json:"reason"`
}

// TriggerOutcome is what InviteOnTrigger decided: the invitation, if one
// was made, and why each survey tried before it (or every survey, when
// none invited) declined.
type TriggerOutcome struct {
	Invitation Invitation      `json:"invitation,omitzero"` // zero unless Invited
	Invited    bool            `json:"invited"`
	Declined   []SurveyDecline `json:"declined,omitempty"` // in the order tried
}

// Reason sums up why nobody was invited: "" when someone was,
// DeclinedNoRule when no active survey has a rule for the trigger,
// otherwise the reason of the last survey tried.
func (o TriggerOutcome) Reason() string {
	switch {
	case o.Invited:
		return ""
	case len(o.Declined) == 0:
		return DeclinedNoRule
	}
	return o.Declined[len(o.Declined)-1].Reason
}

// InviteOnTrigger offers the trigger to every active survey with a rule
// for it, in survey ID order, each as Invite does (every matching rule
// and channel in order), until one invites. Every survey that declined
// before it is listed with its reason, so a survey the customer has no
// consent for never hides one they have. req.SurveyID is ignored. Because
// the cool-down spans surveys, one trigger earns at most one invitation;
// a replayed trigger returns the same one.
func (s *Service) InviteOnTrigger(ctx context.Context, req InvitationRequest) (TriggerOutcome, []Event, error) {
	var ids []string
	for sv, err := range s.store.Surveys(ctx) {
		if err != nil {
			return TriggerOutcome{}, nil, wrap("invite", req.CustomerID, err)
		}
		if sv.Active && slices.ContainsFunc(sv.Invitations, func(r InvitationRule) bool { return r.Trigger == req.Trigger }) {
			ids = append(ids, sv.ID)
		}
	}
	var out TriggerOutcome
	for _, id := range ids {
		req.SurveyID = id
		inv, declined, evs, err := s.Invite(ctx, req)
		if err != nil {
			return TriggerOutcome{}, nil, err
		}
		if declined == "" {
			out.Invitation, out.Invited = inv, true
			return out, evs, nil
		}
		out.Declined = append(out.Declined, SurveyDecline{SurveyID: id, Reason: declined})
	}
	return out, nil, nil
}

// InviteAfterPurchase offers a completed purchase to the surveys with an
// after-purchase rule (see InviteOnTrigger).
func (s *Service) InviteAfterPurchase(ctx context.Context, p customer.Purchase) (TriggerOutcome, []Event, error) {
	return s.InviteOnTrigger(ctx, InvitationRequest{
		CustomerID: p.CustomerID, Trigger: TriggerPurchase, Reference: p.ID, At: p.Time,
		Total: p.Total(), Currency: p.Currency,
	})
}
