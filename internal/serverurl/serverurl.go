// Package serverurl parses the URL of a server the SDK or the tools talk to (a gateway, a Fabric CA) so that no
// password in it is kept or repeated: url.Parse's errors quote the whole URL, and an error that names a URL is
// written into logs and terminals.
package serverurl

import (
	"errors"
	"net/url"
)

// ErrUserInfo is a URL that carries a user or a password: the clients authenticate otherwise (an API key, a
// certificate, a token signed with the member's key) and would drop it.
var ErrUserInfo = errors.New("no user or password may be in it")

// Parse parses raw. Its error never quotes raw: for a URL that does not parse it tells the reason alone, and a URL
// with a user or a password is ErrUserInfo, before any other check of the caller could quote it.
func Parse(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, ue.Err
		}
		return nil, err
	}
	if u.User != nil {
		return nil, ErrUserInfo
	}
	return u, nil
}
