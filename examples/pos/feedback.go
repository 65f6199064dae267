package main

import (
	"context"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

// settleComplaint takes a complaint about a dented tin through the flow
// and settles it with goodwill points granted through loyalty.
func settleComplaint(ctx context.Context, s *shop, p *printer) error {
	p.section("Complaint")
	s.clock.set(time.Date(2026, 3, 20, 17, 30, 0, 0, shanghai)) // Friday, half an hour before closing
	c, _, err := s.feedback.ReceiveComplaint(ctx, feedback.ComplaintIntake{
		ID: "CMP-0001", CustomerID: s.member, Store: "SH-01", Staff: "S-07", Channel: feedback.ChannelWeChat,
		Category: feedback.CategoryProduct, Priority: feedback.PriorityNormal, PurchaseID: "SH01-L1-000107",
		Description: "tin dented on arrival", RemedySought: "replacement",
	})
	if err != nil {
		return err
	}
	p.printf("%s received %s; first response due %s, resolution due %s (business hours)\n", c.ID,
		c.ReceivedAt.In(shanghai).Format("Mon 15:04"), c.FirstResponseDue.In(shanghai).Format("Mon 02 Jan 15:04"),
		c.ResolutionDue.In(shanghai).Format("Mon 02 Jan 15:04"))
	s.clock.set(time.Date(2026, 3, 21, 10, 5, 0, 0, shanghai))
	for _, a := range []feedback.Action{feedback.ActionAcknowledge, feedback.ActionInvestigate} {
		if c, _, err = s.feedback.Apply(ctx, c.ID, feedback.Step{Action: a, Actor: "S-07", RequestID: string(a) + "-1"}); err != nil {
			return err
		}
	}
	c, _, err = s.feedback.AddRemedy(ctx, c.ID, feedback.Remedy{ID: "RM-1", Kind: feedback.RemedyGoodwill, Points: 300, Actor: "S-07", Note: "sorry for the dent"})
	if err != nil {
		return err
	}
	for _, a := range []feedback.Action{feedback.ActionResolve, feedback.ActionClose} {
		if c, _, err = s.feedback.Apply(ctx, c.ID, feedback.Step{Action: a, Actor: "S-07", RequestID: string(a) + "-1"}); err != nil {
			return err
		}
	}
	if c, _, err = s.feedback.RateHandling(ctx, c.ID, 5); err != nil {
		return err
	}
	b, err := s.loyalty.Balance(ctx, s.member)
	if err != nil {
		return err
	}
	p.printf("%s %s: remedy %s of %d points (granted %v), handling rated %d/5; points now %d available\n",
		c.ID, c.Status, c.Remedies[0].Kind, c.Remedies[0].Points, c.Remedies[0].Granted, c.Satisfaction, b.Available)
	return nil
}

// followUp works through the store's due list: the visit scheduled when
// the complaint was resolved, its outcome logged as an interaction.
func followUp(ctx context.Context, s *shop, p *printer) error {
	p.section("Follow-up visits (回访)")
	s.clock.set(time.Date(2026, 3, 25, 10, 0, 0, 0, shanghai))
	for f, err := range s.feedback.DueFollowUps(ctx, "SH-01", "", s.clock.Now()) {
		if err != nil {
			return err
		}
		done, _, err := s.feedback.CompleteFollowUp(ctx, f.ID, feedback.FollowUpOutcome{
			Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "S-07", At: s.clock.Now(),
			Note: "replacement tin arrived; happy", Satisfaction: 5,
		})
		if err != nil {
			return err
		}
		p.printf("%s (%s, due %s): %s, logged as interaction %s\n", done.ID, done.Kind,
			done.DueAt.In(shanghai).Format("2006-01-02"), done.Outcome.Result, done.Outcome.InteractionID)
	}
	return nil
}

// npsSurvey asks the member how likely they are to recommend the shop.
func npsSurvey(ctx context.Context, s *shop, p *printer) error {
	p.section("NPS survey")
	if _, err := s.feedback.CreateSurvey(ctx, feedback.Survey{ID: "nps-2026", Name: "After-visit NPS", Active: true,
		Questions: []feedback.Question{{ID: "nps", Kind: feedback.KindNPS, Text: "How likely are you to recommend us?", Required: true},
			{ID: "why", Kind: feedback.KindComment, Text: "Why?"}}}); err != nil {
		return err
	}
	r, _, err := s.feedback.SubmitResponse(ctx, feedback.Response{ID: "NPS-R-0001", SurveyID: "nps-2026", CustomerID: s.member,
		Store: "SH-01", Staff: "S-07", Channel: feedback.ChannelWeChat, Time: s.clock.Now(),
		Answers: []feedback.Answer{{QuestionID: "nps", Score: 9}, {QuestionID: "why", Text: "they fixed my problem fast"}}})
	if err != nil {
		return err
	}
	p.printf("%s: NPS answer %d (a promoter)\n", r.ID, r.Answers[0].Score)
	return nil
}
