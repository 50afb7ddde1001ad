package model

// Answering says which peers answer an evaluation of a function. Most
// functions read only what every peer of the channel holds, and any peer
// answers them. A function that reads private data answers only on a peer
// of an org that holds it, and elsewhere refuses with FORBIDDEN naming the
// orgs to ask; a test of the chaincode holds the two together.
type Answering struct {
	// Parties are the parties on a peer of whose orgs the function
	// answers; empty, any peer answers.
	Parties []Party
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
	return "a peer of " + joinWords(names, "or") + " org"
}

// peersOf is the answering of a function that reads the private data of
// the parties' orgs.
func peersOf(parties ...Party) Answering {
	return Answering{Parties: parties}
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
