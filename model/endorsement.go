package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/internal/subsets"
)

// Party names an org by the part it plays in a call: the caller's org, or
// the org of a participant a record belongs to.
type Party string

// The parties whose orgs endorse transactions.
const (
	PartyCaller   Party = "caller"   // the participant who submits it
	PartyHolder   Party = "holder"   // the holder of the asset or right concerned
	PartyGrantee  Party = "grantee"  // the one a right or an authorisation is granted to
	PartyObjector Party = "objector" // the one who objected to an asset's registration
	PartySeller   Party = "seller"   // the seller of the listing or trade
	PartyBuyer    Party = "buyer"    // the buyer of the trade
	PartyAgency   Party = "agency"   // the credit agency of the record
	PartySubject  Party = "subject"  // the enterprise a credit record or authorisation is about
	// PartyOtherBuyer is the buyer of another trade that the call closes:
	// trades:CloseOthers closes the orders a sale of a holding beat.
	PartyOtherBuyer Party = "other buyer"
)

// Quorum is how many of the channel's orgs must endorse a transaction in
// all, whoever they are.
type Quorum int

const (
	// QuorumParties asks for no org beyond the parties'.
	QuorumParties Quorum = iota
	// QuorumMajority is a majority of the channel's orgs, ChaincodeEndorsers
	// of them: the chaincode's endorsement policy, which a record without a
	// key-level policy of its own is subject to (a new record, for one), and
	// the key-level policy of market-wide records (the market rules, a
	// period's publication). The two coincide since interface 7.0.0, when
	// the chaincode's policy became a majority, so that no fewer orgs than
	// can rewrite the market rules can create a record.
	QuorumMajority
)

// ChaincodeEndorsers is the number of orgs the chaincode endorsement policy
// asks for on a channel of the given number of orgs: a majority, n/2+1
// (network/network.env's ENDORSEMENT_POLICY names the four orgs' peers and
// asks for three; scripts/add-region.sh recomputes it for the orgs it
// names).
func ChaincodeEndorsers(orgs int) int {
	return orgs/2 + 1
}

// Endorsement says which orgs' peers must endorse a function's transaction
// for the channel to accept it: the orgs of some parties of the call (each
// once: two parties of one org need that org once), at least as many orgs
// in all as the quorum says, and for a function whose transient input may
// reach no other org, the orgs of its parties alone (the caller's org when
// it names none). It follows from the key-level
// endorsement policies the chaincode sets on the records the function
// changes, the collections it writes and the chaincode's policy; a test of
// the chaincode holds the two together.
type Endorsement struct {
	// Parties are the parties whose orgs must all endorse.
	Parties []Party
	// Quorum is the least number of orgs that endorse, in all.
	Quorum Quorum
	// Alone says that the orgs of Parties endorse alone, or the caller's
	// org alone when Parties is empty: a client names exactly those orgs as
	// the endorsing orgs, so that the transient data reaches no other (its
	// Quorum is QuorumParties).
	Alone bool
	// Or, when set, is another endorsement that suffices in this one's
	// place: a record under "its parties' orgs, or a majority of the orgs"
	// (a trade from interface 17.0.0) is changed by either.
	Or *Endorsement
	// Note says, in words, which calls need another endorsement and which.
	Note string
}

// IsZero reports whether no endorsement is declared.
func (e Endorsement) IsZero() bool {
	return len(e.Parties) == 0 && e.Quorum == QuorumParties && !e.Alone && e.Or == nil && e.Note == ""
}

// noted adds a note to the endorsement, after the one it has.
func (e Endorsement) noted(note string) Endorsement {
	if e.Note != "" {
		note = e.Note + " " + note
	}
	e.Note = note
	return e
}

// orMajority is e, or in its place a majority of the orgs.
func (e Endorsement) orMajority() Endorsement {
	e.Or = &majorityOfOrgs
	return e
}

// String describes the endorsement in words, as the integration guide
// shows it.
func (e Endorsement) String() string {
	if e.Or != nil {
		either := e
		either.Or = nil
		return either.String() + ", or " + e.Or.String()
	}
	if e.Alone && len(e.Parties) == 0 {
		return "the caller's org alone"
	}
	var parts []string
	if len(e.Parties) > 0 {
		names := make([]string, len(e.Parties))
		for i, p := range e.Parties {
			names[i] = "the " + string(p) + "'s"
		}
		parts = append(parts, joinWords(names, "and")+" org")
		if len(e.Parties) > 1 {
			parts[0] += "s"
		}
	}
	if e.Alone {
		return parts[0] + " alone"
	}
	if e.Quorum == QuorumMajority {
		if len(e.Parties) > 0 {
			parts = append(parts, "a majority of the orgs in all")
		} else {
			parts = append(parts, "a majority of the orgs")
		}
	}
	return strings.Join(parts, "; ")
}

