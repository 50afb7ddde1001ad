package client

import "net/url"

// setGiven sets in v each query parameter of params whose value is given (not ""): a filter left empty is not
// sent, so that the gateway applies its own default. The order of params does not matter: each name is set once,
// and url.Values encodes them sorted.
func setGiven(v url.Values, params map[string]string) {
	for name, value := range params {
		if value != "" {
			v.Set(name, value)
		}
	}
}
