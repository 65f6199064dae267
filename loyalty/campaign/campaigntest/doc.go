// Package campaigntest is the conformance kit of campaign.Store: Run
// checks every "must" of the contract against a store, one subtest per
// rule, a fresh store per subtest, as loyaltytest does for loyalty.Store.
// The kit's own tests prove each rule can fail, with a broken store per
// rule.
package campaigntest