// Sufficient lists the smallest sets of the channel's orgs whose endorsement
// satisfies e, given the org of each party in orgs: any set of orgs
// satisfies e if and only if it includes one of them. Each set and the list
// follow the order of channel. A party e names that is missing from orgs is
// an error.
func (e Endorsement) Sufficient(orgs map[Party]string, channel []string) ([][]string, error) {
	if e.Or == nil {
		return e.sufficient(orgs, channel)
	}
	either := e
	either.Or = nil
	one, err := either.sufficient(orgs, channel)
	if err != nil {
		return nil, err
	}
	other, err := e.Or.Sufficient(orgs, channel)
	if err != nil {
		return nil, err
	}
	// The smallest sets of either, smaller sets first and, of one size, in
	// the order the channel's subsets are enumerated (subsets.Combinations).
	var sets [][]string
	for k := 1; k <= len(channel); k++ {
		for set := range subsets.Combinations(channel, k) {
			if !slices.ContainsFunc(append(slices.Clone(one), other...), func(s []string) bool { return slices.Equal(s, set) }) {
				continue
			}
			if !slices.ContainsFunc(sets, func(smaller []string) bool { return subsets.Includes(set, smaller) }) {
				sets = append(sets, set)
			}
		}
	}
	return sets, nil
}

// sufficient is Sufficient for an endorsement without another (Or).
func (e Endorsement) sufficient(orgs map[Party]string, channel []string) ([][]string, error) {
	parties := e.Parties
	if e.Alone && len(parties) == 0 {
		parties = []Party{PartyCaller}
	}
	var required []string
	for _, p := range parties {
		org, ok := orgs[p]
		if !ok {
			return nil, fmt.Errorf("no org given for the %s", p)
		}
		if !slices.Contains(channel, org) {
			return nil, fmt.Errorf("the %s's org %s is not on the channel", p, org)
		}
		if !slices.Contains(required, org) {
			required = append(required, org)
		}
	}
	size := len(required)
	if e.Quorum == QuorumMajority {
		size = max(size, ChaincodeEndorsers(len(channel)))
	}
	var sets [][]string
	for set := range subsets.Combinations(channel, size) {
		if subsets.Includes(set, required) {
			sets = append(sets, set)
		}
	}
	return sets, nil
}

// joinWords joins "a", "b" and "c" with the conjunction "and" as
// "a, b and c".
func joinWords(words []string, conjunction string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conjunction + " " + words[len(words)-1]
}

// orgsOf is the endorsement of the parties' orgs.
func orgsOf(parties ...Party) Endorsement {
	return Endorsement{Parties: parties}
}

// chaincodePolicyWith is the endorsement of the parties' orgs and as many
// others as the chaincode policy needs: a majority of the orgs in all.
func chaincodePolicyWith(parties ...Party) Endorsement {
	return Endorsement{Parties: parties, Quorum: QuorumMajority}
}

// callerOrgAlone is the endorsement of a function whose transient input
// may reach no org but the caller's.
var callerOrgAlone = Endorsement{Alone: true}

// orgsAlone is the endorsement of a function whose transient input may
// reach no org but the parties'.
func orgsAlone(parties ...Party) Endorsement {
	return Endorsement{Parties: parties, Alone: true}
}

// majorityOfOrgs is the endorsement of a change to a market-wide record,
// whose key-level policy asks for a majority of the orgs: the market rules,
// a period's publication.
var majorityOfOrgs = Endorsement{Quorum: QuorumMajority}

// negotiationParties is the endorsement of a change to a NEGOTIABLE
// trade: its key-level policy names the buyer's and the seller's orgs, or
// a majority of the orgs (from interface 17.0.0, so that neither party's
// org blocks a step the rules allow without it).
var negotiationParties = orgsOf(PartyBuyer, PartySeller).orMajority()

// tradeParties is the endorsement of a change to a trade of either
// pricing: negotiationParties', but for a FIXED trade between two members
// of one org opened from interface 18.0.0, whose key-level policy is a
// majority of the orgs alone (oneOrgFixedNote).
var tradeParties = negotiationParties.noted(oneOrgFixedNote)

// oneOrgFixedNote says which trades a majority of the orgs alone changes:
// a FIXED trade between two members of one org, from interface 18.0.0,
// which that org alone no longer rewrites. A NEGOTIABLE one stays under
// that org or a majority: its payment reads the private terms, which only
// that org's peers hold.
const oneOrgFixedNote = "Of a FIXED trade between two members of one org opened from interface 18.0.0, a majority of the orgs, that org among them or not (the trade is under a majority alone; a NEGOTIABLE one stays under that org or a majority: RecordPayment reads its private terms, which only that org's peers hold)."

// openingTrade is the endorsement of Order and Propose: a new trade needs
// the chaincode-level policy, and where the buyer's enterprise left a trade
// through the buyer's org open on the listing past its deadline, the new
// trade takes over that trade's entry of the one open trade rule, whose
// key-level policy is that trade's: a majority suffices for it from
// interface 17.0.0, its two orgs alone before.
var openingTrade = majorityOfOrgs.noted("over a trade of the buyer's enterprise through the buyer's org on the listing that lapsed, is not yet expired and was opened before interface 17.0.0, the buyer's and the seller's orgs too: the new trade takes over its trade~open entry, theirs alone")

// endorsedBy declares the function's endorsement.
func (f Function) endorsedBy(e Endorsement) Function {
	f.Endorsement = e
	return f
}
