package customer_test

import (
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/redact/redacttest"
)

// personal names the fields that hold personal data in customer's types:
// names, contact details, addresses, attributes, identity values, and free
// text written about a person.
var personal = redacttest.Personal{
	Fields: []string{
		"Name", "SortName", "Country", "Province", "City", "District", "Street", "PostalCode",
		"Attributes", "Value", "MemberNumber", "Phone", "Email", "ExternalIDs",
		"Summary", "Outcome", "Note", "TombstoneKey",
	},
	Except: []string{"Line.Name"}, // a product's name
}

// customerTypes is every exported struct type of the package, zero
// valued; redacttest.Run keeps the list complete.
var customerTypes = map[string]any{
	"Address": customer.Address{}, "Birthday": customer.Birthday{}, "Change": customer.Change{},
	"Consent": customer.Consent{}, "ConsentChange": customer.ConsentChange{}, "ConsentRequest": customer.ConsentRequest{},
	"Customer": customer.Customer{}, "DuplicateError": customer.DuplicateError{}, "EraseRequest": customer.EraseRequest{},
	"Event": customer.Event{}, "Export": customer.Export{}, "FieldError": customer.FieldError{},
	"HistoryEntry": customer.HistoryEntry{}, "Identity": customer.Identity{}, "Interaction": customer.Interaction{},
	"Line": customer.Line{}, "Match": customer.Match{}, "MergeRecord": customer.MergeRecord{},
	"MergeRequest": customer.MergeRequest{}, "Options": customer.Options{}, "OverReturnError": customer.OverReturnError{},
	"Preferences": customer.Preferences{}, "Profile": customer.Profile{}, "Purchase": customer.Purchase{},
	"PurchaseRecord": customer.PurchaseRecord{}, "Registration": customer.Registration{}, "Return": customer.Return{},
	"ReturnLine": customer.ReturnLine{}, "ReturnRecord": customer.ReturnRecord{}, "Service": customer.Service{},
	"Spend": customer.Spend{}, "Stats": customer.Stats{}, "Writes": customer.Writes{},
}

// Every exported type of the package prints no personal data through any
// fmt verb or slog handler (a capturing handler): fields named in personal
// are filled with a marker and the output searched for it. The list of
// types must match the package's declarations.
func TestNoTypePrintsPersonalData(t *testing.T) {
	redacttest.Run(t, ".", customerTypes, personal)
}
