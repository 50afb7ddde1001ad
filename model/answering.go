package model

// Answering says which peers answer an evaluation of a function. Most
// functions read only what every peer of the channel holds, and any peer
// answers them. A function that reads private data answers only on a peer
// of an org that holds it, and elsewhere refuses with FORBIDDEN naming the
// orgs to ask, unless it answers everywhere and adds the private data only
// where it is held (Everywhere); a test of the chaincode holds the two
// together.
type Answering struct {
	// Parties are the parties on a peer of whose orgs the function
	// answers with their private data; empty, any peer answers and none
	// reads private data.
	Parties []Party
	// Everywhere says that a peer of any other org answers too, without
	// the private data (and naming the orgs whose peers hold it).
	Everywhere bool
	// Note says, in words, what the caller gets where.
	Note string
}

// String describes the peers in words, as the integration guide shows
// them.
func (a Answering) String() string {
	if len(a.Parties) == 0 {
		return "any peer"
	}
	names := make([]string, len(a.Parties))
	for i, p := range a.Parties {
		names[i] = "the " + string(p) + "'s"
	}
	holders := "a peer of " + joinWords(names, "or") + " org"
	if a.Everywhere {
		return "any peer; the private data only on " + holders
	}
	return holders
}

// peersOf is the answering of a function that reads the private data of
// the parties' orgs.
func peersOf(parties ...Party) Answering {
	return Answering{Parties: parties}
}

// anyPeerWithPrivateOf is the answering of a function that answers on any
// peer and adds the private data of the parties' orgs on their peers.
func anyPeerWithPrivateOf(parties ...Party) Answering {
	return Answering{Parties: parties, Everywhere: true}
}

// answeredBy declares which peers answer the function.
func (f Function) answeredBy(a Answering) Function {
	f.AnsweredBy = a
	return f
}

// noted adds a note to the declaration.
func (a Answering) noted(note string) Answering {
	a.Note = note
	return a
}
