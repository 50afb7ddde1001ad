// Package events holds what the gateway's event stream needs beside the
// ledger: who may see which chaincode event, the stream position encoded as
// an SSE event ID, and the Server-Sent Events wire format.
package events

import (
	"slices"

	"github.com/deltaledger/deltaledger/model"
)

// Visibility decides which events a caller may see, by the audience the
// chaincode's event catalogue (model.Events) gives each: the regulator sees
// every event, other members the market's. Events the catalogue does not
// know are shown to the regulator only, so a new kind of event stays hidden
// until it is classified.
type Visibility struct {
	market map[string]bool
}

// DefaultVisibility classifies the chaincode's events by the catalogue.
func DefaultVisibility() *Visibility {
	v := &Visibility{market: map[string]bool{}}
	for _, e := range model.Events() {
		v.market[e.Name] = e.Audience == model.AudienceMarket
	}
	return v
}

// Allows reports whether a caller with roles may see the event.
func (v *Visibility) Allows(roles []string, name string) bool {
	return slices.Contains(roles, model.RoleRegulator) || v.market[name]
}
